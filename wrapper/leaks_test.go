package wrapper

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/sandbox"
)

// lingering lists the goroutines, other than the caller, that run code of the network stack
// (net/http, net, internal/poll, crypto/tls) or of this module outside its tests: a goroutine
// of a test function (this one, parallel tests waiting for their turn, testify's polling) has
// only frames of _test.go files and of the testing packages, and is not counted. It is wider
// than ours (leak_test.go): a dial still running, or a goroutine of gen, counts too.
func lingering() []string {
	buf := make([]byte, 8<<20)
	buf = buf[:runtime.Stack(buf, true)]
	blocks := strings.Split(string(buf), "\n\n")
	var out []string
	for _, g := range blocks[1:] { // the first is the caller
		lines := strings.Split(g, "\n")
		for i := 1; i+1 < len(lines); i += 2 {
			fn, file := lines[i], lines[i+1]
			if strings.Contains(file, "_test.go:") || strings.HasPrefix(fn, "github.com/omeda-go/omeda-go/internal/leakcheck.") {
				continue // the test's own frames, and TestMain's leak check under the main goroutine
			}
			if strings.HasPrefix(fn, "net/http.") || strings.HasPrefix(fn, "net.") || strings.HasPrefix(fn, "internal/poll.") ||
				strings.HasPrefix(fn, "crypto/tls.") || strings.HasPrefix(fn, "github.com/omeda-go/omeda-go/") {
				out = append(out, g)
				break
			}
		}
	}
	return out
}

