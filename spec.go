// Package omeda is the root of omeda-go, an SDK for five endpoints of the Omeda REST API. It holds
// the contract: openapi.yaml, bundled from the hand-written documents under api/, embedded so
// that every layer of the SDK (the generated client in gen, the wrapper, the sandbox and the
// conformance suite) reads one and the same copy.
//
// Most programs want the wrapper package instead:
//
//	import "github.com/omeda-go/omeda-go/wrapper"
package omeda

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"slices"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed openapi.yaml
var specYAML []byte

// Spec returns a copy of the bundled OpenAPI 3.0 document, openapi.yaml, as YAML.
func Spec() []byte { return bytes.Clone(specYAML) }

// LoadSpec parses and validates the bundled document with kin-openapi. Every call returns a
// new document, so a caller may change it (for instance its servers) without affecting others.
func LoadSpec() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(specYAML)
	if err != nil {
		return nil, fmt.Errorf("omeda: parse openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("omeda: openapi.yaml is not a valid OpenAPI document: %w", err)
	}
	return doc, nil
}

// SecretFields returns the names of the fields the contract marks with the x-omeda-secret
// extension (today the card number, its security code and its expiry), sorted. omeda-go never
// writes their values to a log, an error, a recording or its output; a program that logs
// submissions itself should redact them too.
func SecretFields() []string { return slices.Clone(secretFields()) }

var secretFields = sync.OnceValue(func() []string {
	doc, err := LoadSpec()
	if err != nil {
		// The embedded contract is tested on every build; fall back to what it marks.
		return []string{"CardSecurityCode", "CreditCardNumber", "ExpirationDate"}
	}
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
			if secret, _ := p.Value.Extensions["x-omeda-secret"].(bool); secret && !slices.Contains(names, name) {
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
})
