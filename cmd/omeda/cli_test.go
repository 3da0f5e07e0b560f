package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/internal/testlog"
	"github.com/omeda-go/omeda-go/wrapper"
)

// Recognizable credentials: they must never be printed.
const (
	appID   = "CLI-APPID-5b2e-SECRET"
	inputID = "CLI-INPUTID-91c0-SECRET"
)

type result struct {
	code           int
	stdout, stderr string
}

// omeda runs the tool in process with exactly the given environment, through the same Execute
// that main calls, and fails the test if either credential appears in what it printed.
func omeda(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errOut testlog.Buffer
	f := NewFactory(strings.NewReader(stdin), &out, &errOut, func(k string) string { return env[k] })
	code := Execute(t.Context(), f, args)
	r := result{code, out.String(), errOut.String()}
	for _, text := range []string{r.stdout, r.stderr} {
		assert.NotContains(t, text, appID, "the app id was printed")
		assert.NotContains(t, text, inputID, "the input id was printed")
	}
	return r
}

// server is an httptest server under /webservices/rest that records what reaches it.
type server struct {
	*httptest.Server
	mux      *http.ServeMux
	requests atomic.Int32
	mu       sync.Mutex
	paths    []string
}

func newServer(t *testing.T) *server {
	s := &server{mux: http.NewServeMux()}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		s.mu.Lock()
		s.paths = append(s.paths, r.Method+" "+r.URL.Path)
		s.mu.Unlock()
		assert.Equal(t, appID, r.Header.Get("x-omeda-appid"))
		http.StripPrefix("/webservices/rest", s.mux).ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) env() map[string]string {
	return map[string]string{"OMEDA_BASE_URL": s.URL + "/webservices/rest", "OMEDA_BRAND": "FOO", "OMEDA_APP_ID": appID, "OMEDA_INPUT_ID": inputID}
}

func (s *server) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paths = nil
}

func (s *server) recorded() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.paths...)
}

func reply(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"help"}} {
		r := omeda(t, nil, "", args...)
		assert.Equal(t, 0, r.code)
		for _, c := range []string{"phones", "merges", "changes", "store", "sandbox", "OMEDA_BASE_URL", "Exit status"} {
			assert.Contains(t, r.stdout, c)
		}
	}
	for _, c := range []string{"phones", "merges", "changes", "store", "transaction", "sandbox", "demo"} {
		for _, args := range [][]string{{"help", c}, {c, "--help"}, {c, "-h"}} {
			r := omeda(t, nil, "", args...)
			assert.Equal(t, 0, r.code, "%v", args)
			assert.Contains(t, r.stdout, "Usage: omeda "+c, "%v", args)
			assert.Contains(t, r.stdout, "Flags:", "%v", args)
			if c != "demo" {
				assert.Contains(t, r.stdout, "Examples:", "%v", args)
			}
			if c != "demo" && c != "sandbox" {
				// The built-in sandbox lasts one command: the help says how to keep one.
				assert.Contains(t, r.stdout, "a new one for each command", "%v", args)
				assert.Contains(t, r.stdout, "run 'omeda sandbox'", "%v", args)
			}
		}
	}
	r := omeda(t, nil, "")
	assert.Equal(t, 2, r.code)
	r = omeda(t, nil, "", "frobnicate")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `unknown command "frobnicate"`)
	r = omeda(t, nil, "", "version")
	assert.Equal(t, 0, r.code)
	assert.Equal(t, "omeda (omeda-go) "+wrapper.Version()+"\n", r.stdout, "the release: the contract's version")
}

