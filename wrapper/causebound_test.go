package wrapper

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAMalformedAnswersCauseIsBounded: encoding/json quotes a number literal whole in its
// errors, so an answer holding a number of a megabyte where an id belongs gave an APIError
// whose Err.Error() was a megabyte long (Error() cut it; Err did not). The cause is cut at
// 1 KiB, after it is redacted, on every operation's decoding path.
func TestAMalformedAnswersCauseIsBounded(t *testing.T) {
	t.Parallel()
	huge := "1" + strings.Repeat("0", 1<<20)
	f := setup(t, WithRetryPolicy(NoRetries()))
	f.handle("GET /brand/FOO/customer/12345/phone/*", status(200, `{"PhoneNumbers":[{"Id":`+huge+`,"PhoneNumber":"1"}]}`))
	_, err := f.client.PhoneNumbers(t.Context(), "12345")
	require.ErrorIs(t, err, ErrMalformedResponse)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.Error(t, apiErr.Err)
	assert.Less(t, len(apiErr.Err.Error()), 2<<10, "the cause is bounded")
	assert.Less(t, len(err.Error()), 2<<10)
	assert.Contains(t, apiErr.Err.Error(), "10000", "the cause still says what it found")
}
