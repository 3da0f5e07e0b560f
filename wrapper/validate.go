package wrapper

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	omeda "github.com/omeda-go/omeda-go"
)

// ValidationError lists every problem found in a submission before it was sent. It matches
// ErrInvalidInput.
type ValidationError struct {
	// Problems are "path: reason" lines, the path a JSON pointer into the submission such as
	// /Emails/0/EmailAddress ("/" for the submission itself).
	Problems []string
}

// Error names the first problems.
func (e *ValidationError) Error() string {
	const show = 5
	list := e.Problems
	more := ""
	if len(list) > show {
		list, more = list[:show], fmt.Sprintf("; and %d more", len(e.Problems)-show)
	}
	return fmt.Sprintf("omeda: the submission is invalid (%d problem%s): %s%s",
		len(e.Problems), plural(len(e.Problems)), strings.Join(list, "; "), more)
}

// Is matches ErrInvalidInput.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidInput }

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// storeSchemas are the contract's StoreCustomerAndOrderRequest, loaded once, and a copy
// without its top-level "not" (OmedaCustomerId with ClientCustomerId): kin-openapi stops at a
// failed "not", and a submission's other problems should be listed all at once.
type storeSchemas struct{ full, withoutNot *openapi3.Schema }

var storeSchema = sync.OnceValues(func() (storeSchemas, error) {
	doc, err := omeda.LoadSpec()
	if err != nil {
		return storeSchemas{}, err
	}
	ref := doc.Components.Schemas["StoreCustomerAndOrderRequest"]
	if ref == nil || ref.Value == nil {
		return storeSchemas{}, errors.New("omeda: openapi.yaml has no StoreCustomerAndOrderRequest schema")
	}
	rest := *ref.Value
	rest.Not = nil
	return storeSchemas{full: ref.Value, withoutNot: &rest}, nil
})

// bothIDs is the problem a failed top-level "not" stands for.
const bothIDs = "/: send OmedaCustomerId or ClientCustomerId, not both"

// ValidateStoreRequest checks a store submission against the contract's
// StoreCustomerAndOrderRequest schema (types, required elements, lengths, codes, date formats,
// no unknown elements) and against the rules the vendor documents that a schema cannot say (a
// ShippingAddressId or EmailAddressId needs OmedaCustomerId; a product at most once). It
// returns nil or a *ValidationError listing every problem. Nothing is sent.
func ValidateStoreRequest(payload []byte) error {
	schemas, err := storeSchema()
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber() // ids beyond 2^53 keep their digits
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return &ValidationError{Problems: []string{"/: not valid JSON: " + err.Error()}}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &ValidationError{Problems: []string{"/: more than one JSON value"}}
	}

	var problems []string
	if err := schemas.full.VisitJSON(doc, openapi3.MultiErrors()); err != nil {
		problems = schemaProblems(err, problems)
	}
	if slices.Contains(problems, bothIDs) {
		if err := schemas.withoutNot.VisitJSON(doc, openapi3.MultiErrors()); err != nil {
			problems = schemaProblems(err, problems)
		}
	}
	problems = append(problems, documentedRules(doc)...)
	if len(problems) == 0 {
		return nil
	}
	slices.Sort(problems)
	return &ValidationError{Problems: slices.Compact(problems)}
}

var behaviorAttributePath = regexp.MustCompile(`^/CustomerBehaviors/\d+/BehaviorAttributes/\d+$`)

// schemaProblems flattens kin-openapi's errors into "path: reason" lines.
func schemaProblems(err error, out []string) []string {
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		for _, e := range multi {
			out = schemaProblems(e, out)
		}
		return out
	}
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		return append(out, "/: "+err.Error())
	}
	path := "/" + strings.Join(se.JSONPointer(), "/")
	reason := se.Reason
	if se.SchemaField == "not" {
		switch {
		case path == "/":
			return append(out, bothIDs)
		case behaviorAttributePath.MatchString(path):
			reason = "send exactly one of BehaviorAttributeValue and BehaviorAttributeValueId"
		}
	}
	reason = strings.Replace(reason, "is unsupported", "is not an element of this object (misspelled?)", 1)
	return append(out, path+": "+reason)
}

// documentedRules checks what the vendor's page requires across elements.
func documentedRules(doc any) []string {
	root, ok := doc.(map[string]any)
	if !ok {
		return nil
	}
	var problems []string
	_, hasCustomer := root["OmedaCustomerId"]
	for _, list := range []string{"Products", "MarketingProducts"} {
		items, _ := root[list].([]any)
		seen := map[string]bool{}
		for i, item := range items {
			p, _ := item.(map[string]any)
			for _, field := range []string{"ShippingAddressId", "EmailAddressId"} {
				if _, ok := p[field]; ok && !hasCustomer {
					problems = append(problems, fmt.Sprintf("/%s/%d/%s: needs OmedaCustomerId on the submission", list, i, field))
				}
			}
			if list == "Products" {
				if id, ok := p["OmedaProductId"]; ok {
					key := fmt.Sprint(id)
					if seen[key] {
						problems = append(problems, fmt.Sprintf("/Products/%d/OmedaProductId: product %s appears more than once", i, key))
					}
					seen[key] = true
				}
			}
		}
	}
	return problems
}
