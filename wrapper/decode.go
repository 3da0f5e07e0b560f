package wrapper

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strings"
	"unicode/utf8"

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
	return c.decodeWindowWith(r, each, decodeCustomers)
}

// customersDecoder decodes the Customers array whose key dec has just read from r (the body
// dec reads), and returns the decoder to go on with.
type customersDecoder func(dec *json.Decoder, r io.Reader, each func(*gen.ChangedCustomer) error) (bool, *json.Decoder, error)

func (c *Client) decodeWindowWith(r io.Reader, each func(*gen.ChangedCustomer) error, decodeList customersDecoder) (string, error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return "", err
	}
	var (
		sid   string
		errs  []vendorError
		seen  bool
		keys  [3]bool // Customers, SubmissionId and Errors were read: a second one is an error
		dates dateWatch
	)
	// once fails for a member the answer names a second time: encoding/json would keep the
	// last, so that an Errors followed by an empty one read as a success, and a second
	// SubmissionId left the one to quote to Omeda unknown.
	once := func(i int, key string) error {
		if keys[i] {
			return fmt.Errorf("the answer has the key %s twice", key)
		}
		keys[i] = true
		return nil
	}
	defer dates.report(c)
	watched := func(cust *gen.ChangedCustomer) error {
		dates.check(cust)
		return each(cust)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return sid, err
		}
		// A key is matched whatever its case, as encoding/json matches it (and as the other
		// answers are read): an "errors" is the window's errors, not a member to skip.
		key, _ := tok.(string)
		switch {
		case strings.EqualFold(key, "Customers"):
			if err := once(0, key); err != nil {
				return sid, err
			}
			if seen, dec, err = decodeList(dec, r, watched); err != nil {
				return sid, err
			}
		case strings.EqualFold(key, "SubmissionId"):
			if err := once(1, key); err != nil {
				return sid, err
			}
			var s *string
			if err := dec.Decode(&s); err != nil {
				return sid, err
			}
			sid = deref(s)
		case strings.EqualFold(key, "Errors"):
			if err := once(2, key); err != nil {
				return sid, err
			}
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
	if err := nothingAfter(dec, c.red); err != nil {
		return sid, err
	}
	if len(errs) > 0 {
		return sid, errorsInSuccess(opChanges, sid, errs, c.red)
	}
	if !seen {
		return sid, errors.New("the answer has no Customers")
	}
	return sid, nil
}

// decodeCustomers decodes the Customers array one customer at a time into one reused struct.
// It reports whether the answer had a list (false for "Customers": null).
//
// encoding/json's Decoder costs about 2 µs a customer, scanning each one twice with its
// general state machine, which is most of the time a large window takes. So the array is read
// here with a scanner of its own: it finds each element's end (strings and nesting only), then
// reads a customer of the documented shape directly (the five documented members, plain
// strings, integers); anything else (an unknown or differently cased member, an escape, a
// null, a float, malformed JSON) goes to json.Unmarshal, which has the last word. The rest of
// the answer is read by a new json.Decoder, primed to resume inside the answer's object.
func decodeCustomers(dec *json.Decoder, r io.Reader, each func(*gen.ChangedCustomer) error) (bool, *json.Decoder, error) {
	tok, err := dec.Token()
	if err != nil {
		return false, dec, err
	}
	if tok == nil { // "Customers": null
		return false, dec, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return false, dec, fmt.Errorf("the Customers field is %s, not a list", tokenText(tok))
	}
	s := &scanner{r: io.MultiReader(dec.Buffered(), r), buf: make([]byte, 16<<10)}
	var (
		slot gen.ChangedCustomer
		p    *gen.ChangedCustomer
	)
	for i := 0; ; i++ {
		c, err := s.peek()
		if err != nil {
			return false, dec, err
		}
		if i == 0 && c == ']' {
			s.pos++
			break
		}
		n, err := s.valueLen()
		if err != nil {
			return false, dec, err
		}
		elem := s.buf[s.pos : s.pos+n]
		slot = gen.ChangedCustomer{}
		if !fastCustomers || !readCustomer(elem, &slot) {
			// Through a pointer that starts at slot: a null element sets it to nil.
			slot, p = gen.ChangedCustomer{}, &slot
			if err := json.Unmarshal(elem, &p); err != nil {
				return false, dec, err
			}
			if p == nil {
				return false, dec, fmt.Errorf("customer %d of the list is null", i+1)
			}
		}
		if slot.ID <= 0 {
			return false, dec, fmt.Errorf("customer %d of the list has no Id (a positive integer)", i+1)
		}
		s.pos += n
		if err := each(&slot); err != nil {
			return false, dec, err
		}
		c, err = s.peek()
		if err != nil {
			return false, dec, err
		}
		s.pos++
		if c == ']' {
			break
		}
		if c != ',' {
			return false, dec, fmt.Errorf("invalid character %q after array element", c)
		}
	}
	// The members after the list: a decoder reading what is left, after a prefix that puts it
	// where the old one stood, inside the object after a member's value.
	rest := io.MultiReader(strings.NewReader(`{"":0`), bytes.NewReader(s.buf[s.pos:s.end]), r)
	next := json.NewDecoder(rest)
	for range 3 { // '{', "", 0
		if _, err := next.Token(); err != nil {
			return false, dec, err
		}
	}
	return true, next, nil
}

