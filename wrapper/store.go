package wrapper

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"unicode"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/internal/jsonesc"
	"github.com/omeda-go/omeda-go/internal/spec"
)

// StoreCustomerAndOrder submits a customer with its contacts, demographics and orders. The
// submission is validated against the contract first, and refused with a *ValidationError
// (matching ErrInvalidInput) before anything is sent when it breaks a documented rule; elements
// and codes the contract does not document are sent, with a warning to the client's logger
// (WithLogger). It then goes out at most once: Omeda queues it without an idempotency key, so
// it is never retried, not even after a network failure that may have happened after Omeda
// received it, and no transport underneath (HTTP/1, HTTP/2, a caller's own) can send it again
// on its own. A failure to get the answer is a *TransportError whose Delivery says whether the
// submission was sent (NotSent: safe to send again; Sent or MaybeSent: Omeda may already have
// queued it); once a success status has come, a failure while its body arrives is an
// *UnreadReceiptError instead, carrying what came (it wraps the *TransportError). The values of
// the card fields (the contract's x-omeda-secret) are redacted from every error, like the
// credentials. The receipt's transaction id tracks the queued submission; it has not been
// processed yet. A success answer (2xx) that is not a receipt the client can read is an
// *UnreadReceiptError, which says the submission was sent and carries the answer as it came.
//
// The client needs an input id (WithInputID).
//
// Vendor page: https://knowledgebase.omeda.com/omedaclientkb/save-customer-and-order
// Contract: POST /brand/{brandAbbreviation}/storecustomerandorder/* (storeCustomerAndOrder)
func (c *Client) StoreCustomerAndOrder(ctx context.Context, req gen.StoreCustomerAndOrderRequest) (*gen.StoreReceipt, error) {
	payload, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("%w: the submission does not encode as JSON: %v", ErrInvalidInput, err)
	}
	return c.StoreCustomerAndOrderJSON(ctx, payload)
}

// StoreCustomerAndOrderJSON is StoreCustomerAndOrder for a submission that is already JSON,
// such as a file. It sends the bytes as given, after the same validation, so that an element
// the generated model does not know reaches Omeda (with a warning) rather than being dropped.
func (c *Client) StoreCustomerAndOrderJSON(ctx context.Context, payload []byte) (*gen.StoreReceipt, error) {
	if c.inputID == "" {
		return nil, fmt.Errorf("%w: store customer and order needs an input id (x-omeda-inputid): use WithInputID", ErrInvalidInput)
	}
	if err := checkSubmissionJSON(payload); err != nil {
		return nil, err
	}
	warnings, err := CheckStoreRequest(payload)
	if err != nil {
		return nil, err
	}
	c.logWarnings(ctx, warnings)
	ex := &storeExchange{c: c, payload: payload, red: c.red.WithCard(spec.SecretValues(payload)...)}
	if err := c.exchange(ctx, opStore, ex); err != nil {
		return nil, ex.unread(err)
	}
	return &ex.out.StoreReceipt, nil
}

// storeExchange sends one submission. Its body can be read once and has no GetBody, so that no
// transport can send the submission again (wire.go); its errors are redacted of the card data
// it carries as well as of the credentials.
type storeExchange struct {
	c       *Client
	payload []byte
	red     *Redactor
	out     receiptAnswer
	raw     []byte // the start of the answer, for an UnreadReceiptError
	more    bool   // the answer went on past raw
	size    int64  // the answer's announced length (Content-Length), -1 when unannounced
	// status and contentType are the answer's, once its headers came; reading says that its
	// body was being decoded (a success of JSON), so that a failure then cut a receipt short.
	status      int
	contentType string
	reading     bool
}

func (s *storeExchange) send(ctx context.Context) (*http.Response, error) {
	// unreplayable, the client's editor, makes the body one that can be read once and drops
	// the GetBody that http.NewRequest gives a *bytes.Reader.
	resp, err := s.c.api.StoreCustomerAndOrderWithBody(ctx, s.c.brand, "application/json", bytes.NewReader(s.payload), s.c.withInputID)
	if resp != nil {
		s.status, s.contentType = resp.StatusCode, resp.Header.Get("Content-Type")
	}
	return resp, err
}

