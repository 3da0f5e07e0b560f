package wrapper

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	omeda "github.com/omeda-go/omeda-go"
	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/internal/testlog"
	"github.com/omeda-go/omeda-go/sandbox"
)

const transactionPath = "GET /brand/FOO/transaction/8907512/*"

func txnBody(status int, extra string) string {
	b := `{"TransactionId":8907512,"Status":` + itoa(status)
	if extra != "" {
		b += "," + extra
	}
	return b + `,"SubmissionId":"4944A8BD-5D18-4819-A258-D95BD7270901"}`
}

func itoa(n int) string { return string(must(json.Marshal(n))) }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// fakeClock makes the fixture's waits advance its clock instead of sleeping.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func useFakeClock(f *fixture) *fakeClock {
	clk := &fakeClock{now: time.Date(2026, 11, 22, 12, 0, 0, 0, chicagoZone)}
	f.client.now = func() time.Time {
		clk.mu.Lock()
		defer clk.mu.Unlock()
		return clk.now
	}
	record := f.client.sleep
	f.client.sleep = func(ctx context.Context, d time.Duration) error {
		clk.mu.Lock()
		clk.now = clk.now.Add(d)
		clk.mu.Unlock()
		return record(ctx, d)
	}
	return clk
}

func TestTransaction(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle(transactionPath, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, testAppID, r.Header.Get("x-omeda-appid"))
		assert.Empty(t, r.Header.Get("x-omeda-inputid"), "a lookup does not send the input id")
		respond(w, 200, txnBody(2, `"ClientCustomerId":1293401,"Errors":[{"Error":"invalid email"},{"Error":"vulgarity"}]`))
	})
	st, err := f.client.Transaction(t.Context(), 8907512)
	require.NoError(t, err)
	assert.Equal(t, int64(8907512), st.TransactionID)
	assert.Equal(t, 2, st.Status)
	assert.Nil(t, st.OmedaCustomerID)
	require.NotNil(t, st.ClientCustomerID)
	id, err := st.ClientCustomerID.Int64()
	require.NoError(t, err)
	assert.Equal(t, int64(1293401), id)
	assert.True(t, st.ClientCustomerID.IsNumber(), "kept as the answer gave it")
	assert.Equal(t, []gen.TransactionError{{Error: "invalid email"}, {Error: "vulgarity"}}, st.Errors)
}

// TestTransactionKeepsEveryErrorOfTheVendorsExample: the vendor's transaction page shows a
// transaction's errors as one object that repeats the key Error
// ({"Error":"invalid email","Error":"vulgarity"}). encoding/json keeps the last value only, so
// "invalid email" was lost: the caller saw one problem of two. Each Error of an entry is now
// an error of its own, in order, matched as encoding/json matches a key (whatever its case).
func TestTransactionKeepsEveryErrorOfTheVendorsExample(t *testing.T) {
	t.Parallel()
	for errs, want := range map[string][]gen.TransactionError{
		`[{"Error":"invalid email","Error":"vulgarity"}]`:                {{Error: "invalid email"}, {Error: "vulgarity"}},
		`[{"Error":"a","error":"b","ERROR":"c"},{"Error":"d"}]`:          {{Error: "a"}, {Error: "b"}, {Error: "c"}, {Error: "d"}},
		`[{"Error":"a","Other":1,"Error":null,"Error":"b"}]`:             {{Error: "a"}, {Error: "b"}},
		`[{"Error":"invalid email"},{"Error":"vulgarity"}]`:              {{Error: "invalid email"}, {Error: "vulgarity"}},
		`[{"Error":"only one","Code":{"Error":"nested, not an error"}}]`: {{Error: "only one"}},
		`null`: nil,
	} {
		f := setup(t)
		f.handle(transactionPath, status(200, txnBody(2, `"Errors":`+errs)))
		st, err := f.client.Transaction(t.Context(), 8907512)
		require.NoError(t, err, errs)
		assert.Equal(t, want, st.Errors, errs)
	}

	f := setup(t)
	f.handle(transactionPath, status(200, txnBody(2, `"Errors":[{"Error":"invalid email","Error":"vulgarity"}]`)))
	out, err := f.client.WaitForTransaction(t.Context(), 8907512)
	require.NoError(t, err)
	assert.Equal(t, TransactionFailed, out.State)
	assert.Equal(t, []string{"invalid email", "vulgarity"}, out.Errors)

	// A wrong type is still an answer that breaks the contract.
	f = setup(t, WithRetryPolicy(NoRetries()))
	f.handle(transactionPath, status(200, txnBody(2, `"Errors":[{"Error":"a","Error":7}]`)))
	_, err = f.client.Transaction(t.Context(), 8907512)
	assert.ErrorIs(t, err, ErrMalformedResponse)
}

