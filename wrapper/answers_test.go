package wrapper

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gzipped compresses s.
func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write([]byte(s))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.Bytes()
}

// serveGzip answers with body compressed, as a server does when the client accepts gzip (Go's
// transport asks for it and decompresses on its own).
func serveGzip(body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}
}

// TestCompressedBombsAreBoundedOnceDecompressed: a few KiB of gzip that decompress to 8 MiB
// make a lookup fail with ErrAnswerTooLarge (the default bound is 4 MiB), and a change window
// held whole fails the same way past WithMaxWindowSize; the stream, which holds one customer at
// a time, reads the same window whole.
func TestCompressedBombsAreBoundedOnceDecompressed(t *testing.T) {
	t.Parallel()
	f := setup(t, WithRetryPolicy(NoRetries()), WithMaxWindowSize(1<<20))
	bomb := gzipped(t, `{"PhoneNumbers":[],"Padding":"`+strings.Repeat("A", 8<<20)+`"}`)
	require.Less(t, len(bomb), 64<<10, "the bomb is small on the wire")
	f.handle("GET /brand/FOO/customer/12345/phone/*", serveGzip(bomb))

	_, err := f.client.PhoneNumbers(t.Context(), "12345")
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrAnswerTooLarge)
	assert.ErrorIs(t, err, ErrMalformedResponse)
	assert.Contains(t, err.Error(), "more than 4 MiB once decompressed")
	assert.Contains(t, err.Error(), "WithMaxAnswerSize")

	// The transaction lookup is bounded the same way, and a wait ends with the bomb: it is no
	// passing failure that a later lookup could mend.
	f.handle(transactionPath, serveGzip(gzipped(t, `{"TransactionId":8907512,"Status":0,"Padding":"`+strings.Repeat("A", 8<<20)+`"}`)))
	_, err = f.client.Transaction(t.Context(), 8907512)
	assert.ErrorIs(t, err, ErrAnswerTooLarge)
	assert.Contains(t, fmt.Sprint(err), "more than 4 MiB once decompressed")
	out, err := f.client.WaitForTransaction(t.Context(), 8907512)
	assert.ErrorIs(t, err, ErrAnswerTooLarge)
	require.NotNil(t, out)
	assert.Equal(t, TransactionPending, out.State)
	assert.Equal(t, 1, out.Lookups)

	var window strings.Builder
	window.WriteString(`{"Customers":[`)
	for i := 1; window.Len() < 2<<20; i++ {
		if i > 1 {
			window.WriteByte(',')
		}
		fmt.Fprintf(&window, `{"Id":%d,"Url":"u","DateChanged":"2024-01-02 00:00:00.000","CreatedDate":"2024-01-01 00:00:00.000","CustomerStatusId":1}`, i)
	}
	window.WriteString(`],"SubmissionId":"s"}`)
	f.handle(changesPattern, serveGzip(gzipped(t, window.String())))
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, chicagoZone)
	_, err = f.client.ChangedCustomers(t.Context(), from, from.Add(time.Hour))
	assert.ErrorIs(t, err, ErrAnswerTooLarge)
	assert.Contains(t, err.Error(), "WithMaxWindowSize")

	n := 0
	for _, err := range f.client.ChangedCustomerStream(t.Context(), from, from.Add(time.Hour)) {
		require.NoError(t, err)
		n++
	}
	assert.Greater(t, n, 10000, "the stream holds one customer at a time: the window as a whole has no bound")

	// But one customer of 8 MiB is a bomb the stream would have to hold.
	g := setup(t, WithRetryPolicy(NoRetries()))
	g.handle(changesPattern, serveGzip(gzipped(t, `{"Customers":[{"Id":1,"Url":"u","DateChanged":"2024-01-02 00:00:00.000","CreatedDate":"2024-01-01 00:00:00.000","CustomerStatusId":1},`+
		`{"Id":2,"Url":"`+strings.Repeat("A", 8<<20)+`","DateChanged":"2024-01-02 00:00:00.000","CreatedDate":"2024-01-01 00:00:00.000","CustomerStatusId":1}],"SubmissionId":"s"}`)))
	var last error
	n = 0
	for _, err := range g.client.ChangedCustomerStream(t.Context(), from, from.Add(time.Hour)) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	assert.Equal(t, 1, n, "the customers before the bomb arrive")
	assert.ErrorIs(t, last, ErrAnswerTooLarge)
	assert.Contains(t, fmt.Sprint(last), "for each customer of a stream")
}

