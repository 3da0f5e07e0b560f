package spec

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Severity says what a problem means for a submission.
type Severity int

const (
	// Refusal: the contract or a rule the vendor's pages state forbids it; nothing may be sent.
	Refusal Severity = iota + 1
	// Warning: the pages do not know it (an element, a code), but Omeda may accept it; it is
	// sent, and the caller is told. In an answer, the same finding is drift.
	Warning
)

// String names the severity.
func (s Severity) String() string {
	switch s {
	case Refusal:
		return "refusal"
	case Warning:
		return "warning"
	}
	return "severity(" + strconv.Itoa(int(s)) + ")"
}

// Kind says which check found a problem.
type Kind int

const (
	// KindSchema: the value breaks its schema (a type, a format, a length, a required element).
	KindSchema Kind = iota + 1
	// KindRule: a rule across elements that the vendor's pages state.
	KindRule
	// KindUnknownElement: an element the contract does not document.
	KindUnknownElement
	// KindUnknownCode: a code outside the list the contract documents for its field.
	KindUnknownCode
)

// Problem is one finding in a JSON document: where, why, and how serious.
type Problem struct {
	// Pointer locates the value as a JSON pointer ("" for the document itself).
	Pointer string
	// Reason says what is wrong, in the SDK's words, without the value.
	Reason string
	// Vendor is the vendor's own wording of a broken rule, where its pages give one, such as
	// "Number must be set."; "" otherwise.
	Vendor string
	// Severity says whether the problem refuses the document or only warns.
	Severity Severity
	// Kind says which check found it.
	Kind Kind
	// Value is the value at Pointer, as JSON, for warnings and schema errors on scalar values;
	// "" when the field is secret (card data) or the value is not a scalar.
	Value string
}

// Field is the last element of the pointer: the name of the field, or an array index.
func (p Problem) Field() string {
	i := strings.LastIndexByte(p.Pointer, '/')
	return unescape(p.Pointer[i+1:])
}

// String renders the problem as "pointer: reason", "/" standing for the document itself.
func (p Problem) String() string {
	ptr := p.Pointer
	if ptr == "" {
		ptr = "/"
	}
	return ptr + ": " + p.Reason
}

// Pointer builds a JSON pointer from its tokens, escaping "~" and "/".
func Pointer(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1"))
	}
	return b.String()
}

func unescape(token string) string {
	return strings.ReplaceAll(strings.ReplaceAll(token, "~1", "/"), "~0", "~")
}

// scalarJSON renders a scalar value as bounded JSON for a report; "" for secrets, objects and
// arrays. Beyond the contract's secret fields, a value is withheld when its field's name suggests
// card data (a misspelled CreditCardNumber is an unknown element, and still a card) or when it
// looks like a card number.
func scalarJSON(field string, v any) string {
	if IsSecret(field) || cardLikeName.MatchString(field) {
		return ""
	}
	if s, ok := v.(string); ok && looksLikeCardNumber(s) {
		return ""
	}
	return ScalarJSON(v)
}

// ScalarJSON renders a scalar value as JSON cut to 80 bytes, so that a report reads as a diff;
// "" for objects, arrays and anything else that is not a scalar. It redacts nothing: callers
// redact the value first (scalarJSON by field name, the conformance reports with their
// Redactor).
func ScalarJSON(v any) string {
	switch v.(type) {
	case string, float64, bool, nil, json.Number, int, int64:
		b, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		if len(b) > 80 {
			b = append(b[:77], "..."...)
		}
		return string(b)
	}
	return ""
}

// cardLikeName matches field names that suggest card data or another secret.
var cardLikeName = regexp.MustCompile(`(?i)card|cvv|cvc|securitycode|expir|password|secret|pin$`)