func TestTransactionFailures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		body  string
		code  int
		match []error
		text  string
	}{
		{"unknown transaction", `{"Errors":[{"Error":"No status found for transaction 8907512."}],"SubmissionId":"40078f34"}`, 404,
			[]error{ErrNotFound}, "No status found for transaction 8907512."},
		{"refused app id", `{"Errors":[{"Error":"Access denied."}]}`, 403, []error{ErrForbidden}, "Access denied."},
		{"envelope in a 200", `{"Errors":[{"Error":"No status found for transaction 8907512."}]}`, 200,
			nil, "No status found for transaction 8907512."},
		{"another transaction", `{"TransactionId":1,"Status":100}`, 200, []error{ErrMalformedResponse}, "about transaction 1, not 8907512"},
		{"no status", `{"TransactionId":8907512}`, 200, []error{ErrMalformedResponse}, "no Status"},
		{"status as a string", `{"TransactionId":8907512,"Status":"100"}`, 200, []error{ErrMalformedResponse}, "Status"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, WithRetryPolicy(NoRetries()))
			f.handle(transactionPath, status(tc.code, tc.body))
			st, err := f.client.Transaction(t.Context(), 8907512)
			require.Error(t, err)
			assert.Nil(t, st)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "transactionLookup", apiErr.Operation)
			for _, m := range tc.match {
				assert.ErrorIs(t, err, m)
			}
			assert.Contains(t, err.Error(), tc.text)
		})
	}
}

func TestTransactionRefusesBadIDsBeforeSending(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for _, id := range []int64{0, -1} {
		_, err := f.client.Transaction(t.Context(), id)
		assert.ErrorIs(t, err, ErrInvalidInput)
		_, err = f.client.WaitForTransaction(t.Context(), id)
		assert.ErrorIs(t, err, ErrInvalidInput)
	}
	_, err := f.client.WaitForTransaction(t.Context(), 1, WithPollInterval(0, time.Second))
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = f.client.WaitForReceipt(t.Context(), nil)
	assert.ErrorIs(t, err, ErrInvalidInput)
	assert.Zero(t, f.requests.Load())
}

// TestWaitForReceiptWithoutUsableTransaction (finding D8): a receipt is Omeda's answer to a
// submission it queued; one that names no usable transaction is a malformed answer, never
// ErrInvalidInput, which callers read as "nothing was sent".
func TestWaitForReceiptWithoutUsableTransaction(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for _, receipt := range []*gen.StoreReceipt{
		{},
		{ResponseInfo: []gen.Transaction{{TransactionID: 0}}},
		{ResponseInfo: []gen.Transaction{{TransactionID: -2}}},
	} {
		_, err := f.client.WaitForReceipt(t.Context(), receipt)
		require.ErrorIs(t, err, ErrMalformedResponse)
		assert.NotErrorIs(t, err, ErrInvalidInput)
		assert.Contains(t, err.Error(), "the submission was sent")
	}
	assert.Zero(t, f.requests.Load())
}

