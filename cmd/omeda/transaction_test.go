package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/internal/testlog"
	"github.com/omeda-go/omeda-go/sandbox"
)

// sandboxEnv points the tool at a sandbox started for the test.
func sandboxEnv(t *testing.T, opts ...sandbox.Option) map[string]string {
	sb := sandbox.StartTest(t, append([]sandbox.Option{sandbox.WithAppID(appID), sandbox.WithInputID(inputID)}, opts...)...)
	return map[string]string{"OMEDA_BASE_URL": sb.URL, "OMEDA_BRAND": "FOO", "OMEDA_APP_ID": appID, "OMEDA_INPUT_ID": inputID}
}

// jsonLines splits output into its JSON documents, one per line.
func jsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var docs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &doc), "line %q", line)
		docs = append(docs, doc)
	}
	return docs
}

func TestStoreWaitProcessed(t *testing.T) {
	t.Parallel()
	env := sandboxEnv(t, sandbox.WithProcessAfter(0))
	r := omeda(t, env, `{"FirstName":"Ann","Emails":[{"EmailAddress":"ann@example.com"}]}`, "store", "--wait", "-")
	require.Equal(t, 0, r.code, r.stderr)
	docs := jsonLines(t, r.stdout)
	require.Len(t, docs, 2, "the receipt, then the transaction")
	require.Contains(t, docs[0], "ResponseInfo")
	assert.Equal(t, 8907512.0, docs[1]["TransactionId"])
	assert.Equal(t, 100.0, docs[1]["Status"])
	customer := docs[1]["OmedaCustomerId"]
	require.NotNil(t, customer)
	assert.Contains(t, r.stderr, "transaction 8907512 processed")

	// The customer is there, and the transaction can be looked up on its own.
	r = omeda(t, env, "", "transaction", "8907512")
	require.Equal(t, 0, r.code, r.stderr)
	var st gen.TransactionStatus
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &st))
	assert.Equal(t, 100, st.Status)
	assert.Equal(t, int64(customer.(float64)), *st.OmedaCustomerID)
}

func TestStoreWaitFailed(t *testing.T) {
	t.Parallel()
	env := sandboxEnv(t, sandbox.WithProcessAfter(0))
	r := omeda(t, env, `{"FirstName":"Eve","Emails":[{"EmailAddress":"eve@reject.invalid"}]}`, "store", "--wait", "-")
	assert.Equal(t, 1, r.code)
	docs := jsonLines(t, r.stdout)
	require.Len(t, docs, 2)
	assert.Equal(t, 9.0, docs[1]["Status"])
	assert.Contains(t, r.stderr, "transaction 8907512 failed: status 9 Failed Validation Rules; invalid email: eve@reject.invalid")
}

func TestStoreWaitTimesOut(t *testing.T) {
	t.Parallel()
	env := sandboxEnv(t, sandbox.WithProcessAfter(time.Hour))
	r := omeda(t, env, `{"FirstName":"Ann"}`, "store", "--wait-timeout", "1ms", "-")
	assert.Equal(t, 1, r.code)
	docs := jsonLines(t, r.stdout)
	require.Len(t, docs, 2, "--wait-timeout implies --wait")
	assert.Equal(t, 0.0, docs[1]["Status"])
	assert.Contains(t, r.stderr, "transaction 8907512 pending: status 0 Loaded into Staging after 1ms")
	assert.Contains(t, r.stderr, "omeda transaction 8907512")
}

func TestStoreWaitHeld(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*", reply(200, `{"ResponseInfo":[{"TransactionId":77,"Url":"https://x/transaction/77/*"}]}`))
	s.mux.HandleFunc("GET /brand/FOO/transaction/77/*", reply(200, `{"TransactionId":77,"Status":35}`))
	r := omeda(t, s.env(), `{"FirstName":"Ann"}`, "store", "--wait", "-")
	assert.Equal(t, 1, r.code)
	docs := jsonLines(t, r.stdout)
	require.Len(t, docs, 2)
	assert.Equal(t, 35.0, docs[1]["Status"])
	assert.Contains(t, r.stderr, "transaction 77 held: status 35 DupeCheck Manual Review")
	assert.Equal(t, []string{"POST /webservices/rest/brand/FOO/storecustomerandorder/*", "GET /webservices/rest/brand/FOO/transaction/77/*"},
		s.recorded(), "a held transaction ends the wait")
}

