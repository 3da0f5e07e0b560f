package wrapper

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/omeda-go/omeda-go/internal/leakcheck"
	"github.com/omeda-go/omeda-go/sandbox"
)

// TestNoGoroutineOutlivesACall runs every operation, successful and failing, including a
// concurrent backfill abandoned half way and a server that never answers, then closes the
// connections and the sandbox: nothing of theirs may be left running. It is not parallel, so
// that goleak sees only this test's goroutines.
func TestNoGoroutineOutlivesACall(t *testing.T) {
	before := goleak.IgnoreCurrent()

	transport := http.DefaultTransport.(*http.Transport).Clone()
	sb, err := sandbox.Start("127.0.0.1:0")
	require.NoError(t, err)
	opts := []Option{WithBaseURL(sb.URL), WithInputID(testInputID),
		WithHTTPClient(&http.Client{Transport: transport}), WithWindowConcurrency(4),
		WithRetryPolicy(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxWait: time.Millisecond})}
	// The calls that must succeed run without a short per-attempt timeout (a loaded machine
	// may take longer than one to answer, and a POST is never retried); the hung lookup runs
	// on a client of the same connections whose timeout ends it.
	c, err := New("FOO", testAppID, opts...)
	require.NoError(t, err)
	impatient, err := New("FOO", testAppID, append(opts, WithTimeout(200*time.Millisecond))...)
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
	_, err = c.ChangedCustomers(ctx, time.Date(2021, 1, 1, 0, 0, 0, 0, chicagoZone), time.Date(2024, 1, 1, 0, 0, 0, 0, chicagoZone))
	require.NoError(t, err)
	n := 0
	for _, err := range c.ChangedCustomerWindows(ctx, time.Date(2021, 1, 1, 0, 0, 0, 0, chicagoZone), time.Date(2025, 1, 1, 0, 0, 0, 0, chicagoZone)) {
		require.NoError(t, err)
		if n++; n == 3 {
			break // with windows still in flight
		}
	}
	sb.Inject(sandbox.Fault{Operation: sandbox.PhoneLookupByCustomerID, Hang: true}, sandbox.Fault{Operation: sandbox.PhoneLookupByCustomerID, Hang: true})
	_, err = impatient.PhoneNumbers(ctx, "12345")
	require.ErrorIs(t, err, context.DeadlineExceeded, "ended by the per-attempt timeout")
	sb.Inject(sandbox.Fault{Operation: sandbox.StoreCustomerAndOrder, Drop: sandbox.DropAfterHeaders})
	_, err = c.StoreCustomerAndOrderJSON(ctx, []byte(`{"FirstName":"Ann"}`))
	require.Error(t, err)

	transport.CloseIdleConnections()
	require.NoError(t, sb.Close())
	leakcheck.VerifyNone(t, before) // patient: a connection's goroutines return once they saw the close
}
