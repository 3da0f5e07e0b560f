package wrapper

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/omeda-go/omeda-go/gen"
)

// PhoneNumbers returns the phone numbers of a customer, given Omeda's numeric customer id or an
// encrypted customer id. A customer without phone numbers, an unknown customer and a merged
// customer are errors matching ErrNotFound; a merged one also matches ErrMerged and names the
// surviving customer, unless the client follows merges (WithFollowMerges).
//
// Vendor page: https://knowledgebase.omeda.com/omedaclientkb/phone-lookup-by-customer-id
// Contract: GET /brand/{brandAbbreviation}/customer/{customerId}/phone/* (phoneLookupByCustomerId)
func (c *Client) PhoneNumbers(ctx context.Context, customerID string) (*gen.CustomerPhones, error) {
	call := &struct {
		lookupExchange
		out phonesAnswer
	}{lookupExchange: lookupExchange{c: c, op: opPhones, lookup: (*gen.Client).PhoneLookupByCustomerID}}
	call.lookupExchange.out = &call.out
	if err := c.followMerges(ctx, customerID, &call.lookupExchange); err != nil {
		return nil, err
	}
	return &call.out.CustomerPhones, nil
}

// MergeHistory returns the customers that were merged into a customer. A customer that was
// itself merged into another is an error matching ErrMerged, unless the client follows merges
// (WithFollowMerges), in which case the surviving customer's history is returned.
//
// Vendor page: https://knowledgebase.omeda.com/omedaclientkb/customer-merge-history-lookup
// Contract: GET /brand/{brandAbbreviation}/customer/{customerId}/mergehistory/* (customerMergeHistoryLookup)
func (c *Client) MergeHistory(ctx context.Context, customerID string) (*gen.MergeHistory, error) {
	call := &struct {
		lookupExchange
		out mergesAnswer
	}{lookupExchange: lookupExchange{c: c, op: opMerges, lookup: (*gen.Client).CustomerMergeHistoryLookup}}
	call.lookupExchange.out = &call.out
	if err := c.followMerges(ctx, customerID, &call.lookupExchange); err != nil {
		return nil, err
	}
	return &call.out.MergeHistory, nil
}

// customerLookup is one of the generated client's customer lookups, as a method expression
// (a static function: taking it allocates nothing).
type customerLookup func(api *gen.Client, ctx context.Context, brand gen.BrandAbbreviation, id gen.CustomerID, editors ...gen.RequestEditorFn) (*http.Response, error)

// lookupExchange is one customer lookup: the exchange of its attempts, for one customer id at
// a time. The lookups allocate it together with their answer.
type lookupExchange struct {
	c      *Client
	op     operation
	lookup customerLookup
	id     string
	out    answer
	wire   wire // the first attempt's, allocated with the call
}

func (l *lookupExchange) firstWire() *wire {
	l.wire = wire{}
	return &l.wire
}

func (l *lookupExchange) send(ctx context.Context) (*http.Response, error) {
	return l.lookup(l.c.api, ctx, l.c.brand, l.id)
}

func (l *lookupExchange) decode(r io.Reader, size int64) error {
	return l.c.decodeSized(l.op, l.out, r, size, l.c.red)
}

