package wrapper

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRedactorJSONSeesThroughEscapes (finding D7): a secret split by an escape of the encoded
// text ("\u0001", "\n", "\u200b") is found as Clean finds it in the decoded text, and the answer
// stays valid JSON with the same field names.
func TestRedactorJSONSeesThroughEscapes(t *testing.T) {
	t.Parallel()
	const secret = "RefAppIdSekr3tQ7"
	red := NewRedactor(secret, "4111 1111 1111 1111")
	for in, want := range map[string]string{
		`{"Customer":"RefApp\u0001IdSekr3tQ7"}`:                              `{"Customer":"[REDACTED]"}`,
		`{"Customer":"RefApp\nIdSekr3tQ7"}`:                                  `{"Customer":"[REDACTED]"}`,
		`{"Customer":"Ref\r\nAppIdSekr3tQ7 and more"}`:                       `{"Customer":"[REDACTED] and more"}`,
		"{\"Customer\":\"RefA\u200bppIdSekr3tQ7\"}":                          `{"Customer":"[REDACTED]"}`,
		`{"Customer":"RefA\u200bppIdSekr3tQ7"}`:                              `{"Customer":"[REDACTED]"}`,
		`{"Customer":"REFAPP\u0049DSEKR3TQ7"}`:                               `{"Customer":"[REDACTED]"}`,
		`{"Customer":"RefAppIdSekr\ud83d\ude003tQ7"}`:                        `{"Customer":"RefAppIdSekr😀3tQ7"}`[:0] + `{"Customer":"RefAppIdSekr\ud83d\ude003tQ7"}`,
		`{"Url":"4111-1111-1111-1111","N":4111111111111111}`:                 `{"Url":"[REDACTED]","N":"[REDACTED]"}`,
		`{"Customer": "x"}` + "\n" + `{"Customer":"RefApp\tIdSekr3tQ7 <b>"}`: `{"Customer": "x"}` + "\n" + `{"Customer":"[REDACTED] <b>"}`,
		`{"RefApp\u0001IdSekr3tQ7":1}`:                                       `{"[REDACTED]":1}`,
		`{"Customer":"quote \" RefAppIdSekr3tQ7 \\"}`:                        `{"Customer":"quote \" [REDACTED] \\"}`,
		// The contract's secret fields, by name, whatever their value and case.
		`{"BillingInformation":{"CreditCardNumber":"5500 0000 0000 0004","creditcardnumber":5500000000000004,"CardSecurityCode" : "737","ExpirationDate":null,"ExpirationDATE":1230,"NameOnCard":"737"}}`: `{"BillingInformation":{"CreditCardNumber":"[REDACTED]","creditcardnumber":"[REDACTED]","CardSecurityCode" : "[REDACTED]","ExpirationDate":null,"ExpirationDATE":"[REDACTED]","NameOnCard":"737"}}`,
		`{"CardSecurityCode":true,"Id":1}`: `{"CardSecurityCode":"[REDACTED]","Id":1}`,
		// Kept byte for byte.
		`{"Customer":"RefAppIdSekr3t","Id":-12.5e3,"Ok":true,"No":null}`:                          `{"Customer":"RefAppIdSekr3t","Id":-12.5e3,"Ok":true,"No":null}`,
		`{"ExpirationDate":"Omeda's key, not a secret value here"}`[:0] + `{"Expiration":"1230"}`: `{"Expiration":"1230"}`,
	} {
		got := string(red.JSON([]byte(in)))
		assert.Equal(t, want, got, "%s", in)
		dec := json.NewDecoder(strings.NewReader(got))
		for dec.More() {
			var v any
			require.NoError(t, dec.Decode(&v), "%s: still JSON: %s", in, got)
		}
		assert.Equal(t, got, string(red.JSON([]byte(got))), "%s: redacting twice changes nothing", in)
	}
}

// TestRedactorJSONRedactsASecretFieldWhateverItsShape: the value of a secret field is redacted
// whatever it is, an object or a list too: an answer that nests the card number or the security
// code ({"CardSecurityCode":["737"]}) showed them, and the command-line tool, which does not
// look for values as short as a security code, printed them.
func TestRedactorJSONRedactsASecretFieldWhateverItsShape(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`{"CardSecurityCode":["737"],"Id":1}`:                                         `{"CardSecurityCode":"[REDACTED]","Id":1}`,
		`{"CreditCardNumber":{"Number":"5500 0000 0000 0004","Brand":"]}\""},"Id":1}`: `{"CreditCardNumber":"[REDACTED]","Id":1}`,
		`{"expirationdate" : [ [12], {"y":30} ] , "Id":[1]}`:                          `{"expirationdate" : "[REDACTED]" , "Id":[1]}`,
		`[{"CardSecurityCode":[]},{"CardSecurityCode":{}}]`:                           `[{"CardSecurityCode":"[REDACTED]"},{"CardSecurityCode":"[REDACTED]"}]`,
		`{"CardSecurityCode":["737"]}` + "\n" + `{"N":["737"]}`:                       `{"CardSecurityCode":"[REDACTED]"}` + "\n" + `{"N":["737"]}`,
	} {
		got := string(NewRedactor().JSON([]byte(in)))
		assert.Equal(t, want, got, "%s", in)
		dec := json.NewDecoder(strings.NewReader(got))
		for dec.More() {
			var v any
			require.NoError(t, dec.Decode(&v), "%s: still JSON: %s", in, got)
		}
	}
}

