package main

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/sandbox"
)

// The command-line tool under the sandbox's faults: each failing command exits with status 1,
// prints nothing on stdout and one clean error line last on stderr (after the --verbose log),
// never a credential (omeda() checks every output), and sends a submission exactly once.

// command lines of the five operations, and the sandbox operation each one calls. The
// transaction lookup looks up the sandbox's first transaction, which a store makes first.
var faultCommands = []struct {
	op    string
	args  []string
	stdin string
}{
	{sandbox.PhoneLookupByCustomerID, []string{"phones", "--verbose", "12345"}, ""},
	{sandbox.CustomerMergeHistoryLookup, []string{"merges", "--verbose", "99999"}, ""},
	{sandbox.CustomerChangeLookup, []string{"changes", "--verbose", "--from", "2018-07-01", "--to", "2018-07-31"}, ""},
	{sandbox.StoreCustomerAndOrder, []string{"store", "--verbose", "-"}, `{"FirstName":"Ann","Emails":[{"EmailAddress":"ann@example.com"}]}`},
	{sandbox.TransactionLookup, []string{"transaction", "--verbose", "8907512"}, ""},
}

// cleanText reports whether s has no control character but line feeds.
func printable(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r != '\n' && unicode.IsControl(r) })
}

func TestCLIUnderFaults(t *testing.T) {
	t.Parallel()
	three := func(f sandbox.Fault) []sandbox.Fault { return []sandbox.Fault{f, f, f} }
	rows := []struct {
		name    string
		faults  []sandbox.Fault
		timeout string
		get     string // in the error line of a lookup
		post    string // in the error line of store
		// what store prints on stdout: the answer of a 2xx that is not a receipt, as it came
		storeOut string
	}{
		{"429 three times", three(sandbox.Fault{Status: 429, RetryAfter: "0"}), "", "HTTP 429 Too Many Requests", "HTTP 429", ""},
		{"503 three times", three(sandbox.Fault{Status: 503, RetryAfter: "0"}), "", "after 3 attempts", "HTTP 503", ""},
		{"500", []sandbox.Fault{{Status: 500}}, "", "HTTP 500 Internal Server Error", "HTTP 500", ""},
		{"403", []sandbox.Fault{{Status: 403}}, "", "HTTP 403 Forbidden", "HTTP 403", ""},
		{"dropped before the headers, three times", three(sandbox.Fault{Drop: sandbox.DropBeforeHeaders}), "", "attempt 3: no answer", "not resent", ""},
		// The timeout ends the hung attempts; each must reach the sandbox first (store's
		// "not resent", its one request), so it is not tight.
		{"no answer, three times", three(sandbox.Fault{Hang: true}), "1s", "per-attempt", "not resent", ""},
		{"truncated JSON", []sandbox.Fault{{Truncate: 5}}, "", "not the documented JSON", "not the documented JSON", `"{\"Res"`},
		{"HTML on a 200", []sandbox.Fault{{Status: 200, Body: []byte("<html>\n<h1>Maintenance</h1>\n</html>"), ContentType: "text/html"}}, "",
			"the answer is text/html, not JSON", "the answer is text/html, not JSON", `"<html>\\n<h1>Maintenance</h1>\\n</html>"`},
		{"an empty 200", []sandbox.Fault{{Status: 200, Body: []byte{}}}, "", "the body is empty", "the body is empty", ""},
	}
	for _, row := range rows {
		for _, cmd := range faultCommands {
			t.Run(row.name+"/"+cmd.args[0], func(t *testing.T) {
				t.Parallel()
				sb := sandbox.StartTest(t, sandbox.WithPopulation(0))
				for _, f := range row.faults {
					f.Operation = cmd.op
					sb.Inject(f)
				}
				env := map[string]string{"OMEDA_BASE_URL": sb.URL, "OMEDA_BRAND": "FOO", "OMEDA_APP_ID": appID, "OMEDA_INPUT_ID": inputID}
				if cmd.op == sandbox.TransactionLookup {
					stored := omeda(t, env, `{"FirstName":"Ann"}`, "store", "-")
					require.Equal(t, 0, stored.code, stored.stderr)
					require.Contains(t, stored.stdout, `"TransactionId": 8907512`)
				}
				if row.timeout != "" {
					env["OMEDA_TIMEOUT"] = row.timeout
				}
				r := omeda(t, env, cmd.stdin, cmd.args...)
				assert.Equal(t, 1, r.code, r.stderr)
				if cmd.op == sandbox.StoreCustomerAndOrder && row.storeOut != "" {
					// A 2xx answer that is not a receipt is printed in its place (issue 12 item 6).
					assert.JSONEq(t, row.storeOut, r.stdout)
					assert.Contains(t, r.stderr, "the submission was sent and Omeda may have queued it: do not send it again")
				} else {
					assert.Empty(t, r.stdout)
				}
				assert.True(t, printable(r.stderr), "stderr has control characters: %q", r.stderr)
				lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
				last := lines[len(lines)-1]
				assert.True(t, strings.HasPrefix(last, "omeda "+cmd.args[0]+": "), "the error comes last, on one line: %q", r.stderr)
				assert.Contains(t, r.stderr, "omeda attempt", "--verbose logs the attempts")
				if cmd.op == sandbox.StoreCustomerAndOrder {
					assert.Contains(t, last, row.post)
					assert.Equal(t, 1, sb.Requests(cmd.op), "the submission reached the server exactly once")
				} else {
					assert.Contains(t, last, row.get)
				}
			})
		}
	}
}

