package wrapper

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/gen"
)

// decodeCustomersStd is the reference the fast decoder is held to: the Customers array
// decoded element by element with encoding/json alone.
func decodeCustomersStd(dec *json.Decoder, _ io.Reader, each func(*gen.ChangedCustomer) error) (bool, *json.Decoder, error) {
	tok, err := dec.Token()
	if err != nil {
		return false, dec, err
	}
	if tok == nil {
		return false, dec, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return false, dec, fmt.Errorf("the Customers field is %s, not a list", tokenText(tok))
	}
	for i := 0; dec.More(); i++ {
		var slot gen.ChangedCustomer
		p := &slot
		if err := dec.Decode(&p); err != nil {
			return false, dec, err
		}
		switch {
		case p == nil:
			return false, dec, fmt.Errorf("customer %d of the list is null", i+1)
		case slot.ID <= 0:
			return false, dec, fmt.Errorf("customer %d of the list has no Id (a positive integer)", i+1)
		}
		if err := each(&slot); err != nil {
			return false, dec, err
		}
	}
	return true, dec, expectDelim(dec, ']')
}

type decoded struct {
	customers []gen.ChangedCustomer
	sid       string
	err       error
}

func decodeWith(body string, customers customersDecoder, oneByte bool) decoded {
	c := &Client{}
	var r io.Reader = strings.NewReader(body)
	if oneByte {
		r = iotest.OneByteReader(r)
	}
	var d decoded
	d.sid, d.err = c.decodeWindowWith(r, func(cust *gen.ChangedCustomer) error {
		d.customers = append(d.customers, *cust)
		return nil
	}, customers)
	return d
}

var decodeSeeds = []string{
	`{"Customers":[` + customerJSON(1) + `,` + customerJSON(2) + `],"SubmissionId":"s"}`,
	`{"SubmissionId":"s","Customers":[]}`,
	`{"Customers":[ {"Id" : 7 , "Url":"u\u00e9\n","DateChanged":"2024","CustomerStatusId":0} ] , "Other":{"a":[1,2]}}`,
	`{"Customers":[{"id":3,"URL":"lower-case keys"}]}`,
	`{"Customers":[{"Id":3,"Url":"caf` + "\xc3\xa9" + `","Extra":null}]}`,
	`{"Customers":[{"Id":3,"Url":"bad` + "\xff" + `"}]}`,
	`{"Customers":[{"Id":3.0}]}`,
	`{"Customers":[{"Id":-3}]}`,
	`{"Customers":[{"Id":03}]}`,
	`{"Customers":[{"Id":99999999999999999999}]}`,
	`{"Customers":[{"Id":3,"CustomerStatusId":1e2}]}`,
	`{"Customers":[{"Id":3,"Url":null}]}`,
	`{"Customers":[{"Id":3,"Id":4}]}`,
	`{"Customers":[{"Id":3},null]}`,
	`{"Customers":[{"Id":3},]}`,
	`{"Customers":[,{"Id":3}]}`,
	`{"Customers":[{"Id":3} {"Id":4}]}`,
	`{"Customers":[{"Id":3,}]}`,
	`{"Customers":[{"Id":3]}`,
	`{"Customers":[{"Id":"3"}]}`,
	`{"Customers":[{"Id":3,"Url":"a\"b"}]}`,
	`{"Customers":[{"Id":3}],"Errors":[{"Error":"x"}]}`,
	`{"Customers":[1]}`,
	`{"Customers":["x"]}`,
	`{"Customers":[[]]}`,
	`{"Customers":[{}]}`,
	`{"Customers":[{"Id":3}]`,
	`{"Customers":[{"Id":3`,
	`{"Customers":[`,
	`{"Customers":null}`,
	`{"Customers":{}}`,
	`{"Customers":[{"Id":3}]}}`,
	`{"Customers":[{"Id":3}]} x`,
	`{"Customers":[{"Id":3}]}` + "\n \t",
	`[]`,
	``,
}

// FuzzDecodeAgrees: the fast decoder yields what encoding/json yields, customer for customer,
// and fails where it fails, however the answer is cut into reads.
func FuzzDecodeAgrees(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, body string, oneByte bool) {
		want := decodeWith(body, decodeCustomersStd, false)
		got := decodeWith(body, decodeCustomers, oneByte)
		// Trailing data is judged on the bytes already read, which differ between readers.
		if trailing(want.err) || trailing(got.err) {
			return
		}
		require.Equal(t, want.err == nil, got.err == nil, "body %q: want error %v, got %v", body, want.err, got.err)
		if want.err == nil {
			assert.Equal(t, want.customers, got.customers, "body %q", body)
			assert.Equal(t, want.sid, got.sid, "body %q", body)
		} else {
			assert.Equal(t, len(want.customers), len(got.customers), "body %q: customers before the failure", body)
		}
	})
}

func trailing(err error) bool {
	return err != nil && strings.Contains(err.Error(), "data after the answer's JSON value")
}

func TestTheFastPathIsOn(t *testing.T) {
	t.Parallel()
	assert.True(t, fastCustomers, "gen.ChangedCustomer changed shape: the fast path is off; teach readCustomer the new fields")
	var c gen.ChangedCustomer
	require.True(t, readCustomer([]byte(customerJSON(12345)), &c))
	assert.Equal(t, int64(12345), c.ID)
	assert.Equal(t, "https://ows.omeda.com/webservices/rest/brand/FOO/customer/12345/*", c.URL)
	assert.Equal(t, gen.CustomerStatus(1), c.CustomerStatusID)
	assert.Equal(t, "2024-01-01 10:00:00.000", c.DateChanged)
	assert.Equal(t, "2020-01-01 00:00:00.000", c.CreatedDate)
}
