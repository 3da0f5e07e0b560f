package flex_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/flex"
)

func TestIntReadsBothFormsAndWritesANumber(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{`100`: 100, `"100"`: 100, `0`: 0, `"-1"`: -1, `9223372036854775807`: 9223372036854775807} {
		var got flex.Int
		require.NoError(t, json.Unmarshal([]byte(in), &got), in)
		assert.Equal(t, want, got.Int64(), in)
	}
	for _, in := range []string{`"abc"`, `1.5`, `"1.0"`, `true`, `null`, `{}`, `"9223372036854775808"`, `""`, `" 1"`} {
		var got flex.Int
		err := json.Unmarshal([]byte(in), &got)
		if in == `null` {
			// encoding/json leaves a value untouched for null without calling the method.
			assert.NoError(t, err)
			continue
		}
		assert.Error(t, err, in)
	}
	out, err := json.Marshal(struct {
		A flex.Int  `json:"a"`
		B *flex.Int `json:"b,omitempty"`
	}{A: 230})
	require.NoError(t, err)
	assert.JSONEq(t, `{"a":230}`, string(out))
	assert.Equal(t, "230", flex.Int(230).String())
}

func TestDecimalKeepsItsDigits(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{`"65.00"`: "65.00", `65.00`: "65.00", `0`: "0", `"6.5"`: "6.5", `1e2`: "100", `-0.5`: "-0.5"} {
		var got flex.Decimal
		require.NoError(t, json.Unmarshal([]byte(in), &got), in)
		assert.Equal(t, want, got.String(), in)
	}
	for _, in := range []string{`"$65"`, `"65,00"`, `true`, `"abc"`, `[]`, `""`} {
		var got flex.Decimal
		assert.Error(t, json.Unmarshal([]byte(in), &got), in)
	}
	out, err := json.Marshal(map[string]flex.Decimal{"Amount": "65.00"})
	require.NoError(t, err)
	assert.Equal(t, `{"Amount":65.00}`, string(out), "the digits as given, as a number")
	_, err = json.Marshal(flex.Decimal("sixty"))
	assert.Error(t, err)
	f, err := flex.Decimal("71.50").Float64()
	require.NoError(t, err)
	assert.InDelta(t, 71.5, f, 1e-9)
}
