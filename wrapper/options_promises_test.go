package wrapper

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deadlineRecorder answers every request with a 200 carrying body (empty by default) and
// records the deadline of the request's context, without touching the network.
type deadlineRecorder struct {
	body     string
	deadline time.Time
	has      bool
}

func (d *deadlineRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	d.deadline, d.has = req.Context().Deadline()
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(d.body)),
		Request:    req,
	}, nil
}

// TestEachAttemptIsBoundedByTheTimeoutOption holds New to its word on WithTimeout: without the
// option each attempt carries a deadline DefaultTimeout after it starts, WithTimeout(d) makes it
// d, and WithTimeout(0) leaves no bound beyond the caller's context.
func TestEachAttemptIsBoundedByTheTimeoutOption(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		opts []Option
		want time.Duration // 0: no deadline
	}{
		{"default", nil, DefaultTimeout},
		{"WithTimeout(5m)", []Option{WithTimeout(5 * time.Minute)}, 5 * time.Minute},
		{"WithTimeout(0)", []Option{WithTimeout(0)}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &deadlineRecorder{}
			opts := append([]Option{WithBaseURL("http://127.0.0.1:1/webservices/rest"),
				WithHTTPClient(&http.Client{Transport: rec}), WithRetryPolicy(NoRetries())}, tc.opts...)
			c, err := New("FOO", testAppID, opts...)
			require.NoError(t, err)
			before := time.Now()
			_, _ = c.PhoneNumbers(context.Background(), "12345") // the empty body is a malformed answer; only the request matters
			after := time.Now()
			if tc.want == 0 {
				assert.False(t, rec.has, "WithTimeout(0) must leave the attempt without a deadline")
				return
			}
			require.True(t, rec.has, "the attempt must carry a deadline")
			assert.False(t, rec.deadline.Before(before.Add(tc.want)), "deadline %v is earlier than %v after the call began", rec.deadline, tc.want)
			assert.False(t, rec.deadline.After(after.Add(tc.want)), "deadline %v is later than %v after the call ended", rec.deadline, tc.want)
		})
	}
}

// TestWaitTimeoutZeroLeavesOnlyTheContext: with WithWaitTimeout(0) (and no per-attempt timeout)
// nothing but the caller's context bounds a lookup of the wait.
func TestWaitTimeoutZeroLeavesOnlyTheContext(t *testing.T) {
	t.Parallel()
	rec := &deadlineRecorder{body: txnBody(100, `"OmedaCustomerId":7`)}
	c, err := New("FOO", testAppID, WithBaseURL("http://127.0.0.1:1/webservices/rest"),
		WithHTTPClient(&http.Client{Transport: rec}), WithTimeout(0))
	require.NoError(t, err)
	out, err := c.WaitForTransaction(context.Background(), 8907512, WithWaitTimeout(0))
	require.NoError(t, err)
	assert.Equal(t, TransactionProcessed, out.State)
	assert.False(t, rec.has, "no deadline but the caller's context's")
}

// TestWaitOptionsRefuseValuesTheyCannotUse: a wait option given a value that means nothing is
// refused with ErrInvalidInput before any lookup, like New's options.
func TestWaitOptionsRefuseValuesTheyCannotUse(t *testing.T) {
	t.Parallel()
	f := setup(t)
	// Were an option accepted, the wait would end at once, processed, rather than hang.
	f.handle(transactionPath, status(200, txnBody(100, `"OmedaCustomerId":7`)))
	for name, opt := range map[string]WaitOption{
		"negative wait timeout":      WithWaitTimeout(-time.Second),
		"negative not-found grace":   WithNotFoundGrace(-time.Second),
		"zero first poll interval":   WithPollInterval(0, time.Second),
		"negative first interval":    WithPollInterval(-time.Second, time.Second),
		"poll cap below first pause": WithPollInterval(2*time.Second, time.Second),
	} {
		_, err := f.client.WaitForTransaction(t.Context(), 8907512, opt)
		require.ErrorIs(t, err, ErrInvalidInput, name)
		assert.NotContains(t, err.Error(), "waiting for transaction", name)
	}
	assert.Zero(t, f.requests.Load(), "nothing is sent for a refused option")
}

// TestWaitNotFoundGraceDefaultsToThirtySeconds holds WithNotFoundGrace's documented default: a
// transaction that keeps answering 404 is waited for through the first 30 s, then the 404 ends
// the wait.
func TestWaitNotFoundGraceDefaultsToThirtySeconds(t *testing.T) {
	t.Parallel()
	f := setup(t, WithRetryPolicy(NoRetries()))
	useFakeClock(f)
	f.handle(transactionPath, status(404, `{"Errors":[{"Error":"No status found for transaction 8907512."}]}`))
	// Pauses of 7.5 s (10 s, half of it jittered at 0.5): lookups at 0, 7.5, 15, 22.5 and 30 s.
	out, err := f.client.WaitForTransaction(t.Context(), 8907512, WithPollInterval(10*time.Second, 10*time.Second))
	require.ErrorIs(t, err, ErrNotFound)
	assert.Equal(t, 5, out.Lookups, "404s before 30 s are waited through; the one at 30 s ends the wait")
	var total time.Duration
	for _, w := range f.recordedWaits() {
		total += w
	}
	assert.Equal(t, 30*time.Second, total)
}

