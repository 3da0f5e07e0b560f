package wrapper

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/omeda-go/omeda-go/gen"
)

// StoreCustomerAndOrder submits a customer with its contacts, demographics and orders. The
// submission is validated against the contract first, and refused with a *ValidationError
// (matching ErrInvalidInput) before anything is sent when it breaks a documented rule; elements
// and codes the contract does not document are sent, with a warning to the client's logger
// (WithLogger). It then goes out
// exactly once: Omeda queues it without an idempotency key, so it is never retried, not even
// after a network failure that may have happened after Omeda received it. The receipt's
// transaction id tracks the queued submission; it has not been processed yet.
//
// The client needs an input id (WithInputID).
//
// Vendor page: https://knowledgebase.omeda.com/omedaclientkb/save-customer-and-order
// Contract: POST /brand/{brandAbbreviation}/storecustomerandorder/* (storeCustomerAndOrder)
func (c *Client) StoreCustomerAndOrder(ctx context.Context, req gen.StoreCustomerAndOrderRequest) (*gen.StoreReceipt, error) {
	payload, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("%w: the submission does not encode as JSON: %v", ErrInvalidInput, err)
	}
	return c.StoreCustomerAndOrderJSON(ctx, payload)
}

// StoreCustomerAndOrderJSON is StoreCustomerAndOrder for a submission that is already JSON,
// such as a file. It sends the bytes as given, after the same validation, so that an element
// the generated model does not know reaches Omeda (with a warning) rather than being dropped.
func (c *Client) StoreCustomerAndOrderJSON(ctx context.Context, payload []byte) (*gen.StoreReceipt, error) {
	if c.inputID == "" {
		return nil, fmt.Errorf("%w: store customer and order needs an input id (x-omeda-inputid): use WithInputID", ErrInvalidInput)
	}
	warnings, err := CheckStoreRequest(payload)
	if err != nil {
		return nil, err
	}
	c.logWarnings(ctx, warnings)
	var out receiptAnswer
	err = c.do(ctx, opStore, func(ctx context.Context) (*http.Response, error) {
		return c.api.StoreCustomerAndOrderWithBody(ctx, c.brand, "application/json", bytes.NewReader(payload), c.withInputID)
	}, c.decodeAnswer(opStore, &out))
	if err != nil {
		return nil, err
	}
	return &out.StoreReceipt, nil
}

// Ptr returns a pointer to v, for the optional fields of the generated models:
//
//	req := gen.StoreCustomerAndOrderRequest{FirstName: wrapper.Ptr("Ann")}
func Ptr[T any](v T) *T { return &v }
