package wrapper_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/sandbox"
	"github.com/omeda-go/omeda-go/wrapper"
)

func ExampleClient_WaitForReceipt() {
	// The sandbox processes a submission after a delay, as Omeda processes its queue.
	sb, err := sandbox.Start("127.0.0.1:0", sandbox.WithProcessAfter(200*time.Millisecond), sandbox.WithPopulation(0))
	if err != nil {
		log.Fatal(err)
	}
	defer sb.Close()
	client, err := wrapper.New("FOO", "my-app-id", wrapper.WithBaseURL(sb.URL), wrapper.WithInputID("my-input-id"))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	receipt, err := client.StoreCustomerAndOrder(ctx, gen.StoreCustomerAndOrderRequest{
		FirstName: wrapper.Ptr("Ann"),
		Emails:    []gen.Email{{EmailAddress: "ann@example.com"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	outcome, err := client.WaitForReceipt(ctx, receipt,
		wrapper.WithWaitTimeout(time.Minute), wrapper.WithPollInterval(50*time.Millisecond, time.Second))
	if err != nil {
		log.Fatal(err)
	}
	switch outcome.State {
	case wrapper.TransactionProcessed:
		fmt.Println("processed:", outcome.Description, "- customer", outcome.OmedaCustomerID)
	case wrapper.TransactionFailed:
		fmt.Println("failed:", outcome.Errors)
	case wrapper.TransactionHeld:
		fmt.Println("held at Omeda:", outcome.Description)
	default:
		fmt.Println("still pending; look transaction", outcome.TransactionID, "up later")
	}

	// A submission that processing refuses: an address at a reserved test domain.
	receipt, err = client.StoreCustomerAndOrder(ctx, gen.StoreCustomerAndOrderRequest{
		Emails: []gen.Email{{EmailAddress: "eve@reject.invalid"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	outcome, err = client.WaitForTransaction(ctx, receipt.ResponseInfo[0].TransactionID,
		wrapper.WithPollInterval(50*time.Millisecond, time.Second))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(outcome)
	// Output:
	// processed: Moved to ERD – Complete New Customer - customer 300000000
	// transaction 8907513 failed: status 9 Failed Validation Rules; invalid email: eve@reject.invalid
}

func ExampleClassifyTransactionStatus() {
	for _, status := range []int{28, 100, 9, 35, 42} {
		state, description, known := wrapper.ClassifyTransactionStatus(status)
		fmt.Println(status, state, description, known)
	}
	// Output:
	// 28 pending DupeCheck Ready true
	// 100 processed Moved to ERD – Complete New Customer true
	// 9 failed Failed Validation Rules true
	// 35 held DupeCheck Manual Review true
	// 42 pending (not in the vendor's table) false
}

func ExampleClient_Transaction() {
	// A sandbox that takes an hour to process, so the lookup finds the submission just queued.
	sb, err := sandbox.Start("127.0.0.1:0", sandbox.WithProcessAfter(time.Hour), sandbox.WithPopulation(0))
	if err != nil {
		log.Fatal(err)
	}
	defer sb.Close()
	client, err := wrapper.New("FOO", "my-app-id", wrapper.WithBaseURL(sb.URL), wrapper.WithInputID("my-input-id"))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	receipt, err := client.StoreCustomerAndOrderJSON(ctx, []byte(`{"FirstName":"Ann","Emails":[{"EmailAddress":"ann@example.com"}]}`))
	if err != nil {
		log.Fatal(err)
	}
	status, err := client.Transaction(ctx, receipt.ResponseInfo[0].TransactionID)
	if err != nil {
		log.Fatal(err)
	}
	state, description, _ := wrapper.ClassifyTransactionStatus(status.Status)
	fmt.Println(status.TransactionID, state, status.Status, description)
	// Output:
	// 8907512 pending 0 Loaded into Staging
}

func ExampleCheckStoreRequest() {
	// Omeda's own example sends phone type 220, which its list of codes lacks, and a field the
	// pages do not list: both are sent, with a warning each. A phone without its number is refused.
	warnings, err := wrapper.CheckStoreRequest([]byte(`{"FirstName":"Ann","Nickname":"Annie",
		"Phones":[{"Number":"847-555-7527","PhoneContactType":"220"}]}`))
	fmt.Println(err)
	for _, w := range warnings {
		fmt.Println(w)
	}
	_, err = wrapper.CheckStoreRequest([]byte(`{"Phones":[{"PhoneContactType":200}]}`))
	fmt.Println(err)
	// Output:
	// <nil>
	// /Nickname: element "Nickname" is not one the contract documents (misspelled?) (value "Annie")
	// /Phones/0/PhoneContactType: code 220 is not one the contract documents (0 unknown, 200 business, 210 home, 230 mobile, 240 fax, 250 foreign phone, 260 foreign fax, 270 pager); Omeda judges it (value "220")
	// omeda: the submission is invalid (1 problem): /Phones/0/Number: property "Number" is missing
}