func TestStoreWaitLookupFails(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*", reply(200, `{"ResponseInfo":[{"TransactionId":77,"Url":"https://x/transaction/77/*"}]}`))
	s.mux.HandleFunc("GET /brand/FOO/transaction/77/*", reply(403, `{"Errors":[{"Error":"Access denied."}]}`))
	r := omeda(t, s.env(), `{"FirstName":"Ann"}`, "store", "--wait", "-")
	assert.Equal(t, 1, r.code)
	docs := jsonLines(t, r.stdout)
	require.Len(t, docs, 1, "the receipt is printed whatever happens to the wait")
	assert.Contains(t, r.stderr, "transaction 77")
	assert.Contains(t, r.stderr, "HTTP 403")
}

func TestTransactionCommand(t *testing.T) {
	t.Parallel()
	env := sandboxEnv(t)
	r := omeda(t, env, "", "transaction", "55973543453")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "No status found for transaction 55973543453.")
	for _, bad := range []string{"abc", "0", "-5"} {
		r = omeda(t, env, "", "transaction", "--", bad)
		assert.Equal(t, 2, r.code, bad)
		assert.Contains(t, r.stderr, "must be a positive integer", bad)
	}
	r = omeda(t, env, "", "transaction")
	assert.Equal(t, 2, r.code)
	r = omeda(t, env, "", "store", "--wait-timeout", "-1s", "-")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "negative")
}

func TestStoreWaitReceiptIsNeverLost(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*", reply(200, `{"ResponseInfo":[{"TransactionId":77,"Url":"https://x/transaction/77/*"}]}`))
	var errOut testlog.Buffer
	f := NewFactory(strings.NewReader(`{"FirstName":"Ann"}`), failingWriter{}, &errOut, func(k string) string { return s.env()[k] })
	code := Execute(t.Context(), f, []string{"store", "--wait", "-"})
	assert.Equal(t, 3, code, "the receipt's own status, as without --wait")
	assert.Contains(t, errOut.String(), `{"ResponseInfo":[{"TransactionId":77,`, "the receipt, on one line, on stderr")
	assert.Equal(t, []string{"POST /webservices/rest/brand/FOO/storecustomerandorder/*"}, s.recorded(),
		"no wait when the receipt could not be printed")
}

func TestStoreWaitRunProcessor(t *testing.T) {
	t.Parallel()
	env := sandboxEnv(t, sandbox.WithProcessAfter(time.Hour))
	r := omeda(t, env, `{"RunProcessor":1,"FirstName":"Bo","Products":[{"OmedaProductId":2,"Receive":1}]}`, "store", "--wait", "--wait-timeout", "1ms", "-")
	require.Equal(t, 0, r.code, "the receipt tells the outcome; no wait to run out: %s", r.stderr)
	docs := jsonLines(t, r.stdout)
	require.Len(t, docs, 2, "the receipt, then Omeda's record of the transaction")
	entry := docs[0]["ResponseInfo"].([]any)[0].(map[string]any)
	require.NotNil(t, entry["CustomerId"])
	assert.NotNil(t, entry["EncryptedCustomerId"])
	assert.NotNil(t, entry["OrderId"])
	assert.Equal(t, 100.0, docs[1]["Status"])
	assert.Equal(t, entry["CustomerId"], docs[1]["OmedaCustomerId"])
	assert.Contains(t, r.stderr, "processed at once (RunProcessor)")
}

