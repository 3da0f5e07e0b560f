package wrapper

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRetryDecisionsAndWaits(t *testing.T) {
	t.Parallel()
	// DefaultRetryPolicy with jitter 0.5: backoffs of 375 ms then 750 ms.
	now := time.Date(2026, 11, 22, 12, 0, 30, 0, chicagoZone)
	httpDate := now.Add(12 * time.Second).UTC().Format(http.TimeFormat)
	withRetryAfter := func(code int, v string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", v)
			respond(w, code, `{"Errors":[{"Error":"busy"}]}`)
		}
	}
	cases := []struct {
		name     string
		handlers []http.HandlerFunc
		requests int32
		waits    []time.Duration
		wantErr  error
	}{
		{"success first", []http.HandlerFunc{status(200, phonesBody)}, 1, nil, nil},
		{"503 then success", []http.HandlerFunc{status(503, `{"Errors":[{"Error":"busy"}]}`), status(200, phonesBody)}, 2, []time.Duration{375 * time.Millisecond}, nil},
		{"502, 504, then success", []http.HandlerFunc{status(502, ""), status(504, ""), status(200, phonesBody)}, 3, []time.Duration{375 * time.Millisecond, 750 * time.Millisecond}, nil},
		{"429 with Retry-After seconds", []http.HandlerFunc{withRetryAfter(429, "7"), status(200, phonesBody)}, 2, []time.Duration{7 * time.Second}, nil},
		{"503 with Retry-After as an HTTP date", []http.HandlerFunc{withRetryAfter(503, httpDate), status(200, phonesBody)}, 2, []time.Duration{12 * time.Second}, nil},
		{"Retry-After beyond the cap", []http.HandlerFunc{withRetryAfter(429, "3600"), status(200, phonesBody)}, 2, []time.Duration{30 * time.Second}, nil},
		{"Retry-After garbage falls back to backoff", []http.HandlerFunc{withRetryAfter(503, "soon"), status(200, phonesBody)}, 2, []time.Duration{375 * time.Millisecond}, nil},
		{"503 until the attempts run out", []http.HandlerFunc{status(503, `{"Errors":[{"Error":"busy"}]}`)}, 3, []time.Duration{375 * time.Millisecond, 750 * time.Millisecond}, ErrServer},
		{"500 is not retried", []http.HandlerFunc{status(500, `{"Errors":[{"Error":"boom"}]}`), status(200, phonesBody)}, 1, nil, ErrServer},
		{"403 is not retried", []http.HandlerFunc{status(403, `{"Errors":[{"Error":"no"}]}`), status(200, phonesBody)}, 1, nil, ErrForbidden},
		{"404 is not retried", []http.HandlerFunc{status(404, noPhoneBody), status(200, phonesBody)}, 1, nil, ErrNotFound},
		{"truncated JSON is not retried", []http.HandlerFunc{status(200, phonesBody[:40]), status(200, phonesBody)}, 1, nil, ErrMalformedResponse},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.handle(phonesPath, sequence(tc.handlers...))
			_, err := f.client.PhoneNumbers(t.Context(), "12345")
			if tc.wantErr == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tc.wantErr)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr, "the last answer's error is kept")
				assert.Equal(t, int(tc.requests), apiErr.Attempts)
			}
			assert.Equal(t, tc.requests, f.requests.Load())
			assert.Equal(t, tc.waits, f.recordedWaits())
		})
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{MaxAttempts: 10, BaseDelay: time.Second, MaxWait: 5 * time.Second}
	assert.Equal(t, 500*time.Millisecond, p.backoff(1, 0))
	assert.Equal(t, time.Second, p.backoff(1, 1))
	assert.Equal(t, 2*time.Second, p.backoff(2, 1))
	assert.Equal(t, 4*time.Second, p.backoff(3, 1))
	assert.Equal(t, 5*time.Second, p.backoff(4, 1))
	assert.Equal(t, 5*time.Second, p.backoff(60, 1), "no overflow")
	assert.Equal(t, 2500*time.Millisecond, p.backoff(60, 0))
}