// TestTransactionStatusTableMatchesContract holds the one classification table to the contract's
// list of known statuses, code for code and word for word.
func TestTransactionStatusTableMatchesContract(t *testing.T) {
	t.Parallel()
	doc, err := omeda.LoadSpec()
	require.NoError(t, err)
	raw := doc.Components.Schemas["TransactionStatusCode"].Value.Extensions["x-omeda-known-values"]
	var known []struct {
		Value       int    `json:"value"`
		Description string `json:"description"`
	}
	require.NoError(t, json.Unmarshal(must(json.Marshal(raw)), &known))
	require.Len(t, transactionStatuses, len(known))
	for _, k := range known {
		state, desc, ok := ClassifyTransactionStatus(k.Value)
		assert.True(t, ok, "status %d", k.Value)
		assert.Equal(t, k.Description, desc, "status %d", k.Value)
		_ = state
	}

	// The states the issue names, and the edges of the table.
	for status, want := range map[int]TransactionState{
		0: TransactionPending, 7: TransactionPending, 10: TransactionPending, 28: TransactionPending,
		30: TransactionPending, 31: TransactionPending, 52: TransactionPending, 90: TransactionPending,
		100: TransactionProcessed, 101: TransactionProcessed,
		2: TransactionFailed, 6: TransactionFailed, 9: TransactionFailed, 51: TransactionFailed,
		98: TransactionFailed, 99: TransactionFailed, 110: TransactionFailed,
		1: TransactionHeld, 3: TransactionHeld, 20: TransactionHeld, 35: TransactionHeld,
		36: TransactionHeld, 37: TransactionHeld,
	} {
		got, _, _ := ClassifyTransactionStatus(status)
		assert.Equal(t, want, got, "status %d", status)
	}
	state, desc, ok := ClassifyTransactionStatus(42)
	assert.False(t, ok)
	assert.Equal(t, TransactionPending, state, "an unknown status keeps a wait going")
	assert.Equal(t, "(not in the vendor's table)", desc)
	assert.Equal(t, "held", TransactionHeld.String())
	// The outcome names the status once (referee: "status 120 status 120 (not in …)").
	outcome := &TransactionOutcome{TransactionID: 8907512, State: state, Status: 120, Description: desc, Lookups: 1}
	assert.Equal(t, "transaction 8907512 pending: status 120 (not in the vendor's table)", outcome.String())
}

func TestWaitForTransactionOutcomes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		answers  []string
		state    TransactionState
		status   int
		customer int64
		errors   []string
	}{
		{"processed new customer", []string{txnBody(0, ""), txnBody(7, ""), txnBody(10, ""), txnBody(28, ""), txnBody(30, ""), txnBody(100, `"OmedaCustomerId":100221802`)},
			TransactionProcessed, 100, 100221802, nil},
		{"processed existing customer", []string{txnBody(31, ""), txnBody(101, `"OmedaCustomerId":12345`)},
			TransactionProcessed, 101, 12345, nil},
		{"failed validation", []string{txnBody(7, ""), txnBody(9, `"Errors":[{"Error":"invalid email"}]`)},
			TransactionFailed, 9, 0, []string{"invalid email"}},
		{"discarded", []string{txnBody(110, "")}, TransactionFailed, 110, 0, nil},
		{"manual review", []string{txnBody(28, ""), txnBody(35, "")}, TransactionHeld, 35, 0, nil},
		{"on hold", []string{txnBody(1, "")}, TransactionHeld, 1, 0, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			hs := make([]http.HandlerFunc, 0, len(tc.answers))
			for _, a := range tc.answers {
				hs = append(hs, status(200, a))
			}
			f.handle(transactionPath, sequence(hs...))
			out, err := f.client.WaitForTransaction(t.Context(), 8907512)
			require.NoError(t, err)
			assert.Equal(t, tc.state, out.State)
			assert.Equal(t, tc.status, out.Status)
			assert.Equal(t, tc.customer, out.OmedaCustomerID)
			assert.Equal(t, tc.errors, out.Errors)
			assert.Equal(t, len(tc.answers), out.Lookups, "no lookup after a final status")
			require.NotNil(t, out.Last)
			assert.Equal(t, tc.status, out.Last.Status)
			assert.Len(t, f.recordedWaits(), len(tc.answers)-1)
			assert.Contains(t, out.String(), tc.state.String())
		})
	}
}

