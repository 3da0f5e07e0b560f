package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// disguises are the ways an answer may echo a secret that the door must see through: the case
// changed, a control or invisible character or a line break slipped in between its characters,
// and (for a card number) the groups a person types.
func disguises(s string) []string {
	return []string{
		s, strings.ToLower(s), strings.ToUpper(s),
		s[:5] + "\x01" + s[5:], s[:6] + "\n" + s[6:], s[:4] + "\u200b" + s[4:], s[:3] + "\r\n" + s[3:],
		s[:2] + "\x7f" + s[2:], s[:7] + "\u202e" + s[7:],
	}
}

const card = "4111111111111111"

// cardOrder is a paid order, its card in BillingInformation.
const cardOrder = `{"FirstName":"James","Addresses":[{"AddressContactType":"100","Street":"555 Huehl Road","City":"Northbrook","RegionCode":"IL","PostalCode":"60062-0123","CountryCode":"USA"}],` +
	`"BillingInformation":{"CreditCardType":"1","CreditCardNumber":"` + card + `","ExpirationDate":"1230","CardSecurityCode":"737","NameOnCard":"James Smith","DoCharge":"False",` +
	`"BillingStreet":"555 Huehl Road","BillingCity":"Northbrook","BillingRegion":"IL","BillingPostalCode":"60062","BillingCountryCode":"USA"},` +
	`"Products":[{"Amount":"65.00","AmountPaid":"71.50","SalesTax":"6.50","Term":"12","OmedaProductId":14,"Receive":1}]}`

// TestCLISuccessAnswersRedactDisguisedSecrets (finding D7): a 200 answer whose strings echo the
// app id or the input id split by a control character, a line break or an invisible character,
// or the submission's card number (as sent, or grouped with spaces or dashes), is printed on
// stdout without any of them, as valid JSON with the vendor's field names; the error path
// already saw through these disguises, the answer path did not.
func TestCLISuccessAnswersRedactDisguisedSecrets(t *testing.T) {
	t.Parallel()
	echoes := append(disguises(appID), disguises(inputID)...)
	cards := []string{card, "4111 1111 1111 1111", "4111-1111-1111-1111", "4111\u00a01111\u200b1111\x001111"}
	echoes = append(echoes, cards...)
	for i, echo := range echoes {
		isCard := slices.Contains(cards, echo)
		m, err := json.Marshal("echo " + echo + " end")
		require.NoError(t, err)
		s := newServer(t)
		s.mux.HandleFunc("GET /brand/FOO/customer/12345/phone/*", reply(200, fmt.Sprintf(
			`{"Customer":%s,"PhoneNumbers":[{"Id":1,"PhoneNumber":%s,"PhoneContactType":200,"StatusCode":1,"ChangedDate":"2015-03-08 21:23:34"}],"SubmissionId":%s}`, m, m, m)))
		s.mux.HandleFunc("GET /brand/FOO/customer/12345/mergehistory/*", reply(200, fmt.Sprintf(
			`{"Customer":%s,"CustomerMergeHistory":[{"Id":111}],"SubmissionId":%s}`, m, m)))
		s.mux.HandleFunc("POST /brand/FOO/storecustomerandorder/*", reply(200, fmt.Sprintf(
			`{"ResponseInfo":[{"TransactionId":8907512,"Url":%s}],"SubmissionId":%s}`, m, m)))
		s.mux.HandleFunc("GET /brand/FOO/transaction/8907512/*", reply(200, fmt.Sprintf(
			`{"TransactionId":8907512,"Status":100,"OmedaCustomerId":5,"SubmissionId":%s}`, m)))
		for _, run := range []struct {
			stdin string
			args  []string
		}{
			{"", []string{"phones", "12345"}},
			{"", []string{"merges", "12345"}},
			{"12345\n", []string{"phones", "--ids-from", "-"}},
			{"", []string{"transaction", "8907512"}},
			{cardOrder, []string{"store", "-"}},
			{cardOrder, []string{"store", "--wait", "-"}},
		} {
			if isCard && run.args[0] != "store" {
				continue // the card number is a secret of the command that sends it
			}
			r := omeda(t, s.env(), run.stdin, run.args...)
			name := fmt.Sprintf("echo %d %q: %s", i, echo, strings.Join(run.args, " "))
			require.Equal(t, 0, r.code, "%s: %s", name, r.stderr)
			require.NotEmpty(t, r.stdout, name)
			assertNoSecret(t, name, r.stdout)
			assertNoSecret(t, name, r.stderr)
			dec := json.NewDecoder(strings.NewReader(r.stdout))
			for dec.More() {
				var doc map[string]any
				require.NoError(t, dec.Decode(&doc), "%s: stdout is valid JSON: %s", name, r.stdout)
				if result, ok := doc["result"].(map[string]any); ok { // --ids-from: one line per id
					doc = result
				}
				assert.Contains(t, doc, "SubmissionId", "%s: the vendor's field names are kept", name)
				assert.Contains(t, doc["SubmissionId"], "[REDACTED]", name)
				id, _ := doc["SubmissionId"].(string)
				assert.True(t, strings.HasPrefix(id, "echo ") && strings.HasSuffix(id, " end"), "%s: what is not secret is kept: %q", name, id)
			}
		}
	}
}

// assertNoSecret fails when text, once decoded as JSON strings would be and stripped of what
// the door ignores, still holds the app id, the input id or the card number.
func assertNoSecret(t *testing.T, name, text string) {
	t.Helper()
	var b strings.Builder
	for _, r := range text {
		if r == '-' || r == ' ' || r == '\n' || r == '\r' || r < 0x20 || r == 0x7f || r == 0x200b || r == 0x202e || r == 0xa0 {
			continue
		}
		b.WriteRune(r)
	}
	// The escapes encoding/json writes for what a terminal must not act on.
	flat := strings.ToLower(b.String())
	for _, esc := range []string{`\u0001`, `\u0000`, `\n`, `\r`, `\u007f`, `\u200b`, `\u202e`, `\u00a0`, `\x01`, `\x00`, `\x7f`, `\u2028`} {
		flat = strings.ReplaceAll(flat, esc, "")
	}
	for _, secret := range []string{appID, inputID, card} {
		norm := strings.ToLower(strings.ReplaceAll(secret, "-", ""))
		assert.NotContains(t, flat, norm, "%s: %s is printed: %q", name, secret, text)
	}
}