// TestDataAfterTheAnswerIsAnError: a second JSON value or a page after a valid answer is a
// malformed answer, for the lookups, the receipt and the transaction lookup alike; a wait for
// the transaction ends with it.
func TestDataAfterTheAnswerIsAnError(t *testing.T) {
	t.Parallel()
	for _, tail := range []string{` {"PhoneNumbers":[]}`, "\n<html>oops</html>", `]`} {
		f := setup(t, WithRetryPolicy(NoRetries()))
		f.handle("GET /brand/FOO/customer/12345/phone/*", status(200, phonesBody+tail))
		f.handle(storePattern, status(200, receiptBody+tail))
		f.handle(transactionPath, status(200, txnBody(100, `"OmedaCustomerId":7`)+tail))
		_, err := f.client.PhoneNumbers(t.Context(), "12345")
		assert.ErrorIs(t, err, ErrMalformedResponse, "%q", tail)
		assert.Contains(t, fmt.Sprint(err), "data after the answer's JSON value")
		_, err = f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
		assert.ErrorIs(t, err, ErrMalformedResponse, "%q", tail)
		_, err = f.client.Transaction(t.Context(), 8907512)
		assert.ErrorIs(t, err, ErrMalformedResponse, "%q", tail)
		assert.Contains(t, fmt.Sprint(err), "data after the answer's JSON value")
		out, err := f.client.WaitForTransaction(t.Context(), 8907512)
		assert.ErrorIs(t, err, ErrMalformedResponse, "%q", tail)
		if assert.NotNil(t, out) {
			assert.Equal(t, TransactionPending, out.State, "a processed status after data that is not JSON is not believed")
		}
	}
}

// TestAStalledBodyAfterAWholeAnswerIsNotWaitedFor: an answer whose JSON is whole but whose body
// announces more and then stalls returns at once, even without a per-attempt timeout: the
// client closes the connection instead of draining it. The server holds the rest until the
// call has returned, so a client that waited would never return (a hang, not a slow test).
func TestAStalledBodyAfterAWholeAnswerIsNotWaitedFor(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	f := setup(t, WithTimeout(0), WithRetryPolicy(NoRetries()))
	f.handle("GET /brand/FOO/customer/12345/phone/*", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(phonesBody)+4096))
		_, _ = w.Write([]byte(phonesBody))
		_ = http.NewResponseController(w).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	got, err := f.client.PhoneNumbers(t.Context(), "12345")
	require.NoError(t, err)
	assert.NotEmpty(t, got.PhoneNumbers)
}

// TestSubmissionsWithDuplicateKeysOrExponentIdsAreRefusedBeforeSending: JSON that a decoder
// accepts but Omeda reads otherwise (a key twice, which Go resolves to the last; an id written
// 1e3, which Omeda refuses) is refused with a clear error, and nothing is sent.
func TestSubmissionsWithDuplicateKeysOrExponentIdsAreRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var sent atomic.Int32
	f.handle(storePattern, func(w http.ResponseWriter, r *http.Request) {
		sent.Add(1)
		respond(w, 200, receiptBody)
	})
	for payload, want := range map[string]string{
		`{"FirstName":"Ann","FirstName":"Bob"}`:                                          "/FirstName: appears twice",
		`{"FirstName":"Ann","Emails":[{"EmailAddress":"a@b.c","EmailAddress":"d@e.f"}]}`: "/Emails/0/EmailAddress: appears twice",
		`{"OmedaCustomerId":1e3,"FirstName":"Ann"}`:                                      "/OmedaCustomerId: the id 1e3 is not written as a whole number",
		`{"FirstName":"Ann","Products":[{"OmedaProductId":12.0}]}`:                       "/Products/0/OmedaProductId: the id 12.0 is not written as a whole number",
	} {
		_, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(payload))
		require.ErrorIs(t, err, ErrInvalidInput, payload)
		assert.Contains(t, err.Error(), want)
	}
	assert.Zero(t, sent.Load(), "nothing was sent")
	_, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann","OmedaCustomerId":1000}`))
	require.NoError(t, err)
}

// TestCardDataEchoedInAStoreErrorIsRedacted: an answer that quotes the submission's card
// number, security code or expiry (the contract's x-omeda-secret fields) does not show them,
// also when the submission spells the card fields in another case ("creditcardnumber"): such a
// submission is sent, with a warning, since Omeda's case sensitivity is undocumented, and
// encoding/json and Omeda's binder may well read it as the card number. Its values were not
// looked for, so an error that echoed them showed them.
func TestCardDataEchoedInAStoreErrorIsRedacted(t *testing.T) {
	t.Parallel()
	const rest = `"CreditCardType":"1","NameOnCard":"Ann Lee","DoCharge":"False","BillingStreet":"1 Main St",` +
		`"BillingCity":"Chicago","BillingCountryCode":"USA","BillingRegion":"IL","BillingPostalCode":"60601"`
	for name, card := range map[string]string{
		"the contract's names":  `"CreditCardNumber":"4111111111111111","ExpirationDate":"0230","CardSecurityCode":"987"`,
		"names in another case": `"creditcardnumber":"4111111111111111","EXPIRATIONDATE":"0230","cardSecurityCode":987`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, WithRetryPolicy(NoRetries()))
			f.handle(storePattern, status(400, `{"Errors":[{"Error":"card 4111-1111-1111-1111 (cvv 987, expires 0230) declined"}]}`))
			payload := `{"FirstName":"Ann","BillingInformation":{` + card + `,` + rest + `}}`
			_, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(payload))
			require.ErrorIs(t, err, ErrBadRequest)
			for _, secret := range []string{"4111", "987", "0230"} {
				assert.NotContains(t, err.Error(), secret)
			}
			assert.Contains(t, err.Error(), "declined")
		})
	}
}

