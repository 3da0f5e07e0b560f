package wrapper

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAnErrorEntryKeepsEveryError: the vendor's transaction page writes two problems as one
// entry that names Error twice; encoding/json kept the last only, so an error envelope of that
// shape lost a problem. Every Error of an entry is a message, in order, whatever the status and
// the operation; the other members are read as before.
func TestAnErrorEntryKeepsEveryError(t *testing.T) {
	t.Parallel()
	const errs = `"Errors":[{"Error":"invalid email","error":"vulgarity","MergedIntoCustomerId":99999},{"Error":"third"}]`
	f := setup(t, WithRetryPolicy(NoRetries()))
	f.handle("GET /brand/FOO/customer/22/phone/*", status(404, `{"SubmissionId":"s-1",`+errs+`}`))
	f.handle("GET /brand/FOO/customer/23/phone/*", status(200, `{"SubmissionId":"s-2",`+errs+`}`))
	f.handle(changesPattern, status(200, `{"SubmissionId":"s-3",`+errs+`}`))
	want := []string{"invalid email", "vulgarity", "third"}

	_, err := f.client.PhoneNumbers(t.Context(), "22")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, want, apiErr.Messages, "a 404")
	assert.EqualValues(t, 99999, apiErr.MergedIntoCustomerID, "the merge is read as before")

	_, err = f.client.PhoneNumbers(t.Context(), "23")
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, want, apiErr.Messages, "an envelope on a 200")

	_, err = f.client.ChangedCustomers(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0))
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, want, apiErr.Messages, "a change window's envelope")
}

// TestAnErrorEntryIsReadAsBefore: entries without a repeated Error read as encoding/json read
// them: names in any case, a null Error skipped, a null entry empty, a non-string Error not an
// envelope.
func TestAnErrorEntryIsReadAsBefore(t *testing.T) {
	t.Parallel()
	for body, want := range map[string][]string{
		`{"Errors":[{"ERROR":"upper"}]}`:                          {"upper"},
		`{"Errors":[{"Error":null,"Error":"after a null"}]}`:      {"after a null"},
		`{"Errors":[{"Other":{"Error":"nested"},"Error":"top"}]}`: {"top"},
		`{"Errors":[null]}`:                                       {""},
		// An empty Error beside another says nothing: {"Error":"","Error":"b"} was "b".
		`{"Errors":[{"Error":"","Error":"b"}]}`: {"b"},
		`{"Errors":[{"Error":"a","Error":""}]}`: {"a"},
		`{"Errors":[{"Error":"","Error":""}]}`:  {""},
	} {
		var v envelope
		require.NoError(t, unmarshalEnvelope(body, &v), body)
		var got []string
		for _, e := range v.Errors {
			got = append(got, e.texts()...)
		}
		assert.Equal(t, want, got, body)
	}
	var v envelope
	assert.Error(t, unmarshalEnvelope(`{"Errors":[{"Error":123}]}`, &v))
	assert.Error(t, unmarshalEnvelope(`{"Errors":["text"]}`, &v))
}

func unmarshalEnvelope(body string, v *envelope) error { return json.Unmarshal([]byte(body), v) }
