package wrapper

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
)

// More fuzz targets (fuzz_test.go has the first five); their seed corpora run with every go
// test, and make fuzz runs each for a while.

// oneCleanLine reports whether s has no line break nor any other control character.
func oneCleanLine(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' })
}

// FuzzEchoedCredentials: an answer of any status, Content-Type and body, into which the server
// has spliced one of the credentials (whole, or with a few bytes inside it), and perhaps into
// the Content-Type too. For each operation: no panic, the status kept, the error one clean
// line, and neither credential visible in the error, in any field of the *APIError, or in any
// log record.
func FuzzEchoedCredentials(f *testing.F) {
	envelope := `{"SubmissionId":"s-1","Errors":[{"Error":"unknown app id "}]}`
	for _, s := range []struct {
		status int
		ct     string
		body   string
		at     uint16
		split  uint8
		sep    string
		input  bool
		inCT   bool
	}{
		{403, "application/json", envelope, uint16(strings.Index(envelope, `"}]`)), 0, "", false, false},
		{404, "application/json", envelope, uint16(strings.Index(envelope, `"}]`)), 0, "", true, false},
		{200, "application/json", envelope, 17, 0, "", false, false},
		{502, "text/html", "<pre>x-omeda-appid: </pre>", 20, 0, "", false, false},
		{200, "text/plain", "echo: ", 6, 0, "", true, false},
		{500, "", "", 0, 0, "", false, false},
		{429, "application/json", `{"Errors":[{"Error":"slow down"}]}`, 0, 0, "", false, false},
		{503, "text/html; charset=utf-8", strings.Repeat("<p>busy</p>", 100), 600, 3, "", false, false},
		{200, "application/json", phonesBody, 40, 0, "", false, false},
	} {
		f.Add(s.status, s.ct, []byte(s.body), s.at, s.split, s.sep, s.input, s.inCT)
	}
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte, at uint16, split uint8, sep string, input, inCT bool) {
		if status < 200 || status > 599 || len(sep) > 4 || len(body) > 4096 {
			t.Skip()
		}
		secret := testAppID
		if input {
			secret = testInputID
		}
		k := int(split) % (len(secret) + 1)
		spliced := secret[:k] + sep + secret[k:]
		pos := int(at) % (len(body) + 1)
		answer := append(append(append([]byte(nil), body[:pos]...), spliced...), body[pos:]...)
		if inCT {
			contentType += "; echo=" + spliced
		}
		h := newRecordingHandler()
		tr := &fakeTransport{status: status, contentType: contentType, body: answer}
		c, err := New("FOO", testAppID, WithBaseURL("https://omeda.example/webservices/rest"), WithInputID(testInputID),
			WithRetryPolicy(NoRetries()), WithHTTPClient(&http.Client{Transport: tr}), WithLogger(slog.New(h)))
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range boundOps {
			err := callOp(context.Background(), c, op)
			if err == nil {
				continue
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("%s: status %d: not an *APIError: %v", op, status, err)
			}
			if apiErr.StatusCode != status {
				t.Fatalf("%s: status %d reported as %d", op, status, apiErr.StatusCode)
			}
			if len(apiErr.Body) > maxSnippet+len("…") {
				t.Fatalf("%s: snippet of %d bytes", op, len(apiErr.Body))
			}
			msg := err.Error()
			if !oneCleanLine(msg) {
				t.Fatalf("%s: error is not one clean line: %q", op, msg)
			}
			fields := strings.Join(append([]string{msg, apiErr.Body, apiErr.SubmissionID, apiErr.ContentType}, apiErr.Messages...), "|")
			if v := visible(fields); strings.Contains(v, testAppID) || strings.Contains(v, testInputID) {
				t.Fatalf("%s: credential visible in the error: %q", op, fields)
			}
		}
		for _, r := range h.all() {
			if v := visible(r); strings.Contains(v, testAppID) || strings.Contains(v, testInputID) {
				t.Fatalf("credential visible in a log record: %q", r)
			}
		}
	})
}

