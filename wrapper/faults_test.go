package wrapper

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/internal/testlog"
	"github.com/omeda-go/omeda-go/sandbox"
)

// The rest of the fault matrix. TestFaultMatrix (faultmatrix_test.go) holds the first rows; the
// rows below complete the grid: 429 and 503 each with Retry-After absent, in seconds, as an HTTP
// date, unreadable or already past; 502 and 504 alone and repeated; statuses that must not be
// retried even when they carry Retry-After; drops repeated until the attempts run out, and drops
// on a kept-alive connection, which Go's transport replays by itself for a GET (never for a
// POST); slow, late and missing answers ended by the per-attempt timeout or by the caller; and
// bodies that are not the documented JSON. Every row runs against each of the five operations
// with a sandbox of its own (so a row's first request always opens a fresh connection), waits
// recorded rather than slept, and asserts the outcome, the requests that reached the sandbox,
// the waits, and that a submission reached it exactly once. Nothing asserts a duration.

// gridExpect is what a row expects of one call.
type gridExpect struct {
	ok        bool
	is        []error
	isNot     []error
	status    int  // the *APIError's status
	transport bool // a failure to get an answer: no *APIError
	requests  int  // requests of the operation that reached the sandbox during the call
	// waits are the waits between attempts; when waitsOneOf is set, the waits are one of them
	// (a replay by Go's transport saves the client an attempt, or not, depending on timing).
	waits      []time.Duration
	waitsOneOf [][]time.Duration
	contains   string
}

type gridRow struct {
	name   string
	faults []sandbox.Fault // Operation is set per operation
	opts   []Option
	warm   bool // a successful call of another operation first, leaving a kept-alive connection
	cancel bool // the caller cancels once the sandbox has the request
	// deadline: the caller's context reaches its deadline once the sandbox has the request (a
	// timer could fire before a loaded machine has even sent it).
	deadline bool
	get      gridExpect
	post     gridExpect
	lookups  map[string]gridExpect // per-operation overrides of get
}

// hangTimeout is the per-attempt timeout of the rows where it ends a hung or late attempt. Each
// attempt must reach the sandbox before it fires (the rows count the requests that reached it,
// and a submission that did not is "nothing was sent"), and a mended attempt must be answered
// within it, so it is not tight: those rows take a second per hung attempt.
var hangTimeout = WithTimeout(time.Second)

