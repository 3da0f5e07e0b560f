package wrapper

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says when and how long a lookup is retried. The store call is never retried:
// Omeda queues it without an idempotency key, and a repeat can create a duplicate customer.
//
// A lookup is retried after a transport failure (not after the caller's context ended, and
// not after a TLS or certificate failure, which a retry cannot mend) and after a 429, 502, 503
// or 504 answer. A 500 is not retried: Omeda advises against repeating requests then. Between
// attempts the client waits what Retry-After asks (seconds or an HTTP date) or else an
// exponential backoff with jitter; every wait is capped at MaxWait and ends when the context
// ends. When the attempts run out, the last error is returned.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts in all, the first included, from 1 to 20; 1
	// disables retries.
	MaxAttempts int
	// BaseDelay is the backoff before the second attempt; it doubles for each further one.
	BaseDelay time.Duration
	// MaxWait caps every wait, Retry-After included; it must be positive when MaxAttempts is
	// above 1. Neither delay may be negative.
	MaxWait time.Duration
}

// DefaultRetryPolicy returns the policy a client uses unless WithRetryPolicy says otherwise: 3
// attempts, waiting about 0.5 s then 1 s, and honouring Retry-After up to 30 s. It is a function,
// not a variable, so that no package can change every other package's default.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, BaseDelay: 500 * time.Millisecond, MaxWait: 30 * time.Second}
}

// NoRetries returns a policy that makes every call a single attempt.
func NoRetries() RetryPolicy { return RetryPolicy{MaxAttempts: 1} }

func (p RetryPolicy) validate() error {
	switch {
	case p.MaxAttempts < 1 || p.MaxAttempts > 20:
		return fmt.Errorf("retry policy: MaxAttempts %d must be between 1 and 20", p.MaxAttempts)
	case p.BaseDelay < 0 || p.MaxWait < 0:
		return fmt.Errorf("retry policy: delays must not be negative")
	case p.MaxAttempts > 1 && p.MaxWait == 0:
		return fmt.Errorf("retry policy: MaxWait must be positive when retrying")
	}
	return nil
}

// retryableStatus reports whether an answer with this status is worth another attempt.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableTransport reports whether a failure to get an answer is worth another attempt: not
// when the caller's context is done, and not for TLS and certificate failures.
func retryableTransport(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var (
		verify   *tls.CertificateVerificationError
		record   tls.RecordHeaderError
		alert    tls.AlertError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
	)
	switch {
	case errors.As(err, &verify), errors.As(err, &record), errors.As(err, &alert),
		errors.As(err, &unknown), errors.As(err, &hostname), errors.As(err, &invalid):
		return false
	}
	return true
}

// backoff is the wait before attempt+1 when the server did not say: BaseDelay doubled per
// attempt, capped at MaxWait, of which the second half is random.
func (p RetryPolicy) backoff(attempt int, jitter float64) time.Duration {
	d := p.BaseDelay
	for i := 1; i < attempt && d < p.MaxWait; i++ {
		d *= 2
	}
	if d > p.MaxWait {
		d = p.MaxWait
	}
	return d/2 + time.Duration(jitter*float64(d/2))
}

// retryAfter reads a Retry-After header, in seconds or as an HTTP date, relative to now.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		if d := at.Sub(now); d > 0 {
			return d, true
		}
		return 0, true
	}
	return 0, false
}

// wait is how long to wait before the next attempt after an answer (h may be nil).
func (c *Client) wait(attempt int, h http.Header) time.Duration {
	d, ok := retryAfter(h, c.now())
	if !ok {
		d = c.retry.backoff(attempt, c.jitter())
	}
	if d > c.retry.MaxWait {
		d = c.retry.MaxWait
	}
	return d
}
