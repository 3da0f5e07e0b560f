package wrapper

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
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

// TestUnreadReceiptTruncatedOnlyWhenLonger: Truncated says that the answer went on past what
// Raw holds. An answer of exactly 64 KiB is whole; one byte more is not. Both the JSON path (the
// decoder's copy) and the non-JSON path (the request loop's read, which reads no byte past the
// bound and so relies on the announced length) tell them apart.
func TestUnreadReceiptTruncatedOnlyWhenLonger(t *testing.T) {
	t.Parallel()
	// The JSON is cut short, so that the decoder reads to the end of the body.
	jsonBody := func(n int) string { return `{"SubmissionId":"` + strings.Repeat("a", n-len(`{"SubmissionId":"`)) }
	for _, tc := range []struct {
		name, contentType, body string
		truncated               bool
		unannounced             bool // no Content-Length
	}{
		{"JSON of exactly 64 KiB", "application/json", jsonBody(64 << 10), false, false},
		{"JSON of 64 KiB and one byte", "application/json", jsonBody(64<<10 + 1), true, false},
		{"text of exactly 64 KiB", "text/plain", strings.Repeat("b", 64<<10), false, false},
		{"text of 64 KiB and one byte", "text/plain", strings.Repeat("b", 64<<10+1), true, false},
		// The decoder stops at the x, long before the end of the announced 32 KiB.
		{"JSON that goes wrong early", "application/json", `{"SubmissionId":x` + strings.Repeat(" ", 32<<10), true, false},
		// The decoder reads to the end of the body: it knows.
		{"JSON of exactly 64 KiB, length unannounced", "application/json", jsonBody(64 << 10), false, true},
		// No byte past the bound is read (it could wait on a stalled connection): it may go on.
		{"text of exactly 64 KiB, length unannounced", "text/plain", strings.Repeat("b", 64<<10), true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.handle(storePattern, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				if !tc.unannounced {
					w.Header().Set("Content-Length", strconv.Itoa(len(tc.body)))
				}
				_, _ = w.Write([]byte(tc.body))
			})
			_, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
			var unread *UnreadReceiptError
			require.ErrorAs(t, err, &unread)
			assert.Equal(t, tc.truncated, unread.Truncated, "Raw holds %d of %d bytes", len(unread.Raw), len(tc.body))
		})
	}
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