func TestSandboxByDefaultAndOnRequest(t *testing.T) {
	t.Parallel()
	r := omeda(t, nil, "", "phones", "12345")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "answering from the built-in sandbox")
	var phones struct {
		PhoneNumbers []struct {
			ID int64 `json:"Id"`
		}
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &phones))
	require.Len(t, phones.PhoneNumbers, 2)
	assert.Equal(t, int64(472517), phones.PhoneNumbers[0].ID)

	// --sandbox wins even over a configured destination, and needs no credentials.
	r = omeda(t, map[string]string{"OMEDA_ENV": "production", "OMEDA_APP_ID": appID}, "", "merges", "--sandbox", "99999")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"CustomerMergeHistory"`)
	assert.NotContains(t, r.stderr, "answering from the built-in sandbox")
}

func TestConfigurationIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	base := s.URL + "/webservices/rest"
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"credentials without a destination", map[string]string{"OMEDA_APP_ID": appID, "OMEDA_BRAND": "FOO"}, []string{"phones", "12345"}, "no destination"},
		{"no app id", map[string]string{"OMEDA_BASE_URL": base, "OMEDA_BRAND": "FOO"}, []string{"phones", "12345"}, "no app id: set OMEDA_APP_ID"},
		{"no brand", map[string]string{"OMEDA_BASE_URL": base, "OMEDA_APP_ID": appID}, []string{"phones", "12345"}, "no brand"},
		{"unknown environment", map[string]string{"OMEDA_ENV": "prod", "OMEDA_BRAND": "FOO", "OMEDA_APP_ID": appID}, []string{"phones", "12345"}, `environment "prod"`},
		{"bad base URL", map[string]string{"OMEDA_BASE_URL": "ows.omeda.com", "OMEDA_BRAND": "FOO", "OMEDA_APP_ID": appID}, []string{"phones", "12345"}, "must be absolute"},
		{"bad timeout", map[string]string{"OMEDA_BASE_URL": base, "OMEDA_BRAND": "FOO", "OMEDA_APP_ID": appID, "OMEDA_TIMEOUT": "30"}, []string{"phones", "12345"}, "timeout"},
		{"hostile brand", map[string]string{"OMEDA_BASE_URL": base, "OMEDA_BRAND": "FOO/../x", "OMEDA_APP_ID": appID}, []string{"phones", "12345"}, "brand abbreviation"},
		{"app id with a control character", map[string]string{"OMEDA_BASE_URL": base, "OMEDA_BRAND": "FOO", "OMEDA_APP_ID": "CLI-APPID\t5b2e-SECRET"}, []string{"phones", "12345"}, "app id contains a character that cannot be sent in a header"},
		{"bad customer id", s.env(), []string{"phones", "../../12345"}, "customer id"},
		{"two customer ids", s.env(), []string{"merges", "1", "2"}, "expected one CUSTOMER_ID"},
		{"unknown flag", s.env(), []string{"phones", "--colour", "12345"}, "flag provided but not defined: --colour"},
		{"changes without --from", s.env(), []string{"changes"}, "--from is required"},
		{"changes with a bad date", s.env(), []string{"changes", "--from", "01/02/2024"}, `"01/02/2024" is not YYYY-MM-DD`},
		{"changes reversed", s.env(), []string{"changes", "--from", "2024-02-01", "--to", "2024-01-01"}, "is before --from"},
		{"changes from the future to now", s.env(), []string{"changes", "--from", "2999-01-01"}, "is before --from"},
		{"changes in the future", s.env(), []string{"changes", "--from", "2999-01-01", "--to", "2999-02-01"}, "after now"},
		{"changes ending in the spring-forward gap", s.env(), []string{"changes", "--from", "2024-03-01", "--to", "2024-03-10T02:30"},
			"--to: 2024-03-10T02:30 does not exist in America/Chicago: on 2024-03-10 the clocks jumped from 02:00 CST to 03:00 CDT"},
		{"changes starting in the fall-back hour", s.env(), []string{"changes", "--from", "2024-11-03T01:30", "--to", "2024-11-04"},
			"--from: 2024-11-03T01:30 is ambiguous in America/Chicago"},
		{"store without a file", s.env(), []string{"store"}, "expected one FILE"},
		{"store of a missing file", s.env(), []string{"store", "/nonexistent/order.json"}, "no such file"},
	}
	for _, tc := range cases {
		r := omeda(t, tc.env, "", tc.args...)
		assert.Equal(t, 2, r.code, "%s: %s", tc.name, r.stderr)
		assert.Contains(t, r.stderr, tc.want, tc.name)
		assert.Empty(t, r.stdout, tc.name)
	}
	assert.Zero(t, s.requests.Load(), "nothing was sent")
}

func TestFlagsWinOverVariables(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("GET /brand/FOO/customer/12345/phone/*", reply(200, `{"Customer":"x","PhoneNumbers":[]}`))
	env := s.env()
	env["OMEDA_BRAND"] = "BAR"
	env["OMEDA_ENV"] = "production" // OMEDA_BASE_URL overrides it
	r := omeda(t, env, "", "phones", "--brand", "FOO", "12345")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, []string{"GET /webservices/rest/brand/FOO/customer/12345/phone/*"}, s.recorded())
}

func TestAPIErrorsAreOneLineWithStatus1(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("GET /brand/FOO/customer/22/phone/*", reply(404, `{"SubmissionId":"2da476ca-9ae6-4b4a-a77c-4aafbd275028","Errors":[{"MergedIntoCustomerId":99999,"Error":"Customer id 22 is valid but not active. Please use 99999."}]}`))
	s.mux.HandleFunc("GET /brand/FOO/customer/99999/phone/*", reply(200, `{"Customer":"x","PhoneNumbers":[{"Id":1,"PhoneContactType":200,"PhoneNumber":"1","ChangedDate":"2015-03-08 21:23:34"}]}`))
	s.mux.HandleFunc("GET /brand/FOO/customer/5/mergehistory/*", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		_, _ = w.Write([]byte("<html><body>\n<h1>502 Bad Gateway</h1>\n</body></html>"))
	})
	r := omeda(t, s.env(), "", "phones", "22")
	assert.Equal(t, 1, r.code)
	assert.Empty(t, r.stdout)
	line := strings.TrimSpace(r.stderr)
	assert.NotContains(t, line, "\n", "one line")
	for _, want := range []string{"HTTP 404", "Customer id 22 is valid but not active. Please use 99999.", "merged into customer 99999", "SubmissionId 2da476ca-9ae6-4b4a-a77c-4aafbd275028"} {
		assert.Contains(t, line, want)
	}

	r = omeda(t, s.env(), "", "phones", "--follow-merges", "2", "22")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"PhoneContactType": 200`)

	r = omeda(t, s.env(), "", "merges", "5", "--verbose")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "HTTP 502 Bad Gateway: text/html answer: <html><body> <h1>502 Bad Gateway</h1> </body></html> (after 3 attempts)")
	assert.Contains(t, r.stderr, "omeda retry", "--verbose logs the retries")

	s2 := newServer(t)
	s2.Close()
	r = omeda(t, s2.env(), "", "phones", "12345", "--timeout", "2s")
	assert.Equal(t, 1, r.code, "a network failure")
	assert.Contains(t, r.stderr, "connection refused")
}

