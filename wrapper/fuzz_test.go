package wrapper

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Fuzz targets; their seed corpora run with every go test, and make fuzz runs each for a while.

// FuzzDates: formatting and parsing round-trip in America/Chicago, daylight-saving edges
// included.
func FuzzDates(f *testing.F) {
	for _, t := range []time.Time{
		time.Date(2024, 3, 10, 1, 59, 59, 999e6, chicagoZone),
		time.Date(2024, 3, 10, 3, 0, 0, 0, chicagoZone),
		time.Date(2024, 11, 3, 1, 30, 0, 0, chicagoZone),
		time.Date(2024, 11, 3, 1, 30, 0, 0, chicagoZone).Add(time.Hour), // the second
		time.Date(2000, 2, 29, 23, 59, 0, 0, chicagoZone),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2099, 12, 31, 23, 59, 59, 0, time.FixedZone("JST", 9*3600)),
	} {
		f.Add(t.Unix(), int64(t.Nanosecond()))
	}
	f.Fuzz(func(t *testing.T, sec, nsec int64) {
		in := time.Unix(sec, nsec%1e9).In(chicagoZone)
		if in.Year() < 1900 || in.Year() > 2200 {
			t.Skip()
		}
		// A change-lookup minute names the same wall-clock minute.
		minute, err := time.ParseInLocation(LayoutDateTime, FormatDateTime(in), chicagoZone)
		if err != nil {
			t.Fatal(err)
		}
		if !sameWallClock(minute, in.Truncate(time.Minute)) {
			t.Fatalf("%v formats as %s, which reads back as %v", in, FormatDateTime(in), minute)
		}
		if day := FormatDate(in); day != in.Format("01022006") {
			t.Fatalf("%v formats as day %s", in, day)
		}
		// An answer's date reads back as the same wall-clock time, with or without milliseconds
		// and the zone suffixes real answers carry.
		ms := in.Truncate(time.Millisecond)
		for _, s := range []string{
			ms.Format(LayoutTimestampMillis), ms.Format(LayoutTimestampMillis) + " CST",
			ms.Format(LayoutTimestampMillis) + " CDT", in.Format(LayoutTimestamp),
		} {
			got, err := ParseTime(s)
			if err != nil {
				t.Fatalf("ParseTime(%q): %v", s, err)
			}
			want := ms
			if !strings.Contains(s, ".") {
				want = in.Truncate(time.Second)
			}
			if !sameWallClock(got, want) || got.Location() != chicagoZone {
				t.Fatalf("ParseTime(%q) = %v, want %v", s, got, want)
			}
		}
	})
}

// sameWallClock compares the calendar fields, which an hour repeated at fall back makes the only
// fair comparison.
func sameWallClock(a, b time.Time) bool {
	a, b = a.In(chicagoZone), b.In(chicagoZone)
	return a.Format("2006-01-02 15:04:05.000000000") == b.Format("2006-01-02 15:04:05.000000000")
}

// FuzzParseTime: arbitrary text never panics, and what parses formats back to itself.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2015-03-08 21:23:34", "2018-07-04 00:00:00.000", "2018-07-04 00:00:00.000 CDT", "", "2018-13-01 00:00:00", " CST", "2018-07-04T00:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTime(s)
		if err != nil {
			if !strings.Contains(err.Error(), "yyyy-MM-dd HH:mm:ss") {
				t.Fatalf("unclear error %v", err)
			}
			return
		}
		core := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(s), " CST"), " CDT")
		if got.Format(LayoutTimestamp) != core && got.Format(LayoutTimestampMillis) != core {
			t.Fatalf("ParseTime(%q) = %v", s, got)
		}
	})
}

