// Package spec is the one home of the machinery that reads the contract, openapi.yaml: it loads
// the embedded document once, checks store submissions against it (the schema, the rules the
// vendor's pages state, and what the pages do not know), finds the elements and codes of any
// body that the contract does not document, names the secret fields, and builds kin-openapi
// routers. The wrapper, the sandbox and the conformance suite all use it; each words the
// problems it returns in its own way.
package spec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	omeda "github.com/omeda-go/omeda-go"
)

// storeRequestSchema is the name of the store submission's schema in the contract.
const storeRequestSchema = "StoreCustomerAndOrderRequest"

// extKnownValues lists the codes a field documents, each {value, description}. A value outside
// the list is passed on to Omeda, with a warning (in a request) or as drift (in an answer).
const extKnownValues = "x-omeda-known-values"

// Contract is the loaded contract, shared and read-only: never change its document.
type Contract struct {
	doc             *openapi3.T
	store           *openapi3.Schema
	storeWithoutNot *openapi3.Schema
}

// Load returns the contract, parsed and validated once per process.
func Load() (*Contract, error) { return load() }

var load = sync.OnceValues(func() (*Contract, error) {
	doc, err := omeda.LoadSpec()
	if err != nil {
		return nil, err
	}
	ref := doc.Components.Schemas[storeRequestSchema]
	if ref == nil || ref.Value == nil {
		return nil, errors.New("omeda: openapi.yaml has no " + storeRequestSchema + " schema")
	}
	// kin-openapi stops at a failed top-level "not" (OmedaCustomerId with ClientCustomerId);
	// the copy without it finds the submission's other problems too.
	withoutNot := *ref.Value
	withoutNot.Not = nil
	return &Contract{doc: doc, store: ref.Value, storeWithoutNot: &withoutNot}, nil
})

// Version is the contract's info.version, which is the release's version: a release of
// omeda-go is tagged vX.Y.Z on the commit whose contract is X.Y.Z (CHANGELOG.md).
func (c *Contract) Version() string { return c.doc.Info.Version }

// Schema returns the component schema of that name, or nil.
func (c *Contract) Schema(name string) *openapi3.Schema {
	if ref := c.doc.Components.Schemas[name]; ref != nil {
		return ref.Value
	}
	return nil
}

// NewRouter loads a fresh copy of the contract and routes requests against it. serverURL
// replaces the contract's servers (the root of the API, such as a sandbox's URL ending in
// /webservices/rest); "" removes them, so that paths are matched from the root of the request.
func NewRouter(serverURL string) (routers.Router, *openapi3.T, error) {
	doc, err := omeda.LoadSpec()
	if err != nil {
		return nil, nil, err
	}
	doc.Servers = nil
	if serverURL != "" {
		doc.Servers = openapi3.Servers{{URL: strings.TrimRight(serverURL, "/")}}
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, nil, fmt.Errorf("omeda: route the contract: %w", err)
	}
	return router, doc, nil
}

// DecodeJSON reads one JSON value with numbers kept as json.Number, so that ids beyond 2^53
// keep their digits, and refuses anything after it.
func DecodeJSON(payload []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("more than one JSON value")
	}
	return v, nil
}

// sortProblems orders problems by pointer, refusals first, and drops repeats.
func sortProblems(ps []Problem) []Problem {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if a.Severity != b.Severity {
			return int(a.Severity) - int(b.Severity)
		}
		return strings.Compare(a.Pointer+"\x00"+a.Reason, b.Pointer+"\x00"+b.Reason)
	})
	return slices.CompactFunc(ps, func(a, b Problem) bool {
		return a.Severity == b.Severity && a.Pointer == b.Pointer && a.Reason == b.Reason
	})
}
