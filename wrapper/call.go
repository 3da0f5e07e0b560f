package wrapper

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
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
}

var (
	opPhones  = operation{id: "phoneLookupByCustomerId", idempotent: true, documented: []int{200, 403, 404, 500}}
	opChanges = operation{id: "customerChangeLookup", idempotent: true, documented: []int{200, 403, 404, 500}, idle: true}
	opMerges  = operation{id: "customerMergeHistoryLookup", idempotent: true, documented: []int{200, 403, 404, 500}}
	opStore   = operation{id: "storeCustomerAndOrder", documented: []int{200, 400, 403, 404, 405, 500}}

	opTransaction = operation{id: "transactionLookup", idempotent: true, documented: []int{200, 403, 404, 500}}
)

// do sends a request built by send until it succeeds or fails for good. On a 2xx answer it
// hands the body to decode, within the attempt's deadline; decode returns an *APIError for a
// vendor error carried in a 2xx body, or any other error when the body does not decode.
func (c *Client) do(ctx context.Context, op operation, send func(context.Context) (*http.Response, error), decode decoder) error {
	attempts := 1
	if op.idempotent {
		attempts = c.retry.MaxAttempts
	}
	var last error
	for attempt := 1; ; attempt++ {
		again, wait, err := c.attempt(ctx, op, attempt, send, decode)
		if err == nil {
			return nil
		}
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			apiErr.Attempts = attempt
		}
		last = err
		if !again || attempt >= attempts {
			return last
		}
		if c.log != nil {
			c.log.LogAttrs(ctx, slog.LevelWarn, "omeda retry",
				slog.String("operation", op.id), slog.Int("attempt", attempt),
				slog.Duration("wait", wait), slog.String("reason", err.Error()))
		}
		if err := c.sleep(ctx, wait); err != nil {
			return fmt.Errorf("omeda: %s: %w while waiting to retry; last failure: %w", op.id, err, last)
		}
	}
}

// attempt makes one request. It returns whether another attempt may mend a failure, how long to
// wait first, and the failure.
func (c *Client) attempt(ctx context.Context, op operation, n int, send func(context.Context) (*http.Response, error), decode decoder) (again bool, wait time.Duration, err error) {
	actx, cancel := ctx, context.CancelFunc(func() {})
	var watch *idleWatch
	switch {
	case c.timeout > 0 && op.idle:
		var cancelCause context.CancelCauseFunc
		actx, cancelCause = context.WithCancelCause(ctx)
		watch = newIdleWatch(c.timeout, func() { cancelCause(errIdleTimeout) })
		cancel = func() { watch.disarm(); cancelCause(nil) }
	case c.timeout > 0:
		actx, cancel = context.WithTimeout(ctx, c.timeout)
	}
	defer cancel()
	began := c.now()

	resp, err := send(actx) // an idle watch is armed from its creation until the headers are in
	watch.disarm()
	if err != nil {
		c.logAttempt(ctx, op, n, 0, began, err)
		return op.idempotent && retryableTransport(ctx, err), c.wait(n, nil), c.transportError(ctx, actx, op, n, err)
	}
	defer resp.Body.Close()
	c.logAttempt(ctx, op, n, resp.StatusCode, began, nil)

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := c.readError(op, resp)
		return op.idempotent && retryableStatus(resp.StatusCode), c.wait(n, resp.Header), apiErr
	}

	if ct := resp.Header.Get("Content-Type"); !isJSON(ct) {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		ct = contentType(resp)
		return false, 0, &APIError{
			Operation:   op.id,
			StatusCode:  resp.StatusCode,
			ContentType: ct,
			Body:        snippet(c.redact(string(data)), maxSnippet),
			Err:         fmt.Errorf("the answer is %s, not JSON", ct),
			documented:  op.documents(resp.StatusCode),
		}
	}
	var src io.Reader = resp.Body
	if watch != nil {
		src = &idleReader{r: resp.Body, w: watch}
	}
	body := &trackingReader{r: src}
	derr := decode(body, resp.ContentLength)
	if errors.Is(derr, errStopped) {
		return false, 0, derr // the caller has all it wants; the connection is closed, not drained
	}
	var partial *partialError
	delivered := errors.As(derr, &partial) // customers reached the caller: never retried
	if derr == nil {
		if !body.eof {
			// Read what is left so that the connection can be reused.
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		}
		return false, 0, nil
	}
	if body.err != nil {
		// The connection failed while the answer was being read: a transport failure.
		return !delivered && op.idempotent && retryableTransport(ctx, body.err), c.wait(n, nil), c.transportError(ctx, actx, op, n, body.err)
	}
	var apiErr *APIError
	if errors.As(derr, &apiErr) { // the vendor's error envelope in a 2xx body
		apiErr.StatusCode, apiErr.ContentType = resp.StatusCode, contentType(resp)
		apiErr.documented = op.documents(resp.StatusCode)
		return false, 0, apiErr
	}
	if errors.Is(derr, io.EOF) {
		derr = errors.New("the body is empty")
	}
	return false, 0, &APIError{
		Operation:   op.id,
		StatusCode:  resp.StatusCode,
		ContentType: contentType(resp),
		Err:         errors.New(c.redact(derr.Error())),
		documented:  op.documents(resp.StatusCode),
	}
}

