package spec

import (
	"slices"
	"strings"
	"sync"

	omeda "github.com/omeda-go/omeda-go"
)

// Redacted is the placeholder a recording holds in place of a credential header's value, and,
// in cassettes recorded before they passed wrapper.Redactor, in place of card data. Everything
// else is redacted by wrapper.Redactor, which writes wrapper.Redacted.
const Redacted = "REDACTED"

// secretNames is the contract's list, read once by the root package.
var secretNames = sync.OnceValue(omeda.SecretFields)

// SecretFields returns the names of the fields the contract marks x-omeda-secret (the card
// number, its security code and its expiry), sorted. Their values must never reach a log, an
// error, a recording or the CLI's output.
func SecretFields() []string { return slices.Clone(secretNames()) }

// IsSecret reports whether a field of that name is secret, the name compared as encoding/json
// compares a member's name to a field's (whatever its case): a submission that spells it
// "creditcardnumber" is sent (with a warning), and encoding/json, perhaps Omeda too, reads it as
// the card number.
func IsSecret(field string) bool {
	return slices.ContainsFunc(secretNames(), func(name string) bool { return strings.EqualFold(name, field) })
}

// SecretValues returns the values of the secret fields in a JSON body (strings and numbers, as
// written), so that a copy of them elsewhere, such as an answer quoting the request, can be
// removed too, whatever the case of their names (IsSecret). It returns nothing for a body that
// is not JSON.
func SecretValues(body []byte) []string {
	v, err := DecodeJSON(body)
	if err != nil {
		return nil
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, child := range x {
				if IsSecret(k) {
					if s, ok := codeKey(child); ok && s != "" && s != Redacted {
						out = append(out, s)
					}
					continue
				}
				walk(child)
			}
		case []any:
			for _, child := range x {
				walk(child)
			}
		}
	}
	walk(v)
	return out
}