// TestRedactorJSONFindsWhatRedactFinds: JSON redacts a string exactly when Redact, given its
// decoded text, does, however the text is encoded.
func TestRedactorJSONFindsWhatRedactFinds(t *testing.T) {
	t.Parallel()
	secrets := []string{"AppId-7f3e-Secret", "kask", "ſecret-ſ", "a.b*c", "Ｓｅｃｒｅｔ", `q"uo\te`}
	texts := []string{
		"https://x/appid-7F3E-secret/*", "u", "APPID-7F3E-SECRE", "xxAPPID-7F3E-SECRETxx",
		"AppId 7f3e Secret", "AppI\u007fd\u200b-7f3e\u00adSecret", "AppI\x01d\n-7f3e\r\nSecret\t", "AppId7f3eSecret",
		"ＡｐｐＩｄ-7f3e-Secret", "\u212Aask", "KASK", "kas", "SECRET-S", "secret-ſ", "ſecretſ",
		"A.B*C", "aXb*c", "secret", "S e c r e t", "bad \xff utf-8 AppId-7f3e-Secret", "", `Q"UO\TE`,
		"Q\"U\u2028O\\TE", "App\u2029Id-7f3e-Secret",
	}
	red := NewRedactor(secrets...)
	for _, text := range texts {
		for _, html := range []bool{true, false} {
			var b strings.Builder
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(html)
			require.NoError(t, enc.Encode(map[string]string{"K": text}))
			in := []byte(b.String())
			out := red.JSON(in)
			var back map[string]string
			require.NoError(t, json.Unmarshal(out, &back), "%q", out)
			var decoded map[string]string
			require.NoError(t, json.Unmarshal(in, &decoded))
			assert.Equal(t, red.Redact(decoded["K"]), back["K"], "%q", text)
		}
	}
}

// TestRedactorJSONCleanAnswerIsNotCopied: the common case, an answer with no secret in it,
// costs no allocation and returns the same bytes.
func TestRedactorJSONCleanAnswerIsNotCopied(t *testing.T) {
	red := NewRedactor("AppId-7f3e-Secret", "Input-Id-1234")
	data := []byte(strings.Repeat(`{"Id":1,"Url":"https://x/y","Name":"Zoë \u001b esc","N":-1.5e3,"T":true,"Z":null}`+"\n", 100))
	out := red.JSON(data)
	require.Equal(t, string(data), string(out))
	assert.Same(t, &data[0], &out[0])
	assert.Zero(t, testing.AllocsPerRun(20, func() { red.JSON(data) }))
}

func BenchmarkRedactorJSON(b *testing.B) {
	red := NewRedactor("AppId-7f3e-Secret", "Input-Id-1234")
	var sb strings.Builder
	for i := range 1000 {
		sb.WriteString(`{"Id":`)
		sb.WriteString(strings.Repeat("1", i%7+1))
		sb.WriteString(`,"CustomerStatusId":1,"DateChanged":"2024-01-01 08:47:01.663","Url":"https://ows.omeda.com/webservices/rest/brand/FOO/customer/1/*"}` + "\n")
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		red.JSON(data)
	}
}

// TestNeedleFindsWhatBytesContainsFinds: the fast test's search, which starts from a needle's
// rarest byte, agrees with bytes.Contains wherever the needle sits.
func TestNeedleFindsWhatBytesContainsFinds(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"creditcardnumber", "appid7f3esecret", "zz", "q", "cardsecuritycode"} {
		n := newNeedle([]byte(text))
		for _, hay := range []string{
			"", text, "x" + text, text + "x", text[:len(text)-1], text[1:],
			strings.Repeat("card", 50) + text + strings.Repeat("c", 9), strings.Repeat(text[:len(text)/2], 9),
			text[:len(text)-1] + "y" + text,
		} {
			assert.Equal(t, strings.Contains(hay, text), n.in([]byte(hay)), "%q in %q", text, hay)
		}
	}
}
