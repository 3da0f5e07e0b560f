package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/internal/testlog"
)

func TestCleanText(t *testing.T) {
	t.Parallel()
	const secret = "AppId-7f3e-Secret"
	door := &Redactor{}
	door.Add(secret, "x", "")
	for in, want := range map[string]string{
		// Kept as they are.
		"Customer id 22 is valid but not active. Please use 99999.":     "Customer id 22 is valid but not active. Please use 99999.",
		"HTTP 502: text/html answer: <h1>502 Bad Gateway</h1>":          "HTTP 502: text/html answer: <h1>502 Bad Gateway</h1>",
		"write to ann@example.com failed; is it a question?":            "write to ann@example.com failed; is it a question?",
		`GET "http://127.0.0.1:8080/webservices/rest/brand/FOO/x/*"`:    `GET "http://127.0.0.1:8080/webservices/rest/brand/FOO/x/*"`,
		"time=2026-11-30T16:23:13.729Z level=DEBUG msg=\"omeda retry\"": "time=2026-11-30T16:23:13.729Z level=DEBUG msg=\"omeda retry\"",
		"Zoë, 東京 ✓": "Zoë, 東京 ✓",
		// One line.
		"two\nlines\r\n\tand  tabs": "two lines and tabs",
		// Control and formatting characters, escaped.
		"No phones.\x1b]0;owned\x07\x1b[2J": `No phones.\x1b]0;owned\x07\x1b[2J`,
		"del\x7f c1\u009b[31m nul\x00":      `del\x7f c1\x9b[31m nul\x00`,
		"bidi \u202egnp.exe":                `bidi \u202egnp.exe`,
		"bad utf-8 \xff\xfe":                `bad utf-8 \xff\xfe`,
		// The secret, however it is echoed.
		"appid " + secret:                       "appid [REDACTED]",
		"appid " + strings.ToLower(secret):      "appid [REDACTED]",
		"appid " + strings.ToUpper(secret):      "appid [REDACTED]",
		"appid AppI\x01d-7f3e-Secret!":          "appid [REDACTED]!",
		"appid AppId-7f3e\n-Secret":             "appid [REDACTED]",
		"appid AppId-7f3e\u200b-Secret":         "appid [REDACTED]",
		"x-omeda-appid: " + secret + secret:     "x-omeda-appid: [REDACTED]",
		"text/html; echo=" + secret + "; a=b":   "text/html; echo=[REDACTED]; a=b",
		"AppId-7f3e-Secre (almost, not at all)": "AppId-7f3e-Secre (almost, not at all)",
		// What a URL carries besides its place.
		`base URL "https://user:pw@omeda.example/rest" is refused`: `base URL "https://[REDACTED]@omeda.example/rest" is refused`,
		`parse "https://user:pw@omeda.example/%zz": invalid`:       `parse "https://[REDACTED]@omeda.example/%zz": invalid`,
		"https://token@omeda.example/rest":                         "https://[REDACTED]@omeda.example/rest",
		"user:pw@omeda.example/rest":                               "[REDACTED]@omeda.example/rest",
		`"https://omeda.example/rest?appid=1&x=2" refused`:         `"https://omeda.example/rest?[REDACTED]" refused`,
		"omeda.example/rest?appid=1":                               "omeda.example/rest?[REDACTED]",
		"https://omeda.example/rest#frag-ment":                     "https://omeda.example/rest#[REDACTED]",
	} {
		got := door.Line(in)
		assert.Equal(t, want, got, "%q", in)
		assert.Equal(t, got, door.Line(got), "%q: cleaning twice changes nothing", in)
		assert.False(t, strings.ContainsFunc(got, isRaw), "%q", in)
	}
}

func TestCleanJSONDecodesToTheSameValue(t *testing.T) {
	t.Parallel()
	value := map[string]any{"Error": "del\x7f c1\u009b[31m bidi\u202e esc\x1b[2J", "List": []any{"a", 1.0}}
	data, err := encodeJSON(value)
	require.NoError(t, err)
	out := (&Redactor{}).JSON(data)
	assert.False(t, strings.ContainsFunc(strings.ReplaceAll(string(out), "\n", ""), isRaw), "%q", out)
	var back map[string]any
	require.NoError(t, json.Unmarshal(out, &back))
	assert.Equal(t, value, back)
	assert.Contains(t, string(out), "\n  \"Error\"", "the indentation is kept")

	door := &Redactor{}
	door.Add("AppId-7f3e-Secret", "ab")
	out = door.JSON([]byte(`{"SubmissionId": "an echo of AppId-7f3e-Secret and appid-7f3e-secret"}`))
	assert.Equal(t, `{"SubmissionId": "an echo of [REDACTED] and [REDACTED]"}`, string(out))
}

// TestCleanJSONEscapesBytesThatAreNotUTF8: an answer the tool prints as it came (the unread
// receipt of a submission) may carry bytes that are not UTF-8 inside its strings, which
// json.Valid accepts. A lone 0x9b is the C1 control CSI to a terminal in an 8-bit mode, so it
// is written as \ufffd, what encoding/json decodes such a byte to: the printed JSON still
// decodes to the same value, and holds no raw byte that is not UTF-8, on whichever line. A
// format character above U+FFFF is escaped as JSON spells it, a surrogate pair: "\ue0067" would
// decode as U+E006 and a "7".
func TestCleanJSONEscapesBytesThatAreNotUTF8(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"{\"SubmissionId\": \"a\x9b31mb\"}",
		"{\n  \"Url\": \"a\x9b31m\",\n  \"Error\": \"x\xff\u202e\x7f\"\n}",
		"{\"E\": \"\xe2\x80\"}", // a character cut short
		// A format character above U+FFFF (a tag, as in a flag emoji) is a surrogate pair in JSON.
		"{\"Name\": \"flag \U000E0067\U000E0062 \U0001D173\"}",
	} {
		out := (&Redactor{}).JSON([]byte(in))
		assert.True(t, utf8.Valid(out), "%q: %q", in, out)
		assert.False(t, strings.ContainsFunc(strings.ReplaceAll(string(out), "\n", ""), isRaw), "%q: %q", in, out)
		var want, got any
		require.NoError(t, json.Unmarshal([]byte(in), &want))
		require.NoError(t, json.Unmarshal(out, &got), "%q", out)
		assert.Equal(t, want, got, "%q decodes as it did", in)
	}
}