// FuzzSplitRange: for any range, the windows cover it without a gap, each within 90 days.
func FuzzSplitRange(f *testing.F) {
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, chicagoZone)
	seeds := [][3]time.Time{
		{base, base.AddDate(0, 0, 90), base.AddDate(5, 0, 0)},
		{base, base.AddDate(0, 0, 90).Add(time.Minute), base.AddDate(5, 0, 0)},
		{time.Date(2024, 9, 1, 12, 0, 0, 0, chicagoZone), time.Date(2025, 1, 1, 0, 0, 0, 0, chicagoZone), base.AddDate(5, 0, 0)},
		{base.Add(30 * time.Second), base.Add(90 * time.Second), base.AddDate(5, 0, 0)},
		{base, base.AddDate(10, 0, 0), base.AddDate(1, 0, 0)},
		{base.AddDate(0, 0, 1), base, base.AddDate(1, 0, 0)},
	}
	for _, s := range seeds {
		f.Add(s[0].Unix(), s[1].Unix(), s[2].Unix())
	}
	f.Fuzz(func(t *testing.T, fromSec, toSec, nowSec int64) {
		const lo, hi = -2208988800, 7258118400 // 1900 to 2200
		if fromSec < lo || fromSec > hi || toSec < lo || toSec > hi || nowSec < lo || nowSec > hi || toSec-fromSec > 60*365*86400 {
			t.Skip()
		}
		from, to, now := time.Unix(fromSec, 0), time.Unix(toSec, 0), time.Unix(nowSec, 0)
		windows, err := SplitRange(from, to, now)
		if err != nil {
			if !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("error does not wrap ErrInvalidInput: %v", err)
			}
			if !to.Before(from) && !floorMinute(from).After(floorMinute(now)) && !floorMinute(from).After(ceilMinute(to)) {
				t.Fatalf("refused a valid range %v..%v (now %v): %v", from, to, now, err)
			}
			return
		}
		end := ceilMinute(to.In(chicagoZone))
		if limit := floorMinute(now.In(chicagoZone)); end.After(limit) {
			end = limit
		}
		if !windows[0].From.Equal(floorMinute(from)) || !windows[len(windows)-1].To.Equal(end) {
			t.Fatalf("windows %v..%v do not cover %v..%v", windows[0].From, windows[len(windows)-1].To, floorMinute(from), end)
		}
		for i, w := range windows {
			if w.To.Before(w.From) || w.To.Sub(w.From) > MaxWindow || w.To.After(w.From.AddDate(0, 0, 90)) {
				t.Fatalf("window %d (%v) is longer than 90 days or reversed", i, w)
			}
			if i > 0 && !windows[i-1].To.Equal(w.From) {
				t.Fatalf("gap between window %d and %d", i-1, i)
			}
			if i < len(windows)-1 && w.To.Equal(w.From) {
				t.Fatalf("empty window %d before the last", i)
			}
		}
	})
}

// fakeTransport answers every request with one canned answer and counts them.
type fakeTransport struct {
	status      int
	contentType string
	body        []byte
	requests    []*http.Request
}

func (f *fakeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f.requests = append(f.requests, r)
	h := http.Header{}
	if f.contentType != "" {
		h.Set("Content-Type", f.contentType)
	}
	return &http.Response{StatusCode: f.status, Header: h, Body: io.NopCloser(bytes.NewReader(f.body)),
		ContentLength: int64(len(f.body)), Request: r}, nil
}