func TestChanges(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("GET /brand/FOO/customer/change/startdate/{start}/enddate/{end}/*", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("start") {
		case "01012024_0000":
			reply(200, `{"Customers":[{"Id":1,"Url":"u1","DateChanged":"2024-03-30 23:59:00.000","CreatedDate":"2024-01-01 00:00:00.000","CustomerStatusId":1},{"Id":2,"Url":"u2","DateChanged":"2024-02-01 00:00:00.000","CreatedDate":"2024-01-01 00:00:00.000","CustomerStatusId":1}],"SubmissionId":"a"}`)(w, r)
		case "03312024_0000":
			reply(200, `{"Customers":[{"Id":1,"Url":"u1","DateChanged":"2024-05-01 00:00:00.000","CreatedDate":"2024-01-01 00:00:00.000","CustomerStatusId":1}],"SubmissionId":"b"}`)(w, r)
		default:
			reply(404, `{"SubmissionId":"c","Errors":[{"Error":"No customers changed within that date range."}]}`)(w, r)
		}
	})
	r := omeda(t, s.env(), "", "changes", "--from", "2024-01-01", "--to", "2024-07-15")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, []string{
		"GET /webservices/rest/brand/FOO/customer/change/startdate/01012024_0000/enddate/03312024_0000/*",
		"GET /webservices/rest/brand/FOO/customer/change/startdate/03312024_0000/enddate/06292024_0000/*",
		"GET /webservices/rest/brand/FOO/customer/change/startdate/06292024_0000/enddate/07152024_2359/*",
	}, s.recorded())
	var out struct {
		Customers []struct {
			ID          int64  `json:"Id"`
			DateChanged string `json:"DateChanged"`
		}
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
	require.Len(t, out.Customers, 2, "each customer once")
	assert.Equal(t, "2024-05-01 00:00:00.000", out.Customers[0].DateChanged, "with its latest change")

	// Minutes and offsets.
	s.reset()
	r = omeda(t, s.env(), "", "changes", "--from", "2024-01-01T08:30", "--to", "2024-01-02T00:00:00Z")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, []string{"GET /webservices/rest/brand/FOO/customer/change/startdate/01012024_0830/enddate/01012024_1800/*"}, s.recorded())
	assert.JSONEq(t, `{"Customers":[],"SubmissionId":"c"}`, r.stdout)

	// The repeated hour of the change back from daylight saving time, with the offset of each
	// occurrence: 01:10 CDT to 01:20 CST holds every wall-clock minute from 01:00 to 01:59, and
	// Omeda's wall clock cannot tell the two occurrences apart, so the window asks for all of
	// them (wrapper.SplitRange).
	s.reset()
	r = omeda(t, s.env(), "", "changes", "--from", "2024-11-03T01:10-05:00", "--to", "2024-11-03T01:20-06:00")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, []string{"GET /webservices/rest/brand/FOO/customer/change/startdate/11032024_0100/enddate/11032024_0159/*"}, s.recorded(),
		"the window covers the repeated hour")
}