func gridRows(now time.Time) []gridRow {
	httpDate := now.Add(9 * time.Second).UTC().Format(http.TimeFormat)
	past := now.Add(-time.Hour).UTC().Format(http.TimeFormat)
	page := []byte("<html><body><h1>503 Service Unavailable</h1></body></html>")
	three := func(f sandbox.Fault) []sandbox.Fault { return []sandbox.Fault{f, f, f} }
	timeout := hangTimeout
	none := []time.Duration{}
	return []gridRow{
		// Retry-After, every form.
		{name: "429, Retry-After as an HTTP date", faults: []sandbox.Fault{{Status: 429, RetryAfter: httpDate}},
			get:  gridExpect{ok: true, requests: 2, waits: []time.Duration{9 * time.Second}},
			post: gridExpect{is: []error{ErrRateLimited, ErrUnexpectedStatus}, status: 429, requests: 1}},
		{name: "429 three times, Retry-After 1", faults: three(sandbox.Fault{Status: 429, RetryAfter: "1"}),
			get:  gridExpect{is: []error{ErrRateLimited}, status: 429, requests: 3, waits: []time.Duration{time.Second, time.Second}, contains: "after 3 attempts"},
			post: gridExpect{is: []error{ErrRateLimited}, status: 429, requests: 1}},
		{name: "503, Retry-After in seconds", faults: []sandbox.Fault{{Status: 503, RetryAfter: "7"}},
			get:  gridExpect{ok: true, requests: 2, waits: []time.Duration{7 * time.Second}},
			post: gridExpect{is: []error{ErrServer}, status: 503, requests: 1}},
		{name: "503, Retry-After unreadable", faults: []sandbox.Fault{{Status: 503, RetryAfter: "soon"}},
			get:  gridExpect{ok: true, requests: 2, waits: []time.Duration{backoff1}},
			post: gridExpect{is: []error{ErrServer}, status: 503, requests: 1}},
		{name: "503, Retry-After negative", faults: []sandbox.Fault{{Status: 503, RetryAfter: "-5"}},
			get:  gridExpect{ok: true, requests: 2, waits: []time.Duration{backoff1}},
			post: gridExpect{is: []error{ErrServer}, status: 503, requests: 1}},
		{name: "503, Retry-After a date already past", faults: []sandbox.Fault{{Status: 503, RetryAfter: past}},
			get:  gridExpect{ok: true, requests: 2, waits: []time.Duration{0}},
			post: gridExpect{is: []error{ErrServer}, status: 503, requests: 1}},

		// Gateways.
		{name: "502 once", faults: []sandbox.Fault{{Status: 502}},
			get:  gridExpect{ok: true, requests: 2, waits: []time.Duration{backoff1}},
			post: gridExpect{is: []error{ErrServer, ErrUnexpectedStatus}, status: 502, requests: 1}},
		{name: "504 once", faults: []sandbox.Fault{{Status: 504}},
			get:  gridExpect{ok: true, requests: 2, waits: []time.Duration{backoff1}},
			post: gridExpect{is: []error{ErrServer, ErrUnexpectedStatus}, status: 504, requests: 1}},
		{name: "504 three times", faults: three(sandbox.Fault{Status: 504}),
			get:  gridExpect{is: []error{ErrServer}, status: 504, requests: 3, waits: []time.Duration{backoff1, backoff2}, contains: "after 3 attempts"},
			post: gridExpect{is: []error{ErrServer}, status: 504, requests: 1}},
		{name: "an empty 503, three times", faults: three(sandbox.Fault{Status: 503, Body: []byte{}}),
			get:  gridExpect{is: []error{ErrServer}, status: 503, requests: 3, waits: []time.Duration{backoff1, backoff2}, contains: "(empty body)"},
			post: gridExpect{is: []error{ErrServer}, status: 503, requests: 1, contains: "(empty body)"}},
		{name: "a proxy's HTML 503, then the answer", faults: []sandbox.Fault{{Status: 503, Body: page, ContentType: "text/html"}},
			get:  gridExpect{ok: true, requests: 2, waits: []time.Duration{backoff1}},
			post: gridExpect{is: []error{ErrServer}, isNot: []error{ErrMalformedResponse}, status: 503, requests: 1, contains: "text/html answer: <html><body><h1>503 Service Unavailable</h1>"}},

		// Statuses that are never retried, whatever they ask.
		{name: "500 with Retry-After", faults: []sandbox.Fault{{Status: 500, RetryAfter: "1"}},
			get:  gridExpect{is: []error{ErrServer}, isNot: []error{ErrUnexpectedStatus}, status: 500, requests: 1, waits: none},
			post: gridExpect{is: []error{ErrServer}, isNot: []error{ErrUnexpectedStatus}, status: 500, requests: 1}},
		{name: "403 with Retry-After", faults: []sandbox.Fault{{Status: 403, RetryAfter: "1"}},
			get:  gridExpect{is: []error{ErrForbidden}, isNot: []error{ErrUnexpectedStatus}, status: 403, requests: 1, waits: none},
			post: gridExpect{is: []error{ErrForbidden}, status: 403, requests: 1}},
		{name: "401", faults: []sandbox.Fault{{Status: 401}},
			get:  gridExpect{is: []error{ErrUnexpectedStatus}, isNot: []error{ErrForbidden, ErrServer}, status: 401, requests: 1, waits: none},
			post: gridExpect{is: []error{ErrUnexpectedStatus}, isNot: []error{ErrForbidden}, status: 401, requests: 1}},
		{name: "400", faults: []sandbox.Fault{{Status: 400}},
			get:  gridExpect{is: []error{ErrBadRequest, ErrUnexpectedStatus}, status: 400, requests: 1, waits: none},
			post: gridExpect{is: []error{ErrBadRequest}, isNot: []error{ErrUnexpectedStatus}, status: 400, requests: 1}},
		{name: "300", faults: []sandbox.Fault{{Status: 300}},
			get:  gridExpect{is: []error{ErrUnexpectedStatus}, isNot: []error{ErrNotFound}, status: 300, requests: 1, waits: none},
			post: gridExpect{is: []error{ErrUnexpectedStatus}, status: 300, requests: 1}},
		{name: "302 without a Location", faults: []sandbox.Fault{{Status: 302}},
			get:  gridExpect{is: []error{ErrUnexpectedStatus}, status: 302, requests: 1, waits: none},
			post: gridExpect{is: []error{ErrUnexpectedStatus}, status: 302, requests: 1}},

		// The connection.
		{name: "dropped before the headers, three times", faults: three(sandbox.Fault{Drop: sandbox.DropBeforeHeaders}),
			get:  gridExpect{transport: true, requests: 3, waits: []time.Duration{backoff1, backoff2}, contains: "attempt 3: no answer"},
			post: gridExpect{transport: true, requests: 1, contains: "not resent"}},
		{name: "dropped after the headers, three times", faults: three(sandbox.Fault{Drop: sandbox.DropAfterHeaders}),
			get:  gridExpect{transport: true, requests: 3, waits: []time.Duration{backoff1, backoff2}, contains: "attempt 3: no answer"},
			post: gridExpect{is: []error{ErrMalformedResponse}, status: 200, requests: 1, contains: "not resent"}},
		// Go's transport replays a GET on a new connection when a kept-alive one closes before
		// any answer; whether the connection was back in the pool in time decides whether the
		// client saw a failure (and waited) first. A POST is never replayed.
		{name: "dropped before the headers on a kept-alive connection", warm: true, faults: []sandbox.Fault{{Drop: sandbox.DropBeforeHeaders}},
			get:  gridExpect{ok: true, requests: 2, waitsOneOf: [][]time.Duration{{}, {backoff1}}},
			post: gridExpect{transport: true, requests: 1, contains: "not resent"}},
		{name: "503, then dropped before the headers on the kept-alive connection", faults: []sandbox.Fault{{Status: 503}, {Drop: sandbox.DropBeforeHeaders}},
			get:  gridExpect{ok: true, requests: 3, waitsOneOf: [][]time.Duration{{backoff1}, {backoff1, backoff2}}},
			post: gridExpect{is: []error{ErrServer}, status: 503, requests: 1}},

		// Slow, late and missing answers.
		{name: "a slow but whole answer", faults: []sandbox.Fault{{Delay: 30 * time.Millisecond}}, opts: []Option{WithTimeout(30 * time.Second)},
			get:  gridExpect{ok: true, requests: 1, waits: none},
			post: gridExpect{ok: true, requests: 1}},
		{name: "no answer, until the caller cancels", faults: []sandbox.Fault{{Hang: true}}, cancel: true,
			get:  gridExpect{transport: true, is: []error{context.Canceled}, requests: 1, waits: none},
			post: gridExpect{transport: true, is: []error{context.Canceled}, requests: 1}},
		{name: "no answer, three times: the per-attempt timeout", faults: three(sandbox.Fault{Hang: true}), opts: []Option{timeout},
			get:  gridExpect{transport: true, is: []error{context.DeadlineExceeded}, requests: 3, waits: []time.Duration{backoff1, backoff2}, contains: "timeout of 1s"},
			post: gridExpect{transport: true, is: []error{context.DeadlineExceeded}, requests: 1, contains: "not resent"}},
		{name: "an answer later than the per-attempt timeout", faults: []sandbox.Fault{{Delay: time.Minute}}, opts: []Option{timeout},
			get:  gridExpect{ok: true, requests: 2, waits: []time.Duration{backoff1}},
			post: gridExpect{transport: true, is: []error{context.DeadlineExceeded}, requests: 1, contains: "not resent"}},

		// Bodies that are not the documented JSON: never retried, never a panic.
		{name: "truncated to one byte", faults: []sandbox.Fault{{Truncate: 1}},
			get: gridExpect{is: []error{ErrMalformedResponse}, isNot: []error{ErrUnexpectedStatus}, status: 200, requests: 1, waits: none, contains: "unexpected EOF"},
			// The change lookup reads token by token and calls a body cut between two tokens
			// "empty"; see TestTruncatedChangeWindowIsNotCalledEmpty.
			lookups: map[string]gridExpect{sandbox.CustomerChangeLookup: {is: []error{ErrMalformedResponse}, status: 200, requests: 1}},
			post:    gridExpect{is: []error{ErrMalformedResponse}, status: 200, requests: 1, contains: "unexpected EOF"}},
		{name: "plain text on a 200", faults: []sandbox.Fault{{Status: 200, Body: []byte("OK"), ContentType: "text/plain"}},
			get:  gridExpect{is: []error{ErrMalformedResponse}, status: 200, requests: 1, waits: none, contains: "the answer is text/plain, not JSON"},
			post: gridExpect{is: []error{ErrMalformedResponse}, status: 200, requests: 1, contains: "the answer is text/plain, not JSON"}},
		{name: "null on a 200", faults: []sandbox.Fault{{Status: 200, Body: []byte("null")}},
			get:     gridExpect{is: []error{ErrMalformedResponse}, status: 200, requests: 1, waits: none, contains: "the answer has no"},
			lookups: map[string]gridExpect{sandbox.CustomerChangeLookup: {is: []error{ErrMalformedResponse}, status: 200, requests: 1, contains: "expected '{'"}},
			post:    gridExpect{is: []error{ErrMalformedResponse}, status: 200, requests: 1, contains: "the answer has no ResponseInfo"}},
		{name: "an error envelope on a 201", faults: []sandbox.Fault{{Status: 201, Body: []byte(`{"SubmissionId":"s-2","Errors":[{"Error":"Queued nowhere."}]}`)}},
			get:  gridExpect{isNot: []error{ErrNotFound, ErrServer}, status: 201, requests: 1, waits: none, contains: "HTTP 201 Created: Queued nowhere. (SubmissionId s-2)"},
			post: gridExpect{isNot: []error{ErrNotFound, ErrServer}, status: 201, requests: 1, contains: "HTTP 201 Created: Queued nowhere. (SubmissionId s-2)"}},
	}
}

