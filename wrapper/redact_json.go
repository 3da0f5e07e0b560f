package wrapper

import (
	"bytes"
	"encoding/json"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/omeda-go/omeda-go/internal/spec"
)

// JSON returns data, encoded JSON (one document, or one per line), with the secrets redacted and
// nothing else changed, so that it still decodes, with the same field names, to what it did:
//
//   - every string (keys included) whose text, once its escapes are decoded, holds a secret the
//     way Clean finds it (whatever its case, and with control or invisible characters, line
//     breaks, white space or hyphens slipped in between its characters, such as
//     "APP\u0001ID" or "App\nId") has the secret replaced by [REDACTED], and is encoded again;
//   - a number that holds a secret becomes the string "[REDACTED]";
//   - the value of a field the contract marks secret (x-omeda-secret: the card number, its
//     security code, its expiry), whatever its case, becomes "[REDACTED]" (null stays null),
//     an object or a list as a whole.
//
// Matching on the encoded text, as Redact does, would miss a secret split by an escape
// ("APP\u0001ID" is twelve characters there, none of them invisible). data itself is returned
// when nothing changes; the test for that reads data once and allocates nothing.
// JSON does not escape what encoding/json leaves raw (DEL, the C1 controls): a caller that
// prints the result to a terminal escapes those itself.
func (r *Redactor) JSON(data []byte) []byte {
	if !r.mayHoldSecretJSON(data) {
		return data
	}
	return r.redactJSON(data)
}

// mayHoldSecretJSON is the fast test in front of redactJSON: each line of data, normalised with
// its escapes decoded, holds no secret and no secret field's name, or data needs no change.
// (Every string and number of JSON is on one line, and its normalised text is part of its line's.)
func (r *Redactor) mayHoldSecretJSON(data []byte) bool {
	// The lines are normalised into one buffer and searched a few KiB at a time: a search
	// costs about as much to start as to run through a short line. Lines run together may
	// match where no line does; that only sends the answer down the slow, exact path.
	var buf [4096]byte
	scratch := buf[:0]
	var needles [8]needle
	nn := append(needles[:0], secretFieldNeedles()...)
	if r != nil {
		nn = append(nn, r.needles...)
	}
	hit := func() bool {
		for _, n := range nn {
			if n.in(scratch) {
				return true
			}
		}
		return false
	}
	for line := range bytes.Lines(data) {
		scratch = normaliseJSONText(scratch, line)
		if len(scratch) >= len(buf)/2 {
			if hit() {
				return true
			}
			scratch = scratch[:0]
		}
	}
	return hit()
}

// needle is a normalised text to look for, with the offset of its rarest byte: searching for a
// rare byte first skips most of a text whose every other word starts with the needle's first
// letter ("c" of "cardsecuritycode").
type needle struct {
	text []byte
	rare int
}

// rareness ranks bytes by how seldom they appear in normalised answers, letters by their
// frequency in English; what is not listed (digits, punctuation) is common.
var rareness = func() (t [256]int) {
	for i, c := range []byte("etaoinshrdlcumwfgypbvkjxqz") {
		t[c] = i + 1
	}
	return t
}()

func newNeedle(text []byte) needle {
	n := needle{text: text}
	for i, c := range text {
		if rareness[c] > rareness[text[n.rare]] {
			n.rare = i
		}
	}
	return n
}

// in reports whether hay holds n.
func (n needle) in(hay []byte) bool {
	if len(n.text) == 0 {
		return false
	}
	c := n.text[n.rare]
	for off := n.rare; off < len(hay); {
		j := bytes.IndexByte(hay[off:], c)
		if j < 0 {
			return false
		}
		start := off + j - n.rare
		if start+len(n.text) <= len(hay) && bytes.Equal(hay[start:start+len(n.text)], n.text) {
			return true
		}
		off += j + 1
	}
	return false
}

// secretFieldNeedles are secretFieldNames as needles.
var secretFieldNeedles = sync.OnceValue(func() []needle {
	var out []needle
	for _, name := range secretFieldNames() {
		out = append(out, newNeedle(name))
	}
	return out
})

