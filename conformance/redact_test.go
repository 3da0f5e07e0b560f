package conformance

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/wrapper"
)

// TestReportsAndCassettesKeepNoSecret runs a client through a Transport with a Recorder against a
// server that echoes the credentials and the card of the submission in disguises (split by a
// control character, a line break or a zero-width space, the card with spaces, hyphens or a
// control character) in documented and undocumented fields of every answer. Neither the cassettes
// nor the violation and drift texts may keep any of them: they pass the SDK's one door.
func TestReportsAndCassettesKeepNoSecret(t *testing.T) {
	t.Parallel()
	const card, cvv = "4111111111111111", "737"
	disguises := []string{
		secretApp, strings.ToLower(secretApp), secretApp[:6] + "\x01" + secretApp[6:], secretApp[:6] + "\n" + secretApp[6:],
		secretInput[:4] + "\u200b" + secretInput[4:],
		card, card[:4] + " " + card[4:8] + " " + card[8:12] + " " + card[12:], card[:4] + "-" + card[4:8] + "-" + card[8:12] + "-" + card[12:],
		card[:8] + "\x01" + card[8:], "cvv " + cvv,
	}
	raw, err := json.Marshal(strings.Join(disguises, " | "))
	require.NoError(t, err)
	echo := string(raw)
	status := 200
	rec := newRecorded(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		switch {
		case status != 200:
			_, _ = fmt.Fprintf(w, `{"Errors":[{"Error":%s}],"SubmissionId":%s}`, echo, echo)
		case strings.Contains(r.URL.Path, "/phone/"):
			_, _ = fmt.Fprintf(w, `{"Customer":%s,"PhoneNumbers":[{"Id":1,"PhoneNumber":%s,"PhoneContactType":200,"StatusCode":1,"ChangedDate":%s}],"SubmissionId":%s}`, echo, echo, echo, echo)
		case strings.Contains(r.URL.Path, "/transaction/"):
			_, _ = fmt.Fprintf(w, `{"TransactionId":8907512,"Status":9,"Errors":[{"Error":%s}],"SubmissionId":%s,"Extra":%s}`, echo, echo, echo)
		default:
			_, _ = fmt.Fprintf(w, `{"ResponseInfo":[{"TransactionId":8907512,"Url":%s,"CardEcho":%s}],"SubmissionId":%s,%s:1}`, echo, echo, echo, echo)
		}
	}), wrapper.WithRetryPolicy(wrapper.NoRetries()))
	client, tr, dir := rec.client, rec.tr, rec.dir
	paid := `{"FirstName":"James","BillingInformation":{"CreditCardType":"1","CreditCardNumber":"` + card + `","ExpirationDate":"1230",` +
		`"CardSecurityCode":"` + cvv + `","NameOnCard":"James Smith","DoCharge":"False","BillingStreet":"1 Main","BillingCity":"X",` +
		`"BillingRegion":"IL","BillingPostalCode":"60062","BillingCountryCode":"USA"},"Products":[{"OmedaProductId":14,"Receive":1,"Term":"12","Amount":"65.00"}]}`
	for _, st := range []int{200, 400, 500} {
		status = st
		_, _ = client.StoreCustomerAndOrderJSON(t.Context(), []byte(paid))
		_, _ = client.PhoneNumbers(t.Context(), "12345")
		_, _ = client.Transaction(t.Context(), 8907512)
	}
	require.Equal(t, 9, tr.Exchanges())

	var texts []string
	for _, x := range tr.Violations() {
		texts = append(texts, x.String())
	}
	for _, d := range tr.Drift() {
		texts = append(texts, d.String())
	}
	report := strings.Join(texts, "\n")
	assert.Contains(t, report, `/Extra: element "Extra" is not one the contract documents`, "the drift is reported")
	assert.Contains(t, report, `(value "[REDACTED] | [REDACTED]`, "with its value redacted")

	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 9)
	var cassettes []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		c, err := LoadCassette(f)
		require.NoError(t, err)
		// The strings as they decode: a JSON escape hides nothing.
		var decoded any
		require.NoError(t, json.Unmarshal(data, &decoded))
		cassettes = append(cassettes, fmt.Sprint(decoded), string(c.Response.Body), c.Response.BodyText)
	}
	for name, text := range map[string]string{"report": report, "cassettes": strings.Join(cassettes, "\n")} {
		// Normalised as the door matches: separators, controls and case do not hide a secret.
		norm := strings.Map(func(r rune) rune {
			if r == ' ' || r == '-' || r == '\n' || r == '\x01' || r == '\u200b' {
				return -1
			}
			return r
		}, strings.ToLower(text))
		norm = strings.NewReplacer(`\u0001`, "", `\u200b`, "", `\x01`, "", `\n`, "").Replace(norm)
		for _, secret := range []string{secretApp, secretInput, card, "cvv" + cvv} {
			if i := strings.Index(norm, strings.ToLower(strings.ReplaceAll(secret, "-", ""))); i >= 0 {
				t.Errorf("%s keep %s: …%s…", name, secret, norm[max(0, i-200):min(len(norm), i+60)])
			}
		}
	}
}

// TestTransportSecretsCoverWhatARequestDoesNotCarry gives the transport the client's input id: a
// lookup (whose request carries no input id) whose answer echoes it, disguised, keeps it out of
// the cassette and the drift.
func TestTransportSecretsCoverWhatARequestDoesNotCarry(t *testing.T) {
	t.Parallel()
	disguised := secretInput[:4] + "\u200b" + secretInput[4:]
	rec := newRecorded(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		raw, _ := json.Marshal(disguised)
		_, _ = fmt.Fprintf(w, `{"CustomerMergeHistory":[{"Id":22}],"SubmissionId":%s,"Note":%s}`, raw, raw)
	}))
	client, tr, dir := rec.client, rec.tr, rec.dir
	tr.Secrets = []string{secretApp, secretInput}
	_, err := client.MergeHistory(t.Context(), "99999")
	require.NoError(t, err)

	drift := DriftSummary(tr.Drift())
	assert.Contains(t, drift, `/Note: element "Note" is not one the contract documents (misspelled?) (value "[REDACTED]")`)
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	data, err := os.ReadFile(files[0])
	require.NoError(t, err)
	assert.NotContains(t, string(data), secretInput[4:])
	assert.Contains(t, string(data), `"SubmissionId": "[REDACTED]"`)
}
