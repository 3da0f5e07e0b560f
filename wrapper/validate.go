package wrapper

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/omeda-go/omeda-go/internal/spec"
)

// ValidationError lists every problem found in a submission before it was sent. It matches
// ErrInvalidInput.
type ValidationError struct {
	// Problems are "path: reason" lines, the path a JSON pointer into the submission such as
	// /Emails/0/EmailAddress ("/" for the submission itself).
	Problems []string
}

// Error names the first problems.
func (e *ValidationError) Error() string {
	const show = 5
	list := e.Problems
	more := ""
	if len(list) > show {
		list, more = list[:show], fmt.Sprintf("; and %d more", len(e.Problems)-show)
	}
	return fmt.Sprintf("omeda: the submission is invalid (%d problem%s): %s%s",
		len(e.Problems), plural(len(e.Problems)), strings.Join(list, "; "), more)
}

// Is matches ErrInvalidInput.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidInput }

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Warning is something in a submission that the vendor's pages do not document, such as an
// element they do not list or a code outside a documented list. The pages are not exhaustive,
// so the submission is sent anyway; Omeda judges it.
type Warning struct {
	// Pointer locates the value as a JSON pointer, such as /Phones/1/PhoneContactType.
	Pointer string
	// Reason says what the contract does not know.
	Reason string
	// Value is the value as JSON, such as "220"; empty for card data, which is never shown.
	Value string
}

// String renders the warning on one line: "pointer: reason (value ...)".
func (w Warning) String() string {
	s := w.Pointer + ": " + w.Reason
	if w.Value != "" {
		s += " (value " + w.Value + ")"
	}
	return s
}

// ValidateStoreRequest checks a store submission against the contract's
// StoreCustomerAndOrderRequest schema (types, required elements, lengths, formats and dates) and
// against the rules the vendor documents across elements (both customer ids at once; a
// ShippingAddressId or EmailAddressId without OmedaCustomerId; a product twice; a paid product
// without Term or OrderExpirationDate; incomplete card or billing data). It returns nil or a
// *ValidationError listing every problem. Elements and codes the contract does not document are
// not problems: see CheckStoreRequest. Nothing is sent.
func ValidateStoreRequest(payload []byte) error {
	_, err := CheckStoreRequest(payload)
	return err
}

// CheckStoreRequest is ValidateStoreRequest that also returns the warnings: elements the
// contract does not document and codes outside its documented lists, and rules whose edges the
// pages leave open (AmountPaid above Amount + SalesTax + Postage, DoCharge "True", a card whose
// expiry month is over on this machine's clock in Omeda's zone), which are sent as they are.
// The warnings are returned even when the submission is refused.
func CheckStoreRequest(payload []byte) ([]Warning, error) {
	contract, err := spec.Load()
	if err != nil {
		return nil, err
	}
	doc, err := spec.DecodeJSON(payload)
	if err != nil {
		return nil, &ValidationError{Problems: []string{"/: " + err.Error()}}
	}
	var problems []string
	var warnings []Warning
	today := time.Now().In(Chicago())
	for _, p := range append(contract.CheckStore(doc), spec.CardExpired(doc, today.Year(), today.Month())...) {
		if p.Severity == spec.Warning {
			warnings = append(warnings, Warning{Pointer: p.Pointer, Reason: p.Reason, Value: p.Value})
			continue
		}
		problems = append(problems, problemLine(p))
	}
	if len(problems) > 0 {
		return warnings, &ValidationError{Problems: problems}
	}
	return warnings, nil
}

// problemLine words a refusal as "pointer: reason", with the value when it helps and is not
// secret.
func problemLine(p spec.Problem) string {
	line := p.String()
	if p.Value != "" && p.Kind == spec.KindSchema && !strings.Contains(p.Reason, p.Value) {
		line += " (got " + p.Value + ")"
	}
	return line
}

// SubmissionWarningMessage is the message of the log record StoreCustomerAndOrder writes (at
// warn level) for each warning of a submission, with the attributes operation, pointer, value
// and reason. A program that reports the warnings itself (from CheckStoreRequest) can filter
// these records out of its handler.
const SubmissionWarningMessage = "omeda submission warning"

// logWarnings writes each warning to the client's logger at warn level, with its pointer and
// value (never a card's).
func (c *Client) logWarnings(ctx context.Context, warnings []Warning) {
	if c.log == nil {
		return
	}
	for _, w := range warnings {
		c.log.LogAttrs(ctx, slog.LevelWarn, SubmissionWarningMessage,
			slog.String("operation", opStore.id), slog.String("pointer", c.red.Clean(w.Pointer)),
			slog.String("value", c.red.Clean(w.Value)), slog.String("reason", c.red.Clean(w.Reason)))
	}
}
