package wrapper

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// decoder reads a success body; size is its Content-Length, or -1 when unknown.
type decoder func(body io.Reader, size int64) error

// operation describes one of the contract's operations to the request loop.
type operation struct {
	id         string // operationId
	idempotent bool   // a GET: retried under the policy
	documented []int  // the statuses the contract lists
	// idle makes the per-attempt timeout an idle timeout: it bounds the wait for the headers
	// and every wait for the next bytes of the body, not the whole transfer, because a change
	// window of millions of customers can take minutes to arrive while never stalling.
	idle bool
	// size is how the answer is bounded once decompressed: by WithMaxAnswerSize (an answer
	// held whole, the default), by WithMaxWindowSize (a change window held whole), or, for a
	// stream that holds one customer at a time, by WithMaxAnswerSize for each customer.
	size answerSize
}

type answerSize int

const (
	sizeAnswer answerSize = iota
	sizeWindow
	sizeStream
)

var (
	opPhones  = operation{id: "phoneLookupByCustomerId", idempotent: true, documented: []int{200, 403, 404, 500}}
	opChanges = operation{id: "customerChangeLookup", idempotent: true, documented: []int{200, 403, 404, 500}, idle: true, size: sizeStream}
	opMerges  = operation{id: "customerMergeHistoryLookup", idempotent: true, documented: []int{200, 403, 404, 500}}
	opStore   = operation{id: "storeCustomerAndOrder", documented: []int{200, 400, 403, 404, 405, 500}}

	opTransaction = operation{id: "transactionLookup", idempotent: true, documented: []int{200, 403, 404, 500}}
)

// held is the change lookup of a window the client holds whole.
func (op operation) held() operation {
	op.size = sizeWindow
	return op
}

// exchange is one operation's request and the reading of its success answer.
type exchange interface {
	send(ctx context.Context) (*http.Response, error)
	decode(body io.Reader, size int64) error
}

// funcs is an exchange made of two functions.
type funcs struct {
	sendFn   func(context.Context) (*http.Response, error)
	decodeFn decoder
}

func (f funcs) send(ctx context.Context) (*http.Response, error) { return f.sendFn(ctx) }
func (f funcs) decode(r io.Reader, size int64) error             { return f.decodeFn(r, size) }

// do sends a request built by send until it succeeds or fails for good. On a 2xx answer it
// hands the body to decode, within the attempt's deadline; decode returns an *APIError for a
// vendor error carried in a 2xx body, or any other error when the body does not decode.
//
// Every request that reaches the wire counts as an attempt, including one a transport sent
// again on its own (see wire.go), so that a lookup reaches Omeda at most RetryPolicy.MaxAttempts
// times and a submission at most once.
func (c *Client) do(ctx context.Context, op operation, send func(context.Context) (*http.Response, error), decode decoder) error {
	return c.exchange(ctx, op, funcs{send, decode})
}

// exchange is do for an exchange.
func (c *Client) exchange(ctx context.Context, op operation, ex exchange) error {
	attempts := 1
	if op.idempotent {
		attempts = c.retry.MaxAttempts
	}
	red := c.red
	if r, ok := ex.(interface{ redactor() *Redactor }); ok {
		red = r.redactor()
	}
	var last error
	used := 0
	for attempt := 1; ; attempt++ {
		again, wait, writes, err := c.attempt(ctx, op, attempt, used, attempts-used, ex, red)
		used += max(writes, 1)
		if err == nil {
			return nil
		}
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			apiErr.Attempts = used
		}
		last = err
		if !again || used >= attempts {
			return last
		}
		if c.log != nil {
			c.log.LogAttrs(ctx, slog.LevelWarn, "omeda retry",
				slog.String("operation", op.id), slog.Int("attempt", attempt),
				slog.Duration("wait", wait), slog.String("reason", red.Clean(err.Error())))
		}
		if err := c.sleep(ctx, wait); err != nil {
			return &TransportError{Operation: op.id, Attempts: used, Delivery: NotSent, Err: err,
				msg: fmt.Sprintf("omeda: %s: %v while waiting to retry; last failure: %s", op.id, err, red.Clean(last.Error())), last: last}
		}
	}
}

