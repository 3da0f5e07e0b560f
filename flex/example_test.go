package flex_test

import (
	"encoding/json"
	"fmt"
	"log"

	"github.com/omeda-go/omeda-go/flex"
)

// Omeda's tables call PhoneContactType a number, its own examples send "230": both read the
// same, and the value is written back as the documented number.
func ExampleInt() {
	for _, in := range []string{`{"PhoneContactType":230}`, `{"PhoneContactType":"230"}`} {
		var phone struct{ PhoneContactType flex.Int }
		if err := json.Unmarshal([]byte(in), &phone); err != nil {
			log.Fatal(err)
		}
		out, err := json.Marshal(phone)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(in, "->", string(out))
	}
	// Output:
	// {"PhoneContactType":230} -> {"PhoneContactType":230}
	// {"PhoneContactType":"230"} -> {"PhoneContactType":230}
}

// An amount keeps its digits: "65.00" is written as the number 65.00, not 65.
func ExampleDecimal() {
	var product struct{ Amount flex.Decimal }
	if err := json.Unmarshal([]byte(`{"Amount":"65.00"}`), &product); err != nil {
		log.Fatal(err)
	}
	out, err := json.Marshal(product)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(product.Amount.Valid(), string(out))
	// Output:
	// true {"Amount":65.00}
}

// A demographic's answer may be one value or a list, each a string or a number; Values keeps
// the shape and each value's form, and Items lists them either way.
func ExampleValues() {
	for _, in := range []string{`10003`, `[10002,"10001"]`} {
		var v flex.Values
		if err := json.Unmarshal([]byte(in), &v); err != nil {
			log.Fatal(err)
		}
		out, err := json.Marshal(v)
		if err != nil {
			log.Fatal(err)
		}
		for _, item := range v.Items() {
			id, err := item.Int64()
			if err != nil {
				log.Fatal(err)
			}
			fmt.Print(id, " ")
		}
		fmt.Println("list:", v.IsList(), "written back as", string(out))
	}
	// Output:
	// 10003 list: false written back as 10003
	// 10002 10001 list: true written back as [10002,"10001"]
}

// A client's order id is whatever the client's system uses, a string or a number; Text writes
// it in the form it was made with.
func ExampleText() {
	out, err := json.Marshal([]flex.Text{flex.String("ORD19520"), flex.Number(19520)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(out))
	// Output:
	// ["ORD19520",19520]
}
