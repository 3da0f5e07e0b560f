package wrapper

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/internal/testlog"
	"github.com/omeda-go/omeda-go/sandbox"
)

// TestWaitForTransactionUnderFaults: WaitForTransaction against the sandbox's faults on the
// transaction lookup. A lookup that fails for a passing reason once the client's retries are
// spent (a transport failure, 429, 502, 503, a 404 within the grace) does not end the wait: the
// next lookup finds the transaction processed. Any other failure ends it at once with the error
// and a pending outcome. Either way the error is one line without a credential, an *APIError's
// body is bounded, and the log carries no credential. Waits are recorded, not slept; the
// client's clock moves by what it waits.
func TestWaitForTransactionUnderFaults(t *testing.T) {
	t.Parallel()
	three := func(f sandbox.Fault) []sandbox.Fault { return []sandbox.Fault{f, f, f} }
	html := []byte("<html><body><h1>502 Bad Gateway</h1></body></html>")
	rows := []struct {
		name     string
		faults   []sandbox.Fault
		opts     []Option
		timeout  time.Duration // of the caller's context, when set
		lookups  int           // lookups the wait made
		requests int           // transaction lookups that reached the sandbox
		is       []error       // when the wait ends with an error
		contains string
	}{
		{name: "503 three times", faults: three(sandbox.Fault{Status: 503}), lookups: 2, requests: 4},
		{name: "429 three times", faults: three(sandbox.Fault{Status: 429, RetryAfter: "1"}), lookups: 2, requests: 4},
		{name: "a proxy's HTML 502 three times", faults: three(sandbox.Fault{Status: 502, Body: html, ContentType: "text/html"}), lookups: 2, requests: 4},
		{name: "dropped before the headers, three times", faults: three(sandbox.Fault{Drop: sandbox.DropBeforeHeaders}), lookups: 2, requests: 4},
		{name: "no answer, three times: the per-attempt timeout", faults: three(sandbox.Fault{Hang: true}),
			opts: []Option{WithTimeout(100 * time.Millisecond)}, lookups: 2, requests: 4},
		{name: "an empty 404 within the grace", faults: []sandbox.Fault{{Status: 404, Body: []byte{}}}, lookups: 2, requests: 2},
		{name: "500", faults: []sandbox.Fault{{Status: 500}}, lookups: 1, requests: 1, is: []error{ErrServer}, contains: "HTTP 500"},
		{name: "403", faults: []sandbox.Fault{{Status: 403}}, lookups: 1, requests: 1, is: []error{ErrForbidden}, contains: "HTTP 403"},
		{name: "an oversized error body", faults: []sandbox.Fault{{Status: 500, Body: bigBody, ContentType: "text/plain"}},
			lookups: 1, requests: 1, is: []error{ErrServer}, contains: "overflow overflow"},
		{name: "truncated JSON", faults: []sandbox.Fault{{Truncate: 20}}, lookups: 1, requests: 1, is: []error{ErrMalformedResponse}, contains: "unexpected EOF"},
		{name: "HTML on a 200", faults: []sandbox.Fault{{Status: 200, Body: html, ContentType: "text/html"}},
			lookups: 1, requests: 1, is: []error{ErrMalformedResponse}, contains: "the answer is text/html, not JSON"},
		{name: "an error envelope on a 200", faults: []sandbox.Fault{{Status: 200, Body: []byte(`{"SubmissionId":"s-1","Errors":[{"Error":"Something went wrong."}]}`)}},
			lookups: 1, requests: 1, contains: "HTTP 200 OK: Something went wrong. (SubmissionId s-1)"},
		{name: "no answer, until the caller's context ends", faults: []sandbox.Fault{{Hang: true}}, timeout: 200 * time.Millisecond,
			lookups: 1, requests: 1, is: []error{context.DeadlineExceeded}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			sb := sandbox.StartTest(t, sandbox.WithPopulation(0), sandbox.WithProcessAfter(0))
			logger, logs := testlog.JSON()
			c, err := New("FOO", testAppID, append([]Option{WithBaseURL(sb.URL), WithInputID(testInputID), WithLogger(logger)}, row.opts...)...)
			require.NoError(t, err)
			var mu sync.Mutex
			now := time.Date(2026, 11, 22, 12, 0, 30, 0, chicagoZone)
			c.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
			c.jitter = func() float64 { return 0.5 }
			c.sleep = func(ctx context.Context, d time.Duration) error {
				mu.Lock()
				now = now.Add(d)
				mu.Unlock()
				return ctx.Err()
			}
			receipt, err := c.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
			require.NoError(t, err)
			// A fresh connection: net/http resends a GET whose reused connection drops before
			// the answer, which would hide the client's own retry.
			c.http.CloseIdleConnections()
			for _, f := range row.faults {
				f.Operation = sandbox.TransactionLookup
				sb.Inject(f)
			}
			ctx := t.Context()
			if row.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, row.timeout)
				defer cancel()
			}

			out, err := c.WaitForTransaction(ctx, receipt.ResponseInfo[0].TransactionID)

			require.NotNil(t, out, "an outcome, whatever the error")
			assert.Equal(t, row.lookups, out.Lookups, "lookups")
			assert.Equal(t, row.requests, sb.Requests(sandbox.TransactionLookup), "lookups that reached the sandbox")
			assertNoSecrets(t, logs.String())
			if row.is == nil && row.contains == "" {
				require.NoError(t, err)
				assert.Equal(t, TransactionProcessed, out.State)
				assert.Positive(t, out.OmedaCustomerID)
				return
			}
			require.Error(t, err)
			assert.Equal(t, TransactionPending, out.State)
			for _, target := range row.is {
				assert.ErrorIs(t, err, target)
			}
			if apiErr := (*APIError)(nil); errors.As(err, &apiErr) {
				assert.LessOrEqual(t, len(apiErr.Body), maxSnippet+len("…"), "bounded")
			}
			assert.Contains(t, err.Error(), row.contains)
			assert.True(t, strings.HasPrefix(err.Error(), "omeda: waiting for transaction "), err.Error())
			assert.NotContains(t, err.Error(), "\n", "one line")
			assertNoSecrets(t, err.Error())
		})
	}
}
