package wrapper

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUnreadReceiptReachesTheCaller: a submission answered with a success status whose body is
// not the documented receipt was sent, and Omeda may have queued it. The error says so, in
// words a person reads as "do not send it again", and carries the answer as it came (cleaned),
// the only record of what Omeda did with it.
func TestUnreadReceiptReachesTheCaller(t *testing.T) {
	t.Parallel()
	const card = "4111111111111111"
	payload := `{"FirstName":"Ann","BillingInformation":{"CreditCardNumber":"` + card + `","CreditCardType":"1",` +
		`"ExpirationDate":"0230","CardSecurityCode":"987","NameOnCard":"Ann Lee","DoCharge":"False","BillingStreet":"1 Main St",` +
		`"BillingCity":"Chicago","BillingCountryCode":"USA","BillingRegion":"IL","BillingPostalCode":"60601"}}`
	for _, tc := range []struct {
		name, contentType, body string
		status                  int
		raw                     string // what Raw holds
	}{
		{"empty ResponseInfo", "application/json", `{"ResponseInfo":[],"SubmissionId":"S-1"}`, 200, `{"ResponseInfo":[],"SubmissionId":"S-1"}`},
		{"no ResponseInfo", "application/json", `{"SubmissionId":"S-2"}`, 200, `{"SubmissionId":"S-2"}`},
		{"malformed JSON", "application/json", `{"ResponseInfo":[{"TransactionId":8907512`, 200, `{"ResponseInfo":[{"TransactionId":8907512`},
		{"wrong type", "application/json", `{"ResponseInfo":[{"TransactionId":"eight"}]}`, 200, `{"ResponseInfo":[{"TransactionId":"eight"}]}`},
		{"HTML page", "text/html", "<html>\nQueued " + testAppID + "</html>", 200, `<html>\nQueued [REDACTED]</html>`},
		{"error envelope in a 200", "application/json", `{"SubmissionId":"S-3","Errors":[{"Error":"card ` + card + ` declined"}]}`, 200,
			`{"SubmissionId":"S-3","Errors":[{"Error":"card [REDACTED] declined"}]}`},
		{"202 with an empty body", "application/json", ``, 202, ``},
		{"201 echoing the card field", "application/json", `{"CreditCardNumber":"` + card + `"}`, 201, `{"CreditCardNumber":"[REDACTED]"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.handle(storePattern, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			receipt, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(payload))
			require.Error(t, err)
			assert.Nil(t, receipt)
			assert.EqualValues(t, 1, f.requests.Load(), "sent once, never again")

			var unread *UnreadReceiptError
			require.ErrorAs(t, err, &unread)
			assert.Equal(t, tc.raw, unread.Raw)
			assert.False(t, unread.Truncated)
			assert.Equal(t, tc.status, unread.StatusCode)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr, "still an *APIError underneath")
			assert.NotErrorIs(t, err, ErrInvalidInput)

			msg := err.Error()
			assert.Contains(t, msg, "the submission was sent and Omeda may have queued it: do not send it again")
			assert.NotContains(t, msg, "nothing was sent")
			assert.NotContains(t, msg, card)
			assert.NotContains(t, unread.Raw, card)
			assertNoSecrets(t, msg+unread.Raw)
			assert.True(t, oneCleanLine(msg), msg)
		})
	}
}

// TestUnreadReceiptIsBounded: a huge answer is kept to its first 64 KiB.
func TestUnreadReceiptIsBounded(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle(storePattern, status(200, `{"SubmissionId":"`+strings.Repeat("a", 200<<10)+`"}`))
	_, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
	var unread *UnreadReceiptError
	require.ErrorAs(t, err, &unread)
	assert.True(t, unread.Truncated)
	assert.LessOrEqual(t, len(unread.Raw), 64<<10+64)
}

// TestStoreErrorsOffSuccessStayAPIErrors: a refusal (4xx) is not an UnreadReceiptError.
func TestStoreErrorsOffSuccessStayAPIErrors(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle(storePattern, status(400, `{"Errors":[{"Error":"bad"}]}`))
	_, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
	var unread *UnreadReceiptError
	assert.False(t, errors.As(err, &unread))
	assert.ErrorIs(t, err, ErrBadRequest)
}
