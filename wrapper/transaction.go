package wrapper

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/omeda-go/omeda-go/gen"
)

// Transaction returns how far Omeda has processed one submission of store customer and order:
// its status (see ClassifyTransactionStatus), the customer it became once known, and the
// transaction's own errors. Errors in the answer are the transaction's problems, not a failure of
// the call; an entry of them that repeats the key Error, as the vendor's example does
// ({"Error":"invalid email","Error":"vulgarity"}), is read as one error per Error. An unknown
// transaction id, or one Omeda no longer keeps, is an error matching ErrNotFound. To wait for
// the outcome, use WaitForTransaction.
//
// Vendor page: https://knowledgebase.omeda.com/omedaclientkb/transaction-lookup
// Contract: GET /brand/{brandAbbreviation}/transaction/{transactionId}/* (transactionLookup)
func (c *Client) Transaction(ctx context.Context, transactionID int64) (*gen.TransactionStatus, error) {
	if transactionID < 1 {
		return nil, fmt.Errorf("%w: transaction id %d: must be a positive integer", ErrInvalidInput, transactionID)
	}
	var out transactionAnswer
	decode := c.decodeAnswer(opTransaction, &out)
	err := c.do(ctx, opTransaction, func(ctx context.Context) (*http.Response, error) {
		return c.api.TransactionLookup(ctx, c.brand, transactionID)
	}, func(r io.Reader, size int64) error {
		if err := decode(r, size); err != nil {
			return err
		}
		if out.TransactionID != transactionID {
			return fmt.Errorf("the answer is about transaction %d, not %d", out.TransactionID, transactionID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	st := out.TransactionStatus
	st.Status = *out.Status
	st.Errors = out.Errors
	return &st, nil
}

// transactionAnswer reads a transaction lookup. Its Status shadows the model's, so that an
// answer without one is told apart from status 0; Errors are the model's own (the transaction's
// errors), and a body with Errors but no TransactionId is the vendor's error envelope.
type transactionAnswer struct {
	gen.TransactionStatus
	Status *int `json:"Status"`
	// Errors shadows the model's, to keep every error of an entry that repeats the key Error.
	Errors transactionErrors `json:"Errors"`
}

// transactionErrors reads a transaction's Errors. The vendor's page shows them as one object
// that repeats the key Error ({"Error":"invalid email","Error":"vulgarity"}), of which
// encoding/json keeps the last only: each Error of an entry (matched as encoding/json matches a
// key, whatever its case; a null, or an empty one beside another, skipped) is an error of its
// own here, in order, so that none is lost. An entry is otherwise read as the model reads it,
// its types checked the same way.
type transactionErrors []gen.TransactionError

func (e *transactionErrors) UnmarshalJSON(data []byte) error {
	var entries []json.RawMessage
	if err := json.Unmarshal(data, &entries); err != nil {
		return err
	}
	var out transactionErrors
	for _, raw := range entries {
		var one gen.TransactionError
		if err := json.Unmarshal(raw, &one); err != nil {
			return err
		}
		var entry vendorError // reads every Error of the entry
		if err := json.Unmarshal(raw, &entry); err != nil {
			return err
		}
		texts := entry.texts()
		if len(texts) < 2 {
			out = append(out, one)
			continue
		}
		for _, text := range texts {
			out = append(out, gen.TransactionError{Error: text})
		}
	}
	*e = out
	return nil
}

func (a *transactionAnswer) reset() { *a = transactionAnswer{} }
func (a *transactionAnswer) vendorErrors() (string, []vendorError) {
	if a.TransactionID != 0 || len(a.Errors) == 0 {
		return "", nil
	}
	errs := make([]vendorError, 0, len(a.Errors))
	for _, e := range a.Errors {
		errs = append(errs, vendorError{errors: []string{e.Error}})
	}
	return deref(a.SubmissionID), errs
}
func (a *transactionAnswer) missing() string {
	switch {
	case a.TransactionID == 0:
		return "TransactionId"
	case a.Status == nil:
		return "Status"
	}
	return ""
}

// TransactionOutcome is where a wait for a transaction ended.
type TransactionOutcome struct {
	// State is processed, failed or held; pending when the wait ran out of time first.
	State TransactionState
	// TransactionID is the transaction waited for.
	TransactionID int64
	// Status is the last status seen and Description the vendor's words for it. When no lookup
	// succeeded, Last is nil and Status 0; when the receipt told the outcome (RunProcessor),
	// Description says so and Lookups is 0.
	Status      int
	Description string
	// OmedaCustomerID is the customer the submission became (or updated), once Omeda names it:
	// always for a processed transaction whose answer carries it.
	OmedaCustomerID int64
	// EncryptedCustomerID is the customer's encrypted id, when the receipt carried it.
	EncryptedCustomerID string
	// Errors are the transaction's own errors, in Omeda's words (cleaned for printing).
	Errors []string
	// Last is the last transaction lookup answer seen, or nil when the outcome came from the
	// receipt or no lookup succeeded.
	Last *gen.TransactionStatus
	// Lookups is the number of transaction lookups made.
	Lookups int
}

// String describes the outcome in one line, such as
// "transaction 8907512 processed: status 100 Moved to ERD – Complete New Customer, customer 100221802".
func (o *TransactionOutcome) String() string {
	s := fmt.Sprintf("transaction %d %s", o.TransactionID, o.State)
	switch {
	case o.Lookups == 0 && o.Description != "": // told by the receipt
		s += ": " + o.Description
	case o.Description != "":
		s += fmt.Sprintf(": status %d %s", o.Status, o.Description)
	}
	if o.OmedaCustomerID != 0 {
		s += fmt.Sprintf(", customer %d", o.OmedaCustomerID)
	}
	for _, e := range o.Errors {
		s += "; " + e
	}
	return s
}

// DefaultWaitTimeout bounds WaitForTransaction unless WithWaitTimeout says otherwise.
const DefaultWaitTimeout = 5 * time.Minute

// WaitOption configures WaitForTransaction and WaitForReceipt.
type WaitOption func(*waitSettings) error

type waitSettings struct {
	timeout time.Duration
	// poll is the pause between lookups: its BaseDelay doubled after each, capped at MaxWait,
	// half of it random (RetryPolicy.backoff).
	poll          RetryPolicy
	notFoundGrace time.Duration
	// lookupGrace is how long a lookup may run past the end of the wait's time.
	lookupGrace time.Duration
}

// WithWaitTimeout bounds the wait (default DefaultWaitTimeout); when it runs out the outcome is
// pending. Zero leaves only the context to end the wait. A lookup in flight when the time runs
// out may finish within a few seconds more; one that takes longer is abandoned.
func WithWaitTimeout(d time.Duration) WaitOption {
	return func(s *waitSettings) error {
		if d < 0 {
			return fmt.Errorf("wait timeout %v is negative", d)
		}
		s.timeout = d
		return nil
	}
}

// WithPollInterval sets the pause after the first lookup (default 500 ms) and its cap (default
// 30 s). The pause doubles after each lookup; half of each pause is random, so that many waits
// started together spread out.
func WithPollInterval(first, max time.Duration) WaitOption {
	return func(s *waitSettings) error {
		if first <= 0 || max < first {
			return fmt.Errorf("poll interval %v capped at %v: need 0 < first <= max", first, max)
		}
		s.poll = RetryPolicy{BaseDelay: first, MaxWait: max}
		return nil
	}
}

// WithNotFoundGrace sets how long after the wait began a 404 for a transaction never seen yet
// counts as "not visible yet" rather than as an error (default 30 s): a lookup sent right after
// the submission may reach Omeda before the queue shows it.
func WithNotFoundGrace(d time.Duration) WaitOption {
	return func(s *waitSettings) error {
		if d < 0 {
			return fmt.Errorf("not-found grace %v is negative", d)
		}
		s.notFoundGrace = d
		return nil
	}
}

// WaitForTransaction looks the transaction up until its status is final (see
// ClassifyTransactionStatus): processed, with the customer's id; failed, with the transaction's
// errors; or held for a person at Omeda, where waiting longer would not help. Between lookups
// it pauses for a capped exponential backoff with jitter (WithPollInterval). When the wait's
// time (WithWaitTimeout) runs out first, the outcome is pending and the error nil. A status the
// vendor's table does not list counts as pending and is logged.
//
// A lookup that fails for a passing reason (a transport failure, 429, 502, 503, 504, after the
// client's retry policy) does not end the wait; nor does a 404 within WithNotFoundGrace. Any
// other failure ends it with the error and the outcome so far (pending). When ctx ends, the
// wait returns the outcome so far with an error wrapping ctx's.
//
// Vendor page: https://knowledgebase.omeda.com/omedaclientkb/transaction-lookup
// Contract: GET /brand/{brandAbbreviation}/transaction/{transactionId}/* (transactionLookup)
func (c *Client) WaitForTransaction(ctx context.Context, transactionID int64, opts ...WaitOption) (*TransactionOutcome, error) {
	if transactionID < 1 {
		return nil, fmt.Errorf("%w: transaction id %d: must be a positive integer", ErrInvalidInput, transactionID)
	}
	s := waitSettings{timeout: DefaultWaitTimeout, poll: RetryPolicy{BaseDelay: 500 * time.Millisecond, MaxWait: 30 * time.Second},
		notFoundGrace: 30 * time.Second, lookupGrace: 5 * time.Second}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&s); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidInput, err)
		}
	}

	out := &TransactionOutcome{State: TransactionPending, TransactionID: transactionID}
	start := c.now()
	warned := map[int]bool{}
	lookup := func() (*gen.TransactionStatus, error) {
		if s.timeout <= 0 {
			return c.Transaction(ctx, transactionID)
		}
		// The lookup may not hold the wait past its time (and a little grace) however slowly the
		// server answers.
		left := max(s.timeout-c.now().Sub(start), 0)
		lctx, cancel := context.WithTimeout(ctx, left+s.lookupGrace)
		defer cancel()
		return c.Transaction(lctx, transactionID)
	}
	for {
		st, err := lookup()
		out.Lookups++
		if err == nil {
			c.record(out, st)
			if _, _, known := ClassifyTransactionStatus(st.Status); !known && !warned[st.Status] {
				warned[st.Status] = true
				c.warn(ctx, "omeda transaction status not in the vendor's table; still waiting",
					slog.Int64("transaction", transactionID), slog.Int("status", st.Status))
			}
			if out.State.Final() {
				return out, nil
			}
		} else {
			if ctx.Err() != nil {
				return out, fmt.Errorf("omeda: waiting for transaction %d: %w", transactionID, err)
			}
			if !c.passing(err, out.Last == nil && c.now().Sub(start) < s.notFoundGrace) {
				return out, fmt.Errorf("omeda: waiting for transaction %d: %w", transactionID, err)
			}
			c.warn(ctx, "omeda transaction lookup failed; still waiting",
				slog.Int64("transaction", transactionID), slog.String("error", c.red.Clean(err.Error())))
		}

		wait := s.poll.backoff(out.Lookups, c.jitter())
		if s.timeout > 0 {
			left := s.timeout - c.now().Sub(start)
			if left <= 0 {
				if err != nil {
					return out, fmt.Errorf("omeda: transaction %d still pending after %v; the last lookup failed: %w", transactionID, s.timeout, err)
				}
				return out, nil
			}
			wait = min(wait, left)
		}
		if err := c.sleep(ctx, wait); err != nil {
			return out, fmt.Errorf("omeda: waiting for transaction %d: %w", transactionID, err)
		}
	}
}

