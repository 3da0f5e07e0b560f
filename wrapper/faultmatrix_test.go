package wrapper

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/sandbox"
)

// The fault matrix: every misbehaviour of the network or the server, for each of the five
// operations, with the outcome the SDK promises, the number of requests that reached the
// server, and, always, a store submission that reached it exactly once. Waits are recorded, not
// slept (the client's sleep is replaced); nothing here asserts a duration. The rows share their
// type and their runner with the rest of the matrix (gridRow and runGridRow, faults_test.go).

// faultOp is one operation as the matrix calls it.
type faultOp struct {
	id   string
	call func(ctx context.Context, c *Client) error
	post bool
	// prepare, when set, makes what the call needs (a transaction to look up) with a client of
	// its own, outside the row's faults, timeouts and context, and returns the call to make. A
	// submission made under a row's 100 ms timeout would fail on a slow machine before the
	// operation under test was even sent.
	prepare func(t *testing.T, sb *sandbox.Server) func(ctx context.Context, c *Client) error
}

var faultOps = []faultOp{
	{id: sandbox.PhoneLookupByCustomerID, call: func(ctx context.Context, c *Client) error {
		_, err := c.PhoneNumbers(ctx, "12345")
		return err
	}},
	{id: sandbox.CustomerMergeHistoryLookup, call: func(ctx context.Context, c *Client) error {
		_, err := c.MergeHistory(ctx, "99999")
		return err
	}},
	{id: sandbox.CustomerChangeLookup, call: func(ctx context.Context, c *Client) error {
		_, err := c.ChangedCustomers(ctx, time.Date(2018, 7, 1, 0, 0, 0, 0, chicagoZone), time.Date(2018, 7, 31, 0, 0, 0, 0, chicagoZone))
		return err
	}},
	{id: sandbox.StoreCustomerAndOrder, call: func(ctx context.Context, c *Client) error {
		_, err := c.StoreCustomerAndOrderJSON(ctx, []byte(`{"FirstName":"Ann","Emails":[{"EmailAddress":"ann@example.com"}]}`))
		return err
	}, post: true},
	{id: sandbox.TransactionLookup, prepare: func(t *testing.T, sb *sandbox.Server) func(ctx context.Context, c *Client) error {
		// A transaction to look up; the faults are the lookup's, not the submission's.
		submitter, err := New("FOO", testAppID, WithBaseURL(sb.URL), WithInputID(testInputID))
		require.NoError(t, err)
		receipt, err := submitter.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
		require.NoError(t, err)
		submitter.http.CloseIdleConnections()
		return func(ctx context.Context, c *Client) error {
			// A fresh connection, as the other rows have: net/http itself resends a GET whose
			// reused connection drops before the answer, which would hide the client's own retry.
			c.http.CloseIdleConnections()
			_, err := c.Transaction(ctx, receipt.ResponseInfo[0].TransactionID)
			return err
		}
	}},
}

const (
	backoff1 = 375 * time.Millisecond // DefaultRetryPolicy's first wait with jitter 0.5
	backoff2 = 750 * time.Millisecond
)

var (
	html    = []byte("<html><body><h1>502 Bad Gateway</h1></body></html>")
	bigBody = []byte(strings.Repeat("overflow ", 1<<20)) // 9 MiB
)