// looksLikeCardNumber reports whether s is 12 to 19 digits (spaces and hyphens aside) that pass
// the Luhn check, as every payment card number does.
func looksLikeCardNumber(s string) bool {
	var digits []int
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits = append(digits, int(r-'0'))
		case r == ' ' || r == '-':
		default:
			return false
		}
	}
	if len(digits) < 12 || len(digits) > 19 {
		return false
	}
	sum := 0
	for i := range digits {
		d := digits[len(digits)-1-i]
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// schemaProblems flattens a kin-openapi validation error into refusals with clear reasons. The
// pointers are relative to the value validated, prefixed with prefix.
func schemaProblems(err error, prefix string) []Problem {
	var out []Problem
	var walk func(err error)
	walk = func(err error) {
		// Type switches, not errors.As: a union's SchemaError wraps its branches' errors, which
		// are not the problem to report.
		if multi, ok := err.(openapi3.MultiError); ok {
			for _, e := range multi {
				walk(e)
			}
			return
		}
		se, ok := err.(*openapi3.SchemaError)
		if !ok && !errors.As(err, &se) {
			out = append(out, Problem{Pointer: prefix, Reason: err.Error(), Severity: Refusal, Kind: KindSchema})
			return
		}
		out = append(out, schemaProblem(se, prefix)...)
	}
	walk(err)
	return out
}

func schemaProblem(se *openapi3.SchemaError, prefix string) []Problem {
	tokens := se.JSONPointer()
	ptr := prefix + Pointer(tokens...)
	field := ""
	if len(tokens) > 0 {
		field = tokens[len(tokens)-1]
	}
	p := Problem{Pointer: ptr, Reason: se.Reason, Severity: Refusal, Kind: KindSchema, Value: scalarJSON(field, se.Value)}
	switch se.SchemaField {
	case "oneOf", "anyOf":
		// A number-or-string field (or another union) that matched no shape: when the value's
		// JSON type fits exactly one shape, that shape's own problem is the clear one ("number
		// must be at least 1"); otherwise say which shapes are accepted.
		if branch := onlyBranchOfType(se.Schema, se.Value); branch != nil {
			if err := branch.VisitJSON(se.Value, openapi3.MultiErrors()); err != nil {
				inner := schemaProblems(err, ptr)
				// A string that is not a number's digits reads better as the union's shapes
				// than as the branch's regular expression.
				if !(len(inner) == 1 && branch.Pattern != "" && strings.Contains(inner[0].Reason, "regular expression")) {
					return inner
				}
			}
		}
		p.Reason = "must be " + describeUnion(se.Schema)
	case "not":
		p.Reason = "this combination of elements is not allowed"
	case "required":
		p.Value = "" // kin-openapi points at the missing element itself
	case "additionalProperties":
		p.Kind = KindUnknownElement
	}
	return []Problem{p}
}

// onlyBranchOfType returns the one branch of a union whose type admits v's JSON type.
func onlyBranchOfType(s *openapi3.Schema, v any) *openapi3.Schema {
	if s == nil {
		return nil
	}
	branches := s.OneOf
	if len(branches) == 0 {
		branches = s.AnyOf
	}
	kind := jsonType(v)
	var found *openapi3.Schema
	for _, b := range branches {
		if b.Value == nil || b.Value.Type == nil {
			return nil
		}
		if b.Value.Type.Is(kind) || (kind == "integer" && b.Value.Type.Is("number")) || (kind == "number" && b.Value.Type.Is("integer")) {
			if found != nil {
				return nil
			}
			found = b.Value
		}
	}
	return found
}

func jsonType(v any) string {
	switch x := v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case nil:
		return "null"
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return "integer"
		}
		return "number"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	}
	return fmt.Sprintf("%T", v)
}

// describeUnion names the shapes a union accepts: "an integer or a string of digits".
func describeUnion(s *openapi3.Schema) string {
	if s == nil {
		return "one of the shapes the contract allows"
	}
	branches := s.OneOf
	if len(branches) == 0 {
		branches = s.AnyOf
	}
	var names []string
	for _, b := range branches {
		if b.Value == nil {
			continue
		}
		names = append(names, describeShape(b.Value))
	}
	if len(names) == 0 {
		return "one of the shapes the contract allows"
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

func describeShape(s *openapi3.Schema) string {
	if s.Title != "" {
		return s.Title
	}
	if s.Type == nil || len(s.Type.Slice()) == 0 {
		return "a value"
	}
	switch t := s.Type.Slice()[0]; t {
	case "integer", "array", "object":
		return "an " + map[string]string{"integer": "integer", "array": "array", "object": "object"}[t]
	default:
		return "a " + t
	}
}
