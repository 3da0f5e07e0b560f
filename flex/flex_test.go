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

func TestTextKeepsItsForm(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`"ORD19520"`, `19520`, `"37"`, `"2024-05-01"`, `12.5`} {
		var v flex.Text
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		out, err := json.Marshal(v)
		require.NoError(t, err)
		assert.Equal(t, in, string(out), "written back as it came")
	}
	for _, in := range []string{`true`, `{}`, `[1]`} {
		var v flex.Text
		assert.Error(t, json.Unmarshal([]byte(in), &v), in)
	}
	n, err := flex.String("37").Int64()
	require.NoError(t, err)
	assert.EqualValues(t, 37, n)
	assert.True(t, flex.Number(37).IsNumber())
	assert.Equal(t, "ORD1", flex.String("ORD1").String())
}

func TestValuesKeepTheirShape(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`10003`, `"10003"`, `[10002,"10001"]`, `["37"]`} {
		var v flex.Values
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		out, err := json.Marshal(v)
		require.NoError(t, err)
		assert.Equal(t, in, string(out))
	}
	out, err := json.Marshal(flex.List(flex.Number(10002), flex.String("10001")))
	require.NoError(t, err)
	assert.Equal(t, `[10002,"10001"]`, string(out))
	out, err = json.Marshal(flex.One(flex.Number(7)))
	require.NoError(t, err)
	assert.Equal(t, `7`, string(out))
	_, err = json.Marshal(flex.Values{})
	assert.Error(t, err, "the zero value is no value")
	var v flex.Values
	assert.Error(t, json.Unmarshal([]byte(`{"Id":1}`), &v))
}