func TestRedactorWriterCleansEachLine(t *testing.T) {
	t.Parallel()
	r := &Redactor{}
	r.Add("AppId-7f3e-Secret", " ")
	var out testlog.Buffer
	w := r.Writer(&out)
	for _, part := range []string{"level=WARN msg=retry err=\"echo AppId-7f3e", "-Secret\\n\" \x1b[2J\nsecond ", "line\n", "pending"} {
		n, err := w.Write([]byte(part))
		require.NoError(t, err)
		assert.Equal(t, len(part), n)
	}
	assert.Equal(t, "level=WARN msg=retry err=\"echo [REDACTED]\\n\" \\x1b[2J\nsecond line\n", out.String())
}

// TestCLIAnswersAndLogsPassTheDoor: what a server sends back reaches stdout and the --verbose
// log only through the door: a credential it echoes, in any case or with characters slipped
// in, is redacted, and control characters are escaped.
func TestCLIAnswersAndLogsPassTheDoor(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("GET /brand/FOO/customer/12345/phone/*", func(w http.ResponseWriter, r *http.Request) {
		app := r.Header.Get("x-omeda-appid")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"Customer":"` + app + `","PhoneNumbers":[{"Id":1,"PhoneContactType":200,"PhoneNumber":"\u001b[2J\u007f\u009b31m` +
			strings.ToLower(app) + `","ChangedDate":"2015-03-08 21:23:34"}]}`))
	})
	s.mux.HandleFunc("GET /brand/FOO/customer/1/phone/*", func(w http.ResponseWriter, r *http.Request) {
		app := r.Header.Get("x-omeda-appid")
		w.Header().Set("Content-Type", "text/plain; x="+strings.ToLower(app))
		w.WriteHeader(503)
		_, _ = w.Write([]byte(app[:6] + "\x01" + app[6:] + "\n" + app[:8] + "\r\n" + app[8:]))
	})
	r := omeda(t, s.env(), "", "phones", "12345")
	require.Equal(t, 0, r.code, r.stderr)
	assert.False(t, strings.ContainsFunc(strings.ReplaceAll(r.stdout, "\n", ""), isRaw), "%q", r.stdout)
	assert.NotContains(t, strings.ToLower(r.stdout), strings.ToLower(appID))
	var answer struct {
		Customer     string
		PhoneNumbers []struct{ PhoneNumber string }
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &answer))
	assert.Equal(t, "[REDACTED]", answer.Customer)
	assert.Equal(t, "\x1b[2J\x7f\u009b31m[REDACTED]", answer.PhoneNumbers[0].PhoneNumber, "the data is kept, escaped")

	r = omeda(t, s.env(), "", "phones", "--verbose", "1")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "omeda retry", "the log went through")
	assert.NotContains(t, strings.ToLower(r.stderr), strings.ToLower(appID))
	assert.NotContains(t, r.stderr, appID[6:], "no part after a slipped-in character")
	assert.True(t, printable(r.stderr), "%q", r.stderr)
}

func TestCLIConfigurationErrorsRepeatNoSecret(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	env := s.env()
	env["OMEDA_TIMEOUT"] = "https://ops:hunter2@proxy.example/"
	r := omeda(t, env, "", "phones", "1")
	assert.Equal(t, 2, r.code)
	assert.Equal(t, "omeda phones: timeout is not a positive Go duration such as 30s (OMEDA_TIMEOUT or --timeout)\nrun 'omeda help phones' for usage\n", r.stderr)
	env["OMEDA_TIMEOUT"] = "30"
	r = omeda(t, env, "", "phones", "1")
	assert.Contains(t, r.stderr, `timeout "30" is not a positive Go duration`, "a plain value is repeated")
	for _, v := range []string{"S3cr3tPw", "hunter2", "Tr0ub4dor", "pa55-word", "4111111111111111", "1234567"} {
		env["OMEDA_TIMEOUT"] = v
		r = omeda(t, env, "", "phones", "1")
		assert.Equal(t, 2, r.code)
		assert.NotContains(t, r.stderr, v, "a value not shaped like a duration may be a password: not repeated")
	}
	env["OMEDA_TIMEOUT"] = "30mins"
	r = omeda(t, env, "", "phones", "1")
	assert.Contains(t, r.stderr, `timeout "30mins" is not a positive Go duration`, "a duration's typo is repeated")
	env["OMEDA_TIMEOUT"] = appID
	r = omeda(t, env, "", "phones", "1") // omeda() checks that the app id is not printed
	assert.Equal(t, 2, r.code)

	// A secret typed where a command or an argument goes is not repeated either.
	r = omeda(t, map[string]string{"OMEDA_APP_ID": appID}, "", appID)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `unknown command "[REDACTED]"`)
	r = omeda(t, nil, "", "phones", "--app-id", appID, "--follow-merges", appID, "1")
	assert.Equal(t, 2, r.code)
	r = omeda(t, nil, "", "sandbox", "--require-app-id", appID, "--addr", appID)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "--addr")
	assert.Zero(t, s.requests.Load())
}

// isRaw is a character a terminal acts on or does not show.
func isRaw(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }
