package wrapper

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// checkSubmissionJSON refuses what a JSON decoder would quietly accept but Omeda reads
// otherwise: an object that names an element twice (which of the two Omeda keeps is not
// documented, and Go keeps the last), and an id written as a number with a fraction or an
// exponent (1e3), which Omeda refuses. Both are refused before anything is sent, every problem
// listed, as a *ValidationError.
func checkSubmissionJSON(payload []byte) error {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var problems []string
	var walk func(path string) error
	walk = func(path string) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		d, ok := tok.(json.Delim)
		if !ok {
			return nil
		}
		switch d {
		case '{':
			var keys []string
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				key, _ := kt.(string)
				at := path + "/" + escapePointer(snippet(key, 100))
				if slices.Contains(keys, key) {
					problems = append(problems, at+": appears twice in the same object; send it once")
				}
				keys = append(keys, key)
				if isIDName(key) {
					if err := checkIDNumber(dec, at, &problems); err != nil {
						return err
					}
					continue
				}
				if err := walk(at); err != nil {
					return err
				}
			}
		case '[':
			for i := 0; dec.More(); i++ {
				if err := walk(fmt.Sprintf("%s/%d", path, i)); err != nil {
					return err
				}
			}
		}
		_, err = dec.Token() // the closing delimiter
		return err
	}
	if err := walk(""); err != nil && err != io.EOF {
		return nil // not JSON: ValidateStoreRequest says so
	}
	if len(problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: problems}
}

// checkIDNumber reads the value of an id element; a number must be written as an integer.
func checkIDNumber(dec *json.Decoder, at string, problems *[]string) error {
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		return err
	}
	s := string(v)
	if s == "" || !(s[0] == '-' || s[0] >= '0' && s[0] <= '9') {
		// Not a number: an object or list under an id name is checked by the schema; walk it
		// for duplicates anyway.
		if len(s) > 0 && (s[0] == '{' || s[0] == '[') {
			if err := checkSubmissionJSONAt(v, at, problems); err != nil {
				return err
			}
		}
		return nil
	}
	if strings.ContainsAny(s, ".eE") {
		*problems = append(*problems, fmt.Sprintf("%s: the id %s is not written as a whole number (Omeda refuses fractions and exponents)", at, snippet(s, 30)))
	}
	return nil
}

// checkSubmissionJSONAt checks a nested value found under an id name.
func checkSubmissionJSONAt(v []byte, at string, problems *[]string) error {
	err := checkSubmissionJSON(v)
	if ve, ok := err.(*ValidationError); ok {
		for _, p := range ve.Problems {
			*problems = append(*problems, at+p)
		}
	}
	return nil
}

// isIDName reports whether an element names an id (OmedaCustomerId, OmedaProductId…).
func isIDName(key string) bool { return strings.HasSuffix(key, "Id") || strings.HasSuffix(key, "ID") }

// escapePointer escapes a key for a JSON pointer.
func escapePointer(key string) string {
	return strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
}