func TestChangesAgainstTheSandbox(t *testing.T) {
	t.Parallel()
	r := omeda(t, nil, "", "changes", "--from", "2018-01-01", "--to", "2018-12-31", "--concurrency", "2")
	require.Equal(t, 0, r.code, r.stderr)
	var out struct {
		Customers []struct {
			ID int64 `json:"Id"`
		}
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
	var ids []int64
	for _, c := range out.Customers {
		ids = append(ids, c.ID)
	}
	assert.Contains(t, ids, int64(122234562))
	assert.Contains(t, ids, int64(23456789))
}

// TestChangesConcurrencyWithoutEffectIsSaid: the stream fetches one window at a time, so
// --concurrency with --format ndjson or --dedupe=false is accepted and said to do nothing.
func TestChangesConcurrencyWithoutEffectIsSaid(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		warn string // the line said, or "" for no warning
	}{
		{[]string{"--concurrency", "2"}, ""},
		{[]string{"--format", "ndjson"}, ""},
		{[]string{"--format", "ndjson", "--concurrency", "4"}, "omeda changes: warning: --concurrency 4 has no effect with --format ndjson: windows are fetched one at a time\n"},
		{[]string{"--dedupe=false", "--concurrency", "3"}, "omeda changes: warning: --concurrency 3 has no effect with --dedupe=false: windows are fetched one at a time\n"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			r := omeda(t, nil, "", append([]string{"changes", "--from", "2018-01-01", "--to", "2018-12-31"}, tc.args...)...)
			require.Equal(t, 0, r.code, r.stderr)
			if tc.warn == "" {
				assert.NotContains(t, r.stderr, "warning", "the flag does what it says")
			} else {
				assert.Contains(t, r.stderr, tc.warn)
			}
			assert.NotEmpty(t, r.stdout)
		})
	}
}