// TestStoreWaitReceiptWithoutTransactionID (finding D8): the submission was sent and queued, so
// a receipt whose TransactionId is 0 is an answer problem (status 1, "was sent"), never the
// pre-send status 2 with "nothing was sent", which tells a script it may send again.
func TestStoreWaitReceiptWithoutTransactionID(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"ResponseInfo":[{"TransactionId":0,"Url":"u"}],"SubmissionId":"S"}`,
		`{"ResponseInfo":[{"TransactionId":-3,"Url":"u"}],"SubmissionId":"S"}`,
		`{"ResponseInfo":[{"TransactionId":77,"Url":"u"},{"TransactionId":0,"Url":"u"}],"SubmissionId":"S"}`,
	} {
		s := newServer(t)
		s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*", reply(200, body))
		r := omeda(t, s.env(), `{"FirstName":"Ann","Emails":[{"EmailAddress":"ann@example.com"}]}`, "store", "--wait", "-")
		assert.Equal(t, 1, r.code, "%s: %s", body, r.stderr)
		assert.NotContains(t, r.stderr, "nothing was sent", body)
		assert.Contains(t, r.stderr, "the submission was sent", body)
		assert.Contains(t, r.stderr, "do not send it again", body)
		require.Len(t, jsonLines(t, r.stdout), 1, "%s: the receipt is printed", body)
		assert.Equal(t, []string{"POST /webservices/rest/brand/FOO/storecustomerandorder/*"}, s.recorded(), "%s: nothing is looked up", body)
	}
}

// TestStoreWaitEveryTransaction (finding D9): a receipt naming several transactions is waited
// for transaction by transaction; the status is 0 only when all were processed, and stderr
// names each.
func TestStoreWaitEveryTransaction(t *testing.T) {
	t.Parallel()
	const receipt = `{"ResponseInfo":[{"TransactionId":77,"Url":"u"},{"TransactionId":78,"Url":"u"}],"SubmissionId":"S"}`
	order := `{"FirstName":"Ann","Emails":[{"EmailAddress":"ann@example.com"}]}`

	s := newServer(t)
	s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*", reply(200, receipt))
	s.mux.HandleFunc("GET /brand/FOO/transaction/77/*", reply(200, `{"TransactionId":77,"Status":100,"OmedaCustomerId":5}`))
	s.mux.HandleFunc("GET /brand/FOO/transaction/78/*", reply(200, `{"TransactionId":78,"Status":100,"OmedaCustomerId":6}`))
	r := omeda(t, s.env(), order, "store", "--wait", "-")
	require.Equal(t, 0, r.code, r.stderr)
	docs := jsonLines(t, r.stdout)
	require.Len(t, docs, 3, "the receipt, then each transaction")
	assert.Equal(t, 77.0, docs[1]["TransactionId"])
	assert.Equal(t, 78.0, docs[2]["TransactionId"])
	assert.Contains(t, r.stderr, "transaction 77 processed")
	assert.Contains(t, r.stderr, "transaction 78 processed")

	// The second one failed: status 1, named; the first is still reported.
	s = newServer(t)
	s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*", reply(200, receipt))
	s.mux.HandleFunc("GET /brand/FOO/transaction/77/*", reply(200, `{"TransactionId":77,"Status":100,"OmedaCustomerId":5}`))
	s.mux.HandleFunc("GET /brand/FOO/transaction/78/*", reply(200, `{"TransactionId":78,"Status":9,"Errors":[{"Error":"invalid email"}]}`))
	r = omeda(t, s.env(), order, "store", "--wait", "-")
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Len(t, jsonLines(t, r.stdout), 3)
	assert.Contains(t, r.stderr, "transaction 77 processed")
	assert.Contains(t, r.stderr, "transaction 78 failed: status 9")
	assert.Contains(t, r.stderr, "invalid email")
	assert.Contains(t, s.recorded(), "GET /webservices/rest/brand/FOO/transaction/78/*")

	// The first one is held: the second is still waited for, and the status is 1.
	s = newServer(t)
	s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*", reply(200, receipt))
	s.mux.HandleFunc("GET /brand/FOO/transaction/77/*", reply(200, `{"TransactionId":77,"Status":35}`))
	s.mux.HandleFunc("GET /brand/FOO/transaction/78/*", reply(200, `{"TransactionId":78,"Status":100,"OmedaCustomerId":6}`))
	r = omeda(t, s.env(), order, "store", "--wait", "-")
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Contains(t, r.stderr, "transaction 77 held")
	assert.Contains(t, r.stderr, "transaction 78 processed")
	assert.Contains(t, r.stderr, "omeda transaction 77")
}