// attempt makes one request, the n-th attempt of the call, after sent requests reached the wire
// (a transport's own replays count). It returns the failure, whether another attempt may mend
// it, how long to wait first, and how many requests reached the wire.
func (c *Client) attempt(ctx context.Context, op operation, n, sent, budget int, ex exchange, red *Redactor) (again bool, wait time.Duration, writes int, err error) {
	var (
		actx   context.Context
		cancel context.CancelFunc
		watch  *idleWatch
	)
	switch {
	case c.timeout > 0 && op.idle:
		var cancelCause context.CancelCauseFunc
		actx, cancelCause = context.WithCancelCause(ctx)
		watch = newIdleWatch(c.timeout, func() { cancelCause(errIdleTimeout) })
		cancel = func() { watch.disarm(); cancelCause(nil) }
	case c.timeout > 0:
		actx, cancel = context.WithTimeout(ctx, c.timeout)
	default:
		actx, cancel = context.WithCancel(ctx)
	}
	defer cancel()
	var w *wire
	if h, ok := ex.(interface{ firstWire() *wire }); ok && n == 1 {
		w = h.firstWire() // allocated with the call; a retry takes a fresh one (wire.go)
	} else {
		w = new(wire)
	}
	w.abort, w.budget = cancel, int32(budget)
	began := c.now()

	resp, err := ex.send(w.trace(actx, !op.idempotent)) // an idle watch is armed until the headers are in
	watch.disarm()
	writes = w.writes()
	if err != nil {
		c.logAttempt(ctx, op, n, 0, began, err, red)
		terr := c.transportError(ctx, actx, op, sent+max(writes, 1), w, err, red)
		return op.idempotent && retryableTransport(ctx, err), c.wait(n, nil), writes, terr
	}
	defer resp.Body.Close()
	c.logAttempt(ctx, op, n, resp.StatusCode, began, nil, red)

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := c.readError(op, resp, red)
		return op.idempotent && retryableStatus(resp.StatusCode), c.wait(n, resp.Header), writes, apiErr
	}

	if ct := resp.Header.Get("Content-Type"); !isJSON(ct) {
		data, rerr := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		if k, ok := ex.(interface{ keep([]byte, int64, bool) }); ok {
			// A submission's answer: the only record of what Omeda queued, cut short or not.
			k.keep(data, resp.ContentLength, rerr != nil)
		}
		ct = contentType(resp, red)
		return false, 0, writes, &APIError{
			Operation:   op.id,
			StatusCode:  resp.StatusCode,
			ContentType: ct,
			Body:        red.snippet(string(data), maxSnippet),
			Err:         fmt.Errorf("the answer is %s, not JSON", ct),
			documented:  op.documents(resp.StatusCode),
		}
	}
	// Every answer has the answer bound. A held window is read customer by customer too: each
	// customer (and any one value around the list) has it, so no single token can grow the
	// decoder's buffer past it; the whole window has WithMaxWindowSize (see also heldBudget).
	limit, option := c.maxAnswer, "WithMaxAnswerSize"
	switch op.size {
	case sizeWindow:
		option += ", for each customer of a change window"
	case sizeStream:
		option += ", for each customer of a stream"
	}
	body := &w.body
	body.r, body.limit = resp.Body, limit
	if op.size == sizeWindow {
		body.total = c.maxWindow
	}
	if watch != nil {
		body.r = &idleReader{r: resp.Body, w: watch}
	}
	derr := ex.decode(body, resp.ContentLength)
	if errors.Is(derr, errStopped) {
		return false, 0, writes, derr // the caller has all it wants; the connection is closed, not drained
	}
	delivered := derr != nil && isPartial(derr) // customers reached the caller: never retried
	if derr == nil {
		c.finishBody(resp, body)
		return false, 0, writes, nil
	}
	switch {
	case body.tooLarge && body.overTotal:
		derr = fmt.Errorf("%w: more than %s once decompressed, the most this client reads for one change window held whole (WithMaxWindowSize)",
			ErrAnswerTooLarge, byteSize(body.total))
	case body.tooLarge:
		derr = fmt.Errorf("%w: more than %s once decompressed, the most this client holds for one %s answer (%s)",
			ErrAnswerTooLarge, byteSize(limit), op.id, option)
	case body.err != nil:
		// The connection failed while the answer was being read: a transport failure.
		return !delivered && op.idempotent && retryableTransport(ctx, body.err), c.wait(n, nil), writes, c.transportError(ctx, actx, op, sent+max(writes, 1), w, body.err, red)
	}
	var apiErr *APIError
	if errors.As(derr, &apiErr) { // the vendor's error envelope in a 2xx body
		apiErr.StatusCode, apiErr.ContentType = resp.StatusCode, contentType(resp, red)
		apiErr.documented = op.documents(resp.StatusCode)
		return false, 0, writes, apiErr
	}
	if errors.Is(derr, io.EOF) {
		if body.n == 0 {
			derr = errors.New("the body is empty")
		} else {
			derr = fmt.Errorf("the answer ends before its JSON does: %w", io.ErrUnexpectedEOF)
		}
	}
	// encoding/json quotes a number literal whole: the cause is bounded, cut after redaction.
	cause := &cleanError{msg: red.clean(derr.Error(), 1<<10, false), err: derr}
	return false, 0, writes, &APIError{
		Operation:   op.id,
		StatusCode:  resp.StatusCode,
		ContentType: contentType(resp, red),
		Err:         cause,
		documented:  op.documents(resp.StatusCode),
	}
}