// followMerges runs the lookup for customerID and, when the client follows merges, again for
// the customer it was merged into, up to the configured number of hops.
func (c *Client) followMerges(ctx context.Context, customerID string, ex *lookupExchange) error {
	if err := CheckCustomerID(customerID); err != nil {
		return err
	}
	id := customerID
	var seen []string // allocated only when a merge is followed
	for hop := 0; ; hop++ {
		ex.id = id
		err := c.exchange(ctx, ex.op, ex)
		if err == nil || hop >= c.follow {
			return err
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.MergedIntoCustomerID == 0 {
			return err
		}
		if seen == nil {
			seen = []string{customerID}
		}
		next := strconv.FormatInt(apiErr.MergedIntoCustomerID, 10)
		if slices.Contains(seen, next) {
			return fmt.Errorf("omeda: merged customers form a loop (%v): %w", append(seen, next), err)
		}
		if c.log != nil {
			c.log.LogAttrs(ctx, slog.LevelInfo, "omeda following merged customer",
				slog.String("from", id), slog.String("to", next))
		}
		seen = append(seen, next)
		id = next
	}
}

// answer is a success body that may, against the contract, carry the vendor's error envelope.
type answer interface {
	reset()
	vendorErrors() (submissionID string, errs []vendorError)
	// missing names a required element the body lacks, or is "".
	missing() string
}

type phonesAnswer struct {
	gen.CustomerPhones
	Errors []vendorError `json:"Errors"`
}

func (a *phonesAnswer) reset()                                { *a = phonesAnswer{} }
func (a *phonesAnswer) vendorErrors() (string, []vendorError) { return deref(a.SubmissionID), a.Errors }
func (a *phonesAnswer) missing() string                       { return missingIf(a.PhoneNumbers == nil, "PhoneNumbers") }

type mergesAnswer struct {
	gen.MergeHistory
	Errors []vendorError `json:"Errors"`
}

func (a *mergesAnswer) reset()                                { *a = mergesAnswer{} }
func (a *mergesAnswer) vendorErrors() (string, []vendorError) { return deref(a.SubmissionID), a.Errors }
func (a *mergesAnswer) missing() string {
	return missingIf(a.CustomerMergeHistory == nil, "CustomerMergeHistory")
}

type receiptAnswer struct {
	gen.StoreReceipt
	Errors []vendorError `json:"Errors"`
}

func (a *receiptAnswer) reset() { *a = receiptAnswer{} }
func (a *receiptAnswer) vendorErrors() (string, []vendorError) {
	return deref(a.SubmissionID), a.Errors
}
func (a *receiptAnswer) missing() string {
	return missingIf(len(a.ResponseInfo) == 0, "ResponseInfo with a TransactionId")
}

// decodeAnswer decodes a success body into v, streaming it from the connection.
func (c *Client) decodeAnswer(op operation, v answer) decoder {
	return func(r io.Reader, _ int64) error { return c.decodeInto(op, v, r, c.red) }
}

// maxSmallAnswer is the largest answer of known length that decodeSized reads whole into a
// pooled buffer rather than streaming it.
const maxSmallAnswer = 32 << 10

// smallAnswers holds the buffers of decodeSized.
var smallAnswers = sync.Pool{New: func() any { return new([maxSmallAnswer]byte) }}

// decodeSized is decodeInto for an answer whose length (size, from Content-Length) may be known.
// A small answer of known length is read whole into a pooled buffer and decoded from there,
// which spares the allocations of a streaming decoder (a lookup's answer is a few hundred
// bytes); any other streams, so that an answer is never held twice, nor read past its value.
func (c *Client) decodeSized(op operation, v answer, r io.Reader, size int64, red *Redactor) error {
	if size <= 0 || size > maxSmallAnswer {
		return c.decodeInto(op, v, r, red)
	}
	buf := smallAnswers.Get().(*[maxSmallAnswer]byte)
	defer smallAnswers.Put(buf)
	// Read until the length is in, or, like the streaming decoder, until what came is a whole
	// JSON value: white space the server promised after it is not waited for.
	data := buf[:0]
	for int64(len(data)) < size {
		n, err := r.Read(buf[len(data):size])
		data = data[:len(data)+n]
		if err == io.EOF {
			if int64(len(data)) < size && !json.Valid(data) {
				return io.ErrUnexpectedEOF // shorter than its Content-Length
			}
			break
		}
		if err != nil {
			return err
		}
		if int64(len(data)) < size && json.Valid(data) {
			break
		}
	}
	v.reset()
	if err := json.Unmarshal(data, v); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return syntaxAsStream(err, syn, data, red)
		}
		return err
	}
	return checkAnswer(op, v, red)
}

// syntaxAsStream words a syntax error of json.Unmarshal as the streaming decoder (and
// nothingAfter) do, so that an answer reads the same whichever way it was decoded.
func syntaxAsStream(err error, syn *json.SyntaxError, data []byte, red *Redactor) error {
	switch {
	case syn.Offset >= int64(len(data)) && strings.HasPrefix(syn.Error(), "unexpected end of JSON input"):
		if len(bytes.TrimSpace(data)) == 0 {
			return io.EOF
		}
		return io.ErrUnexpectedEOF
	case strings.Contains(syn.Error(), "after top-level value"):
		return dataAfter(data[max(syn.Offset-1, 0):], red)
	}
	return err
}

// dataAfter is the error for rest, what follows an answer's JSON value: its start, quoted. The
// start is redacted before it is cut, so that no beginning of a secret is left at the cut; of
// rest, the first dataAfterWindow bytes are enough for that.
func dataAfter(rest []byte, red *Redactor) error {
	start := red.Redact(string(rest[:min(len(rest), dataAfterWindow)]))
	return fmt.Errorf("data after the answer's JSON value: %s", quoted(start, 40))
}

// dataAfterWindow is how much of what follows an answer dataAfter looks at.
const dataAfterWindow = 1 << 10

// checkAnswer reports a decoded answer's vendor errors or missing element.
func checkAnswer(op operation, v answer, red *Redactor) error {
	if sid, errs := v.vendorErrors(); len(errs) > 0 {
		return errorsInSuccess(op, sid, errs, red)
	}
	if m := v.missing(); m != "" {
		return fmt.Errorf("the answer has no %s", m)
	}
	return nil
}

// decodeInto decodes a success body into v, streaming it from the connection.
func (c *Client) decodeInto(op operation, v answer, r io.Reader, red *Redactor) error {
	v.reset()
	dec := json.NewDecoder(r)
	if err := dec.Decode(v); err != nil {
		return err
	}
	if err := nothingAfter(dec, red); err != nil {
		return err
	}
	return checkAnswer(op, v, red)
}

func missingIf(cond bool, what string) string {
	if cond {
		return what
	}
	return ""
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
