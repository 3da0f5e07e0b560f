package wrapper

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/sandbox"
)

// ours lists the goroutines running the SDK's or the sandbox's code, or an HTTP connection's
// loops; test functions (this one, and parallel tests waiting for their turn) are not counted.
func ours() []string {
	buf := make([]byte, 4<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "omeda-go/omeda-go/wrapper.(*") || strings.Contains(g, "omeda-go/omeda-go/sandbox.") ||
			strings.Contains(g, "net/http.(*persistConn)") || strings.Contains(g, "net/http.(*conn).serve") {
			out = append(out, g)
		}
	}
	return out
}

// TestNoGoroutineOutlivesACall runs every operation, successful and failing, including a
// concurrent backfill abandoned half way and a server that never answers, then closes the
// connections and the sandbox: nothing of theirs may be left running. It is not parallel, so
// that other tests' goroutines do not blur the count.
func TestNoGoroutineOutlivesACall(t *testing.T) {
	require.Eventually(t, func() bool { return len(ours()) == 0 }, 10*time.Second, 10*time.Millisecond,
		"goroutines left by earlier tests:\n%s", strings.Join(ours(), "\n\n"))

	transport := http.DefaultTransport.(*http.Transport).Clone()
	sb, err := sandbox.Start("127.0.0.1:0")
	require.NoError(t, err)
	c, err := New("FOO", testAppID, WithBaseURL(sb.URL), WithInputID(testInputID),
		WithHTTPClient(&http.Client{Transport: transport}), WithWindowConcurrency(4),
		WithTimeout(200*time.Millisecond), WithRetryPolicy(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxWait: time.Millisecond}))
	require.NoError(t, err)
	ctx := context.Background()

	_, err = c.PhoneNumbers(ctx, "12345")
	require.NoError(t, err)
	_, err = c.PhoneNumbers(ctx, "22")
	require.ErrorIs(t, err, ErrMerged)
	_, err = c.MergeHistory(ctx, "99999")
	require.NoError(t, err)
	_, err = c.StoreCustomerAndOrderJSON(ctx, []byte(`{"FirstName":"Ann"}`))
	require.NoError(t, err)
	_, err = c.ChangedCustomers(ctx, time.Date(2021, 1, 1, 0, 0, 0, 0, Chicago), time.Date(2024, 1, 1, 0, 0, 0, 0, Chicago))
	require.NoError(t, err)
	n := 0
	for _, err := range c.ChangedCustomerWindows(ctx, time.Date(2021, 1, 1, 0, 0, 0, 0, Chicago), time.Date(2025, 1, 1, 0, 0, 0, 0, Chicago)) {
		require.NoError(t, err)
		if n++; n == 3 {
			break // with windows still in flight
		}
	}
	sb.Inject(sandbox.Fault{Operation: sandbox.PhoneLookupByCustomerID, Hang: true}, sandbox.Fault{Operation: sandbox.PhoneLookupByCustomerID, Hang: true})
	_, err = c.PhoneNumbers(ctx, "12345")
	require.ErrorIs(t, err, context.DeadlineExceeded, "ended by the per-attempt timeout")
	sb.Inject(sandbox.Fault{Operation: sandbox.StoreCustomerAndOrder, Drop: sandbox.DropAfterHeaders})
	_, err = c.StoreCustomerAndOrderJSON(ctx, []byte(`{"FirstName":"Ann"}`))
	require.Error(t, err)

	transport.CloseIdleConnections()
	require.NoError(t, sb.Close())
	assert.Eventually(t, func() bool { return len(ours()) == 0 }, 10*time.Second, 10*time.Millisecond,
		"goroutines outlived their calls")
	if left := ours(); len(left) > 0 {
		t.Logf("left:\n%s", strings.Join(left, "\n\n"))
	}
}
