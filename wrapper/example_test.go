package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/omeda-go/omeda-go/flex"
	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/sandbox"
	"github.com/omeda-go/omeda-go/wrapper"
)

// The examples run against the sandbox, a local stand-in for the API; against Omeda, use
// wrapper.WithEnvironment(wrapper.Staging) or wrapper.WithEnvironment(wrapper.Production)
// instead of WithBaseURL.
func newSandboxClient(opts ...wrapper.Option) (*wrapper.Client, func()) {
	sb, err := sandbox.Start("127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	client, err := wrapper.New("FOO", "my-app-id", append([]wrapper.Option{
		wrapper.WithBaseURL(sb.URL),
		wrapper.WithInputID("my-input-id"),
	}, opts...)...)
	if err != nil {
		log.Fatal(err)
	}
	return client, func() { _ = sb.Close() }
}

func ExampleNew() {
	client, err := wrapper.New("FOO", "my-app-id",
		wrapper.WithEnvironment(wrapper.Staging),
		wrapper.WithTimeout(30*time.Second),
		wrapper.WithUserAgent("acme-sync/1.0"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.BaseURL())

	_, err = wrapper.New("", "my-app-id", wrapper.WithEnvironment(wrapper.Staging))
	fmt.Println(errors.Is(err, wrapper.ErrInvalidInput), err)
	// Output:
	// https://ows.omedastaging.com/webservices/rest
	// true omeda: invalid input: brand abbreviation is empty
}

func ExampleClient_PhoneNumbers() {
	client, done := newSandboxClient()
	defer done()

	phones, err := client.PhoneNumbers(context.Background(), "12345")
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range phones.PhoneNumbers {
		changed, _ := wrapper.ParseTime(p.ChangedDate)
		fmt.Println(p.PhoneNumber, p.PhoneContactType == 200, changed.Format(time.RFC3339))
	}
	// Output:
	// 8475648900 true 2015-03-08T21:23:34-05:00
	// 8475648901 false 2015-03-08T21:23:34-05:00
}

func ExampleClient_PhoneNumbers_merged() {
	client, done := newSandboxClient()
	defer done()

	_, err := client.PhoneNumbers(context.Background(), "22")
	var apiErr *wrapper.APIError
	if errors.Is(err, wrapper.ErrMerged) && errors.As(err, &apiErr) {
		fmt.Println("customer 22 is now", apiErr.MergedIntoCustomerID)
	}

	// Or let the client follow the merge.
	following, done2 := newSandboxClient(wrapper.WithFollowMerges(3))
	defer done2()
	phones, err := following.PhoneNumbers(context.Background(), "22")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(phones.Customer[strings.Index(phones.Customer, "/brand/"):])
	// Output:
	// customer 22 is now 99999
	// /brand/FOO/customer/99999/*
}

func ExampleClient_MergeHistory() {
	client, done := newSandboxClient()
	defer done()

	history, err := client.MergeHistory(context.Background(), "99999")
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range history.CustomerMergeHistory {
		fmt.Println(m.ID)
	}
	// Output:
	// 22
	// 111
	// 2222
}

func ExampleClient_ChangedCustomers() {
	client, done := newSandboxClient()
	defer done()

	// A whole year: five calls of at most 90 days, one list with each customer once.
	from := time.Date(2018, 1, 1, 0, 0, 0, 0, wrapper.Chicago())
	to := time.Date(2018, 12, 31, 23, 59, 0, 0, wrapper.Chicago())
	changes, err := client.ChangedCustomers(context.Background(), from, to)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range changes.Customers {
		fmt.Println(c.ID, c.DateChanged)
	}
	// Output:
	// 122234562 2018-07-04 00:00:00.000
	// 23456789 2018-12-17 16:49:35.573
}

func ExampleClient_ChangedCustomerStream() {
	client, done := newSandboxClient()
	defer done()

	// Customer by customer as they are decoded, each once, in flat memory whatever the size of
	// a window.
	from := time.Date(2018, 1, 1, 0, 0, 0, 0, wrapper.Chicago())
	to := time.Date(2018, 12, 31, 23, 59, 0, 0, wrapper.Chicago())
	for c, err := range client.ChangedCustomerStream(context.Background(), from, to) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(c.ID, c.DateChanged)
	}
	// Output:
	// 122234562 2018-07-04 00:00:00.000
	// 23456789 2018-12-17 16:49:35.573
}

