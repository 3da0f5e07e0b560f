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
	// 42 pending status 42 (not in the vendor's table) false
}
