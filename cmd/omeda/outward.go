package main

import (
	"bytes"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/omeda-go/omeda-go/internal/jsonesc"
	"github.com/omeda-go/omeda-go/wrapper"
)

// The one door out. Every string the tool prints that it did not write itself (an error, a
// vendor's message or SubmissionId, a log line, a configuration value, an answer) passes through
// the SDK's door, wrapper.Redactor, with the credentials of the invocation that the Redactor
// below collected: Line for text (cleanTextWith), JSON for answers (cleanJSONWith). Nothing
// else prints such strings.

// cleanTextWith makes s safe to print on one line: white space (line breaks included) is folded
// to single spaces, then the door's Clean redacts the secrets (whatever their case, and with
// invisible characters, white space or hyphens slipped in between their characters) and escapes
// the control and invisible characters left (\x1b, \u202e); last, the user name, password,
// query and fragment of any URL are redacted.
func cleanTextWith(door *wrapper.Redactor, s string) string {
	return redactURLs(door.Clean(strings.Join(strings.Fields(s), " ")))
}

var (
	// scheme://user:password@ and scheme://token@
	urlUserinfo = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://)[^\s/?#@"']*@`)
	// user:password@host without a scheme
	bareUserinfo = regexp.MustCompile(`(^|[\s"'(=])[^\s/?#@"'(=:]+:[^\s/?#@"']*@`)
	// the query or fragment of anything with a slash before it: a URL or a path
	urlQuery = regexp.MustCompile(`([^\s"'?#]*/[^\s"'?#]*[?#])[^\s"']+`)
)

// redactURLs hides what a URL may carry besides its place: credentials, a query, a fragment.
// The wrapper never quotes a base URL; this covers what other text may quote (a proxy's page, a
// transport error).
func redactURLs(s string) string {
	if !strings.ContainsAny(s, "@?#") {
		return s
	}
	s = urlUserinfo.ReplaceAllString(s, "${1}"+wrapper.Redacted+"@")
	s = bareUserinfo.ReplaceAllString(s, "${1}"+wrapper.Redacted+"@")
	return urlQuery.ReplaceAllString(s, "${1}"+wrapper.Redacted)
}

// cleanJSONWith makes encoded JSON safe to print without changing what it decodes to: the
// door's JSON redacts the secrets in its strings once their escapes are decoded, and the values
// of the contract's secret fields, and the control and invisible characters that encoding/json
// leaves raw (DEL, the C1 controls, bidirectional overrides) become \u escapes. It copies data
// only when something changes, since a change window's answer can be large.
func cleanJSONWith(door *wrapper.Redactor, data []byte) []byte {
	return jsonesc.Escape(door.JSON(data))
}

// Redactor holds the credentials of one invocation, from its variables and flags, and cleans
// with them whatever the tool prints.
type Redactor struct {
	mu      sync.Mutex
	secrets []string
	door    *wrapper.Redactor
}

// Add registers secrets; the door ignores empty ones and those shorter than
// wrapper.MinSecretLength, the same bound on every path (the wrapper's errors, logs, answers).
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(r.secrets, s) {
			r.secrets = append(r.secrets, s)
			r.door = r.door.With(s)
		}
	}
}

func (r *Redactor) snapshot() *wrapper.Redactor {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.door
}

// Line is s made safe to print on one line (cleanTextWith).
func (r *Redactor) Line(s string) string {
	return cleanTextWith(r.snapshot(), s)
}

// JSON is an encoded answer made safe to print (cleanJSONWith).
func (r *Redactor) JSON(data []byte) []byte {
	return cleanJSONWith(r.snapshot(), data)
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