// TestCLIRefusedBaseURLNeverShowsACredential: a base URL that carries the app id (in its query,
// its fragment, as a user name, or in a URL that does not parse), or credentials of its own, is
// refused with status 2, and the refusal must not print them: the wrapper's error quotes the URL,
// and the tool's one door (cleanText) redacts a URL's user information, query and fragment.
func TestCLIRefusedBaseURLNeverShowsACredential(t *testing.T) {
	t.Parallel()
	for _, base := range []string{
		"https://omeda.example/webservices/rest?appid=" + appID,
		"https://omeda.example/webservices/rest#" + appID,
		"https://" + appID + "@omeda.example/webservices/rest",
		"https://user:" + appID + "@omeda.example/%zz",
		"omeda.example/webservices/rest?appid=" + appID,
	} {
		r := omeda(t, map[string]string{"OMEDA_BASE_URL": base, "OMEDA_BRAND": "FOO", "OMEDA_APP_ID": appID}, "", "phones", "12345")
		assert.Equal(t, 2, r.code, r.stderr)
		assert.Contains(t, r.stderr, "base URL")
	}
	for _, base := range []string{
		"https://ops:hunter2-Pa55@omeda.example/webservices/rest",
		"https://omeda.example/webservices/rest?token=qs-Secret-77",
		"omeda.example/webservices/rest?token=qs-Secret-77",
		"https://ops:hunter2-Pa55@omeda.example/%zz",
	} {
		for _, env := range []map[string]string{
			{"OMEDA_BASE_URL": base, "OMEDA_BRAND": "FOO", "OMEDA_APP_ID": appID},
			{"OMEDA_BRAND": "FOO", "OMEDA_APP_ID": appID},
		} {
			args := []string{"phones", "12345"}
			if env["OMEDA_BASE_URL"] == "" {
				args = append(args, "--base-url", base)
			}
			r := omeda(t, env, "", args...)
			assert.Equal(t, 2, r.code, r.stderr)
			assert.Contains(t, r.stderr, "base URL")
			assert.Contains(t, r.stderr, "omeda.example", "the place is kept")
			for _, secret := range []string{"hunter2", "Pa55", "qs-Secret"} {
				assert.NotContains(t, r.stderr, secret)
			}
		}
	}
}

// TestCLIErrorLineCarriesNoControlCharacters: a vendor message with terminal escape sequences
// (clear the screen, set the window title, ring the bell) must not reach the terminal as such:
// the error line shows them escaped.
func TestCLIErrorLineCarriesNoControlCharacters(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("GET /brand/FOO/customer/12345/phone/*",
		reply(404, `{"SubmissionId":"s\u001b[2J","Errors":[{"Error":"No phones.\u001b]0;owned\u0007\u001b[2J\u001b[31m"}]}`))
	r := omeda(t, s.env(), "", "phones", "12345")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "No phones.")
	assert.True(t, printable(r.stderr), "stderr has control characters: %q", r.stderr)
	assert.Contains(t, r.stderr, `No phones.\x1b]0;owned\x07\x1b[2J\x1b[31m (SubmissionId s\x1b[2J)`, "escaped, not dropped")
}

// TestCLINeverPrintsACredentialEchoedInAHeader: a proxy that echoes the app id in its answer's
// Content-Type must not get it printed; omeda() fails the test if it is.
func TestCLINeverPrintsACredentialEchoedInAHeader(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("GET /brand/FOO/customer/12345/phone/*", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; appid="+r.Header.Get("x-omeda-appid"))
		w.WriteHeader(500)
		_, _ = w.Write([]byte("<p>error</p>"))
	})
	r := omeda(t, s.env(), "", "phones", "--verbose", "12345")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "HTTP 500")
}

