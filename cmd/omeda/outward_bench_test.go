package main

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/omeda-go/omeda-go/internal/jsonesc"
	"github.com/omeda-go/omeda-go/wrapper"
)

// BenchmarkCleanJSON measures the door for answers against the code it replaced (legacy: a
// prefilter on each encoded line, blind to a secret split by an escape) on a change window's
// answer of 1000 customers, with no secret in it and with one echoed on every line.
func BenchmarkCleanJSON(b *testing.B) {
	const appID = "AppId-7f3e-Secret"
	secrets := []string{appID, "Input-Id-1234"}
	answer := func(echo string) []byte {
		var sb strings.Builder
		for i := range 1000 {
			sb.WriteString(`{"Id":`)
			sb.WriteString(strings.Repeat("1", i%7+1))
			sb.WriteString(`,"CustomerStatusId":1,"DateChanged":"2024-01-01 08:47:01.663","Url":"https://ows.omeda.com/webservices/rest/brand/FOO/customer/1/*` + echo + `"}` + "\n")
		}
		return []byte(sb.String())
	}
	door := wrapper.NewRedactor(secrets...)
	norms := legacyNormalisedSecrets(secrets)
	for _, data := range []struct {
		name string
		data []byte
	}{{"clean", answer("")}, {"secret", answer(appID)}} {
		b.Run("legacy/"+data.name, func(b *testing.B) {
			b.SetBytes(int64(len(data.data)))
			b.ReportAllocs()
			for b.Loop() {
				legacyCleanJSONWith(door, norms, data.data)
			}
		})
		b.Run("current/"+data.name, func(b *testing.B) {
			b.SetBytes(int64(len(data.data)))
			b.ReportAllocs()
			for b.Loop() {
				cleanJSONWith(door, data.data)
			}
		})
	}
}

// legacyCleanJSONWith is cleanJSONWith as it was before finding D7, kept as the benchmark's
// baseline.
func legacyCleanJSONWith(door *wrapper.Redactor, norms [][]byte, data []byte) []byte {
	var out []byte
	var scratch []byte
	at := 0
	for line := range bytes.Lines(data) {
		clean := line
		if len(norms) > 0 {
			if scratch = legacyNormalise(scratch[:0], line); legacyContainsAny(scratch, norms) {
				if red := door.Redact(string(line)); red != string(line) {
					clean = []byte(red)
				}
			}
		}
		clean = jsonesc.Escape(clean)
		if out == nil && !sameSlice(clean, line) {
			out = append(make([]byte, 0, len(data)+64), data[:at]...)
		}
		if out != nil {
			out = append(out, clean...)
		}
		at += len(line)
	}
	if out == nil {
		return data
	}
	return out
}

func sameSlice(a, b []byte) bool { return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0]) }

func legacyNormalise(dst, text []byte) []byte {
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf {
			if c > ' ' && c != '-' && c != 0x7f {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, w := utf8.DecodeRune(text[i:])
		i += w
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			continue
		}
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}

func legacyNormalisedSecrets(secrets []string) [][]byte {
	var out [][]byte
	for _, s := range secrets {
		if n := legacyNormalise(nil, []byte(s)); len(n) > 0 {
			out = append(out, n)
		}
	}
	return out
}

func legacyContainsAny(text []byte, norms [][]byte) bool {
	for _, n := range norms {
		if bytes.Contains(text, n) {
			return true
		}
	}
	return false
}
