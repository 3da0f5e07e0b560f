package spec

import (
	"encoding/json"
	"slices"
	"sync"

	omeda "github.com/omeda-go/omeda-go"
)

// Redacted replaces a secret value wherever the SDK would otherwise show or store it.
const Redacted = "REDACTED"

// secretNames is the contract's list, read once by the root package.
var secretNames = sync.OnceValue(omeda.SecretFields)

// SecretFields returns the names of the fields the contract marks x-omeda-secret (the card
// number, its security code and its expiry), sorted. Their values must never reach a log, an
// error, a recording or the CLI's output.
func SecretFields() []string { return slices.Clone(secretNames()) }

// IsSecret reports whether a field of that name is secret.
func IsSecret(field string) bool {
	_, ok := slices.BinarySearch(secretNames(), field)
	return ok
}

// RedactValue replaces the value of every secret field in a decoded JSON document, in place,
// with Redacted, and reports whether it replaced any.
func RedactValue(v any) bool {
	changed := false
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if IsSecret(k) && child != nil {
				x[k] = Redacted
				changed = true
				continue
			}
			changed = RedactValue(child) || changed
		}
	case []any:
		for _, child := range x {
			changed = RedactValue(child) || changed
		}
	}
	return changed
}

// RedactJSON returns body with the value of every secret field replaced by Redacted. A body
// that is not JSON is returned as it is (it has no fields to find); one that names no secret
// field is returned unchanged, byte for byte.
func RedactJSON(body []byte) []byte {
	v, err := DecodeJSON(body)
	if err != nil || !RedactValue(v) {
		return body
	}
	out, err := json.Marshal(v)
	if err != nil {
		return []byte(`"` + Redacted + `"`)
	}
	return out
}

// SecretValues returns the values of the secret fields in a JSON body (strings and numbers, as
// written), so that a copy of them elsewhere, such as an answer quoting the request, can be
// removed too. It returns nothing for a body that is not JSON.
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
