package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/omeda-go/omeda-go/internal/spec"
)

// TestAOneCharacterAppIDDoesNotGarbleOutput (finding D17): with OMEDA_APP_ID=x, as the sandbox
// help suggests, neither the error line nor the answer has its x's redacted: a credential
// shorter than wrapper.MinSecretLength is not looked for, on every path.
func TestAOneCharacterAppIDDoesNotGarbleOutput(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /webservices/rest/brand/FOO/customer/12345/phone/*", reply(404, `{"Errors":[{"Error":"flex index: no phone for customer 12345"}]}`))
	mux.HandleFunc("GET /webservices/rest/brand/FOO/customer/777/phone/*", reply(200, `{"Customer":"x","PhoneNumbers":[{"Id":1,"PhoneNumber":"flex-x"}]}`))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	env := map[string]string{"OMEDA_BASE_URL": srv.URL + "/webservices/rest", "OMEDA_BRAND": "FOO", "OMEDA_APP_ID": "x"}
	r := omeda(t, env, "", "phones", "12345")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "flex index: no phone for customer 12345")
	assert.NotContains(t, r.stderr, "[REDACTED]")

	r = omeda(t, env, "", "phones", "777")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"flex-x"`)
	assert.NotContains(t, r.stdout, "[REDACTED]")
}

// TestStoreLooksForTheCardNumberByValueAlone: after omeda store, the card number is redacted
// wherever it is echoed, in any form, while a three-digit security code or a four-digit expiry,
// shorter than wrapper.MinSecretLength, does not garble the dates and ids that hold its digits
// by chance (SECURITY.md, card data).
func TestStoreLooksForTheCardNumberByValueAlone(t *testing.T) {
	t.Parallel()
	var r Redactor
	r.Add(spec.SecretValues([]byte(`{"BillingInformation":{"CreditCardNumber":"4111111111111111","CardSecurityCode":"737","ExpirationDate":"1230"}}`))...)
	assert.Equal(t, "card [REDACTED], order 737 of 2026-12-30 12:30", r.Line("card 4111-1111-1111-1111, order 737 of 2026-12-30 12:30"))
}