func TestFaultMatrixRemainingRows(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 12, 0, 30, 0, chicagoZone)
	runGridRows(t, now, gridRows(now))
}

// runGridRows runs each row against each operation, in parallel subtests named row/operation,
// with what the row expects of that operation.
func runGridRows(t *testing.T, now time.Time, rows []gridRow) {
	for _, row := range rows {
		for _, op := range faultOps {
			t.Run(row.name+"/"+op.id, func(t *testing.T) {
				t.Parallel()
				want := row.get
				if o, ok := row.lookups[op.id]; ok {
					want = o
				}
				if op.post {
					want = row.post
				}
				runGridRow(t, now, row, op, want)
			})
		}
	}
}

func runGridRow(t *testing.T, now time.Time, row gridRow, op faultOp, want gridExpect) {
	sb := sandbox.StartTest(t, sandbox.WithPopulation(0))
	logger, logs := testlog.JSON()
	opts := append([]Option{WithBaseURL(sb.URL), WithInputID(testInputID), WithLogger(logger)}, row.opts...)
	c, err := New("FOO", testAppID, opts...)
	require.NoError(t, err)
	c.now = func() time.Time { return now }
	c.jitter = func() float64 { return 0.5 }
	waits := []time.Duration{}
	c.sleep = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return ctx.Err()
	}

	if row.warm {
		warmOp := faultOps[1] // merge history, or phones when merge history is the one tested
		if op.id == warmOp.id {
			warmOp = faultOps[0]
		}
		require.NoError(t, warmOp.call(t.Context(), c), "warm-up")
		waits = waits[:0]
	}
	call := op.call
	if op.prepare != nil {
		call = op.prepare(t, sb)
	}
	ctx := t.Context()
	if row.cancel {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		go func() {
			for sb.Requests(op.id) == 0 && ctx.Err() == nil {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
	}
	if row.deadline {
		ctx = expireOnArrival(t, ctx, func() bool { return sb.Requests(op.id) > 0 })
	}
	for _, f := range row.faults {
		f.Operation = op.id
		sb.Inject(f)
	}
	before := sb.Requests(op.id)

	err = call(ctx, c)

	assert.Equal(t, want.requests, sb.Requests(op.id)-before, "requests that reached the sandbox")
	if op.post {
		assert.Equal(t, 1, sb.Requests(op.id)-before, "a submission reaches the server exactly once")
		assert.Empty(t, waits, "nothing waited to resend a submission")
	}
	switch {
	case want.waitsOneOf != nil:
		assert.Contains(t, want.waitsOneOf, waits)
	case want.waits != nil:
		assert.Equal(t, want.waits, waits)
	}
	assertNoSecrets(t, logs.String())
	if want.ok {
		require.NoError(t, err)
		return
	}
	require.Error(t, err)
	for _, target := range want.is {
		assert.ErrorIs(t, err, target)
	}
	for _, target := range want.isNot {
		assert.False(t, errors.Is(err, target), "matches %v", target)
	}
	var apiErr *APIError
	if want.transport {
		assert.False(t, errors.As(err, &apiErr), "a transport failure, not an answer: %v", err)
	} else {
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, want.status, apiErr.StatusCode)
		assert.Equal(t, want.requests, apiErr.Attempts, "attempts")
		assert.LessOrEqual(t, len(apiErr.Body), maxSnippet+len("…"), "bounded")
	}
	assert.Contains(t, err.Error(), want.contains)
	assert.NotContains(t, err.Error(), "\n", "one line")
	assertNoSecrets(t, err.Error())
}