// isPartial reports whether err is a partialError (a function of its own, so that the target
// is allocated only when there is an error to look into).
func isPartial(err error) bool {
	var partial *partialError
	return errors.As(err, &partial)
}

// finishBody lets the connection of a decoded answer be reused when that costs no wait: an
// HTTP/1 answer of known length whose every byte was read only needs its end noticed, which
// reads nothing from the network. Anything else left unread (white space after the JSON, or a
// body that stalls) is not waited for: closing the body drops the connection (HTTP/1) or the
// stream (HTTP/2) instead.
func (c *Client) finishBody(resp *http.Response, body *trackingReader) {
	if body.eof || resp.ProtoMajor != 1 || resp.ContentLength < 0 || body.n != resp.ContentLength {
		return
	}
	var one [1]byte
	_, _ = body.Read(one[:])
}

// documents reports whether the contract lists status for the operation.
func (op operation) documents(status int) bool { return slices.Contains(op.documented, status) }

// transportError explains a failure to get a whole answer; actx is the attempt's context and
// w what the attempt put on the wire.
func (c *Client) transportError(ctx, actx context.Context, op operation, attempt int, w *wire, err error, red *Redactor) error {
	e := &TransportError{Operation: op.id, Attempts: attempt, Delivery: w.delivery()}
	// Go's HTTP/2 transport ends a failure after the body was written with advice to define
	// Request.GetBody: that would let it send the request again, which this client never allows.
	cause := red.Clean(strings.TrimSuffix(err.Error(), "; define Request.GetBody to avoid this error"))
	what := "no answer"
	switch {
	case ctx.Err() != nil:
		what = "the caller's context ended before the answer"
	case context.Cause(actx) == errIdleTimeout:
		what = fmt.Sprintf("nothing arrived within the per-attempt idle timeout of %v", c.timeout)
		// The cause names the idle timeout already said: it reads as the deadline it is.
		cause = strings.ReplaceAll(cause, errIdleTimeout.Error(), context.DeadlineExceeded.Error())
		err = fmt.Errorf("%w: %w", errIdleTimeout, err) // matched by errors.Is(err, context.DeadlineExceeded)
	case w.stopped():
		what = "the transport was sending the request again on its own, past what the client allows"
	case actx.Err() != nil:
		what = fmt.Sprintf("no whole answer within the per-attempt timeout of %v", c.timeout)
	case isDialError(err):
		what = "could not connect"
	}
	e.Err = err
	switch {
	case !op.idempotent && e.Delivery == NotSent:
		// Nothing reached the server, so even the submission may be sent again.
		e.msg = fmt.Sprintf("omeda: %s: %s, nothing was sent: %s", op.id, what, cause)
	case !op.idempotent:
		e.msg = fmt.Sprintf("omeda: %s: %s (%s), and the submission was not resent because Omeda may already have queued it: %s",
			op.id, what, e.Delivery, cause)
	case ctx.Err() != nil:
		e.msg = fmt.Sprintf("omeda: %s: %s: %s", op.id, what, cause)
	default:
		e.msg = fmt.Sprintf("omeda: %s: attempt %d: %s: %s", op.id, attempt, what, cause)
	}
	return e
}

