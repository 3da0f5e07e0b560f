package flex

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Text is a value Omeda takes either as a JSON string or as a JSON number, such as a client's
// order id ("ORD19520" or 19520) or a demographic value id ("37" or 37). It keeps the form it
// was given, so that a value read from JSON is written back as it came.
type Text struct {
	text   string
	number bool
}

// String makes a Text written as a JSON string.
func String(s string) Text { return Text{text: s} }

// Number makes a Text written as a JSON number.
func Number(n int64) Text { return Text{text: strconv.FormatInt(n, 10), number: true} }

// String returns the value's text: the string, or the number's digits.
func (t Text) String() string { return t.text }

// IsNumber reports whether the value is written as a JSON number.
func (t Text) IsNumber() bool { return t.number }

// Int64 returns the value as an integer, whichever form it has ("37" and 37 alike).
func (t Text) Int64() (int64, error) {
	n, err := strconv.ParseInt(t.text, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("flex: %q is not an integer", t.text)
	}
	return n, nil
}

// MarshalJSON writes the value in its form: a JSON number or a JSON string.
func (t Text) MarshalJSON() ([]byte, error) {
	if t.number {
		if _, err := strconv.ParseFloat(t.text, 64); err != nil || !json.Valid([]byte(t.text)) {
			return nil, fmt.Errorf("flex: %q is not a number", t.text)
		}
		return []byte(t.text), nil
	}
	return json.Marshal(t.text)
}

// UnmarshalJSON reads a JSON string or a JSON number; null leaves the value as it is.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text{text: s}
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("flex: want a string or a number, got %s", shorten(b))
	}
	*t = Text{text: n.String(), number: true}
	return nil
}

// Values is one value or a list of values, each a string or a number: the answer to a
// demographic, which Omeda takes as 10003, "10003" or [10002, "10001"]. It keeps its shape.
type Values struct {
	items []Text
	list  bool
}

// One makes a single value.
func One(v Text) Values { return Values{items: []Text{v}} }

// List makes a list of values.
func List(vs ...Text) Values { return Values{items: append([]Text(nil), vs...), list: true} }

// Items returns the values: one, or the list's.
func (v Values) Items() []Text { return append([]Text(nil), v.items...) }

// IsList reports whether the values are written as a JSON array.
func (v Values) IsList() bool { return v.list }

// MarshalJSON writes one value as itself and a list as a JSON array.
func (v Values) MarshalJSON() ([]byte, error) {
	if v.list {
		if v.items == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(v.items)
	}
	if len(v.items) != 1 {
		return nil, fmt.Errorf("flex: a single value holds %d values", len(v.items))
	}
	return v.items[0].MarshalJSON()
}

// UnmarshalJSON reads a string, a number, or an array of them; null leaves the value as it is.
func (v *Values) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		return nil
	case len(b) > 0 && b[0] == '[':
		var items []Text
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		*v = Values{items: items, list: true}
		return nil
	}
	var one Text
	if err := one.UnmarshalJSON(b); err != nil {
		return err
	}
	*v = Values{items: []Text{one}}
	return nil
}