// redactJSON is JSON without its fast test.
func (r *Redactor) redactJSON(data []byte) []byte {
	var (
		out        []byte // nil while nothing has changed
		at         int    // data[:at] is in out, or needs no change
		buf        [128]byte
		secretNext bool // the next value belongs to a secret field
	)
	scratch := buf[:0]
	replace := func(from, to int, with []byte) {
		if out == nil {
			out = make([]byte, 0, len(data)+len(with))
		}
		out = append(out, data[at:from]...)
		out = append(out, with...)
		at = to
	}
	// A token shorter than this cannot hold a secret once normalised (a character grows by
	// half at most when folded) nor name a secret field: it is not read.
	shortest := minSecretField()
	if r != nil {
		for _, n := range r.needles {
			shortest = min(shortest, len(n.text))
		}
	}
	shortest = shortest * 2 / 3
	for i := 0; i < len(data); {
		switch c := data[i]; jsonClass[c] {
		case classString:
			end := stringEnd(data, i)
			tok := data[i:end]
			isKey := isKeyAt(data, end)
			if !isKey && secretNext {
				secretNext = false
				replace(i, end, redactedJSON)
				i = end
				continue
			}
			secretNext = false
			if len(tok)-2 >= shortest {
				scratch = normaliseJSONString(scratch[:0], tok)
				if isKey {
					secretNext = isSecretField(scratch)
				}
				if r.holdsSecret(scratch) {
					if red, ok := r.redactJSONString(tok); ok {
						replace(i, end, red)
					}
				}
			}
			i = end
		case classLiteral:
			end := i + 1
			for end < len(data) && jsonClass[data[end]] == classLiteral {
				end++
			}
			lit := data[i:end]
			switch {
			case secretNext && string(lit) != "null":
				replace(i, end, redactedJSON)
			case len(lit) >= shortest && c != 't' && c != 'f' && c != 'n' && r.holdsSecret(normaliseJSONString(scratch[:0], lit)):
				replace(i, end, redactedJSON)
			}
			secretNext = false
			i = end
		case classStructural:
			if secretNext && (c == '{' || c == '[') {
				// A secret field's object or list: all of it, since what it nests (a card
				// number, a security code) is the secret as much as a plain value would be.
				end := compositeEnd(data, i)
				replace(i, end, redactedJSON)
				secretNext = false
				i = end
				continue
			}
			secretNext = false
			i++
		default:
			i++
		}
	}
	if out == nil {
		return data
	}
	return append(out, data[at:]...)
}

// The classes of the bytes that start (or continue) a JSON token.
const (
	classOther = iota
	classString
	classLiteral // a number, true, false or null
	classStructural
)

var jsonClass = func() (t [256]uint8) {
	for _, c := range []byte("0123456789+-.eEtruefalsn") {
		t[c] = classLiteral
	}
	for _, c := range []byte("{}[],") {
		t[c] = classStructural
	}
	t['"'] = classString
	return t
}()

// secretFieldNames are the contract's secret field names (spec.SecretFields) as normalise
// makes them: a key is a secret field's whatever its case, since encoding/json decodes keys so.
var secretFieldNames = sync.OnceValue(func() [][]byte {
	var out [][]byte
	for _, name := range spec.SecretFields() {
		out = append(out, []byte(normalise(name)))
	}
	return out
})

// minSecretField is the length of the shortest secret field name, normalised.
var minSecretField = sync.OnceValue(func() int {
	n := 1 << 30
	for _, name := range secretFieldNames() {
		n = min(n, len(name))
	}
	return n
})

// isSecretField reports whether norm, a normalised key, names a secret field.
func isSecretField(norm []byte) bool {
	for _, name := range secretFieldNames() {
		if bytes.Equal(norm, name) {
			return true
		}
	}
	return false
}

// redactedJSON is Redacted as a JSON string.
var redactedJSON = []byte(`"` + Redacted + `"`)

// stringEnd returns the index just past the string token that starts at data[i] ('"'), or
// len(data) for one that is not closed.
func stringEnd(data []byte, i int) int {
	for j := i + 1; j < len(data); {
		k := bytes.IndexByte(data[j:], '"')
		if k < 0 {
			break
		}
		j += k
		if !escapedQuote(data[i+1 : j+1]) {
			return j + 1
		}
		j++
	}
	return len(data)
}

// compositeEnd returns the index just past the object or list that starts at data[i] ('{' or
// '['), or len(data) for one that is not closed: what is redacted then runs to the end rather
// than let a secret through.
func compositeEnd(data []byte, i int) int {
	depth := 0
	for j := i; j < len(data); j++ {
		switch data[j] {
		case '"':
			j = stringEnd(data, j) - 1
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return j + 1
			}
		}
	}
	return len(data)
}

