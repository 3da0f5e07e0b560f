// Package jsonesc makes encoded JSON safe to print without changing what it decodes to. It
// serves the two places that print JSON as it came or as encoding/json wrote it: the SDK's
// UnreadReceiptError.Raw and the command-line tool's output.
package jsonesc

import (
	"bytes"
	"slices"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Escape returns data, valid JSON (whole, or some of its lines), with what a terminal acts on
// and JSON may carry raw inside its strings written as \u escapes: DEL, the C1 controls, format
// characters (a right-to-left override, a zero-width space, the tags of a flag emoji) and bytes
// that are not UTF-8, as \ufffd, the character encoding/json decodes them to. A character above
// U+FFFF is written as its UTF-16 surrogate pair, as JSON spells it: a \u escape holds four hex
// digits, and "\ue0067" reads as U+E006 and a "7". All these are at or above 0x7f, which valid
// JSON holds only inside strings, so data decodes to the same value after. data is returned as
// it is when it has none of them.
func Escape(data []byte) []byte {
	if !slices.ContainsFunc(data, func(b byte) bool { return b >= 0x7f }) {
		return data // ASCII below DEL: nothing to escape
	}
	if utf8.Valid(data) && !bytes.ContainsFunc(data, unsafe) {
		return data
	}
	out := make([]byte, 0, len(data)+16)
	for i := 0; i < len(data); {
		r, w := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && w == 1:
			out = append(out, `\ufffd`...)
		case unsafe(r) && r > 0xFFFF:
			hi, lo := utf16.EncodeRune(r)
			out = appendEscape(appendEscape(out, hi), lo)
		case unsafe(r):
			out = appendEscape(out, r)
		default:
			out = append(out, data[i:i+w]...)
		}
		i += w
	}
	return out
}

// unsafe reports whether r is escaped: DEL, a C1 control, or a format character.
func unsafe(r rune) bool {
	return r >= 0x7f && unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}

// appendEscape appends \u and the four hex digits of r, at most U+FFFF.
func appendEscape(out []byte, r rune) []byte {
	const digits = "0123456789abcdef"
	return append(out, '\\', 'u', digits[r>>12&15], digits[r>>8&15], digits[r>>4&15], digits[r&15])
}