// decode keeps the start of the answer as the decoder reads it, so that an answer that is not
// the documented receipt can still reach the caller as it came (unread).
//
// A receipt that names a member it reads twice in one object is not read: encoding/json keeps
// the last of the two (matched whatever their case), so that an "Errors" followed by an empty
// "errors" read as a clean receipt and the vendor's error was lost. Which of the two Omeda meant
// is not known, so the caller gets the answer as it came (an *UnreadReceiptError). A member the
// receipt does not read may come twice. The check reads the copy kept for that error, so it
// covers a receipt of up to maxErrorBody bytes: a real one is a few hundred.
func (s *storeExchange) decode(r io.Reader, size int64) error {
	s.size, s.reading = size, true
	if err := s.c.decodeInto(opStore, &s.out, io.TeeReader(r, s), s.red); err != nil {
		return err
	}
	if s.more {
		return nil
	}
	return repeatedMember(s.raw, reflect.TypeOf(s.out))
}

// repeatedMember fails when an object of the JSON value at the start of data names twice a
// member that a value of type t reads, the names compared as encoding/json matches a member to
// a field (bytes.EqualFold). A member t does not read (drift) is ignored whichever of the two
// encoding/json kept, so naming one twice leaves the receipt as readable as it was.
func repeatedMember(data []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	var walk func(t reflect.Type) error
	walk = func(t reflect.Type) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			members := readMembers(t)
			names := map[string]string{} // folded name: the name as it came
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				name, _ := kt.(string)
				folded := foldName(name)
				mt, read := members[folded]
				if first, ok := names[folded]; ok && read {
					return fmt.Errorf("the answer names a member twice in one object (%s, then %s): which one Omeda meant is not known",
						quoted(first, 100), quoted(name, 100))
				}
				names[folded] = name
				if err := walk(mt); err != nil {
					return err
				}
			}
		case json.Delim('['):
			for t != nil && t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
			var elem reflect.Type
			if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
				elem = t.Elem()
			}
			for dec.More() {
				if err := walk(elem); err != nil {
					return err
				}
			}
		default:
			return nil
		}
		_, err = dec.Token() // the closing delimiter
		return err
	}
	return walk(t)
}

// readMembers returns the members that encoding/json reads into a value of type t, by folded
// name (see foldName), each with the type its value is read into; nil when t is not a struct
// read member by member (a scalar, a map, a type with its own UnmarshalJSON, no type at all).
func readMembers(t reflect.Type) map[string]reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct || reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) {
		return nil
	}
	out := map[string]reflect.Type{}
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case tag == "-":
			continue
		case f.Anonymous && name == "":
			embedded = append(embedded, f.Type) // its members are promoted, unless shadowed
			continue
		case !f.IsExported():
			continue
		case name == "":
			name = f.Name
		}
		out[foldName(name)] = f.Type
	}
	for _, e := range embedded {
		for name, mt := range readMembers(e) {
			if _, shadowed := out[name]; !shadowed {
				out[name] = mt
			}
		}
	}
	return out
}