func faultRows(now time.Time) []gridRow {
	httpDate := now.Add(9 * time.Second).UTC().Format(http.TimeFormat)
	return []gridRow{
		{name: "429 with Retry-After seconds", faults: []sandbox.Fault{{Status: 429, RetryAfter: "7"}},
			get:  gridExpect{ok: true, requests: 2, waits: []time.Duration{7 * time.Second}},
			post: gridExpect{is: []error{ErrRateLimited}, status: 429, requests: 1}},
		{name: "429 without Retry-After", faults: []sandbox.Fault{{Status: 429}},
			get:  gridExpect{ok: true, requests: 2, waits: []time.Duration{backoff1}},
			post: gridExpect{is: []error{ErrRateLimited}, status: 429, requests: 1}},
		{name: "503 with Retry-After as an HTTP date", faults: []sandbox.Fault{{Status: 503, RetryAfter: httpDate}},
			get:  gridExpect{ok: true, requests: 2, waits: []time.Duration{9 * time.Second}},
			post: gridExpect{is: []error{ErrServer}, status: 503, requests: 1}},
		{name: "503 without Retry-After, three times", faults: []sandbox.Fault{{Status: 503}, {Status: 503}, {Status: 503}},
			get:  gridExpect{is: []error{ErrServer}, status: 503, requests: 3, waits: []time.Duration{backoff1, backoff2}, contains: "after 3 attempts"},
			post: gridExpect{is: []error{ErrServer}, status: 503, requests: 1}},
		{name: "Retry-After beyond the cap", faults: []sandbox.Fault{{Status: 503, RetryAfter: "86400"}},
			get:  gridExpect{ok: true, requests: 2, waits: []time.Duration{30 * time.Second}},
			post: gridExpect{is: []error{ErrServer}, status: 503, requests: 1}},
		{name: "502 then 504", faults: []sandbox.Fault{{Status: 502}, {Status: 504}},
			get:  gridExpect{ok: true, requests: 3, waits: []time.Duration{backoff1, backoff2}},
			post: gridExpect{is: []error{ErrServer}, status: 502, requests: 1}},
		{name: "500", faults: []sandbox.Fault{{Status: 500}},
			get:  gridExpect{is: []error{ErrServer}, status: 500, requests: 1},
			post: gridExpect{is: []error{ErrServer}, status: 500, requests: 1}},
		{name: "403", faults: []sandbox.Fault{{Status: 403}},
			get:  gridExpect{is: []error{ErrForbidden}, status: 403, requests: 1},
			post: gridExpect{is: []error{ErrForbidden}, status: 403, requests: 1}},
		{name: "connection dropped before the headers", faults: []sandbox.Fault{{Drop: sandbox.DropBeforeHeaders}},
			get:  gridExpect{ok: true, requests: 2, waits: []time.Duration{backoff1}},
			post: gridExpect{transport: true, requests: 1, contains: "not resent"}},
		// A submission's success status came: Omeda queued it, and what came of the receipt
		// reaches the caller (an UnreadReceiptError that wraps the transport failure).
		{name: "connection dropped after the headers", faults: []sandbox.Fault{{Drop: sandbox.DropAfterHeaders}},
			get:  gridExpect{ok: true, requests: 2, waits: []time.Duration{backoff1}},
			post: gridExpect{is: []error{ErrMalformedResponse}, status: 200, requests: 1, contains: "not resent"}},
		{name: "no answer, until the caller's context ends", faults: []sandbox.Fault{{Hang: true}}, deadline: true,
			get:  gridExpect{transport: true, is: []error{context.DeadlineExceeded}, requests: 1},
			post: gridExpect{transport: true, is: []error{context.DeadlineExceeded}, requests: 1}},
		{name: "no answer, until the per-attempt timeout", faults: []sandbox.Fault{{Hang: true}, {Hang: true}},
			opts: []Option{hangTimeout, WithRetryPolicy(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxWait: time.Second})},
			get:  gridExpect{transport: true, is: []error{context.DeadlineExceeded}, requests: 2, waits: []time.Duration{time.Millisecond * 3 / 4}},
			post: gridExpect{transport: true, is: []error{context.DeadlineExceeded}, requests: 1, contains: "not resent"}},
		{name: "truncated JSON", faults: []sandbox.Fault{{Truncate: 20}},
			get:  gridExpect{is: []error{ErrMalformedResponse}, status: 200, requests: 1, contains: "unexpected EOF"},
			post: gridExpect{is: []error{ErrMalformedResponse}, status: 200, requests: 1, contains: "unexpected EOF"}},
		{name: "an error envelope on a 200", faults: []sandbox.Fault{{Status: 200, Body: []byte(`{"SubmissionId":"s-1","Errors":[{"Error":"Something went wrong."}]}`)}},
			get:  gridExpect{status: 200, requests: 1, contains: "HTTP 200 OK: Something went wrong. (SubmissionId s-1)"},
			post: gridExpect{status: 200, requests: 1, contains: "HTTP 200 OK: Something went wrong. (SubmissionId s-1)"}},
		{name: "HTML on a 200", faults: []sandbox.Fault{{Status: 200, Body: html, ContentType: "text/html"}},
			get:  gridExpect{is: []error{ErrMalformedResponse}, status: 200, requests: 1, contains: "the answer is text/html, not JSON"},
			post: gridExpect{is: []error{ErrMalformedResponse}, status: 200, requests: 1, contains: "the answer is text/html, not JSON"}},
		{name: "HTML from a proxy, three times", faults: []sandbox.Fault{{Status: 502, Body: html, ContentType: "text/html"}, {Status: 502, Body: html, ContentType: "text/html"}, {Status: 502, Body: html, ContentType: "text/html"}},
			get:  gridExpect{is: []error{ErrServer, ErrUnexpectedStatus}, status: 502, requests: 3, waits: []time.Duration{backoff1, backoff2}, contains: "text/html answer: <html><body><h1>502 Bad Gateway</h1></body></html>"},
			post: gridExpect{is: []error{ErrServer, ErrUnexpectedStatus}, status: 502, requests: 1, contains: "<h1>502 Bad Gateway</h1>"}},
		{name: "an empty 200", faults: []sandbox.Fault{{Status: 200, Body: []byte{}}},
			get:  gridExpect{is: []error{ErrMalformedResponse}, status: 200, requests: 1},
			post: gridExpect{is: []error{ErrMalformedResponse}, status: 200, requests: 1}},
		{name: "an empty 404", faults: []sandbox.Fault{{Status: 404, Body: []byte{}}},
			get:  gridExpect{is: []error{ErrNotFound}, status: 404, requests: 1, contains: "(empty body)"},
			post: gridExpect{is: []error{ErrNotFound}, status: 404, requests: 1, contains: "(empty body)"}},
		{name: "an oversized error body", faults: []sandbox.Fault{{Status: 500, Body: bigBody, ContentType: "text/plain"}},
			get:  gridExpect{is: []error{ErrServer}, status: 500, requests: 1, contains: "overflow overflow"},
			post: gridExpect{is: []error{ErrServer}, status: 500, requests: 1, contains: "overflow overflow"}},
	}
}

func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 12, 0, 30, 0, chicagoZone)
	runGridRows(t, now, faultRows(now))
}

// A large change window is decoded as it arrives, and correctly.
func TestLargeWindowIsDecodedAsAStream(t *testing.T) {
	t.Parallel()
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, chicagoZone)
	sb := sandbox.StartTest(t, sandbox.WithPopulation(50000), sandbox.WithPopulationSpan(from, from.AddDate(0, 0, 10)))
	c, err := New("FOO", testAppID, WithBaseURL(sb.URL))
	require.NoError(t, err)
	got, err := c.ChangedCustomers(t.Context(), from, from.AddDate(0, 0, 10))
	require.NoError(t, err)
	assert.Len(t, got.Customers, 50000)
	seen := make(map[int64]bool, len(got.Customers))
	for _, cust := range got.Customers {
		assert.False(t, seen[cust.ID], "each customer once")
		seen[cust.ID] = true
	}
}
