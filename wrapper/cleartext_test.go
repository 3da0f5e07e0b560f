package wrapper

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCleartextBaseURLIsWarnedOnce: a plain http base URL to another machine is accepted
// (never refused) and warned about once, at construction, on the client's logger; https and
// loopback (the sandbox) are not.
func TestCleartextBaseURLIsWarnedOnce(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		base string
		warn bool
	}{
		{"http://api.example.com/webservices/rest", true},
		{"HTTP://10.0.0.7:8080/webservices/rest", true},
		{"http://[2001:db8::1]/webservices/rest", true},
		{"http://localhost.example.com/webservices/rest", true},
		{"https://api.example.com/webservices/rest", false},
		{"http://127.0.0.1:8080/webservices/rest", false},
		{"http://127.9.9.9/webservices/rest", false},
		{"http://[::1]:8080/webservices/rest", false},
		{"http://localhost:8080/webservices/rest", false},
		{"http://sandbox.localhost/webservices/rest", false},
	} {
		t.Run(tc.base, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			c, err := New("FOO", testAppID, WithBaseURL(tc.base),
				WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			require.NoError(t, err, "never refused")
			assert.Equal(t, tc.warn, c.Cleartext())
			if !tc.warn {
				assert.NotContains(t, logs.String(), CleartextMessage)
				return
			}
			assert.Equal(t, 1, strings.Count(logs.String(), CleartextMessage), logs.String())
			assert.Contains(t, logs.String(), "level=WARN")
			assert.Contains(t, logs.String(), "clear text")
			assert.NotContains(t, logs.String(), "/webservices", "the host only")
		})
	}
}