// TestWaitForTransactionBackoff: the pauses double from the first interval up to the cap, half of
// each random (the fixture's jitter is 0.5), and the wait ends pending when its time runs out.
func TestWaitForTransactionBackoff(t *testing.T) {
	t.Parallel()
	f := setup(t)
	useFakeClock(f)
	f.handle(transactionPath, status(200, txnBody(29, "")))
	out, err := f.client.WaitForTransaction(t.Context(), 8907512,
		WithPollInterval(time.Second, 4*time.Second), WithWaitTimeout(20*time.Second))
	require.NoError(t, err, "running out of time is an outcome, not an error")
	assert.Equal(t, TransactionPending, out.State)
	assert.Equal(t, 29, out.Status)
	assert.Equal(t, "DupeCheck Running", out.Description)
	ms := time.Millisecond
	// 750 ms, 1.5 s, 3 s, then 3 s each (4 s capped, 3/4 of it with jitter 0.5) until 20 s are
	// spent; the last pause is cut to what is left.
	assert.Equal(t, []time.Duration{750 * ms, 1500 * ms, 3000 * ms, 3000 * ms, 3000 * ms, 3000 * ms, 3000 * ms, 2750 * ms}, f.recordedWaits())
	assert.Equal(t, 9, out.Lookups, "one lookup at the start and one after each pause")
}

func TestWaitForTransactionKeepsWaitingThroughPassingFailures(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	f := setup(t, WithRetryPolicy(NoRetries()), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	f.handle(transactionPath, sequence(
		status(404, `{"Errors":[{"Error":"No status found for transaction 8907512."}]}`),
		status(503, `{"Errors":[{"Error":"Service unavailable"}]}`),
		status(200, txnBody(42, "")),
		status(200, txnBody(42, "")),
		status(200, txnBody(100, `"OmedaCustomerId":7`)),
	))
	out, err := f.client.WaitForTransaction(t.Context(), 8907512)
	require.NoError(t, err)
	assert.Equal(t, TransactionProcessed, out.State)
	assert.Equal(t, int64(7), out.OmedaCustomerID)
	assert.Equal(t, 5, out.Lookups)
	text := logs.String()
	assert.Contains(t, text, "No status found")
	assert.Contains(t, text, "status=42")
	assert.Equal(t, 1, strings.Count(text, "status=42"), "an unknown status is logged once per wait")
	assertNoSecrets(t, text)
}

func TestWaitForTransactionStops(t *testing.T) {
	t.Parallel()
	t.Run("a 404 after the grace", func(t *testing.T) {
		t.Parallel()
		f := setup(t, WithRetryPolicy(NoRetries()))
		useFakeClock(f)
		f.handle(transactionPath, status(404, `{"Errors":[{"Error":"No status found for transaction 8907512."}]}`))
		out, err := f.client.WaitForTransaction(t.Context(), 8907512, WithNotFoundGrace(2*time.Second), WithPollInterval(time.Second, time.Second))
		require.ErrorIs(t, err, ErrNotFound)
		assert.Equal(t, TransactionPending, out.State)
		assert.Nil(t, out.Last)
		assert.Equal(t, 4, out.Lookups, "404s at 0, 0.75 s, 1.5 s are within the grace; the one at 2.25 s is not")
	})
	t.Run("a 404 once the transaction was seen", func(t *testing.T) {
		t.Parallel()
		f := setup(t, WithRetryPolicy(NoRetries()))
		f.handle(transactionPath, sequence(status(200, txnBody(7, "")),
			status(404, `{"Errors":[{"Error":"No status found for transaction 8907512."}]}`)))
		out, err := f.client.WaitForTransaction(t.Context(), 8907512)
		require.ErrorIs(t, err, ErrNotFound)
		assert.Equal(t, 7, out.Status)
		assert.Equal(t, 2, out.Lookups)
	})
	t.Run("a refused app id", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.handle(transactionPath, status(403, `{"Errors":[{"Error":"Access denied."}]}`))
		out, err := f.client.WaitForTransaction(t.Context(), 8907512)
		require.ErrorIs(t, err, ErrForbidden)
		assert.Equal(t, 1, out.Lookups)
		assertNoSecrets(t, err.Error())
	})
	t.Run("lookups failing until the time runs out", func(t *testing.T) {
		t.Parallel()
		f := setup(t, WithRetryPolicy(NoRetries()))
		useFakeClock(f)
		f.handle(transactionPath, status(502, `<html>bad gateway</html>`))
		out, err := f.client.WaitForTransaction(t.Context(), 8907512, WithWaitTimeout(5*time.Second))
		require.Error(t, err)
		assert.ErrorIs(t, err, ErrServer)
		assert.Contains(t, err.Error(), "still pending after 5s")
		assert.Equal(t, TransactionPending, out.State)
	})
	t.Run("the context ends", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		ctx, cancel := context.WithCancel(t.Context())
		f.handle(transactionPath, func(w http.ResponseWriter, _ *http.Request) {
			cancel()
			respond(w, 200, txnBody(7, ""))
		})
		out, err := f.client.WaitForTransaction(ctx, 8907512, WithWaitTimeout(0))
		require.ErrorIs(t, err, context.Canceled)
		require.NotNil(t, out)
		assert.Equal(t, TransactionPending, out.State)
		assert.True(t, errors.Is(err, context.Canceled))
	})
}

