package wrapper

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/internal/testlog"
)

// TestZeroRedactorEscapesButRedactsNothing holds Redactor's "the zero value redacts nothing but
// still escapes": Clean escapes control characters on one line, Redact and JSON leave their
// input as it is.
func TestZeroRedactorEscapesButRedactsNothing(t *testing.T) {
	t.Parallel()
	var r Redactor
	assert.Equal(t, `key `+testAppID+`\r\n\x1b[2J`, r.Clean("key "+testAppID+"\r\n\x1b[2J"))
	assert.Equal(t, "key "+testAppID+"\n", r.Redact("key "+testAppID+"\n"))
	doc := []byte(`{"Note":"` + testAppID + `","CreditCardNumber":"4111111111111111"}`)
	assert.JSONEq(t, `{"Note":"`+testAppID+`","CreditCardNumber":"[REDACTED]"}`, string(r.JSON(doc)),
		"no secret to find, but card fields are redacted by name whatever the redactor holds")
	// With on the zero value starts from nothing.
	assert.Equal(t, Redacted, r.With(testAppID).Clean(testAppID))
}

// TestSubmissionFailureNamesItsDelivery holds Delivery.String's "names the delivery as the error
// messages do": a submission whose connection closes after the whole request was written says
// so, in the words of Sent.String().
func TestSubmissionFailureNamesItsDelivery(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle(storePattern, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	})
	_, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
	var te *TransportError
	require.ErrorAs(t, err, &te)
	require.Equal(t, Sent, te.Delivery)
	assert.Contains(t, err.Error(), "("+Sent.String()+")")
	assert.EqualValues(t, 1, f.requests.Load(), "never resent")

	names := map[string]Delivery{}
	for _, d := range []Delivery{NotSent, Sent, MaybeSent} {
		names[d.String()] = d
	}
	assert.Len(t, names, 3, "each delivery has a name of its own")
}

// TestLoggerLevelsAreTheDocumentedOnes holds WithLogger's levels: each attempt at debug, each
// retry at warn.
func TestLoggerLevelsAreTheDocumentedOnes(t *testing.T) {
	t.Parallel()
	logger, buf := testlog.JSON()
	f := setup(t, WithLogger(logger))
	f.handle(phonesPath, sequence(status(503, `{"Errors":[{"Error":"busy"}]}`), status(200, phonesBody)))
	_, err := f.client.PhoneNumbers(t.Context(), "12345")
	require.NoError(t, err)

	levels := map[string][]string{}
	for line := range strings.Lines(buf.String()) {
		var rec struct{ Level, Msg string }
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
		levels[rec.Msg] = append(levels[rec.Msg], rec.Level)
	}
	assert.Equal(t, []string{"DEBUG", "DEBUG"}, levels["omeda attempt"], "one record per attempt, at debug")
	assert.Equal(t, []string{"WARN"}, levels["omeda retry"], "one record per retry, at warn")
}

// TestClientCleanRedactsBothCredentials holds Client.Clean: the client's app id and input id,
// however disguised, are redacted, and control characters escaped on one line.
func TestClientCleanRedactsBothCredentials(t *testing.T) {
	t.Parallel()
	c, err := New("FOO", testAppID, WithEnvironment(Staging), WithInputID(testInputID))
	require.NoError(t, err)
	disguisedApp := strings.ToLower(testAppID[:5]) + "\u200b" + testAppID[5:]
	got := c.Clean("app " + disguisedApp + "\r\ninput " + testInputID + "\x1b[2J")
	assert.Equal(t, `app [REDACTED]\r\ninput [REDACTED]\x1b[2J`, got)
}
