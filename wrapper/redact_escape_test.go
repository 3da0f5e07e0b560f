package wrapper

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestTheDoorReadsQuotedEscapes: a value quoted as JSON or by %q (a submission warning, a
// refusal's "got", a log attribute) spells a hiding character as an escape; the door matches
// the escape as the character it stands for, so the secret is found, and leaves other text
// with backslashes as it was.
func TestTheDoorReadsQuotedEscapes(t *testing.T) {
	t.Parallel()
	const secret = "RefAppIdSekr3tQ7"
	red := NewRedactor(secret)
	for _, quoted := range []string{
		`"RefApp\u0001IdSekr3tQ7"`, `"RefApp\x01IdSekr3tQ7"`, `"RefApp\nIdSekr3tQ7"`, `"RefApp\r\nIdSekr3tQ7"`,
		`"RefApp\u200bIdSekr3tQ7"`, `"RefApp\U0000200bIdSekr3tQ7"`, `"RefApp\u00adIdSekr3tQ7"`,
		`"RefApp\xffIdSekr3tQ7"`, `"\u0052efAppIdSekr3tQ7"`, `"RefApp\u002dIdSekr3tQ7"`,
	} {
		got := red.Clean("(value " + quoted + ")")
		assert.Equal(t, `(value "`+Redacted+`")`, got, quoted)
		assert.Equal(t, `(value "`+Redacted+`")`, red.Redact("(value "+quoted+")"), quoted)
	}
	for _, plain := range []string{`C:\new\table`, `"a\u0001b"`, `\u00zz \x`, `trailing \`, `\U0011ffff`} {
		assert.Equal(t, plain, red.Redact(plain), "no secret: unchanged")
	}
}