// TransportError is a call that got no whole answer: the connection could not be made or
// failed, a timeout or the caller's context ended it. Delivery says what reached the
// connection, for the submission above all: NotSent means it can be sent again safely; Sent or
// MaybeSent that Omeda may already have queued it. Its message is redacted and escaped; Err is
// the cause as the transport gave it.
type TransportError struct {
	// Operation is the contract's operationId.
	Operation string
	// Attempts is the number of requests made up to the one that failed, retries included and
	// counting any the transport sent again on its own: the failed one is the Attempts-th.
	Attempts int
	// Delivery says whether the failed attempt's request reached the connection.
	Delivery Delivery
	// Err is the underlying failure.
	Err error

	msg  string
	last error // the failure before a wait that the caller's context ended
}

// Error renders the failure on one line, without credentials.
func (e *TransportError) Error() string { return e.msg }

// Unwrap returns the cause (and, for a wait cut short, the failure before it).
func (e *TransportError) Unwrap() []error {
	if e.last != nil {
		return []error{e.Err, e.last}
	}
	return []error{e.Err}
}

// cleanError carries a cause whose text came from the network: Error gives it cleaned, Unwrap
// the cause itself.
type cleanError struct {
	msg string
	err error
}

func (e *cleanError) Error() string { return e.msg }
func (e *cleanError) Unwrap() error { return e.err }

func (c *Client) logAttempt(ctx context.Context, op operation, n, status int, began time.Time, err error, red *Redactor) {
	if c.log == nil || !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{slog.String("operation", op.id), slog.Int("attempt", n), slog.Duration("elapsed", c.now().Sub(began))}
	if err != nil {
		attrs = append(attrs, slog.String("error", red.Clean(err.Error())))
	} else {
		attrs = append(attrs, slog.Int("status", status))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "omeda attempt", attrs...)
}

// envelope is the vendor's error envelope, read leniently: the surviving customer id is
// accepted as a number or a numeric string.
type envelope struct {
	SubmissionID string        `json:"SubmissionId"`
	Errors       []vendorError `json:"Errors"`
}

// vendorError is one entry of the envelope's Errors.
type vendorError struct {
	errors               []string        // the entry's Error members, in order
	MergedIntoCustomerID json.RawMessage // read by UnmarshalJSON, in any case
}

// UnmarshalJSON reads an entry as encoding/json would (names matched in any case, a non-string
// Error refused), except that an entry naming Error more than once keeps every one that is not
// null or empty: the vendor's own transaction example writes two problems as
// {"Error":"a","Error":"b"}, of which encoding/json keeps only the last.
func (v *vendorError) UnmarshalJSON(data []byte) error {
	*v = vendorError{}
	if string(data) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return &json.UnmarshalTypeError{Value: "non-object", Type: reflect.TypeFor[vendorError]()}
	}
	var texts []string
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := key.(string)
		switch {
		case strings.EqualFold(name, "Error"):
			var text *string
			if err := dec.Decode(&text); err != nil {
				return err
			}
			if text != nil {
				texts = append(texts, *text)
			}
		case strings.EqualFold(name, "MergedIntoCustomerId"):
			if err := dec.Decode(&v.MergedIntoCustomerID); err != nil {
				return err
			}
		default:
			if err := skipValue(dec); err != nil {
				return err
			}
		}
	}
	// An empty Error beside another says nothing: {"Error":"","Error":"b"} is "b", as
	// encoding/json read it, not an empty message and "b".
	if len(texts) > 1 {
		texts = slices.DeleteFunc(texts, func(text string) bool { return text == "" })
	}
	v.errors = texts
	return nil
}

// texts returns the entry's Error members, in order; an entry without one says "".
func (v *vendorError) texts() []string {
	if len(v.errors) == 0 {
		return []string{""}
	}
	return v.errors
}