// scanner reads a JSON array's elements from r into a buffer of its own, which grows only
// when one element is larger than it.
type scanner struct {
	r        io.Reader
	buf      []byte
	pos, end int   // unread bytes are buf[pos:end]
	err      error // the read error that ended the input (io.EOF at its end)
}

// more reads more input, keeping buf[pos:end] (moved to the front). It returns the read error
// when nothing more can come.
func (s *scanner) more() error {
	if s.err != nil {
		if s.err == io.EOF {
			return io.ErrUnexpectedEOF
		}
		return s.err
	}
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		s.buf = append(s.buf, make([]byte, len(s.buf))...)
	}
	for {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.err = err
		}
		if n > 0 {
			return nil
		}
		if err != nil {
			return s.more()
		}
	}
}

// peek skips white space and returns the next byte, without consuming it.
func (s *scanner) peek() (byte, error) {
	for {
		for ; s.pos < s.end; s.pos++ {
			if c := s.buf[s.pos]; !isSpace(c) {
				return c, nil
			}
		}
		if err := s.more(); err != nil {
			return 0, err
		}
	}
}

// valueLen makes sure the whole JSON value at buf[pos] is buffered and returns its length. It
// follows strings and nesting only; what it spans is checked by whoever reads it.
func (s *scanner) valueLen() (int, error) {
	depth, inString, escaped := 0, false, false
	for i := 0; ; i++ {
		for s.pos+i >= s.end {
			if err := s.more(); err != nil {
				return 0, err
			}
		}
		c := s.buf[s.pos+i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
				if depth == 0 {
					return i + 1, nil
				}
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth == 0 { // the end of the list after a scalar
				return i, nil
			}
			depth--
			if depth == 0 {
				return i + 1, nil
			}
		case depth == 0 && (c == ',' || isSpace(c)):
			return i, nil
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// fastCustomers says whether readCustomer may fill gen.ChangedCustomer: its fields must be the
// five it knows, of the kinds it writes, with no decoding of their own. A regenerated model
// that changes them turns the fast path off rather than bypassing the new types.
var fastCustomers = func() bool {
	t := reflect.TypeFor[gen.ChangedCustomer]()
	if reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) {
		return false
	}
	want := map[string]reflect.Kind{"Id": reflect.Int64, "CustomerStatusId": reflect.Int,
		"Url": reflect.String, "DateChanged": reflect.String, "CreatedDate": reflect.String}
	if t.NumField() != len(want) {
		return false
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if kind, ok := want[name]; !ok || f.Type.Kind() != kind ||
			reflect.PointerTo(f.Type).Implements(reflect.TypeFor[json.Unmarshaler]()) ||
			f.Type.Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) ||
			reflect.PointerTo(f.Type).Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) {
			return false
		}
	}
	return true
}()