// settled waits (up to a generous deadline, polling in this goroutine) until no goroutine
// lingers, and fails the test with their stacks otherwise.
func settled(t *testing.T, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		left := lingering()
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			assert.Failf(t, "goroutines outlived "+what, "%d left:\n%s", len(left), strings.Join(left, "\n\n"))
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestNoGoroutineOutlivesFailuresOrAnAbandonedBackfill: after each scenario (every operation
// succeeding and failing, concurrent backfills that fail, are cancelled, are abandoned while
// their windows hang, or time out, and a sandbox closed under hung requests), once the
// sandbox is closed, no goroutine of the client, of net/http or of the sandbox is left. The
// client here uses its own connection pool (no WithHTTPClient), which it cannot be asked to
// close: closing the server must end its connections. Not parallel, so that only this test's
// goroutines are counted.
func TestNoGoroutineOutlivesFailuresOrAnAbandonedBackfill(t *testing.T) {
	settled(t, "earlier tests")
	from := time.Date(2021, 1, 1, 0, 0, 0, 0, chicagoZone)
	to := time.Date(2025, 1, 1, 0, 0, 0, 0, chicagoZone) // 17 windows
	newClient := func(t *testing.T, sb *sandbox.Server, opts ...Option) *Client {
		c, err := New("FOO", testAppID, append([]Option{WithBaseURL(sb.URL), WithInputID(testInputID), WithWindowConcurrency(4),
			WithRetryPolicy(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxWait: time.Millisecond})}, opts...)...)
		require.NoError(t, err)
		return c
	}
	scenarios := []struct {
		name string
		run  func(t *testing.T, sb *sandbox.Server)
	}{
		{"every operation, succeeding and failing", func(t *testing.T, sb *sandbox.Server) {
			c := newClient(t, sb, WithFollowMerges(1))
			ctx := t.Context()
			_, err := c.PhoneNumbers(ctx, "12345")
			require.NoError(t, err)
			_, err = c.PhoneNumbers(ctx, "22") // followed to 99999
			require.NoError(t, err)
			_, err = c.MergeHistory(ctx, "99999")
			require.NoError(t, err)
			_, err = c.StoreCustomerAndOrderJSON(ctx, []byte(`{"FirstName":"Ann"}`))
			require.NoError(t, err)
			_, err = c.ChangedCustomers(ctx, from, to)
			require.NoError(t, err)
			for _, op := range []string{sandbox.PhoneLookupByCustomerID, sandbox.CustomerMergeHistoryLookup, sandbox.StoreCustomerAndOrder} {
				sb.Inject(sandbox.Fault{Operation: op, Status: 500}, sandbox.Fault{Operation: op, Drop: sandbox.DropAfterHeaders},
					sandbox.Fault{Operation: op, Drop: sandbox.DropBeforeHeaders}, sandbox.Fault{Operation: op, Truncate: 5})
			}
			for range 3 { // the lookups may mend some faults by retrying (or by Go's replay)
				_, _ = c.PhoneNumbers(ctx, "12345")
				_, _ = c.MergeHistory(ctx, "99999")
				_, err = c.StoreCustomerAndOrderJSON(ctx, []byte(`{"FirstName":"Ann"}`))
				assert.Error(t, err)
			}
			_, err = c.StoreCustomerAndOrderJSON(ctx, []byte(`{"FirstName":"Ann","FirstName":"Bob"}`))
			assert.ErrorIs(t, err, ErrInvalidInput)
		}},
		{"a concurrent backfill whose third window fails", func(t *testing.T, sb *sandbox.Server) {
			c := newClient(t, sb)
			sb.Inject(sandbox.Fault{Operation: sandbox.CustomerChangeLookup, Delay: 20 * time.Millisecond},
				sandbox.Fault{Operation: sandbox.CustomerChangeLookup, Delay: 20 * time.Millisecond},
				sandbox.Fault{Operation: sandbox.CustomerChangeLookup, Status: 500})
			_, err := c.ChangedCustomers(t.Context(), from, to)
			assert.ErrorIs(t, err, ErrServer)
		}},
		{"a concurrent backfill abandoned while its windows hang", func(t *testing.T, sb *sandbox.Server) {
			// Three of the first four windows hang; the caller takes the first window it gets
			// (after the per-attempt timeout, if the first window is one that hangs) and stops.
			c := newClient(t, sb, WithTimeout(2*time.Second))
			for range 3 {
				sb.Inject(sandbox.Fault{Operation: sandbox.CustomerChangeLookup, Hang: true})
			}
			for _, err := range c.ChangedCustomerWindows(t.Context(), from, to) {
				require.NoError(t, err)
				break
			}
		}},
		{"a concurrent backfill cancelled by the caller", func(t *testing.T, sb *sandbox.Server) {
			c := newClient(t, sb)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			for range 8 {
				sb.Inject(sandbox.Fault{Operation: sandbox.CustomerChangeLookup, Hang: true})
			}
			go func() {
				for sb.Requests(sandbox.CustomerChangeLookup) < 4 && ctx.Err() == nil {
					time.Sleep(time.Millisecond)
				}
				cancel()
			}()
			var last error
			for _, err := range c.ChangedCustomerWindows(ctx, from, to) {
				last = err
			}
			assert.ErrorIs(t, last, context.Canceled)
		}},
		{"a concurrent backfill whose windows hang past the per-attempt timeout", func(t *testing.T, sb *sandbox.Server) {
			c := newClient(t, sb, WithTimeout(150*time.Millisecond))
			for range 16 {
				sb.Inject(sandbox.Fault{Operation: sandbox.CustomerChangeLookup, Hang: true})
			}
			_, err := c.ChangedCustomers(t.Context(), from, to)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
		}},
		{"a sandbox closed under hung requests", func(t *testing.T, sb *sandbox.Server) {
			c := newClient(t, sb)
			sb.Inject(sandbox.Fault{Operation: sandbox.StoreCustomerAndOrder, Hang: true})
			for range 4 {
				sb.Inject(sandbox.Fault{Operation: sandbox.PhoneLookupByCustomerID, Hang: true})
			}
			done := make(chan error, 2)
			go func() {
				_, err := c.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
				done <- err
			}()
			go func() {
				_, err := c.PhoneNumbers(t.Context(), "12345")
				done <- err
			}()
			for sb.Requests(sandbox.StoreCustomerAndOrder) == 0 || sb.Requests(sandbox.PhoneLookupByCustomerID) == 0 {
				time.Sleep(time.Millisecond)
			}
			require.NoError(t, sb.Close())
			for range 2 {
				err := <-done
				assert.Error(t, err)
				assert.False(t, errors.Is(err, context.Canceled), "ended by the server, not by the caller")
			}
		}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			sb, err := sandbox.Start("127.0.0.1:0", sandbox.WithPopulation(2000))
			require.NoError(t, err)
			sc.run(t, sb)
			require.NoError(t, sb.Close())
			settled(t, sc.name)
		})
	}
}
