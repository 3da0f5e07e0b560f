package spec

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// Unknowns walks value alongside schema and returns, as warnings, every element the schema does
// not document and every code outside the x-omeda-known-values list of its field. In a
// submission they are sent anyway (the vendor's pages are not exhaustive); in an answer they
// are drift. Pointers are prefixed with prefix. Values that do not fit the schema are left to
// the schema's own validation.
func Unknowns(schema *openapi3.Schema, value any, prefix string) []Problem {
	var out []Problem
	walkUnknowns(schema, value, prefix, "", &out)
	return out
}

func walkUnknowns(s *openapi3.Schema, v any, ptr, field string, out *[]Problem) {
	if s == nil {
		return
	}
	if known := knownValuesOf(s); known != nil {
		if key, ok := codeKey(v); ok && !slices.ContainsFunc(known, func(k knownValue) bool { return k.key == key }) {
			*out = append(*out, Problem{
				Pointer:  ptr,
				Reason:   fmt.Sprintf("code %s is not one the contract documents (%s); Omeda judges it", key, listKnown(known)),
				Severity: Warning,
				Kind:     KindUnknownCode,
				Value:    scalarJSON(field, v),
			})
		}
	}
	switch x := v.(type) {
	case map[string]any:
		props, branch := objectSchema(s, v)
		if branch == nil {
			return
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			child := ptr + Pointer(k)
			if p, ok := props[k]; ok {
				walkUnknowns(p, x[k], child, k, out)
				continue
			}
			*out = append(*out, Problem{
				Pointer:  child,
				Reason:   unknownReason(k, keys, props),
				Severity: Warning,
				Kind:     KindUnknownElement,
				Value:    scalarJSON(k, x[k]),
			})
		}
	case []any:
		items := arrayItems(s, v)
		if items == nil {
			return
		}
		for i, item := range x {
			walkUnknowns(items, item, ptr+"/"+strconv.Itoa(i), field, out)
		}
	}
}

// unknownReason words the warning for an element k that the contract does not document, among
// the object's keys. An element that differs only in case from another of the same object
// (FirstName and firstname) is a duplicate to Omeda if its reading is case-insensitive, and
// two elements if not: the vendor does not document which, so it is sent, with a warning that
// says so rather than a refusal. One that differs only in case from a documented element
// names it.
func unknownReason(k string, keys []string, props map[string]*openapi3.Schema) string {
	var twin string
	for _, other := range keys {
		if other != k && strings.EqualFold(other, k) {
			if _, documented := props[other]; documented || twin == "" {
				twin = other
			}
		}
	}
	if twin != "" {
		return fmt.Sprintf("element %q differs only in case from %q in the same object: Omeda may read both as one element, "+
			"keeping either value (its case sensitivity is undocumented)", k, twin)
	}
	for name := range props {
		if strings.EqualFold(name, k) {
			return fmt.Sprintf("element %q is not one the contract documents (did you mean %q? the contract's names are case-sensitive; Omeda's case sensitivity is undocumented)", k, name)
		}
	}
	return fmt.Sprintf("element %q is not one the contract documents (misspelled?)", k)
}

// objectSchema returns the documented properties for an object value: the schema's own, or
// those of the one union branch the value fits. branch is nil when the schema describes no
// object.
func objectSchema(s *openapi3.Schema, v any) (map[string]*openapi3.Schema, *openapi3.Schema) {
	if s.Type != nil && s.Type.Is("object") || len(s.Properties) > 0 {
		props := make(map[string]*openapi3.Schema, len(s.Properties))
		for name, ref := range s.Properties {
			if ref != nil {
				props[name] = ref.Value
			}
		}
		// allOf parts add their properties.
		for _, part := range s.AllOf {
			if part.Value != nil {
				for name, ref := range part.Value.Properties {
					if ref != nil {
						props[name] = ref.Value
					}
				}
			}
		}
		return props, s
	}
	if b := fittingBranch(s, v); b != nil {
		return objectSchema(b, v)
	}
	return nil, nil
}

func arrayItems(s *openapi3.Schema, v any) *openapi3.Schema {
	if s.Items != nil {
		return s.Items.Value
	}
	if b := fittingBranch(s, v); b != nil {
		return arrayItems(b, v)
	}
	return nil
}

// fittingBranch returns the first oneOf/anyOf branch that v validates against.
func fittingBranch(s *openapi3.Schema, v any) *openapi3.Schema {
	for _, list := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		for _, b := range list {
			if b.Value != nil && b.Value.VisitJSON(v) == nil {
				return b.Value
			}
		}
	}
	return nil
}

// knownValue is one documented code of a field: its canonical text (codeKey) and what it means.
type knownValue struct {
	key, description string
}

// knownValuesOf returns the codes documented for a field (its x-omeda-known-values, or those of
// a union branch), or nil when the field has no such list.
func knownValuesOf(s *openapi3.Schema) []knownValue {
	if s == nil {
		return nil
	}
	// The contract's schemas never change once loaded: read each list once.
	if cached, ok := knownCache.Load(s); ok {
		return cached.([]knownValue)
	}
	known := knownValues(s)
	knownCache.Store(s, known)
	return known
}

var knownCache sync.Map // *openapi3.Schema -> []knownValue (nil when the schema has no list)

func knownValues(s *openapi3.Schema) []knownValue {
	if raw, ok := s.Extensions[extKnownValues]; ok {
		return parseKnown(raw)
	}
	for _, list := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf, s.AllOf} {
		for _, b := range list {
			if b.Value != nil {
				if raw, ok := b.Value.Extensions[extKnownValues]; ok {
					return parseKnown(raw)
				}
			}
		}
	}
	return nil
}

func parseKnown(raw any) []knownValue {
	list, _ := raw.([]any)
	out := make([]knownValue, 0, len(list))
	for _, item := range list {
		m, _ := item.(map[string]any)
		if m == nil {
			continue
		}
		desc, _ := m["description"].(string)
		key, ok := codeKey(m["value"])
		if !ok {
			continue
		}
		out = append(out, knownValue{key: key, description: desc})
	}
	return out
}

// codeKey is the canonical text of a code, so that 100, 100.0 and "100" compare equal.
func codeKey(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return canonicalNumber(x.String()), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case uint64:
		return strconv.FormatUint(x, 10), true
	}
	return "", false
}

func canonicalNumber(s string) string {
	if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "eE") && strings.Contains(s, ".") {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return s
}

func listKnown(known []knownValue) string {
	const show = 10
	more := ""
	if len(known) > show {
		more = fmt.Sprintf(" and %d more", len(known)-show)
		known = known[:show]
	}
	parts := make([]string, len(known))
	for i, k := range known {
		key := k.key
		if key == "" {
			key = `""`
		}
		parts[i] = key + " " + k.description
	}
	return strings.Join(parts, ", ") + more
}