// readCustomer reads a customer of the documented shape from one JSON object, exactly as
// json.Unmarshal would. It returns false, having perhaps written part of c, for anything
// else; the caller then leaves the element to json.Unmarshal.
func readCustomer(b []byte, c *gen.ChangedCustomer) bool {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return skipSpace(b, i+1) == len(b)
	}
	for {
		key, j, ok := plainString(b, i)
		if !ok {
			return false
		}
		i = skipSpace(b, j)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		i = skipSpace(b, i+1)
		switch string(key) {
		case "Id":
			var v int64
			if v, i, ok = plainInt(b, i); !ok {
				return false
			}
			c.ID = v
		case "CustomerStatusId":
			var v int64
			if v, i, ok = plainInt(b, i); !ok || v > math.MaxInt {
				return false
			}
			c.CustomerStatusID = gen.CustomerStatus(v)
		case "Url", "DateChanged", "CreatedDate":
			var v []byte
			if v, i, ok = plainString(b, i); !ok {
				return false
			}
			switch string(key) {
			case "Url":
				c.URL = string(v)
			case "DateChanged":
				c.DateChanged = string(v)
			default:
				c.CreatedDate = string(v)
			}
		default:
			return false
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return skipSpace(b, i+1) == len(b)
		default:
			return false
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// plainString reads the JSON string at b[i] when it needs no decoding: no escape, no control
// character, valid UTF-8. It returns its content and the index after it.
func plainString(b []byte, i int) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, i, false
	}
	ascii := true
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			v := b[i+1 : j]
			return v, j + 1, ascii || utf8.Valid(v)
		case c == '\\' || c < 0x20:
			return nil, i, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, i, false
}

// plainInt reads the non-negative JSON integer at b[i] that fits an int64; a number with a
// sign, a fraction or an exponent is left to encoding/json.
func plainInt(b []byte, i int) (int64, int, bool) {
	j := i
	var v int64
	for ; j < len(b) && '0' <= b[j] && b[j] <= '9'; j++ {
		d := int64(b[j] - '0')
		if v > (math.MaxInt64-d)/10 {
			return 0, i, false
		}
		v = v*10 + d
	}
	switch {
	case j == i, b[i] == '0' && j > i+1: // no digit, or a leading zero
		return 0, i, false
	case j < len(b) && (b[j] == '.' || b[j] == 'e' || b[j] == 'E'):
		return 0, i, false
	}
	return v, j, true
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
func nothingAfter(dec *json.Decoder, red *Redactor) error {
	rest, ok := dec.Buffered().(*bytes.Reader) // the decoder's buffer, already in memory
	if !ok {
		return nil
	}
	for rest.Len() > 0 {
		if b, _ := rest.ReadByte(); !isSpace(b) {
			_ = rest.UnreadByte()
			trimmed := make([]byte, min(rest.Len(), dataAfterWindow))
			_, _ = rest.Read(trimmed)
			return dataAfter(trimmed, red)
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
		return fmt.Errorf("expected '%c', found %s", rune(want), tokenText(tok))
	}
	return nil
}

// maxTokenText is the longest string token an error message quotes.
const maxTokenText = 64

// tokenText names a token of an answer in an error message. A string is quoted and escaped when
// it is short, and only measured when it is long: an answer's string can be megabytes long, and
// a cut one could end inside a secret, whose start the request loop's redaction (which sees
// the message, not the answer) would then not recognise.
func tokenText(tok json.Token) string {
	if s, ok := tok.(string); ok {
		if len(s) > maxTokenText {
			return fmt.Sprintf("a string of %d bytes", len(s))
		}
		return quoted(s, -1)
	}
	return fmt.Sprint(tok)
}