// TestCardNumberSplitByAnyDashIsRedacted: the door skips hyphens so that a card number echoed as
// 4111-1111-1111-1111 is found, but only the ASCII one: the same number split by an en dash, a
// non-breaking hyphen or a figure dash (as a word processor or a .NET formatter writes it) was
// printed whole. Every dash (Unicode's dash punctuation) is skipped now, in text and in JSON.
func TestCardNumberSplitByAnyDashIsRedacted(t *testing.T) {
	t.Parallel()
	red := NewRedactor().WithCard("4111111111111111")
	for _, dash := range []string{"-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\ufe63", "\uff0d", "\u2e3a"} {
		r, err := strconv.Unquote(`"` + dash + `"`)
		require.NoError(t, err)
		text := "card " + strings.Join([]string{"4111", "1111", "1111", "1111"}, r) + " declined"
		assert.Equal(t, "card [REDACTED] declined", red.Clean(text), "%q", text)
		assert.Equal(t, `{"Error":"card [REDACTED] declined"}`, string(red.JSON([]byte(`{"Error":"`+text+`"}`))), "%q", text)
		escaped := "card " + strings.Join([]string{"4111", "1111", "1111", "1111"}, dash) + " declined"
		assert.Equal(t, `{"Error":"card [REDACTED] declined"}`, string(red.JSON([]byte(`{"Error":"`+escaped+`"}`))), "%q", escaped)
	}
}

func TestClean(t *testing.T) {
	t.Parallel()
	const app = "APPID-7d1f"
	for in, want := range map[string]string{
		"plain text":                       "plain text",
		"id APPID-7d1f here":               "id [REDACTED] here",
		"id appid-7D1F here":               "id [REDACTED] here",
		"id APPI\x00D-7d1f here":           "id [REDACTED] here",
		"id APP\nID-7d1f here":             "id [REDACTED] here",
		"id APPID\u200b-7d1f here":         "id [REDACTED] here",
		"id ＡＰＰＩＤ-7d1f here":               "id [REDACTED] here",
		"two APPID-7d1fAPPID-7d1f":         "two [REDACTED]",
		"line\r\nbreak":                    `line\r\nbreak`,
		"\x1b[2J\x1b]0;owned\a":            `\x1b[2J\x1b]0;owned\x07`,
		"bidi \u202e and \u2028 separator": `bidi \u202e and \u2028 separator`,
		"bad \xff byte":                    `bad \xff byte`,
		"tab\there":                        `tab\there`,
	} {
		assert.Equal(t, want, Clean(in, app), "%q", in)
		assert.True(t, oneCleanLine(Clean(in, app)))
	}
	assert.Equal(t, "no secret", Clean("no secret"), "no secrets: escaping only")
	assert.Equal(t, "x [REDACTED] y [REDACTED]", Clean("x APPID-7d1f y INPUT-9", app, "input-9", ""))
	r := NewRedactor(app).With("INPUT-9")
	assert.Equal(t, "[REDACTED]/[REDACTED]", r.Clean("appid-7d1f/input-9"))
}

// TestWithUserAgentRefusesControlCharacters and the base URL checks are in
// TestNewRefusesBadOptions (client_test.go).

func ExampleClean() {
	// A vendor message that echoes the app id with a NUL inside it, then tries to clear the
	// terminal.
	msg := "bad id APPID\x00-1\r\n\x1b[2J"
	fmt.Println(Clean(msg, "appid-1"))
	// Output: bad id [REDACTED]\r\n\x1b[2J
}

// TestDataAfterTheAnswerShowsNoPartOfASecret: the error quotes the start of what follows the
// answer (40 characters), and a secret that begins inside those 40 and ends after them was cut
// before it was redacted, so its first characters were shown. The quoted start is redacted
// first, on the streaming, the sized and the change-window decoding paths.
func TestDataAfterTheAnswerShowsNoPartOfASecret(t *testing.T) {
	t.Parallel()
	tail := " <p>" + strings.Repeat("x", 26) + testAppID + "</p>"
	f := setup(t, WithRetryPolicy(NoRetries()))
	f.handle("GET /brand/FOO/customer/12345/phone/*", status(200, phonesBody+tail))
	f.handle(transactionPath, status(200, txnBody(100, `"OmedaCustomerId":7`)+tail))
	f.handle(changesPattern, status(200, `{"Customers":[]}`+tail))
	_, phoneErr := f.client.PhoneNumbers(t.Context(), "12345")
	_, txnErr := f.client.Transaction(t.Context(), 8907512)
	_, windowErr := f.client.ChangedCustomers(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0))
	for _, err := range []error{phoneErr, txnErr, windowErr} {
		require.ErrorIs(t, err, ErrMalformedResponse)
		assert.Contains(t, err.Error(), "data after the answer's JSON value")
		assert.NotContains(t, err.Error(), testAppID[:5], "no start of the app id")
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.NotContains(t, apiErr.Err.Error(), testAppID[:5])
	}
}