// documents reports whether the contract lists status for the operation.
func (op operation) documents(status int) bool { return slices.Contains(op.documented, status) }

// transportError explains a failure to get a whole answer; actx is the attempt's context.
func (c *Client) transportError(ctx, actx context.Context, op operation, attempt int, err error) error {
	what := "no answer"
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("omeda: %s: %w", op.id, err)
	case context.Cause(actx) == errIdleTimeout:
		// Matched by errors.Is(err, context.DeadlineExceeded), like the whole-attempt timeout.
		return fmt.Errorf("omeda: %s: attempt %d: %w: %w", op.id, attempt, errIdleTimeout, err)
	case actx.Err() != nil:
		what = fmt.Sprintf("no whole answer within the per-attempt timeout of %v", c.timeout)
	case isDialError(err):
		// Nothing reached the server, so even the submission may be sent again.
		return fmt.Errorf("omeda: %s: could not connect, nothing was sent: %w", op.id, err)
	}
	if !op.idempotent {
		return fmt.Errorf("omeda: %s: %s, and the submission was not resent because Omeda may already have queued it: %w", op.id, what, err)
	}
	return fmt.Errorf("omeda: %s: attempt %d: %s: %w", op.id, attempt, what, err)
}

// isDialError reports whether err happened while connecting, before any byte of the request
// left: a refused connection or a failed name lookup.
func isDialError(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &dns) || errors.As(err, &op) && op.Op == "dial"
}

func (c *Client) logAttempt(ctx context.Context, op operation, n, status int, began time.Time, err error) {
	if c.log == nil || !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{slog.String("operation", op.id), slog.Int("attempt", n), slog.Duration("elapsed", c.now().Sub(began))}
	if err != nil {
		attrs = append(attrs, slog.String("error", c.redact(err.Error())))
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
	Error                string          `json:"Error"`
	MergedIntoCustomerID json.RawMessage `json:"MergedIntoCustomerId"`
}

// readError turns a non-2xx answer into an *APIError, reading at most maxErrorBody bytes.
func (c *Client) readError(op operation, resp *http.Response) *APIError {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &APIError{
		Operation:   op.id,
		StatusCode:  resp.StatusCode,
		ContentType: contentType(resp),
		documented:  op.documents(resp.StatusCode),
	}
	c.fillFromEnvelope(e, data)
	return e
}

// fillFromEnvelope sets e's messages from an error envelope in data, or keeps a snippet of
// data when it is not one.
func (c *Client) fillFromEnvelope(e *APIError, data []byte) {
	var env envelope
	if json.Unmarshal(data, &env) == nil && len(env.Errors) > 0 {
		c.fillFromErrors(e, env.SubmissionID, env.Errors)
		return
	}
	if len(data) > 0 {
		e.Body = snippet(c.redact(string(data)), maxSnippet)
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

func (c *Client) fillFromErrors(e *APIError, submissionID string, errs []vendorError) {
	e.SubmissionID = c.redact(submissionID)
	for _, m := range errs {
		e.Messages = append(e.Messages, c.redact(m.Error))
		if id := parseID(m.MergedIntoCustomerID); id > 0 && e.MergedIntoCustomerID == 0 {
			e.MergedIntoCustomerID = id
		}
	}
}

// errorsInSuccess turns a vendor error envelope found in a 2xx body into an *APIError; the
// request loop sets the answer's status and Content-Type on it.
func (c *Client) errorsInSuccess(op operation, submissionID string, errs []vendorError) error {
	e := &APIError{Operation: op.id, documented: true}
	c.fillFromErrors(e, submissionID, errs)
	return e
}

// redact removes the client's credentials from text that came from the network.
func (c *Client) redact(s string) string {
	for _, secret := range []string{c.appID, c.inputID} {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[REDACTED]")
		}
	}
	return s
}

// trackingReader remembers the first failure of the underlying body, so that a connection
// dropped mid-answer is told apart from an answer whose JSON is cut short.
type trackingReader struct {
	r   io.Reader
	err error
	eof bool
}

func (t *trackingReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	switch {
	case err == io.EOF:
		t.eof = true
	case err != nil && t.err == nil:
		t.err = err
	}
	return n, err
}

// contentType is an answer's Content-Type, cleaned for messages: it comes from the network.
func contentType(resp *http.Response) string {
	return snippet(resp.Header.Get("Content-Type"), 100)
}

// isJSON reports whether a Content-Type names JSON (or is absent, which Omeda's answers
// sometimes are). It runs on every answer, so it parses by hand rather than with
// mime.ParseMediaType, which allocates.
func isJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	return mt == "" || strings.EqualFold(mt, "application/json") ||
		len(mt) > 5 && strings.EqualFold(mt[len(mt)-5:], "+json")
}