// isKeyAt reports whether the token that ended at data[end] is an object's key: a colon follows.
func isKeyAt(data []byte, end int) bool {
	i := skipSpace(data, end)
	return i < len(data) && data[i] == ':'
}

// holdsSecret reports whether norm, text as normalise makes it, holds one of r's secrets.
func (r *Redactor) holdsSecret(norm []byte) bool {
	if r == nil || len(norm) == 0 {
		return false
	}
	for _, n := range r.needles {
		if bytes.Contains(norm, n.text) {
			return true
		}
	}
	return false
}

// redactJSONString decodes the string token tok, redacts it, and encodes it again; ok is false
// when nothing changed (or tok is not a valid string, which the caller then keeps).
func (r *Redactor) redactJSONString(tok []byte) (_ []byte, ok bool) {
	var s string
	if err := json.Unmarshal(tok, &s); err != nil {
		return nil, false
	}
	red := r.Redact(s)
	if red == s {
		return nil, false
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(red); err != nil {
		return redactedJSON, true
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), true
}

// normaliseJSONString appends to dst the text of a JSON token (a string with its quotes, or a
// number) as normalise makes the decoded text: the escapes are decoded on the way, so that
// "\u0001", "\n" or "\u200b" inside a secret are skipped as the characters they stand for.
func normaliseJSONString(dst, tok []byte) []byte {
	if len(tok) > 0 && tok[0] == '"' {
		tok = tok[1:]
		if len(tok) > 0 && tok[len(tok)-1] == '"' && !escapedQuote(tok) {
			tok = tok[:len(tok)-1]
		}
	}
	return normaliseJSONText(dst, tok)
}

// normaliseJSONText appends to dst encoded JSON text as normalise makes it, its escapes decoded.
func normaliseJSONText(dst, tok []byte) []byte {
	for i := 0; i < len(tok); {
		c := tok[i]
		if n := asciiNorm[c]; n > 1 {
			dst = append(dst, n)
			i++
			continue
		} else if n == 1 {
			i++
			continue
		}
		if c == '\\' && i+1 < len(tok) {
			var r rune
			switch e := tok[i+1]; e {
			case 'u':
				var w int
				r, w = decodeJSONEscape(tok[i:])
				i += w
			case '"', '\\', '/':
				r = rune(e)
				i += 2
			default: // \b \f \n \r \t: all skipped
				i += 2
				continue
			}
			if !ignorable(r) {
				dst = utf8.AppendRune(dst, fold(r))
			}
			continue
		}
		// A character beyond ASCII, or a backslash that ends the text (asciiNorm has the rest).
		r, w := utf8.DecodeRune(tok[i:])
		i += w
		if !ignorable(r) {
			dst = utf8.AppendRune(dst, fold(r))
		}
	}
	return dst
}

// asciiNorm maps an ASCII byte to the byte normalise makes of it, or to 1 when it is dropped;
// a backslash (an escape to decode) and the bytes of longer characters map to 0.
var asciiNorm = func() (t [256]byte) {
	for c := range utf8.RuneSelf {
		switch {
		case c == '\\':
		case c <= ' ' || c == '-' || c == 0x7f:
			t[c] = 1
		case 'A' <= c && c <= 'Z':
			t[c] = byte(c) + 'a' - 'A'
		default:
			t[c] = byte(c)
		}
	}
	return t
}()

// escapedQuote reports whether the last byte of s, a quote, is escaped by a backslash.
func escapedQuote(s []byte) bool {
	n := 0
	for i := len(s) - 2; i >= 0 && s[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

// decodeJSONEscape decodes the \uXXXX escape (and the low half of a surrogate pair after it) at
// the start of s as encoding/json does: a malformed or lone surrogate is utf8.RuneError.
func decodeJSONEscape(s []byte) (rune, int) {
	r, ok := hex4(s)
	if !ok {
		return utf8.RuneError, 2
	}
	if !utf16.IsSurrogate(r) {
		return r, 6
	}
	if lo, ok := hex4(s[6:]); ok {
		if pair := utf16.DecodeRune(r, lo); pair != utf8.RuneError {
			return pair, 12
		}
	}
	return utf8.RuneError, 6
}

// hex4 reads the four hex digits of a \uXXXX escape at the start of s.
func hex4(s []byte) (rune, bool) {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return 0, false
	}
	return hexRune(s[2:6])
}
