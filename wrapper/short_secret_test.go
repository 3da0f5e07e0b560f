package wrapper

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAShortCredentialDoesNotGarbleErrors (finding D17): a one-character app id (the sandbox
// help's own OMEDA_APP_ID=x) is not looked for, on any path: an error quoting a vendor text
// full of x's stays readable, as the answers do.
func TestAShortCredentialDoesNotGarbleErrors(t *testing.T) {
	t.Parallel()
	f := setup(t)
	c, err := New("FOO", "x", WithBaseURL(f.server.URL+basePath), WithRetryPolicy(NoRetries()))
	require.NoError(t, err)
	f.handle(phonesPath, status(404, `{"Errors":[{"Error":"flex box: no phone for customer 12345"}]}`))
	_, err = c.PhoneNumbers(t.Context(), "12345")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "flex box: no phone for customer 12345")
	assert.NotContains(t, err.Error(), Redacted)

	r := NewRedactor("x", "ab-c", "12345")
	assert.Equal(t, "flex ab-c 12345", r.Clean("flex ab-c 12345"), "shorter than MinSecretLength: not looked for")
	assert.Equal(t, `{"flex":"x"}`, string(r.JSON([]byte(`{"flex":"x"}`))), "answers alike")
	assert.Equal(t, "id [REDACTED]", NewRedactor("abc-def").Clean("id ABCDEF"), "six characters, once normalised")
}

// TestCardValuesAreLookedForWhateverTheirLength: a submission's security code and expiry are a
// few digits, yet an error that echoes them must not show them.
func TestCardValuesAreLookedForWhateverTheirLength(t *testing.T) {
	t.Parallel()
	r := NewRedactor("secret-app-id").WithCard("987", "0230")
	assert.Equal(t, "cvv [REDACTED], expires [REDACTED]", r.Clean("cvv 987, expires 0230"))
	assert.Equal(t, "cvv 987", NewRedactor("987").Clean("cvv 987"), "a credential that short is not")
}
