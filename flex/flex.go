// Package flex holds the small value types of the omeda-go contract whose JSON form Omeda is
// flexible about. The vendor's tables call codes, ids, flags and amounts numbers, while its own
// examples (and real clients) send the same values as strings: "AddressContactType":"100",
// "Receive":"1", "Amount":"65.00". Each type here reads both forms and writes the documented one,
// a JSON number, so that the generated models in package gen stay plain Go values rather than
// interface{} unions.
//
// The generated code refers to these types through the contract's x-go-type extension; use
// them directly when building a submission:
//
//	gen.Phone{Number: "847-555-7527", PhoneContactType: wrapper.Ptr(flex.Int(230))}
//	gen.Product{OmedaProductID: 14, Amount: wrapper.Ptr(flex.Decimal("65.00"))}
package flex

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
)

// Int is an integer (a code, an id, a flag or a count) that Omeda sends and accepts either as a
// JSON number (100) or as a string of digits ("100"). It is written as a number.
type Int int64

// Int64 returns the value.
func (i Int) Int64() int64 { return int64(i) }

// String returns the value in decimal.
func (i Int) String() string { return strconv.FormatInt(int64(i), 10) }

// MarshalJSON writes the value as a JSON number, the type the vendor's tables document.
func (i Int) MarshalJSON() ([]byte, error) { return strconv.AppendInt(nil, int64(i), 10), nil }

// UnmarshalJSON reads a JSON number without a fraction, or a string holding one ("100",
// "-1"). Anything else is an error that says what was expected; null leaves the value as it is,
// as encoding/json does.
func (i *Int) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	text := b
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		text = []byte(s)
	}
	if !intText.Match(text) {
		return fmt.Errorf("flex: want an integer as a JSON number or a string of digits, got %s", shorten(b))
	}
	v, err := strconv.ParseInt(string(text), 10, 64)
	if err != nil {
		return fmt.Errorf("flex: integer %s is out of range", shorten(b))
	}
	*i = Int(v)
	return nil
}

// Decimal is an amount (a price, a tax, a percentage) kept as its decimal text, such as "65.00",
// so that no digit is lost to floating point. Omeda sends and accepts it either as a JSON number
// (65.00) or as a string ("65.00"). It is written as a JSON number with the same digits.
type Decimal string

// String returns the decimal text, such as "65.00".
func (d Decimal) String() string { return string(d) }

// Valid reports whether d is a decimal number: an optional minus sign, digits, and an optional
// fraction ("65", "65.00", "-0.5").
func (d Decimal) Valid() bool { return decimalText.MatchString(string(d)) }

// Float64 returns the value as a float64, for arithmetic where rounding does not matter.
func (d Decimal) Float64() (float64, error) {
	if !d.Valid() {
		return 0, fmt.Errorf("flex: %q is not a decimal number", string(d))
	}
	return strconv.ParseFloat(string(d), 64)
}

// MarshalJSON writes the decimal as a JSON number with the same digits ("65.00" becomes 65.00).
func (d Decimal) MarshalJSON() ([]byte, error) {
	if !d.Valid() {
		return nil, fmt.Errorf("flex: %q is not a decimal number", string(d))
	}
	return []byte(d), nil
}

// UnmarshalJSON reads a JSON number or a string holding a decimal number, keeping its digits;
// null leaves the value as it is, as encoding/json does.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	text := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &text); err != nil {
			return err
		}
	} else if len(b) > 0 && b[0] != '-' && (b[0] < '0' || b[0] > '9') {
		return fmt.Errorf("flex: want a decimal number as a JSON number or a string, got %s", shorten(b))
	} else if bytes.ContainsAny(b, "eE") {
		// A number in exponent form is valid JSON; keep its value, written out in full.
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return fmt.Errorf("flex: %s is not a decimal number", shorten(b))
		}
		text = strconv.FormatFloat(f, 'f', -1, 64)
	}
	if !decimalText.MatchString(text) {
		return fmt.Errorf("flex: want a decimal number as a JSON number or a string, got %s", shorten(b))
	}
	*d = Decimal(text)
	return nil
}

var (
	intText     = regexp.MustCompile(`^-?[0-9]+$`)
	decimalText = regexp.MustCompile(`^-?[0-9]+(?:\.[0-9]+)?$`)
)

// shorten bounds a value quoted in an error.
func shorten(b []byte) string {
	const limit = 40
	if len(b) > limit {
		return string(b[:limit]) + "..."
	}
	return string(b)
}
