package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/wrapper"
)

// TestNoSecretInAnyOutput drives the tool through its error paths, verbose, with a server that
// echoes the credentials back in every way it can; omeda() fails the test if either credential
// appears in stdout or stderr.
func TestNoSecretInAnyOutput(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	echo := func(status int, contentType string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			app, input := r.Header.Get("x-omeda-appid"), r.Header.Get("x-omeda-inputid")
			if contentType == "application/json" {
				_, _ = w.Write([]byte(`{"SubmissionId":"` + app + `","Errors":[{"Error":"bad credentials ` + app + ` / ` + input + `"}]}`))
				return
			}
			_, _ = w.Write([]byte("<pre>x-omeda-appid: " + app + "\nx-omeda-inputid: " + input + "</pre>"))
		}
	}
	s.mux.HandleFunc("GET /brand/FOO/customer/1/phone/*", echo(403, "application/json"))
	s.mux.HandleFunc("GET /brand/FOO/customer/2/phone/*", echo(502, "text/html"))
	s.mux.HandleFunc("GET /brand/FOO/customer/3/phone/*", echo(200, "text/html"))
	s.mux.HandleFunc("GET /brand/FOO/customer/4/mergehistory/*", echo(200, "application/json"))
	s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*", echo(400, "application/json"))
	s.mux.HandleFunc("GET /brand/FOO/customer/change/startdate/{s}/enddate/{e}/*", echo(500, "text/plain"))

	env := s.env()
	flagsOnly := map[string]string{"OMEDA_BASE_URL": s.URL + "/webservices/rest", "OMEDA_BRAND": "FOO"}
	runs := []struct {
		env  map[string]string
		args []string
		code int
	}{
		{env, []string{"phones", "--verbose", "1"}, 1},
		{env, []string{"phones", "--verbose", "2"}, 1},
		{env, []string{"phones", "--verbose", "3"}, 1},
		{env, []string{"merges", "--verbose", "4"}, 1},
		{env, []string{"changes", "--verbose", "--from", "2024-01-01", "--to", "2024-02-01"}, 1},
		{flagsOnly, []string{"store", "--verbose", "--app-id", appID, "--input-id", inputID, "-"}, 1},
		{flagsOnly, []string{"phones", "--verbose", "--app-id", appID, "--timeout", "soon", "1"}, 2},
		{flagsOnly, []string{"phones", "--app-id", appID, "--input-id", inputID, "--brand", "../x", "1"}, 2},
		{flagsOnly, []string{"phones", "--app-id", appID[:5] + "\t" + appID[5:], "1"}, 2},
		{map[string]string{"OMEDA_APP_ID": appID, "OMEDA_INPUT_ID": inputID}, []string{"phones", "--verbose", "1"}, 2},
		{env, []string{"store", "--verbose", "-"}, 2}, // refused: not JSON
		{env, []string{"phones", "--verbose", "--base-url", "https://user:" + appID + "@example.com/x", "1"}, 2},
	}
	for _, r := range runs {
		stdin := `{"FirstName":"Ann"}`
		if r.args[0] == "store" && r.code == 2 {
			stdin = "not json " + appID
		}
		res := omeda(t, r.env, stdin, r.args...)
		assert.Equal(t, r.code, res.code, "%v: %s", r.args, res.stderr)
	}

	// The sandbox, told which credentials to require, refuses others without echoing either.
	r := omeda(t, map[string]string{"OMEDA_APP_ID": appID}, "", "phones", "--sandbox", "--verbose", "12345")
	assert.Equal(t, 0, r.code, r.stderr)
}

// TestSubmissionLinesRedactEscapedCredentials: a warning or a refusal quotes a value of the
// submission as JSON, so an app id split by a control character arrives as the text
// `App\u0001Id`; the door reads the escape as the character it stands for and redacts it.
func TestSubmissionLinesRedactEscapedCredentials(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*", reply(200, `{"ResponseInfo":[{"TransactionId":77,"Url":"https://x/transaction/77/*"}]}`))
	for _, sep := range []string{`\u0001`, `\u200b`, `\n`, `\u0000`} {
		split := appID[:5] + sep + appID[5:]
		// An unknown element is sent with a warning; a bad type is refused: both quote the value.
		r := omeda(t, s.env(), `{"FirstName":"A","Foo":"`+split+`"}`, "store", "-")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Contains(t, r.stderr, `omeda store: warning: /Foo:`)
		assert.Contains(t, r.stderr, wrapper.Redacted, "the quoted value is redacted")
		assertNoCredential(t, r.stderr, sep)
		r = omeda(t, s.env(), `{"FirstName":["`+split+`"]}`, "store", "-")
		require.Equal(t, 2, r.code, r.stderr)
		assertNoCredential(t, r.stderr, sep)
	}
}

// assertNoCredential fails when text holds the app id or the input id, whole or split by sep.
func assertNoCredential(t *testing.T, text, sep string) {
	t.Helper()
	for _, secret := range []string{appID, inputID} {
		assert.NotContains(t, text, secret)
		assert.NotContains(t, text, secret[:5]+sep+secret[5:])
	}
}

// TestStoreRedactsCardDataUnderADifferentlyCasedName: card fields spelled in another case are
// sent (with a warning); their values, echoed by Omeda, are redacted like the documented ones.
func TestStoreRedactsCardDataUnderADifferentlyCasedName(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*", reply(400, `{"Errors":[{"Error":"card 4111111111111111 cvv 987 exp 0230 declined"}]}`))
	order := `{"FirstName":"Ann","BillingInformation":{"creditcardnumber":"4111111111111111","cardSecurityCode":"987","CreditCardType":"1",` +
		`"expirationdate":"0230","NameOnCard":"Ann Lee","DoCharge":"False","BillingStreet":"1 Main St","BillingCity":"Chicago",` +
		`"BillingCountryCode":"USA","BillingRegion":"IL","BillingPostalCode":"60601"}}`
	r := omeda(t, s.env(), order, "store", "-")
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Contains(t, r.stderr, "declined")
	for _, secret := range []string{"4111", "987", "0230"} {
		assert.NotContains(t, r.stdout+r.stderr, secret)
	}
}