// TestCLITransactionUnderHostileAnswers: what a server or a proxy may send back to a transaction
// lookup, alone ("omeda transaction") and inside a wait ("omeda store --wait-timeout"; a 404 or
// a 502 is a passing failure there, which the wait outlasts until its time runs out). Each run
// exits with status 1; the lookup prints nothing on stdout and the wait only the receipt
// (whatever becomes of the wait); stderr holds no control character, bounded lines and the
// error last, and shows neither credential, in any case or disguise (omeda() also checks them
// as sent).
func TestCLITransactionUnderHostileAnswers(t *testing.T) {
	t.Parallel()
	const path = "GET /brand/FOO/transaction/8907512/*"
	gzipped := func(body string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = zw.Write([]byte(body))
		_ = zw.Close()
		return b.Bytes()
	}
	bomb := gzipped(`{"TransactionId":8907512,"Status":100,"Padding":"` + strings.Repeat("A", 8<<20) + `"}`)
	serve := func(status int, contentType string, body func(app, input string) string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			// A lookup carries no input id; the server echoes the one it knows all the same.
			_, _ = w.Write([]byte(body(r.Header.Get("x-omeda-appid"), inputID)))
		}
	}
	fixed := func(s string) func(string, string) string { return func(string, string) string { return s } }
	rows := []struct {
		name    string
		handler http.HandlerFunc
		want    string // in the error line
	}{
		{"a 9 MiB error page", serve(500, "text/plain", fixed(strings.Repeat("overflow ", 1<<20))),
			"HTTP 500 Internal Server Error: text/plain answer: overflow overflow"},
		{"an 8 MiB answer", serve(200, "application/json", fixed(`{"TransactionId":8907512,"Status":100,"Padding":"`+strings.Repeat("A", 8<<20)+`"}`)),
			"more than 4 MiB"},
		{"a gzip bomb", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(bomb)
		}, "more than 4 MiB once decompressed"},
		{"escape sequences in the vendor's message", serve(404, "application/json",
			fixed(`{"SubmissionId":"s\u001b[2J","Errors":[{"Error":"No status found.\u001b]0;owned\u0007\u001b[31m\nsecond line"}]}`)),
			`No status found.\x1b]0;owned\x07\x1b[31m second line (SubmissionId s\x1b[2J)`},
		{"a proxy's HTML 502, three times", serve(502, "text/html", fixed("<html><body>\n<h1>502 Bad Gateway</h1>\n</body></html>")),
			"HTTP 502 Bad Gateway: text/html answer: <html><body> <h1>502 Bad Gateway</h1> </body></html> (after 3 attempts)"},
		{"truncated JSON", serve(200, "application/json", fixed(`{"TransactionId":8907512,"Sta`)), "not the documented JSON"},
		{"data after the JSON", serve(200, "application/json", fixed(`{"TransactionId":8907512,"Status":100}<html>oops</html>`)),
			"data after the answer's JSON value"},
		{"an answer about another transaction", serve(200, "application/json", fixed(`{"TransactionId":77,"Status":100}`)),
			"the answer is about transaction 77, not 8907512"},
		{"credentials echoed in a JSON error", serve(403, "application/json", func(app, input string) string {
			return `{"SubmissionId":"` + app + `","Errors":[{"Error":"app ` + strings.ToLower(app) + ` input ` + input[:6] + `\u0001` + input[6:] + `"}]}`
		}), "HTTP 403 Forbidden: app [REDACTED] input [REDACTED] (SubmissionId [REDACTED])"},
		{"credentials echoed in an HTML page and its Content-Type", func(w http.ResponseWriter, r *http.Request) {
			app, input := r.Header.Get("x-omeda-appid"), inputID
			w.Header().Set("Content-Type", "text/html; appid="+app)
			w.WriteHeader(500)
			_, _ = w.Write([]byte("<pre>\nx-omeda-appid: " + app + "\r\nx-omeda-inputid: " + strings.ToUpper(input) + "\n</pre>"))
		}, "HTTP 500 Internal Server Error"},
	}
	for _, row := range rows {
		for _, args := range [][]string{{"transaction", "--verbose", "8907512"}, {"store", "--wait-timeout", "1s", "--verbose", "-"}} {
			t.Run(row.name+"/"+args[0], func(t *testing.T) {
				t.Parallel()
				s := newServer(t)
				s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*",
					reply(200, `{"ResponseInfo":[{"TransactionId":8907512,"Url":"https://x/transaction/8907512/*"}]}`))
				s.mux.HandleFunc(path, row.handler)
				r := omeda(t, s.env(), `{"FirstName":"Ann"}`, args...)
				assert.Equal(t, 1, r.code, r.stderr)
				if args[0] == "store" {
					docs := jsonLines(t, r.stdout)
					require.Len(t, docs, 1, "the receipt, whatever becomes of the wait")
					assert.Contains(t, docs[0], "ResponseInfo")
				} else {
					assert.Empty(t, r.stdout)
				}
				assert.True(t, printable(r.stderr), "stderr has control characters: %q", r.stderr)
				lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
				last := lines[len(lines)-1]
				assert.True(t, strings.HasPrefix(last, "omeda "+args[0]+": "), "the error comes last, on one line: %q", r.stderr)
				if args[0] == "store" {
					// The wait's error stands on a line of its own, then the submission's fate.
					assert.Contains(t, last, "the submission was sent")
					assert.Contains(t, r.stderr, row.want)
				} else {
					assert.Contains(t, last, row.want)
				}
				for _, line := range lines {
					assert.Less(t, len(line), 2<<10, "every line is bounded")
				}
				assert.Less(t, len(r.stderr), 64<<10, "the log is bounded")
				for _, out := range []string{strings.ToLower(r.stdout), strings.ToLower(r.stderr)} {
					for _, secret := range []string{appID, inputID} {
						assert.NotContains(t, out, strings.ToLower(secret))
						assert.NotContains(t, out, strings.ToLower(secret[6:]), "no part after a slipped-in character")
					}
				}
			})
		}
	}
}
