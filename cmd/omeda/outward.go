package main

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The one door out. Every string the tool prints that it did not write itself (an error, a
// vendor's message or SubmissionId, a log line, a configuration value, an answer) passes through
// cleanText (or, for JSON answers, cleanJSON) on its way to a terminal, with the credentials of
// the invocation that the Redactor collected. Nothing else prints such strings.

// cleanText makes s safe to print on one line: white space (line breaks included) is folded to
// single spaces, the secrets are replaced by REDACTED wherever they appear, whatever their case
// and even with control characters or white space slipped in between their characters, the
// control and formatting characters left are escaped (\x1b, \u202e), and the user name, password,
// query and fragment of any URL are replaced by REDACTED.
func cleanText(s string, secrets ...string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = redactSecrets(s, secrets)
	s = escapeControls(s)
	return redactURLs(s)
}

// minSecret is the length under which a value is not worth redacting: replacing every "x" of a
// message would garble it, and a one-letter app id protects nothing.
const minSecret = 4

// ignorable are the characters an echo of a secret may carry between its characters without
// changing what a reader sees: control and formatting characters, and white space.
func ignorable(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.IsSpace(r)
}

// redactSecrets replaces each occurrence of a secret, compared case-insensitively with the
// ignorable characters left out on both sides, by REDACTED.
func redactSecrets(s string, secrets []string) string {
	runes := []rune(s)
	var view []rune // s without the ignorable characters, lower-cased
	var at []int    // at[i] is the index in runes of view[i]
	for i, r := range runes {
		if !ignorable(r) {
			view = append(view, unicode.ToLower(r))
			at = append(at, i)
		}
	}
	redacted := make([]bool, len(runes))
	found := false
	for _, secret := range secrets {
		var want []rune
		for _, r := range secret {
			if !ignorable(r) {
				want = append(want, unicode.ToLower(r))
			}
		}
		if len(want) < minSecret {
			continue
		}
		for i := 0; i+len(want) <= len(view); i++ {
			if runesEqual(view[i:i+len(want)], want) {
				found = true
				for j := at[i]; j <= at[i+len(want)-1]; j++ {
					redacted[j] = true
				}
			}
		}
	}
	if !found {
		return s
	}
	var b strings.Builder
	for i, r := range runes {
		switch {
		case !redacted[i]:
			b.WriteRune(r)
		case i == 0 || !redacted[i-1]:
			b.WriteString("REDACTED")
		}
	}
	return b.String()
}

func runesEqual(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// escapeControls writes control and formatting characters (escape sequences, bidirectional
// overrides, invalid UTF-8) as visible escapes.
func escapeControls(s string) string {
	if !strings.ContainsFunc(s, needsEscape) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case needsEscape(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case needsEscape(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func needsEscape(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }

var (
	// scheme://user:password@ and scheme://token@
	urlUserinfo = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://)[^\s/?#@"']*@`)
	// user:password@host without a scheme
	bareUserinfo = regexp.MustCompile(`(^|[\s"'(=])[^\s/?#@"'(=:]+:[^\s/?#@"']*@`)
	// the query or fragment of anything with a slash before it: a URL or a path
	urlQuery = regexp.MustCompile(`([^\s"'?#]*/[^\s"'?#]*[?#])[^\s"']+`)
)

// redactURLs hides what a URL may carry besides its place: credentials, a query, a fragment.
func redactURLs(s string) string {
	if !strings.ContainsAny(s, "@?#") {
		return s
	}
	s = urlUserinfo.ReplaceAllString(s, "${1}REDACTED@")
	s = bareUserinfo.ReplaceAllString(s, "${1}REDACTED@")
	return urlQuery.ReplaceAllString(s, "${1}REDACTED")
}

// cleanJSON makes encoded JSON safe to print without changing what it decodes to: the control
// and formatting characters that encoding/json leaves raw (DEL, the C1 controls, bidirectional
// overrides) become \u escapes, and the secrets are replaced by REDACTED. It copies data only
// when something needs to change, since a change window's answer can be large.
func cleanJSON(data []byte, secrets ...string) []byte {
	return cleanJSONWith(data, secretPatterns(secrets))
}

func cleanJSONWith(data []byte, patterns []secretPattern) []byte {
	raw := func(r rune) bool { return r != '\n' && r != '\t' && needsEscape(r) }
	if bytes.ContainsFunc(data, raw) {
		var b bytes.Buffer
		b.Grow(len(data) + 64)
		for _, r := range string(data) {
			if raw(r) {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
		data = b.Bytes()
	}
	for _, p := range patterns {
		if p.mayMatch(data) && p.re.Match(data) {
			data = p.re.ReplaceAllLiteral(data, []byte("REDACTED"))
		}
	}
	return data
}

// secretPattern is a secret and its case-insensitive pattern.
type secretPattern struct {
	secret string
	re     *regexp.Regexp
}

// mayMatch is a fast test that data cannot contain the secret, so that the pattern, which
// costs microseconds a line, runs only where it might match: the JSON lines of a change window
// are printed by the million. For an ASCII secret in ASCII data it searches with ASCII case
// folding, which is then exactly what the pattern matches; otherwise (Unicode folds 'k' to the
// Kelvin sign) it leaves the answer to the pattern.
func (p secretPattern) mayMatch(data []byte) bool {
	s := p.secret
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	for _, b := range data {
		if b >= utf8.RuneSelf {
			return true
		}
	}
	first := string([]byte{lowerASCII(s[0]), upperASCII(s[0])})
	for i := 0; i+len(s) <= len(data); {
		j := bytes.IndexAny(data[i:len(data)-len(s)+1], first)
		if j < 0 {
			return false
		}
		if bytes.EqualFold(data[i+j:i+j+len(s)], []byte(s)) {
			return true
		}
		i += j + 1
	}
	return false
}

func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

func upperASCII(b byte) byte {
	if 'a' <= b && b <= 'z' {
		return b - ('a' - 'A')
	}
	return b
}

// secretPatterns matches each secret worth redacting in JSON, case-insensitively. Encoded JSON
// is searched as it is (no characters are skipped), so that its layout is kept.
func secretPatterns(secrets []string) []secretPattern {
	var patterns []secretPattern
	for _, secret := range secrets {
		if secret = strings.TrimSpace(secret); utf8.RuneCountInString(secret) >= minSecret {
			patterns = append(patterns, secretPattern{secret, regexp.MustCompile("(?i)" + regexp.QuoteMeta(secret))})
		}
	}
	return patterns
}

// Redactor holds the credentials of one invocation, from its variables and flags, and cleans
// with them whatever the tool prints.
type Redactor struct {
	mu       sync.Mutex
	secrets  []string
	patterns []secretPattern // secretPatterns(secrets), for JSON
}

// Add registers secrets; empty ones are ignored.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(r.secrets, s) {
			r.secrets = append(r.secrets, s)
			r.patterns = append(r.patterns, secretPatterns([]string{s})...)
		}
	}
}

func (r *Redactor) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.secrets...)
}

// Line is s made safe to print on one line (cleanText).
func (r *Redactor) Line(s string) string { return cleanText(s, r.list()...) }

// JSON is an encoded answer made safe to print (cleanJSON).
func (r *Redactor) JSON(data []byte) []byte {
	r.mu.Lock()
	patterns := r.patterns
	r.mu.Unlock()
	return cleanJSONWith(data, patterns)
}

// Writer returns a writer that passes every line written to it through Line before w: the
// door for loggers.
func (r *Redactor) Writer(w io.Writer) io.Writer { return &lineWriter{r: r, w: w} }

type lineWriter struct {
	mu      sync.Mutex
	r       *Redactor
	w       io.Writer
	pending []byte
}

func (l *lineWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pending = append(l.pending, p...)
	for {
		i := bytes.IndexByte(l.pending, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := l.r.Line(string(l.pending[:i])) + "\n"
		l.pending = l.pending[i+1:]
		if _, err := io.WriteString(l.w, line); err != nil {
			return len(p), err
		}
	}
}

// secretAnnotation marks a flag whose value is a credential.
const secretAnnotation = "omeda_secret"

// addSecretFlags registers the values of cmd's credential flags, given or bound from a variable.
func addSecretFlags(r *Redactor, cmd *cobra.Command) {
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if _, ok := f.Annotations[secretAnnotation]; ok {
			r.Add(f.Value.String())
		}
	})
}