func TestStore(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	var bodies []string
	var mu sync.Mutex
	s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, inputID, r.Header.Get("x-omeda-inputid"))
		var b bytes.Buffer
		_, _ = b.ReadFrom(r.Body)
		mu.Lock()
		bodies = append(bodies, b.String())
		n := len(bodies)
		mu.Unlock()
		if n == 2 {
			reply(503, `{"Errors":[{"Error":"busy"}]}`)(w, r)
			return
		}
		reply(200, `{"ResponseInfo":[{"TransactionId":77,"Url":"https://x/transaction/77/*"}]}`)(w, r)
	})
	payload := `{"FirstName":"Ann","Emails":[{"EmailAddress":"ann@example.com"}]}`
	r := omeda(t, s.env(), payload, "store", "-")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"TransactionId": 77`)
	assert.Equal(t, []string{payload}, bodies, "the bytes as given")

	file := filepath.Join(t.TempDir(), "order.json")
	require.NoError(t, os.WriteFile(file, []byte(payload), 0o600))
	r = omeda(t, s.env(), "", "store", file)
	assert.Equal(t, 1, r.code, "a 503 on the POST")
	assert.Contains(t, r.stderr, "HTTP 503")
	assert.Equal(t, int32(2), s.requests.Load(), "the POST is never retried")

	// Refused before sending: each problem named; what the contract does not document, warned.
	r = omeda(t, s.env(), `{"Firstname":"Ann","Gender":"X","Emails":[{}],"Salutation":"Mr. and Mrs"}`, "store", "-")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "nothing was sent")
	for _, p := range []string{`/Emails/0/EmailAddress: property "EmailAddress" is missing`, "/Salutation: maximum string length is 10"} {
		assert.Contains(t, r.stderr, p)
	}
	assert.Contains(t, r.stderr, "omeda store: warning: /Firstname: element \"Firstname\" is not one the contract documents")
	assert.Contains(t, r.stderr, "omeda store: warning: /Gender: code X is not one the contract documents")

	// Sent with warnings: one stderr line each, card data never shown.
	sent := s.requests.Load()
	r = omeda(t, s.env(), `{"FirstName":"Ann","Phones":[{"PhoneContactType":"220","Number":"847-555-6573"}],"BillingInformation":{"CreditCardNumber":"4111111111111111","CreditCardType":1,"ExpirationDate":"0230","CardSecurityCode":"999","NameOnCard":"Ann","DoCharge":"False","BillingStreet":"1 Main St","BillingCity":"Chicago","BillingRegion":"IL","BillingPostalCode":"60601","BillingCountryCode":"USA","CardNickname":"blue"}}`, "store", "-")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, sent+1, s.requests.Load())
	warnLines := 0
	for _, line := range strings.Split(r.stderr, "\n") {
		if strings.HasPrefix(line, "omeda store: warning: ") {
			warnLines++
		}
	}
	assert.Equal(t, 2, warnLines, r.stderr)
	assert.Contains(t, r.stderr, "/Phones/0/PhoneContactType")
	assert.Contains(t, r.stderr, "/BillingInformation/CardNickname")
	for _, secret := range []string{"4111111111111111", "0230", `"999"`} {
		assert.NotContains(t, r.stderr+r.stdout, secret, "card data never shown")
	}
	// Verbose too: the wrapper's log record of each warning is not printed a second time.
	r = omeda(t, s.env(), `{"FirstName":"Ann","Nick":"Al"}`, "store", "--verbose", "-")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, 1, strings.Count(r.stderr, "/Nick"), r.stderr)
	r = omeda(t, s.env(), "not json", "store", "-")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "not valid JSON")
	env := s.env()
	delete(env, "OMEDA_INPUT_ID")
	r = omeda(t, env, payload, "store", "-")
	assert.Equal(t, 2, r.code)
	// The CLI user is told the variable to set, not the Go option.
	assert.Contains(t, r.stderr, "no input id, which store needs: set OMEDA_INPUT_ID")
	assert.NotContains(t, r.stderr, "WithInputID")
	r = omeda(t, env, payload, "store", "--wait", "-")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "set OMEDA_INPUT_ID")
	assert.Equal(t, int32(4), s.requests.Load(), "nothing more was sent")
}

func TestStoreThenFindInTheSandbox(t *testing.T) {
	t.Parallel()
	r := omeda(t, nil, "", "demo")
	require.Equal(t, 0, r.code, r.stderr)
	for _, want := range []string{"$ omeda store --wait", `"TransactionId"`, `"Status":100`, "processed", "$ omeda changes --from", "$ omeda phones ", "3125550100", "$ omeda merges 99999", `"Id": 22`,
		"OMEDA_INPUT_ID for store"} { // the demo stores, so its closing line names the input id too
		assert.Contains(t, r.stdout, want)
	}
}

func TestSandboxCommand(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr testlog.Buffer
	f := NewFactory(strings.NewReader(""), pw, &stderr, func(string) string { return "" })
	done := make(chan int, 1)
	go func() {
		done <- Execute(ctx, f, []string{"sandbox", "--addr", "127.0.0.1:0", "--require-app-id", appID})
		_ = pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err)
	base := strings.TrimSpace(line)
	require.True(t, strings.HasPrefix(base, "http://127.0.0.1:") && strings.HasSuffix(base, "/webservices/rest"), base)

	env := map[string]string{"OMEDA_BASE_URL": base, "OMEDA_BRAND": "FOO", "OMEDA_APP_ID": appID}
	r := omeda(t, env, "", "phones", "9130C2719701F5S")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "8475648900")
	env["OMEDA_APP_ID"] = "someone-else"
	r = omeda(t, env, "", "phones", "12345")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "HTTP 403")

	cancel() // what SIGINT does through main's signal.NotifyContext
	assert.Equal(t, 0, <-done, "stops cleanly when interrupted: %s", stderr.String())
	assert.Contains(t, stderr.String(), "omeda sandbox: stopping")
	assert.NotContains(t, stderr.String(), appID)
}

// failingWriter is a standard output that cannot be written, like /dev/full.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) {
	return 0, &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.ENOSPC}
}

func TestStoreReceiptIsNeverLost(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*", reply(200, `{"ResponseInfo":[{"TransactionId":77,"Url":"https://x/transaction/77/*"}]}`))
	var errOut testlog.Buffer
	f := NewFactory(strings.NewReader(`{"FirstName":"Ann","Emails":[{"EmailAddress":"ann@example.com"}]}`), failingWriter{}, &errOut,
		func(k string) string { return s.env()[k] })
	code := Execute(t.Context(), f, []string{"store", "-"})
	assert.Equal(t, 3, code, "its own status: not 1, which a script may resend on")
	stderr := errOut.String()
	assert.Contains(t, stderr, `"TransactionId": 77`, "the receipt is on stderr")
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	assert.Equal(t, "omeda store: the submission was queued, but its receipt could not be written to standard output "+
		"(write /dev/stdout: no space left on device); the receipt is above, on standard error: do not send the submission again",
		lines[len(lines)-1])
	assert.Equal(t, int32(1), s.requests.Load(), "sent once")

	// A lookup whose answer cannot be written is a plain failure: nothing was queued.
	s.mux.HandleFunc("GET /brand/FOO/customer/1/phone/*", reply(200, `{"Customer":"x","PhoneNumbers":[]}`))
	errOut = testlog.Buffer{}
	f = NewFactory(strings.NewReader(""), failingWriter{}, &errOut, func(k string) string { return s.env()[k] })
	assert.Equal(t, 1, Execute(t.Context(), f, []string{"phones", "1"}))
	assert.Contains(t, errOut.String(), "no space left on device")
}
