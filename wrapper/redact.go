package wrapper

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// One door out. Every string that leaves the SDK with text in it that the SDK did not write
// itself (a vendor message, a SubmissionId, a proxy's page, a Content-Type, a transport error
// that quotes a header line, a value the caller passed in) goes through a Redactor, in this
// order:
//
//  1. normalise: for matching only, characters that a terminal does not show (control and
//     format characters such as NUL, DEL, ESC, a soft hyphen, a zero-width space, a byte-order
//     mark), white space, line breaks and hyphens (any dash) are skipped, letters are folded to
//     lower case and full-width forms to ASCII, and an escape sequence as JSON or %q writes one
//     (\u0001, \x01, \n) counts as the character it stands for, so that "APPI\x00D", "appid",
//     "APP\nID" and the text `APP\u0001ID` all match "APPID";
//  2. redact: every secret found in the normalised text is replaced, with whatever it was split
//     by, by [REDACTED];
//  3. escape: what is left is printed on one line, with control and invisible characters
//     written as Go escapes (\n, \r, \t, \x1b, \u200b, and \xff for a byte that is not UTF-8),
//     so that a message cannot move the cursor, clear a screen or start a new line.
//
// The command-line tool prints every line through the same function (Clean).

// Redacted stands for a secret removed from a string.
const Redacted = "[REDACTED]"

// Redactor cleans strings for output with a fixed set of secrets. The zero value redacts
// nothing but still escapes. A Redactor is safe for concurrent use.
type Redactor struct {
	secrets []string // normalised; none empty
	needles []needle // secrets as needles, for JSON
}

// MinSecretLength is the length, in characters once normalised (see above: white space,
// hyphens and invisible characters do not count), under which a credential is not looked for:
// replacing every "x" of every message with [REDACTED] garbles all of them, and a credential of
// a few characters protects nothing. It holds on every path out: errors, log lines, answers
// (Redactor.JSON) and the command-line tool's output. The card values of a submission are the
// exception (WithCard).
const MinSecretLength = 6

// NewRedactor returns a Redactor for secrets (empty ones, and ones shorter than
// MinSecretLength, are ignored).
func NewRedactor(secrets ...string) *Redactor {
	return (*Redactor)(nil).With(secrets...)
}

// With returns a Redactor for r's secrets and more (empty ones, and ones shorter than
// MinSecretLength, are ignored).
func (r *Redactor) With(secrets ...string) *Redactor { return r.with(MinSecretLength, secrets) }

// WithCard returns a Redactor for r's secrets and the values of a submission's card fields
// (the contract's x-omeda-secret fields: the card number, its security code, its expiry),
// looked for whatever their length: in the errors of the one submission that carries them, a
// three-digit security code that Omeda echoes must not show. Answers also have these fields
// redacted by name, whatever their value (Redactor.JSON).
func (r *Redactor) WithCard(values ...string) *Redactor { return r.with(1, values) }

func (r *Redactor) with(minLength int, secrets []string) *Redactor {
	out := &Redactor{}
	if r != nil {
		out.secrets = append(out.secrets, r.secrets...)
	}
	for _, s := range secrets {
		if n := normalise(s); n != "" && utf8.RuneCountInString(n) >= minLength {
			out.secrets = append(out.secrets, n)
		}
	}
	for _, s := range out.secrets {
		out.needles = append(out.needles, newNeedle([]byte(s)))
	}
	return out
}

// Clean returns s redacted and escaped on one line (see the package's "one door out").
func (r *Redactor) Clean(s string) string { return r.clean(s, -1, false) }

// Redact returns s with its secrets replaced by [REDACTED], found the way Clean finds them, and
// nothing else changed: for text that is stored rather than printed, such as a recorded JSON
// body, whose line breaks and escapes must stay as they are.
func (r *Redactor) Redact(s string) string {
	spans := r.spans(s)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp[0]])
		b.WriteString(Redacted)
		last = sp[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// Clean returns s with every secret redacted, whatever invisible characters, line breaks or
// case it is disguised with, and with control and invisible characters escaped, on one line.
// Every string the SDK lets out passes through it; the command-line tool prints every line
// through it too. For example:
//
//	wrapper.Clean("bad id APPID\x00-1\r\n\x1b[2J", "appid-1") == `bad id [REDACTED]\r\n\x1b[2J`
func Clean(s string, secrets ...string) string { return NewRedactor(secrets...).Clean(s) }

// snippet is r's Clean for a page of text: runs of white space (line breaks included) become
// one space, and the result is cut to at most n bytes, the cut marked with "…".
func (r *Redactor) snippet(s string, n int) string { return r.clean(s, n, true) }

// ignorable reports whether r is skipped when looking for a secret: what a terminal does not
// show, white space, and hyphens and dashes of every kind (a card number echoed as
// 4111-1111-…, or with the en dashes or non-breaking hyphens a formatter may put there).
func ignorable(r rune) bool {
	return r == utf8.RuneError || r == '-' || unicode.IsSpace(r) || !unicode.IsPrint(r) ||
		r >= utf8.RuneSelf && unicode.Is(unicode.Pd, r)
}

// fold maps r to the form secrets are compared in.
func fold(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
		r -= 0xFEE0
	}
	return unicode.ToLower(r)
}

// normalise is s as secrets are compared: ignorable characters dropped, the rest folded.
func normalise(s string) string {
	var b strings.Builder
	for _, c := range s {
		if !ignorable(c) {
			b.WriteRune(fold(c))
		}
	}
	return b.String()
}

