package spec

import (
	"encoding/json"
	"slices"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// Redacted replaces a secret value wherever the SDK would otherwise show or store it.
const Redacted = "REDACTED"

// collectSecrets lists the names of the properties the contract marks x-omeda-secret.
func collectSecrets(doc *openapi3.T) []string {
	var names []string
	seen := map[*openapi3.Schema]bool{}
	var visit func(s *openapi3.Schema)
	visit = func(s *openapi3.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		for name, p := range s.Properties {
			if p == nil || p.Value == nil {
				continue
			}
			if secret, _ := p.Value.Extensions[ExtSecret].(bool); secret && !slices.Contains(names, name) {
				names = append(names, name)
			}
			visit(p.Value)
		}
		if s.Items != nil {
			visit(s.Items.Value)
		}
		for _, list := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf, s.AllOf} {
			for _, b := range list {
				visit(b.Value)
			}
		}
	}
	for _, ref := range doc.Components.Schemas {
		visit(ref.Value)
	}
	slices.Sort(names)
	return names
}

var secretNames = sync.OnceValue(func() []string {
	c, err := Load()
	if err != nil {
		// Without the contract, fall back to the card fields it is known to mark.
		return []string{"CardSecurityCode", "CreditCardNumber", "ExpirationDate"}
	}
	return c.secrets
})

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