// FuzzRetryAfter: whatever Retry-After a 429, 5xx or 403 carries, a lookup waits between 0 and
// MaxWait (exactly what a number of seconds asks, capped) and is retried only for 429, 502, 503
// and 504; a submission is sent once and never waits.
func FuzzRetryAfter(f *testing.F) {
	now := time.Date(2026, 11, 22, 12, 0, 30, 0, chicagoZone)
	for _, s := range []struct {
		status int
		value  string
	}{
		{429, "7"}, {503, "0"}, {503, "-1"}, {502, "86400"}, {504, "99999999999999999999"}, {503, " 12 "},
		{429, now.Add(9 * time.Second).UTC().Format(http.TimeFormat)}, {503, now.Add(-time.Hour).UTC().Format(http.TimeFormat)},
		{503, "Sun, 06 Nov 1994 08:49:37 GMT"}, {503, "soon"}, {500, "1"}, {403, "1"}, {429, ""},
	} {
		f.Add(s.status, s.value)
	}
	policy := DefaultRetryPolicy()
	f.Fuzz(func(t *testing.T, status int, value string) {
		if status < 400 || status > 599 || strings.ContainsAny(value, "\r\n\x00") {
			t.Skip()
		}
		for _, op := range boundOps {
			requests := 0
			tr := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				requests++
				resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
					Body: http.NoBody, Request: r}
				body := successBody[op]
				if requests == 1 {
					resp.StatusCode, body = status, `{"Errors":[{"Error":"busy"}]}`
					resp.Header.Set("Retry-After", value)
				}
				resp.Body = &readCloser{strings.NewReader(body)}
				return resp, nil
			})
			c, err := New("FOO", testAppID, WithBaseURL("https://omeda.example/webservices/rest"), WithInputID(testInputID),
				WithRetryPolicy(policy), WithHTTPClient(&http.Client{Transport: tr}))
			if err != nil {
				t.Fatal(err)
			}
			var waits []time.Duration
			c.now = func() time.Time { return now }
			c.jitter = func() float64 { return 0.5 }
			c.sleep = func(ctx context.Context, d time.Duration) error {
				waits = append(waits, d)
				return nil
			}
			err = callOp(context.Background(), c, op)
			retried := op != "store" && retryableStatus(status)
			switch {
			case !retried && (requests != 1 || len(waits) != 0 || err == nil):
				t.Fatalf("%s: status %d: %d requests, waits %v, error %v", op, status, requests, waits, err)
			case retried && (requests != 2 || len(waits) != 1 || err != nil):
				t.Fatalf("%s: status %d: %d requests, waits %v, error %v", op, status, requests, waits, err)
			case !retried:
				return
			}
			if w := waits[0]; w < 0 || w > policy.MaxWait {
				t.Fatalf("%s: Retry-After %q: waited %v", op, value, w)
			}
			if secs, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64); err == nil && secs >= 0 {
				want := min(time.Duration(min(secs, 86400))*time.Second, policy.MaxWait)
				if waits[0] != want {
					t.Fatalf("%s: Retry-After %q: waited %v, want %v", op, value, waits[0], want)
				}
			}
		}
	})
}

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }

// FuzzSplitRangeWallClock: ranges of up to three days around a daylight-saving change, in any
// year, with any seconds. No window is sent reversed, and every wall-clock minute of the range
// is inside a window as sent (Omeda reads the windows, and stores its dates, as wall-clock
// times). Fails today around fall back: see TestChangeWindowsCoverTheRepeatedHourOfFallBack.
func FuzzSplitRangeWallClock(f *testing.F) {
	for _, s := range []struct {
		year   uint8
		offset int16
		length uint16
		secs   uint8
		spring bool
	}{
		{17, -30, 60, 0, true}, {18, -59, 61, 30, true}, {0, -2880, 4320, 59, true}, {29, 0, 1, 1, true},
		{17, -90, 151, 0, false}, {18, -120, 2880, 15, false}, {5, 60, 60, 0, false}, {20, -4000, 3000, 0, false},
	} {
		f.Add(s.year, s.offset, s.length, s.secs, s.spring)
	}
	f.Fuzz(func(t *testing.T, year uint8, offset int16, length uint16, secs uint8, spring bool) {
		y := 2007 + int(year)%30
		base := fallBack(y)
		if spring {
			base = springForward(y)
		}
		from := base.Add(time.Duration(offset)*time.Minute + time.Duration(secs%60)*time.Second)
		to := from.Add(time.Duration(length%4321) * time.Minute)
		windows, err := SplitRange(from, to, to.AddDate(1, 0, 0))
		if err != nil {
			t.Fatalf("%v..%v: %v", from, to, err)
		}
		if p := wallClockProblems(t, windows, from, to); len(p) > 0 {
			t.Fatalf("%v..%v (windows %v): %v", from.In(chicagoZone), to.In(chicagoZone), windows, p)
		}
	})
}