// TestTruncatedChangeWindowIsNotCalledEmpty: a change-lookup answer cut short between two JSON
// tokens is a truncated answer, and the error must say so rather than call the body empty.
//
// Written failing, against a defect since fixed (in the message only; the error did match
// ErrMalformedResponse): the change lookup is decoded token by token (wrapper/changes.go
// decodeChanges), and json.Decoder returns io.EOF, not io.ErrUnexpectedEOF, when the input ends
// between tokens; wrapper/call.go attempt then rewrites any io.EOF as "the body is empty". The fix
// suggested then: in attempt, say "the body is empty" only when the trackingReader saw no byte
// (count the bytes it reads), and report io.ErrUnexpectedEOF otherwise; or map io.EOF to
// io.ErrUnexpectedEOF in decodeChanges once the opening '{' has been read.
func TestTruncatedChangeWindowIsNotCalledEmpty(t *testing.T) {
	t.Parallel()
	full := successBody["changes"]
	for _, cut := range []string{"{", `{"Customers":[`, full[:strings.Index(full, "}")+1], full[:strings.Index(full, "],")+1]} {
		tr := &fakeTransport{status: 200, contentType: "application/json", body: []byte(cut)}
		c, err := New("FOO", testAppID, WithBaseURL("https://omeda.example/webservices/rest"),
			WithRetryPolicy(NoRetries()), WithHTTPClient(&http.Client{Transport: tr}))
		require.NoError(t, err)
		err = callOp(t.Context(), c, "changes")
		require.ErrorIs(t, err, ErrMalformedResponse, "%q", cut)
		assert.NotContains(t, err.Error(), "the body is empty", "%q is not empty", cut)
	}
}
