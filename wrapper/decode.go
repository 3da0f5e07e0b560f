package wrapper

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/omeda-go/omeda-go/gen"
)

// errStopped ends a window's decoding when the caller of a stream stopped asking for
// customers: not a failure, never retried.
var errStopped = errors.New("omeda: the caller stopped the stream")

// partialError is a failure after the window's first customer reached the caller. A retry
// would repeat customers the caller already has (or, with de-duplication, skip the ones it
// missed), so such a failure is returned, never retried.
type partialError struct{ err error }

func (e *partialError) Error() string { return e.err.Error() }
func (e *partialError) Unwrap() error { return e.err }

// decodeWindow reads one change-lookup answer from r as it arrives and hands each customer to
// each, in the answer's order, holding one customer at a time: the body is never buffered
// whole, and nothing is sized from Content-Length. It returns the answer's SubmissionId. The
// customer handed to each is reused for the next one: each copies what it keeps.
//
// A customer that is null or has no positive Id is an error, not a customer 0. Bytes after the
// answer's JSON value are an error too, judged on what was already read (the decoder's buffer),
// so that a well-formed answer is not held up waiting for more. An error envelope inside the
// 2xx answer becomes an *APIError. When each returns an error, decoding stops with it.
func (c *Client) decodeWindow(r io.Reader, each func(*gen.ChangedCustomer) error) (string, error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return "", err
	}
	var (
		sid  string
		errs []vendorError
		seen bool
	)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return sid, err
		}
		switch key, _ := tok.(string); key {
		case "Customers":
			if seen, err = decodeCustomers(dec, each); err != nil {
				return sid, err
			}
		case "SubmissionId":
			var s *string
			if err := dec.Decode(&s); err != nil {
				return sid, err
			}
			sid = deref(s)
		case "Errors":
			if err := dec.Decode(&errs); err != nil {
				return sid, err
			}
		default:
			if err := skipValue(dec); err != nil {
				return sid, err
			}
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return sid, err
	}
	if err := nothingAfter(dec); err != nil {
		return sid, err
	}
	if len(errs) > 0 {
		return sid, c.errorsInSuccess(opChanges, sid, errs)
	}
	if !seen {
		return sid, errors.New("the answer has no Customers")
	}
	return sid, nil
}

// decodeCustomers decodes the Customers array one element at a time into one reused struct.
// It reports whether the answer had a list (false for "Customers": null).
func decodeCustomers(dec *json.Decoder, each func(*gen.ChangedCustomer) error) (bool, error) {
	tok, err := dec.Token()
	if err != nil {
		return false, err
	}
	if tok == nil { // "Customers": null
		return false, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return false, fmt.Errorf("the Customers field is %v, not a list", tok)
	}
	var (
		slot gen.ChangedCustomer
		p    *gen.ChangedCustomer
	)
	for i := 0; dec.More(); i++ {
		// Decoding through a pointer that starts at slot: a null element sets it to nil, which
		// tells it apart from an object; an object is decoded into slot, allocating nothing
		// but its strings.
		slot, p = gen.ChangedCustomer{}, &slot
		if err := dec.Decode(&p); err != nil {
			return false, err
		}
		switch {
		case p == nil:
			return false, fmt.Errorf("customer %d of the list is null", i+1)
		case slot.ID <= 0:
			return false, fmt.Errorf("customer %d of the list has no Id (a positive integer)", i+1)
		}
		if err := each(&slot); err != nil {
			return false, err
		}
	}
	return true, expectDelim(dec, ']')
}

// skipValue reads past one JSON value of any size without holding it: an unknown member of
// the answer could be as large as the answer.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// nothingAfter fails when the decoder has already read something other than white space after
// the answer's value. It reads nothing more from the connection.
func nothingAfter(dec *json.Decoder) error {
	rest, ok := dec.Buffered().(*bytes.Reader) // the decoder's buffer, already in memory
	if !ok {
		return nil
	}
	for rest.Len() > 0 {
		switch b, _ := rest.ReadByte(); b {
		case ' ', '\t', '\r', '\n':
		default:
			_ = rest.UnreadByte()
			trimmed := make([]byte, min(rest.Len(), 64))
			_, _ = rest.Read(trimmed)
			return fmt.Errorf("data after the answer's JSON value: %q", snippet(string(trimmed), 40))
		}
	}
	return nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected '%c', found %v", rune(want), tok)
	}
	return nil
}