// FuzzRequestsOnTheWire: for any brand and customer id, New or the call refuses it with
// ErrInvalidInput before anything is sent, or every request that reaches a real test server
// (mounted under a base path) has exactly the expected path segments, the brand and the id
// each one segment, no query, and the test server as its host.
func FuzzRequestsOnTheWire(f *testing.F) {
	for _, s := range [][2]string{
		{"FOO", "12345"}, {"FOO", "9130C2719701F5S"}, {"foo_bar-1", "123456789012345"}, {"FOO", "../12345"},
		{"FOO", "12345/.."}, {"FOO", "1%2F2"}, {"FOO", "12345?x=1"}, {"FOO", "12345#x"}, {"FOO/..", "1"},
		{"FOO", "%2e%2e"}, {"FOO", "１２３"}, {"FOO", " 12345"}, {"F%4FO", "1"}, {"FOO", "9223372036854775807"},
		{"FOO", "9223372036854775808"},
	} {
		f.Add(s[0], s[1])
	}
	type seen struct{ method, requestURI, path, rawQuery, host string }
	var (
		mu   sync.Mutex
		got  []seen
		host string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, seen{r.Method, r.RequestURI, r.URL.Path, r.URL.RawQuery, r.Host})
		mu.Unlock()
		respond(w, 404, `{"Errors":[{"Error":"nothing here"}]}`)
	}))
	f.Cleanup(srv.Close)
	host = strings.TrimPrefix(srv.URL, "http://")
	const prefix = "/api-v1/webservices/rest"
	f.Fuzz(func(t *testing.T, brand, id string) {
		mu.Lock()
		got = nil
		mu.Unlock()
		c, err := New(brand, testAppID, WithBaseURL(srv.URL+prefix), WithInputID(testInputID),
			WithRetryPolicy(NoRetries()), WithHTTPClient(srv.Client()))
		if err != nil {
			if !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("New(%q): %v", brand, err)
			}
			return
		}
		ctx := context.Background()
		var want [][]string
		base := []string{"", "api-v1", "webservices", "rest", "brand", brand}
		_, phoneErr := c.PhoneNumbers(ctx, id)
		_, mergeErr := c.MergeHistory(ctx, id)
		if errors.Is(phoneErr, ErrInvalidInput) != errors.Is(mergeErr, ErrInvalidInput) {
			t.Fatalf("the lookups disagree on %q: %v / %v", id, phoneErr, mergeErr)
		}
		if !errors.Is(phoneErr, ErrInvalidInput) {
			want = append(want, append(base[:len(base):len(base)], "customer", id, "phone", "*"),
				append(base[:len(base):len(base)], "customer", id, "mergehistory", "*"))
		}
		_, _ = c.StoreCustomerAndOrderJSON(ctx, []byte(`{"FirstName":"Ann"}`))
		want = append(want, append(base[:len(base):len(base)], "storecustomerandorder", "*"))
		from := time.Date(2024, 1, 1, 0, 0, 0, 0, chicagoZone)
		_, _ = c.ChangedCustomers(ctx, from, from.Add(time.Hour))
		want = append(want, append(base[:len(base):len(base)], "customer", "change", "startdate", "01012024_0000", "enddate", "01012024_0100", "*"))

		mu.Lock()
		defer mu.Unlock()
		if len(got) != len(want) {
			t.Fatalf("brand %q id %q: %d requests reached the server, want %d: %v", brand, id, len(got), len(want), got)
		}
		for i, r := range got {
			method := http.MethodGet
			if want[i][6] == "storecustomerandorder" {
				method = http.MethodPost
			}
			segments := strings.Split(r.path, "/")
			if r.method != method || r.rawQuery != "" || r.host != host || strings.Contains(r.requestURI, "?") ||
				!slices.Equal(segments, want[i]) {
				t.Fatalf("brand %q id %q: %s %s (segments %q) reached %s, want %q", brand, id, r.method, r.requestURI, segments, r.host, want[i])
			}
		}
	})
}
