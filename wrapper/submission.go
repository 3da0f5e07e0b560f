package wrapper

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/omeda-go/omeda-go/internal/spec"
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
	// walk reads one value at path; id says that it is the value of an id element.
	var walk func(path string, id bool) error
	walk = func(path string, id bool) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		d, ok := tok.(json.Delim)
		if !ok {
			if n, isNumber := tok.(json.Number); isNumber && id && strings.ContainsAny(string(n), ".eE") {
				problems = append(problems, fmt.Sprintf("%s: the id %s is not written as a whole number (Omeda refuses fractions and exponents)", path, snippet(string(n), 30)))
			}
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
				at := path + spec.Pointer(snippet(key, 100))
				if slices.Contains(keys, key) {
					problems = append(problems, at+": appears twice in the same object; send it once")
				}
				keys = append(keys, key)
				if err := walk(at, isIDName(key)); err != nil {
					return err
				}
			}
		case '[':
			for i := 0; dec.More(); i++ {
				if err := walk(fmt.Sprintf("%s/%d", path, i), false); err != nil {
					return err
				}
			}
		}
		_, err = dec.Token() // the closing delimiter
		return err
	}
	if err := walk("", false); err != nil && err != io.EOF {
		return nil // not JSON: ValidateStoreRequest says so
	}
	if len(problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: problems}
}

// isIDName reports whether an element names an id (OmedaCustomerId, OmedaProductId…).
func isIDName(key string) bool { return strings.HasSuffix(key, "Id") || strings.HasSuffix(key, "ID") }
