package jsonesc

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEscapeKeepsTheValue: what a terminal acts on becomes a \u escape (a surrogate pair above
// U+FFFF), a byte that is not UTF-8 \ufffd, and the JSON decodes to what it did.
func TestEscapeKeepsTheValue(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`{"a":"plain é ✓","n":1}`:                         `{"a":"plain é ✓","n":1}`,
		"{\"a\":\"del\x7f c1\u009b rlo\u202e zw\u200b\"}": `{"a":"del\u007f c1\u009b rlo\u202e zw\u200b"}`,
		"{\"a\":\"bad\x9b cut\xe2\x80\"}":                 `{"a":"bad\ufffd cut\ufffd\ufffd"}`,
		"{\"flag\":\"\U000E0067\U000E0062\"}":             `{"flag":"\udb40\udc67\udb40\udc62"}`,
		"[\"\U0001D173\U0001F600\"]\n":                    "[\"\\ud834\\udd73\U0001F600\"]\n",
	} {
		out := Escape([]byte(in))
		assert.Equal(t, want, string(out), "%q", in)
		assert.True(t, utf8.Valid(out), "%q", in)
		var before, after any
		require.NoError(t, json.Unmarshal([]byte(in), &before), "%q", in)
		require.NoError(t, json.Unmarshal(out, &after), "%q", out)
		assert.Equal(t, before, after, "%q decodes as it did", in)
	}
	plain := []byte(`{"a":"b"}`)
	assert.Same(t, &plain[0], &Escape(plain)[0], "nothing to escape: the same bytes")
}