// readError turns a non-2xx answer into an *APIError, reading at most maxErrorBody bytes.
func (c *Client) readError(op operation, resp *http.Response, red *Redactor) *APIError {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &APIError{
		Operation:   op.id,
		StatusCode:  resp.StatusCode,
		ContentType: contentType(resp, red),
		documented:  op.documents(resp.StatusCode),
	}
	fillFromEnvelope(e, data, red)
	return e
}

// fillFromEnvelope sets e's messages from an error envelope in data, or keeps a snippet of
// data when it is not one.
func fillFromEnvelope(e *APIError, data []byte, red *Redactor) {
	var env envelope
	if json.Unmarshal(data, &env) == nil && len(env.Errors) > 0 {
		fillFromErrors(e, env.SubmissionID, env.Errors, red)
		return
	}
	if len(data) > 0 {
		e.Body = red.snippet(string(data), maxSnippet)
	}
	if e.Body == "" {
		e.Body = "(empty body)"
	}
}

func parseID(raw json.RawMessage) int64 {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

func fillFromErrors(e *APIError, submissionID string, errs []vendorError, red *Redactor) {
	e.SubmissionID = red.snippet(submissionID, maxSnippet)
	for _, m := range errs {
		for _, text := range m.texts() {
			e.Messages = append(e.Messages, red.snippet(text, maxSnippet))
		}
		// Only the documented answer names a merge: a 404 envelope. The same field on a 403, a
		// 500 or a 2xx is not followed, nor reported as a merge.
		if id := parseID(m.MergedIntoCustomerID); id > 0 && e.MergedIntoCustomerID == 0 && e.StatusCode == http.StatusNotFound {
			e.MergedIntoCustomerID = id
		}
	}
}

// errorsInSuccess turns a vendor error envelope found in a 2xx body into an *APIError; the
// request loop sets the answer's status and Content-Type on it.
func errorsInSuccess(op operation, submissionID string, errs []vendorError, red *Redactor) error {
	e := &APIError{Operation: op.id, documented: true}
	fillFromErrors(e, submissionID, errs, red)
	return e
}

// trackingReader counts the bytes of an answer, stops at its limit, and remembers the first
// failure of the underlying body, so that a connection dropped mid-answer is told apart from
// an answer whose JSON is cut short. The count is of what the body yields, after any
// decompression by the transport.
type trackingReader struct {
	r        io.Reader
	limit    int64 // bytes after base; 0: none
	base     int64 // where the bounded part starts: 0, or the end of a stream's last customer
	total    int64 // bytes in all, whatever restart says; 0: none
	n        int64
	err      error
	eof      bool
	tooLarge bool
	// overTotal says that the bound that stopped the answer was total.
	overTotal bool
}

// restart bounds what follows on its own: a stream holds one customer at a time, so each
// customer (with what separates it from the last) has the whole bound.
func (t *trackingReader) restart() { t.base = t.n }

func (t *trackingReader) Read(p []byte) (int, error) {
	if left := t.limit - (t.n - t.base); t.limit > 0 && int64(len(p)) > left+1 {
		p = p[:left+1]
	}
	if left := t.total - t.n; t.total > 0 && int64(len(p)) > left+1 {
		p = p[:left+1]
	}
	n, err := t.r.Read(p)
	t.n += int64(n)
	if t.total > 0 && t.n > t.total {
		t.tooLarge, t.overTotal = true, true
		return n, ErrAnswerTooLarge
	}
	if t.limit > 0 && t.n-t.base > t.limit {
		t.tooLarge = true
		return n, ErrAnswerTooLarge
	}
	switch {
	case err == io.EOF:
		t.eof = true
	case err != nil && t.err == nil:
		t.err = err
	}
	return n, err
}

// contentType is an answer's Content-Type, cleaned for messages: it comes from the network.
func contentType(resp *http.Response, red *Redactor) string {
	return red.snippet(resp.Header.Get("Content-Type"), 100)
}

// isJSON reports whether a Content-Type names JSON (application/json or a +json type), or is
// absent, which Omeda's answers sometimes are.
func isJSON(contentType string) bool {
	if contentType == "" || contentType == "application/json" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// byteSize renders n bytes for a message.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// isDialError reports whether err happened while connecting, before any byte of the request
// left: a refused connection or a failed name lookup.
func isDialError(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &dns) || errors.As(err, &op) && op.Op == "dial"
}
