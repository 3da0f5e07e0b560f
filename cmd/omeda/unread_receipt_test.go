package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"github.com/omeda-go/omeda-go/internal/testlog"
)

// TestStoreUnreadReceiptIsPrinted (issue 12 item 6): Omeda answered a submission with a success
// status, but not with the documented receipt. The submission was sent and may be queued, so
// the answer as it came is printed where the receipt would be (stdout), the status is 1, never
// 2, and stderr says it was sent: do not send it again. Never "nothing was sent".
func TestStoreUnreadReceiptIsPrinted(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, contentType, body string
		status                  int
		stdout                  string // what stdout holds, on one line once compacted
	}{
		{"empty ResponseInfo", "application/json", `{"ResponseInfo":[],"SubmissionId":"S-1"}`, 200, `{"ResponseInfo":[],"SubmissionId":"S-1"}`},
		{"malformed", "application/json", `{"ResponseInfo":[{"TransactionId":77`, 200, `"{\"ResponseInfo\":[{\"TransactionId\":77"`},
		{"HTML", "text/html", "<p>queued\ntransaction 77</p>", 200, `"\u003cp\u003equeued\\ntransaction 77\u003c/p\u003e"`},
		{"error envelope", "application/json", `{"SubmissionId":"S-3","Errors":[{"Error":"Queued with warnings"}]}`, 200, `{"SubmissionId":"S-3","Errors":[{"Error":"Queued with warnings"}]}`},
		{"202", "application/json", `{"Queued":true}`, 202, `{"Queued":true}`},
	} {
		for _, wait := range []bool{false, true} {
			name := tc.name
			args := []string{"store", "-"}
			if wait {
				name += " --wait"
				args = []string{"store", "--wait", "-"}
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				s := newServer(t)
				s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*", func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Type", tc.contentType)
					w.WriteHeader(tc.status)
					_, _ = w.Write([]byte(tc.body))
				})
				r := omeda(t, s.env(), `{"FirstName":"Ann","Emails":[{"EmailAddress":"ann@example.com"}]}`, args...)
				assert.Equal(t, 1, r.code, r.stderr)
				assert.JSONEq(t, tc.stdout, r.stdout, "the answer is printed as the receipt")
				assert.Contains(t, r.stderr, "the submission was sent and Omeda may have queued it: do not send it again")
				assert.NotContains(t, r.stderr, "nothing was sent")
				assert.Equal(t, []string{"POST /webservices/rest/brand/FOO/storecustomerandorder/*"}, s.recorded(), "sent once, nothing waited for")
			})
		}
	}
}

// TestStoreUnreadReceiptOnStderr: when stdout cannot take the answer, it goes to stderr with
// the receipt's own status, as a readable receipt does.
func TestStoreUnreadReceiptOnStderr(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"store", "-"}, {"store", "--wait", "-"}} {
		s := newServer(t)
		s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*", reply(200, `{"ResponseInfo":[],"SubmissionId":"S-9"}`))
		var errOut testlog.Buffer
		f := NewFactory(strings.NewReader(`{"FirstName":"Ann"}`), failingWriter{}, &errOut, func(k string) string { return s.env()[k] })
		code := Execute(t.Context(), f, args)
		assert.Equal(t, 3, code, args)
		assert.Contains(t, errOut.String(), `"SubmissionId":`, "the answer is on stderr")
		assert.Contains(t, errOut.String(), "S-9")
		assert.Contains(t, errOut.String(), "do not send it again")
		assert.NotContains(t, errOut.String(), "nothing was sent")
		assert.Equal(t, int32(1), s.requests.Load())
	}
}

// TestStoreUnreadReceiptWithBytesThatAreNotUTF8: the unread answer is printed as it came, but a
// byte that is not UTF-8 (0x9b, CSI to an 8-bit terminal) is not: stdout stays valid UTF-8.
func TestStoreUnreadReceiptWithBytesThatAreNotUTF8(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*", reply(200, "{\"SubmissionId\":\"S-\x9b31m\"}"))
	r := omeda(t, s.env(), `{"FirstName":"Ann","Emails":[{"EmailAddress":"ann@example.com"}]}`, "store", "-")
	assert.Equal(t, 1, r.code, r.stderr)
	assert.True(t, utf8.ValidString(r.stdout), "%q", r.stdout)
	assert.JSONEq(t, `{"SubmissionId":"S-\ufffd31m"}`, r.stdout)
	assert.Contains(t, r.stderr, "do not send it again")
}

// TestStoreReceiptCutByTheConnectionIsPrinted: the connection failed while a success answer's
// receipt arrived; what came (with the transaction id) is printed where the receipt would be,
// and the status is 1 with "do not send it again".
func TestStoreReceiptCutByTheConnectionIsPrinted(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // the whole submission arrived: closing then is no reset
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n" +
			`{"ResponseInfo":[{"TransactionId":8907512,`)
		_ = buf.Flush()
		_ = conn.Close()
	})
	r := omeda(t, s.env(), `{"FirstName":"Ann","Emails":[{"EmailAddress":"ann@example.com"}]}`, "store", "-")
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Contains(t, r.stdout, "8907512", "what came of the receipt is printed")
	assert.Contains(t, r.stderr, "do not send it again")
	assert.NotContains(t, r.stderr, "nothing was sent")
	assert.Equal(t, int32(1), s.requests.Load())
}