// TestStoreReceiptWithAKeyTwiceIsUnread: encoding/json keeps the last of two members of the same
// name, matched whatever their case, so a receipt whose "Errors" is followed by an empty
// "errors" read as a clean receipt, and the vendor's error was lost. A receipt that names a
// member twice in one object says two things at once: it is an *UnreadReceiptError carrying the
// answer as it came (the submission was sent; the caller decides), never a pick of one of them.
func TestStoreReceiptWithAKeyTwiceIsUnread(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"ResponseInfo":[{"TransactionId":5}],"Errors":[{"Error":"card declined"}],"Errors":[]}`,
		`{"ResponseInfo":[{"TransactionId":5}],"Errors":[{"Error":"card declined"}],"errors":null}`,
		`{"ResponseInfo":[{"TransactionId":5}],"ResponseInfo":[{"TransactionId":6}]}`,
		`{"ResponseInfo":[{"TransactionId":5,"transactionId":6}]}`,
		`{"ResponseInfo":[{"TransactionId":5,"Url":"u","URL":"v"}],"SubmissionId":"S"}`,
		// encoding/json folds case as bytes.EqualFold does: a long s (U+017F) is an s.
		`{"ResponseInfo":[{"TransactionId":5}],"SubmissionId":"S","Submi\u017f\u017fionId":"T"}`,
		`{"ResponseInfo":[{"TransactionId":5}],"SubmissionId":"S","SubmissionId":"T"}`,
	} {
		f := setup(t)
		f.handle(storePattern, status(200, body))
		receipt, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
		var unread *UnreadReceiptError
		require.ErrorAs(t, err, &unread, body)
		assert.Nil(t, receipt, body)
		assert.Equal(t, body, unread.Raw, "the answer as it came")
		assert.ErrorIs(t, err, ErrMalformedResponse, body)
		assert.Contains(t, err.Error(), "twice", body)
		assert.Contains(t, err.Error(), "do not send it again", body)
		assert.EqualValues(t, 1, f.requests.Load(), "sent once, never again")
	}

	// Different names, the same name in different objects, and a name the receipt does not
	// read (drift, which the client ignores whichever of the two it kept) are a receipt.
	for _, body := range []string{
		`{"ResponseInfo":[{"TransactionId":5,"Url":"u"},{"TransactionId":6,"Url":"v"}],"SubmissionId":"S"}`,
		`{"ResponseInfo":[{"TransactionId":5,"Note":"a","note":"b"},{"TransactionId":6}],"Warning":"x","Warning":"y"}`,
		`{"ResponseInfo":[{"TransactionId":5},{"TransactionId":6,"Extra":{"Id":1,"Id":2}}],"New":[{"A":1,"A":2}]}`,
	} {
		f := setup(t)
		f.handle(storePattern, status(200, body))
		receipt, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
		require.NoError(t, err, body)
		assert.Len(t, receipt.ResponseInfo, 2, body)
	}
}

// TestUnreadReceiptRawIsSafeToPrint: Raw is the answer as it came, to show or store, and JSON
// may carry raw, inside its strings, what a terminal acts on: DEL, the C1 controls (U+009B is
// CSI), format characters such as a right-to-left override, and bytes that are not UTF-8 (a
// lone 0x9b is CSI to an 8-bit terminal). They reached the caller's logs as they came. They are
// now written as \u escapes (\ufffd for a byte that is not UTF-8, which is what encoding/json
// decodes it to), so that Raw decodes to the same value and prints as plain text.
func TestUnreadReceiptRawIsSafeToPrint(t *testing.T) {
	t.Parallel()
	body := "{\"SubmissionId\":\"a\x7fb\u009b31m\u202ec\x9bd\xe2\x80\",\n\"Note\":\"plain é ✓\",\"Tag\":\"\U000E0067\"}"
	f := setup(t)
	f.handle(storePattern, status(200, body))
	_, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
	var unread *UnreadReceiptError
	require.ErrorAs(t, err, &unread)
	assert.Equal(t, `{"SubmissionId":"a\u007fb\u009b31m\u202ec\ufffdd\ufffd\ufffd",`+"\n"+`"Note":"plain é ✓","Tag":"\udb40\udc67"}`, unread.Raw)
	var want, got any
	require.NoError(t, json.Unmarshal([]byte(body), &want))
	require.NoError(t, json.Unmarshal([]byte(unread.Raw), &got))
	assert.Equal(t, want, got, "decodes as the answer did")
}

// TestAReceiptCutByTheConnectionReachesTheCaller: Omeda answered the submission with a success
// status, so it queued it, and the connection failed while the receipt was arriving. The call
// said "no answer" (a bare *TransportError) and dropped what had come, the transaction id
// included: the one record of the queued submission was lost. It is now an
// *UnreadReceiptError carrying what came (Truncated), with the status Omeda gave; it still
// unwraps to the *TransportError, whose Delivery says the submission was sent, and nothing is
// sent again.
func TestAReceiptCutByTheConnectionReachesTheCaller(t *testing.T) {
	t.Parallel()
	const part = `{"ResponseInfo":[{"TransactionId":8907512,"Url":"https://x/transaction/8907512/*"`
	f := setup(t)
	f.handle(storePattern, cutAnswer(t, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"+part))
	receipt, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
	assert.Nil(t, receipt)
	var unread *UnreadReceiptError
	require.ErrorAs(t, err, &unread)
	assert.Equal(t, http.StatusOK, unread.StatusCode)
	assert.Contains(t, unread.Raw, "8907512", "what came reaches the caller")
	assert.True(t, unread.Truncated)
	assert.Equal(t, "application/json", unread.ContentType)
	var terr *TransportError
	require.ErrorAs(t, err, &terr, "still the transport failure underneath")
	// Sent, or MaybeSent when the answer overtook the transport's note that it wrote it all.
	assert.NotEqual(t, NotSent, terr.Delivery)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	msg := err.Error()
	assert.Contains(t, msg, "the submission was sent and Omeda may have queued it: do not send it again")
	assert.Contains(t, msg, "not resent")
	assert.NotContains(t, msg, "no answer")
	assert.True(t, oneCleanLine(msg), msg)
	assert.EqualValues(t, 1, f.requests.Load(), "sent once, never again")
}

// TestANonJSONReceiptCutByTheConnectionIsTruncated: a success answer that is not JSON is read
// up to 64 KiB and kept in Raw; when the connection failed before its end and no length was
// announced (chunked), Raw was called whole (Truncated false). What came is not all there was.
func TestANonJSONReceiptCutByTheConnectionIsTruncated(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle(storePattern, cutAnswer(t, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"+
		"12\r\nTransactionId 8907\r\n"))
	_, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
	var unread *UnreadReceiptError
	require.ErrorAs(t, err, &unread)
	assert.Equal(t, "TransactionId 8907", unread.Raw)
	assert.True(t, unread.Truncated, "the connection ended the answer, not the server")
	assert.EqualValues(t, 1, f.requests.Load(), "sent once, never again")
}

// cutAnswer reads the whole submission (so that closing is no reset), writes raw, the start of
// an answer, on the bare connection, and closes it: the connection fails while the answer
// arrives.
func cutAnswer(t *testing.T, raw string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		_, _ = buf.WriteString(raw)
		_ = buf.Flush()
		_ = conn.Close()
	}
}