// WaitForReceipt is WaitForTransaction for the transaction of a store receipt (Omeda queues one
// transaction per submission: the receipt's first; for a receipt naming several, call it with
// each entry). A receipt that already names the customer, as a submission sent with RunProcessor
// does, needs no lookup: its outcome is processed at once. A receipt without a usable
// transaction id is ErrMalformedResponse: the submission was sent all the same.
func (c *Client) WaitForReceipt(ctx context.Context, receipt *gen.StoreReceipt, opts ...WaitOption) (*TransactionOutcome, error) {
	if receipt == nil {
		return nil, fmt.Errorf("%w: no receipt", ErrInvalidInput)
	}
	// A receipt comes from Omeda after the submission was queued: one without a usable
	// transaction is an answer problem, not the caller's (ErrInvalidInput reads as "nothing
	// was sent", and the submission was).
	if len(receipt.ResponseInfo) == 0 {
		return nil, fmt.Errorf("%w: the receipt names no transaction (the submission was sent)", ErrMalformedResponse)
	}
	if out := receiptOutcome(receipt.ResponseInfo[0]); out != nil {
		return out, nil
	}
	if id := receipt.ResponseInfo[0].TransactionID; id < 1 {
		return nil, fmt.Errorf("%w: the receipt's transaction id %d is not a positive integer (the submission was sent)", ErrMalformedResponse, id)
	}
	return c.WaitForTransaction(ctx, receipt.ResponseInfo[0].TransactionID, opts...)
}