// spans returns the byte ranges of s that hold a secret, in order, merged.
func (r *Redactor) spans(s string) [][2]int {
	if r == nil || len(r.secrets) == 0 {
		return nil
	}
	// The normalised text, and for each of its bytes where the character it came from starts
	// and ends in s.
	var (
		norm       []byte
		start, end []int
	)
	for i := 0; i < len(s); {
		c, w := utf8.DecodeRuneInString(s[i:])
		if c == '\\' {
			// A value quoted as JSON or by %q spells a character as an escape: matched as the
			// character it stands for, so "App\u0001Id" and "App\x01Id" hide no "AppId".
			if e, ew, ok := unescape(s[i:]); ok {
				c, w = e, ew
			}
		}
		if !ignorable(c) {
			before := len(norm)
			norm = utf8.AppendRune(norm, fold(c))
			for range len(norm) - before {
				start, end = append(start, i), append(end, i+w)
			}
		}
		i += w
	}
	text := string(norm)
	var found [][2]int
	for _, secret := range r.secrets {
		for off := 0; ; {
			k := strings.Index(text[off:], secret)
			if k < 0 {
				break
			}
			k += off
			found = append(found, [2]int{start[k], end[k+len(secret)-1]})
			off = k + 1
		}
	}
	if len(found) < 2 {
		return found
	}
	// Merge overlapping ranges.
	for i := 1; i < len(found); i++ {
		for j := i; j > 0 && found[j][0] < found[j-1][0]; j-- {
			found[j], found[j-1] = found[j-1], found[j]
		}
	}
	merged := found[:1]
	for _, f := range found[1:] {
		last := &merged[len(merged)-1]
		if f[0] <= last[1] {
			last[1] = max(last[1], f[1])
			continue
		}
		merged = append(merged, f)
	}
	return merged
}

// unescape reads the escape sequence at the start of s (a backslash, then one of JSON's or Go's
// escapes: \n \r \t \f \b \v \a \/, \xNN, \uNNNN, \UNNNNNNNN), returning the character it
// stands for (utf8.RuneError for a byte that is not one, or a lone surrogate) and its length.
func unescape(s string) (rune, int, bool) {
	if len(s) < 2 {
		return 0, 0, false
	}
	digits := 0
	switch s[1] {
	case 'n':
		return '\n', 2, true
	case 'r':
		return '\r', 2, true
	case 't':
		return '\t', 2, true
	case 'f':
		return '\f', 2, true
	case 'b':
		return '\b', 2, true
	case 'v':
		return '\v', 2, true
	case 'a':
		return '\a', 2, true
	case '/':
		return '/', 2, true
	case 'x':
		digits = 2
	case 'u':
		digits = 4
	case 'U':
		digits = 8
	default:
		return 0, 0, false
	}
	if len(s) < 2+digits {
		return 0, 0, false
	}
	v, ok := hexRune(s[2 : 2+digits])
	if !ok {
		return 0, 0, false
	}
	if (digits == 2 && v >= 0x80) || !utf8.ValidRune(v) {
		v = utf8.RuneError // a raw byte (\xff) or a surrogate: nothing a terminal shows
	}
	return v, 2 + digits, true
}

// hexRune reads h, hex digits only (of an escape: \xNN, \uNNNN, \UNNNNNNNN), as a number.
func hexRune[T string | []byte](h T) (rune, bool) {
	var v rune
	for i := range len(h) {
		c := h[i]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		v = v<<4 | rune(c)
	}
	return v, true
}

// clean redacts and escapes s; limit < 0 means no bound; collapse turns runs of white space
// into one space (and drops leading and trailing space).
func (r *Redactor) clean(s string, limit int, collapse bool) string {
	spans := r.spans(s)
	var b strings.Builder
	b.Grow(min(len(s), max(limit, 0)+16))
	space := false
	full := false
	put := func(tok string) {
		if full {
			return
		}
		sep := space && b.Len() > 0
		space = false
		need := len(tok)
		if sep {
			need++
		}
		if limit >= 0 && b.Len()+need > limit {
			b.WriteString("…")
			full = true
			return
		}
		if sep {
			b.WriteByte(' ')
		}
		b.WriteString(tok)
	}
	var tmp [utf8.UTFMax]byte
	for i := 0; i < len(s) && !full; {
		if len(spans) > 0 && i >= spans[0][0] {
			put(Redacted)
			i = spans[0][1]
			spans = spans[1:]
			continue
		}
		c, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && w == 1:
			put(`\x` + hex2(s[i]))
		case collapse && unicode.IsSpace(c):
			space = true
		case c == ' ' || unicode.IsPrint(c):
			n := utf8.EncodeRune(tmp[:], c)
			put(string(tmp[:n]))
		default:
			put(escapeRune(c))
		}
		i += w
	}
	return b.String()
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

// escapeRune writes a control or invisible character as a Go escape: \n, \r and \t, \xNN
// below U+0100 (\x1b, \x07), \uNNNN or \UNNNNNNNN above.
func escapeRune(c rune) string {
	switch c {
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	}
	switch {
	case c < 0x100:
		return `\x` + hex2(byte(c))
	case c <= 0xFFFF:
		return fmt.Sprintf(`\u%04x`, c)
	}
	return fmt.Sprintf(`\U%08x`, c)
}
