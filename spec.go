// Package omeda is the root of omeda-go, an SDK for four endpoints of the Omeda REST API. It holds
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