func TestStoreIsNeverRetried(t *testing.T) {
	t.Parallel()
	for _, h := range []http.HandlerFunc{
		status(503, `{"Errors":[{"Error":"busy"}]}`),
		status(429, `{"Errors":[{"Error":"slow down"}]}`),
		status(502, ""),
		dropConnection,
	} {
		f := setup(t)
		f.handle("POST /brand/FOO/storecustomerandorder/*", sequence(h, status(200, receiptBody)))
		_, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
		require.Error(t, err)
		assert.EqualValues(t, 1, f.requests.Load(), "the submission reached the server exactly once")
		assert.Empty(t, f.recordedWaits())
	}
}

// dropConnection closes the connection without an answer.
func dropConnection(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

func TestTransportFailuresAreRetriedForLookups(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle(phonesPath, sequence(dropConnection, status(200, phonesBody)))
	_, err := f.client.PhoneNumbers(t.Context(), "12345")
	require.NoError(t, err)
	assert.EqualValues(t, 2, f.requests.Load())

	// A connection dropped after the headers is a transport failure too, not a bad answer.
	f = setup(t)
	f.handle(phonesPath, sequence(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", "5000")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		_, _ = w.Write([]byte(phonesBody[:100]))
		_ = http.NewResponseController(w).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}, status(200, phonesBody)))
	_, err = f.client.PhoneNumbers(t.Context(), "12345")
	require.NoError(t, err)
	assert.EqualValues(t, 2, f.requests.Load())
}

// TestPerAttemptTimeoutEndsAHungAttempt counts attempts where the client makes them, at its
// transport: with a 20 ms timeout an attempt may time out while it connects, before the server
// sees it, so the server's count may be short of the attempts made.
func TestPerAttemptTimeoutEndsAHungAttempt(t *testing.T) {
	t.Parallel()
	counted, attempts := countAttempts(t)
	f := setup(t, counted, WithTimeout(20*time.Millisecond), WithRetryPolicy(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxWait: time.Millisecond}))
	f.handle(phonesPath, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	_, err := f.client.PhoneNumbers(t.Context(), "12345")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "phoneLookupByCustomerId")
	assert.EqualValues(t, 2, attempts.Load(), "a timed-out attempt is retried")
	assert.LessOrEqual(t, f.requests.Load(), int32(2), "no attempt beyond the policy's two")
}

func TestCancelledContextEndsTheCall(t *testing.T) {
	t.Parallel()
	t.Run("while the server hangs", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		ctx, cancel := context.WithCancel(t.Context())
		f.handle(phonesPath, func(w http.ResponseWriter, r *http.Request) {
			cancel()
			<-r.Context().Done()
		})
		_, err := f.client.PhoneNumbers(ctx, "12345")
		require.ErrorIs(t, err, context.Canceled)
		assert.EqualValues(t, 1, f.requests.Load(), "a cancelled call is not retried")
	})
	t.Run("while waiting to retry", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		ctx, cancel := context.WithCancel(t.Context())
		f.client.sleep = func(ctx context.Context, _ time.Duration) error {
			cancel()
			return ctx.Err()
		}
		f.handle(phonesPath, status(503, `{"Errors":[{"Error":"busy"}]}`))
		_, err := f.client.PhoneNumbers(ctx, "12345")
		require.ErrorIs(t, err, context.Canceled)
		require.ErrorIs(t, err, ErrServer, "the last failure is kept")
		assert.EqualValues(t, 1, f.requests.Load())
	})
	t.Run("real sleep ends with the context", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		assert.ErrorIs(t, sleepContext(ctx, time.Hour), context.Canceled)
		assert.NoError(t, sleepContext(t.Context(), 0))
	})
}

func TestTLSFailuresAreNotRetried(t *testing.T) {
	t.Parallel()
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { respond(w, 200, phonesBody) }))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c, err := New("FOO", testAppID, WithBaseURL(srv.URL+"/webservices/rest"))
	require.NoError(t, err)
	c.sleep = func(context.Context, time.Duration) error { return nil }
	_, err = c.PhoneNumbers(t.Context(), "12345")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "certificate")
	assert.EqualValues(t, 1, conns.Load(), "one handshake, no retry")
	var apiErr *APIError
	assert.False(t, errors.As(err, &apiErr))
}