// record sets the outcome from a lookup answer.
func (c *Client) record(out *TransactionOutcome, st *gen.TransactionStatus) {
	out.Last = st
	out.State, out.Description, _ = ClassifyTransactionStatus(st.Status)
	out.Status = st.Status
	out.OmedaCustomerID = deref(st.OmedaCustomerID)
	out.Errors = out.Errors[:0]
	for _, e := range st.Errors {
		out.Errors = append(out.Errors, c.red.snippet(e.Error, maxSnippet))
	}
}

// passing reports whether a failed lookup may succeed if asked again later: a transport
// failure, a status the retry policy retries, or (when notFoundOK) a 404.
func (c *Client) passing(err error, notFoundOK bool) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return !errors.Is(err, ErrInvalidInput)
	}
	return retryableStatus(apiErr.StatusCode) || notFoundOK && apiErr.StatusCode == http.StatusNotFound && apiErr.Err == nil
}

// warn logs to the client's logger, or to slog's default one when the client has none: what it
// reports is worth a look whether or not the caller asked for logs.
func (c *Client) warn(ctx context.Context, msg string, attrs ...slog.Attr) {
	l := c.log
	if l == nil {
		l = slog.Default()
	}
	l.LogAttrs(ctx, slog.LevelWarn, msg, attrs...)
}

// receiptOutcome is the outcome a receipt entry already tells, or nil when it takes lookups: a
// submission sent with RunProcessor 1 was processed at once, and its receipt names the customer.
func receiptOutcome(t gen.Transaction) *TransactionOutcome {
	if t.CustomerID == nil || *t.CustomerID < 1 {
		return nil
	}
	return &TransactionOutcome{
		State:               TransactionProcessed,
		TransactionID:       t.TransactionID,
		Description:         "processed at once (RunProcessor): the receipt names the customer",
		OmedaCustomerID:     *t.CustomerID,
		EncryptedCustomerID: deref(t.EncryptedCustomerID),
	}
}
