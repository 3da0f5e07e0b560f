package wrapper

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The referee's cosmetic findings: a message says each thing once.

// TestAnIdleTimeoutIsNamedOnce: a stream whose server stalls (before its headers, or inside
// the body) fails with the idle timeout named once, still matching context.DeadlineExceeded.
func TestAnIdleTimeoutIsNamedOnce(t *testing.T) {
	t.Parallel()
	for name, handler := range map[string]http.HandlerFunc{
		"before the headers": func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
		"inside the body": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"Customers":[`))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(handler)
			t.Cleanup(srv.Close)
			c, err := New("FOO", testAppID, WithBaseURL(srv.URL+"/webservices/rest"),
				WithTimeout(100*time.Millisecond), WithRetryPolicy(NoRetries()))
			require.NoError(t, err)
			from := time.Date(2024, 1, 1, 0, 0, 0, 0, chicagoZone)
			var got error
			for _, err := range c.ChangedCustomerStream(t.Context(), from, from.Add(time.Hour)) {
				if err != nil {
					got = err
					break
				}
			}
			require.Error(t, got)
			assert.ErrorIs(t, got, context.DeadlineExceeded)
			assert.Contains(t, got.Error(), "nothing arrived within the per-attempt idle timeout of 100ms")
			assert.Equal(t, 1, strings.Count(got.Error(), "idle timeout"), got.Error())
		})
	}
}

// TestAQuotedValueIsEscapedOnce: an id or brand quoted in a refusal shows a control character
// as one escape (\x1b), not the escape's backslash escaped again (\\x1b), and a quote inside it
// escaped.
func TestAQuotedValueIsEscapedOnce(t *testing.T) {
	t.Parallel()
	err := CheckCustomerID("\x1b[2Jabc")
	require.ErrorIs(t, err, ErrInvalidInput)
	assert.Contains(t, err.Error(), `customer id "\x1b[2Jabc" is neither`)
	assert.NotContains(t, err.Error(), `\\`)
	err = CheckCustomerID(`12"34`)
	require.ErrorIs(t, err, ErrInvalidInput)
	assert.Contains(t, err.Error(), `customer id "12\"34" is neither`)
	_, err = New("F\x1bOO", testAppID, WithBaseURL("http://127.0.0.1:1/webservices/rest"))
	require.ErrorIs(t, err, ErrInvalidInput)
	assert.Contains(t, err.Error(), `brand abbreviation "F\x1bOO"`)
}