func TestWaitForTransactionAbandonsALookupThatOutlastsTheWait(t *testing.T) {
	t.Parallel()
	sb := sandbox.StartTest(t, sandbox.WithPopulation(0))
	c, err := New("FOO", testAppID, WithBaseURL(sb.URL), WithInputID(testInputID), WithRetryPolicy(NoRetries()))
	require.NoError(t, err)
	receipt, err := c.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
	require.NoError(t, err)
	sb.Inject(sandbox.Fault{Operation: sandbox.TransactionLookup, Hang: true})
	shortGrace := func(s *waitSettings) error { s.lookupGrace = time.Millisecond; return nil }
	out, err := c.WaitForTransaction(t.Context(), receipt.ResponseInfo[0].TransactionID, WithWaitTimeout(time.Millisecond), shortGrace)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "still pending after 1ms; the last lookup failed")
	assert.Equal(t, TransactionPending, out.State)
	assert.Equal(t, 1, out.Lookups)
}

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
		deadline bool    // the caller's context reaches its deadline once the sandbox has the first lookup
		lookups  int     // lookups the wait made
		requests int     // transaction lookups that reached the sandbox
		is       []error // when the wait ends with an error
		contains string
	}{
		{name: "503 three times", faults: three(sandbox.Fault{Status: 503}), lookups: 2, requests: 4},
		{name: "429 three times", faults: three(sandbox.Fault{Status: 429, RetryAfter: "1"}), lookups: 2, requests: 4},
		{name: "a proxy's HTML 502 three times", faults: three(sandbox.Fault{Status: 502, Body: html, ContentType: "text/html"}), lookups: 2, requests: 4},
		{name: "dropped before the headers, three times", faults: three(sandbox.Fault{Drop: sandbox.DropBeforeHeaders}), lookups: 2, requests: 4},
		{name: "no answer, three times: the per-attempt timeout", faults: three(sandbox.Fault{Hang: true}),
			opts: []Option{hangTimeout}, lookups: 2, requests: 4},
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
		{name: "no answer, until the caller's context ends", faults: []sandbox.Fault{{Hang: true}}, deadline: true,
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
			// The submission is made by a client of its own, outside the row's options: a POST
			// is never retried, and under a row's per-attempt timeout a slow machine's answer
			// would fail the test before the wait under test began.
			submitter, err := New("FOO", testAppID, WithBaseURL(sb.URL), WithInputID(testInputID))
			require.NoError(t, err)
			receipt, err := submitter.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
			require.NoError(t, err)
			submitter.http.CloseIdleConnections()
			// A fresh connection: net/http resends a GET whose reused connection drops before
			// the answer, which would hide the client's own retry.
			c.http.CloseIdleConnections()
			for _, f := range row.faults {
				f.Operation = sandbox.TransactionLookup
				sb.Inject(f)
			}
			ctx := t.Context()
			if row.deadline {
				// Not a timer: one could fire before a loaded machine has sent the lookup.
				ctx = expireOnArrival(t, ctx, func() bool { return sb.Requests(sandbox.TransactionLookup) > 0 })
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