// TestWaitOutcomeErrorsAreThoseOfTheLastLookup: an outcome's Errors are the transaction's errors
// as its last lookup gave them; errors a pending status carried do not outlive it.
func TestWaitOutcomeErrorsAreThoseOfTheLastLookup(t *testing.T) {
	t.Parallel()
	f := setup(t, WithRetryPolicy(NoRetries()))
	f.handle(transactionPath, sequence(
		status(200, txnBody(7, `"Errors":[{"Error":"address not verified yet"}]`)),
		status(200, txnBody(100, `"OmedaCustomerId":7`)),
	))
	out, err := f.client.WaitForTransaction(t.Context(), 8907512)
	require.NoError(t, err)
	assert.Equal(t, TransactionProcessed, out.State)
	assert.Empty(t, out.Errors, "the processed answer carries no errors")
	assert.Empty(t, out.Last.Errors)
}

// TestOptionBoundsAreTheDocumentedOnes holds each option to the range its doc comment states:
// the edge is accepted, one past it refused with ErrInvalidInput.
func TestOptionBoundsAreTheDocumentedOnes(t *testing.T) {
	t.Parallel()
	retry := func(attempts int, wait time.Duration) Option {
		return WithRetryPolicy(RetryPolicy{MaxAttempts: attempts, BaseDelay: time.Millisecond, MaxWait: wait})
	}
	cases := []struct {
		name     string
		ok, fail Option
	}{
		{"WithFollowMerges 0 to 10", WithFollowMerges(10), WithFollowMerges(11)},
		{"WithFollowMerges not negative", WithFollowMerges(0), WithFollowMerges(-1)},
		{"WithWindowConcurrency 1 to 16", WithWindowConcurrency(16), WithWindowConcurrency(17)},
		{"WithConcurrentCalls 1 to 64", WithConcurrentCalls(64), WithConcurrentCalls(65)},
		{"WithConcurrentCalls at least 1", WithConcurrentCalls(1), WithConcurrentCalls(0)},
		{"MaxAttempts 1 to 20", retry(20, time.Second), retry(21, time.Second)},
		{"MaxWait positive when retrying", retry(1, 0), retry(2, 0)},
		{"WithMaxAnswerSize at least 1 KiB", WithMaxAnswerSize(1 << 10), WithMaxAnswerSize(1<<10 - 1)},
		{"WithMaxWindowSize at least 1 KiB", WithMaxWindowSize(1 << 10), WithMaxWindowSize(1<<10 - 1)},
		{"WithTimeout not negative", WithTimeout(0), WithTimeout(-time.Nanosecond)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := New("FOO", testAppID, WithEnvironment(Staging), tc.ok)
			require.NoError(t, err)
			_, err = New("FOO", testAppID, WithEnvironment(Staging), tc.fail)
			require.ErrorIs(t, err, ErrInvalidInput)
			assertNoSecrets(t, err.Error())
		})
	}
}

// TestWindowConcurrencyFetchesWindowsAtOnce holds WithWindowConcurrency's "fetch up to n windows
// at once" (the other tests only bound the windows in flight from above): the first window's
// answer waits until the second window has been asked for, which only a client fetching both at
// once can do, and the windows still arrive in order. Were the windows fetched one by one, the
// first would fail on the per-attempt timeout instead.
func TestWindowConcurrencyFetchesWindowsAtOnce(t *testing.T) {
	t.Parallel()
	f := setup(t, WithWindowConcurrency(2), WithRetryPolicy(NoRetries()), WithTimeout(20*time.Second))
	secondAsked := make(chan struct{})
	f.handle(changesPattern, func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("start") == "01012024_0000" {
			select {
			case <-secondAsked:
			case <-r.Context().Done():
				return
			}
			respond(w, 200, `{"Customers":[{"Id":1,"DateChanged":"2024-01-02 00:00:00.000"}]}`)
			return
		}
		close(secondAsked)
		respond(w, 200, `{"Customers":[{"Id":2,"DateChanged":"2024-03-31 12:00:00.000"}]}`)
	})
	var ids []int64
	for w, err := range f.client.ChangedCustomerWindows(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 4, 1, 0, 0)) {
		require.NoError(t, err)
		for _, c := range w.Customers {
			ids = append(ids, c.ID)
		}
	}
	assert.Equal(t, []int64{1, 2}, ids, "in window order, though the second was answered first")
}