// A resumable sync: record where each window ended once all its customers were handled, and
// start the next run there. Omeda's ranges include both ends, so the next run asks again for
// that minute: a customer changed in it arrives twice; de-duplicate on Id if it matters.
func ExampleWithWindowDone() {
	client, done := newSandboxClient()
	defer done()

	checkpoint := time.Date(2018, 6, 1, 0, 0, 0, 0, wrapper.Chicago()) // read from where you keep it
	to := time.Date(2018, 12, 31, 23, 59, 0, 0, wrapper.Chicago())
	record := func(w wrapper.Window) { checkpoint = w.To } // and write it back there
	stream := client.ChangedCustomerStream(context.Background(), checkpoint, to, wrapper.WithWindowDone(record))
	for c, err := range stream {
		if err != nil {
			log.Fatal(err) // checkpoint is the end of the last window done: the next run resumes there
		}
		fmt.Println(c.ID, c.DateChanged)
	}
	fmt.Println("the next run starts at", checkpoint.Format(time.DateTime))
	// Output:
	// 122234562 2018-07-04 00:00:00.000
	// 23456789 2018-12-17 16:49:35.573
	// the next run starts at 2018-12-31 23:59:00
}

func ExampleClient_ChangedCustomerWindows() {
	client, done := newSandboxClient(wrapper.WithWindowConcurrency(2))
	defer done()

	from := time.Date(2018, 1, 1, 0, 0, 0, 0, wrapper.Chicago())
	to := time.Date(2018, 12, 31, 23, 59, 0, 0, wrapper.Chicago())
	for w, err := range client.ChangedCustomerWindows(context.Background(), from, to) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(w.Window, len(w.Customers))
	}
	// Output:
	// 01012018_0000..04012018_0000 0
	// 04012018_0000..06302018_0000 0
	// 06302018_0000..09282018_0000 1
	// 09282018_0000..12262018_2300 1
	// 12262018_2300..12312018_2359 0
}

func ExampleClient_StoreCustomerAndOrder() {
	client, done := newSandboxClient()
	defer done()

	receipt, err := client.StoreCustomerAndOrder(context.Background(), gen.StoreCustomerAndOrderRequest{
		FirstName: wrapper.Ptr("Ann"),
		LastName:  wrapper.Ptr("Example"),
		Emails:    []gen.Email{{EmailAddress: "ann@example.com"}},
		Phones:    []gen.Phone{{Number: "312-555-0100", PhoneContactType: wrapper.Ptr(flex.Int(230))}},
		Products:  []gen.Product{{OmedaProductID: 14, Receive: wrapper.Ptr(flex.Int(1))}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("queued as transaction", receipt.ResponseInfo[0].TransactionID)

	// A submission that breaks a documented rule is refused before anything is sent.
	_, err = client.StoreCustomerAndOrderJSON(context.Background(), []byte(`{"SignupDate":"04/18/2010"}`))
	var invalid *wrapper.ValidationError
	if errors.As(err, &invalid) {
		fmt.Println(invalid.Problems)
	}

	// What the vendor's pages do not document (here phone type 220, from the vendor's own
	// example) is sent, with a warning to the client's logger; CheckStoreRequest lists it.
	warnings, err := wrapper.CheckStoreRequest([]byte(`{"Phones":[{"PhoneContactType":"220","Number":"847-555-6573"}]}`))
	fmt.Println(err, len(warnings), warnings[0].Pointer)
	// Output:
	// queued as transaction 8907512
	// [/SignupDate: string doesn't match the regular expression "^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])(?: (?:[01][0-9]|2[0-3]):[0-5][0-9])?$" (got "04/18/2010")]
	// <nil> 1 /Phones/0/PhoneContactType
}

func ExampleSplitRange() {
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, wrapper.Chicago())
	to := time.Date(2024, 7, 1, 0, 0, 0, 0, wrapper.Chicago())
	windows, err := wrapper.SplitRange(from, to, time.Now())
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range windows {
		fmt.Println(w)
	}
	// Output:
	// 01012024_0000..03312024_0000
	// 03312024_0000..06292024_0000
	// 06292024_0000..07012024_0000
}

func ExampleFormatDateTime() {
	t := time.Date(2013, 1, 2, 19, 23, 0, 0, time.UTC) // 1:23 PM in Chicago
	fmt.Println(wrapper.FormatDate(t), wrapper.FormatDateTime(t))
	// Output: 01022013 01022013_1323
}

func ExampleParseTime() {
	t, err := wrapper.ParseTime("2018-12-17 16:49:35.573 CST")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.UTC().Format(time.RFC3339Nano))
	// Output: 2018-12-17T22:49:35.573Z
}