// FuzzAnswers: whatever status and body come back, the call never panics, never loses the
// status, reports on one line, and never repeats a credential.
func FuzzAnswers(f *testing.F) {
	for _, seed := range []struct {
		status int
		ct     string
		body   string
	}{
		{200, "application/json", phonesBody},
		{404, "application/json", mergedBody},
		{404, "application/json", `{"Errors":[{"MergedIntoCustomerId":"x"}]}`},
		{200, "application/json", `{"Errors":[]}`},
		{200, "application/json", `null`},
		{200, "application/json", `{"PhoneNumbers":null}`},
		{500, "text/html", "<html>\x00\x01" + testAppID + "</html>"},
		{503, "", ""},
		{300, "application/json", `{"Customers":[]}`},
		{200, "application/json; charset=utf-8", `{"Customer":"x","PhoneNumbers":[` + strings.Repeat(`{"Id":1},`, 50) + `{}]}`},
		{429, "text/plain", "\xff\xfe invalid utf-8"},
	} {
		f.Add(seed.status, seed.ct, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if status < 200 || status > 599 {
			t.Skip()
		}
		tr := &fakeTransport{status: status, contentType: contentType, body: body}
		c, err := New("FOO", testAppID, WithBaseURL("https://omeda.example/webservices/rest"),
			WithInputID(testInputID), WithRetryPolicy(NoRetries()), WithHTTPClient(&http.Client{Transport: tr}))
		if err != nil {
			t.Fatal(err)
		}
		for _, call := range []func() error{
			func() error { _, err := c.PhoneNumbers(context.Background(), "12345"); return err },
			func() error {
				_, err := c.ChangedCustomers(context.Background(), time.Unix(0, 0), time.Unix(86400, 0))
				return err
			},
			func() error { _, err := c.StoreCustomerAndOrderJSON(context.Background(), []byte(`{}`)); return err },
		} {
			err := call()
			if err == nil {
				if status < 200 || status > 299 {
					t.Fatalf("status %d succeeded", status)
				}
				continue
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("status %d: not an *APIError: %v", status, err)
			}
			if apiErr.StatusCode != status {
				t.Fatalf("status %d reported as %d", status, apiErr.StatusCode)
			}
			msg := err.Error()
			if strings.ContainsAny(msg, "\n\r") || !utf8.ValidString(msg) && utf8.ValidString(string(body)) {
				t.Fatalf("error is not one clean line: %q", msg)
			}
			if strings.Contains(msg, testAppID) || strings.Contains(msg, testInputID) || strings.Contains(apiErr.Body, testAppID) {
				t.Fatalf("credential in error: %q", msg)
			}
			if len(apiErr.Body) > maxSnippet+len("…") {
				t.Fatalf("snippet of %d bytes", len(apiErr.Body))
			}
		}
	})
}

// FuzzPaths: no brand or customer id escapes its path segment. Either it is refused before
// anything is sent, or the request carries it as exactly one segment where it belongs.
func FuzzPaths(f *testing.F) {
	for _, s := range [][2]string{
		{"FOO", "12345"}, {"FOO", "9130C2719701F5S"}, {"FOO", ".."}, {"FOO", "../../admin"}, {"..", "1"},
		{"FOO/BAR", "1"}, {"FOO", "1/2"}, {"FOO", "1%2F2"}, {"FOO", "1?x=1"}, {"FOO", "1#x"}, {"F O", "1"},
		{"FOO", "%00"}, {"foo_bar-1", "123456789012345"}, {"FOO", "１２３"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, brand, id string) {
		tr := &fakeTransport{status: 200, contentType: "application/json", body: []byte(phonesBody)}
		const base = "https://omeda.example/webservices/rest"
		c, err := New(brand, testAppID, WithBaseURL(base), WithInputID(testInputID),
			WithRetryPolicy(NoRetries()), WithHTTPClient(&http.Client{Transport: tr}))
		if err != nil {
			if !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("New(%q): %v", brand, err)
			}
			return
		}
		_, phoneErr := c.PhoneNumbers(context.Background(), id)
		_, mergeErr := c.MergeHistory(context.Background(), id)
		if errors.Is(phoneErr, ErrInvalidInput) != errors.Is(mergeErr, ErrInvalidInput) {
			t.Fatalf("the lookups disagree on %q", id)
		}
		if errors.Is(phoneErr, ErrInvalidInput) {
			if len(tr.requests) != 0 {
				t.Fatalf("refused id %q was sent", id)
			}
			return
		}
		_, _ = c.StoreCustomerAndOrderJSON(context.Background(), []byte(`{}`))
		want := []string{
			"/webservices/rest/brand/" + brand + "/customer/" + id + "/phone/*",
			"/webservices/rest/brand/" + brand + "/customer/" + id + "/mergehistory/*",
			"/webservices/rest/brand/" + brand + "/storecustomerandorder/*",
		}
		if len(tr.requests) != len(want) {
			t.Fatalf("%d requests for %q/%q", len(tr.requests), brand, id)
		}
		for i, r := range tr.requests {
			if r.URL.Host != "omeda.example" || r.URL.EscapedPath() != want[i] || r.URL.RawQuery != "" || r.URL.Fragment != "" {
				t.Fatalf("brand %q id %q reached %s", brand, id, r.URL)
			}
		}
	})
}