// foldName maps name to one spelling for all the names bytes.EqualFold finds equal to it: each
// character becomes the least of its case-folding orbit (k, K and the Kelvin sign K become K).
func foldName(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for _, r := range name {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}

// Write keeps the first maxErrorBody bytes of the answer, and notes whether more came.
func (s *storeExchange) Write(p []byte) (int, error) {
	room := maxErrorBody - len(s.raw)
	s.raw = append(s.raw, p[:min(len(p), room)]...)
	s.more = s.more || len(p) > room
	return len(p), nil
}

// keep holds the start of an answer the request loop read itself (one that is not JSON), at
// most maxErrorBody bytes, and its announced length (or -1); cut says that the connection
// failed before the end. The loop reads no byte past the bound, which could wait on a stalled
// connection, so an answer that fills the bound without announcing its length may go on.
func (s *storeExchange) keep(data []byte, size int64, cut bool) {
	s.raw, s.size = data, size
	s.more = cut || len(data) >= maxErrorBody && size < 0
}

// unread turns the failure to read a success answer into an *UnreadReceiptError: the
// submission was sent and Omeda answered that it took it, so the caller must learn that, and
// get what the answer said, rather than a bare malformed answer that a script might resend.
//
// A success whose body the connection failed to deliver whole (dropped, timed out, the caller's
// context ended) is one too: Omeda queued the submission, and what came of its receipt may hold
// the transaction id. The error then wraps the *TransportError, whose Delivery says it was sent.
func (s *storeExchange) unread(err error) error {
	var (
		apiErr *APIError
		terr   *TransportError
	)
	switch {
	case errors.As(err, &apiErr) && apiErr.StatusCode >= 200 && apiErr.StatusCode <= 299:
		// The decoder stops where the JSON goes wrong: an announced length tells whether more came.
		return &UnreadReceiptError{APIError: apiErr, Raw: s.rawText(), Truncated: s.more || s.size > int64(len(s.raw))}
	case errors.As(err, &terr) && s.reading && s.status >= 200 && s.status <= 299:
		// Go's HTTP/2 transport ends such a failure with advice that this client never follows.
		cause := strings.TrimSuffix(terr.Err.Error(), "; define Request.GetBody to avoid this error")
		return &UnreadReceiptError{
			APIError: &APIError{
				Operation:   opStore.id,
				StatusCode:  s.status,
				ContentType: s.red.snippet(s.contentType, 100),
				Attempts:    terr.Attempts,
				Err: &cleanError{msg: "the connection failed before the end of the answer, and the submission was not resent: " +
					s.red.Clean(cause), err: terr},
				documented: opStore.documents(s.status),
			},
			Raw:       s.rawText(),
			Truncated: true,
		}
	}
	return err
}

// rawText is the start of the answer for UnreadReceiptError.Raw.
func (s *storeExchange) rawText() string {
	if json.Valid(s.raw) {
		return string(jsonesc.Escape(s.red.JSON(s.raw)))
	}
	return s.red.Clean(string(s.raw))
}

// UnreadReceiptError is a submission that Omeda answered with a success status (2xx) whose
// body the client could not read as the documented receipt: not JSON, cut short (by the
// server, or by the connection failing before the end, when it also wraps the
// *TransportError), too large, without a ResponseInfo, naming one of its members twice, or
// carrying the vendor's error envelope. The submission was sent, and Omeda may have queued it:
// do not send it again. The answer itself is the only record of what Omeda did with it, so it
// is kept, in Raw, for the caller to show or store.
//
// It unwraps to the *APIError that describes the answer (its status, Content-Type, messages and
// cause), so that errors.Is(err, ErrMalformedResponse) and errors.As with an *APIError keep
// working.
type UnreadReceiptError struct {
	*APIError
	// Raw is the answer's body as received, at most 64 KiB, through the door: when it is JSON,
	// with the credentials and the submission's card values redacted (Redactor.JSON), and what
	// a terminal acts on that JSON may carry raw in its strings (DEL, the C1 controls, format
	// characters, bytes that are not UTF-8) written as \u escapes, so that it still decodes to
	// what the answer did; otherwise cleaned on one line (Redactor.Clean). It may be empty.
	Raw string
	// Truncated reports that Raw may not be the whole answer: the answer was longer than 64 KiB
	// (or, not being JSON, filled 64 KiB without announcing its length), the connection failed
	// before its end, or the client stopped reading it (where its JSON went wrong, say) before
	// the end of the length the server announced (Content-Length).
	Truncated bool
}

// Error says that the submission was sent, then why its answer could not be read.
func (e *UnreadReceiptError) Error() string {
	why := strings.TrimPrefix(e.APIError.Error(), "omeda: "+e.Operation+": ")
	return fmt.Sprintf("omeda: %s: the submission was sent and Omeda may have queued it: do not send it again; "+
		"its answer could not be read as a receipt (%s)", e.Operation, why)
}

// Unwrap returns the *APIError describing the answer.
func (e *UnreadReceiptError) Unwrap() error { return e.APIError }

func (s *storeExchange) redactor() *Redactor { return s.red }

// Ptr returns a pointer to v, for the optional fields of the generated models:
//
//	req := gen.StoreCustomerAndOrderRequest{FirstName: wrapper.Ptr("Ann")}
func Ptr[T any](v T) *T { return &v }
