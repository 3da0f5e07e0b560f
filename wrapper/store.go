package wrapper

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/internal/spec"
)

// StoreCustomerAndOrder submits a customer with its contacts, demographics and orders. The
// submission is validated against the contract first, and refused with a *ValidationError
// (matching ErrInvalidInput) before anything is sent when it breaks a documented rule; elements
// and codes the contract does not document are sent, with a warning to the client's logger
// (WithLogger). It then goes out at most once: Omeda queues it without an idempotency key, so
// it is never retried, not even after a network failure that may have happened after Omeda
// received it, and no transport underneath (HTTP/1, HTTP/2, a caller's own) can send it again
// on its own. A failure to get the answer is a *TransportError whose Delivery says whether the
// submission was sent (NotSent: safe to send again; Sent or MaybeSent: Omeda may already have
// queued it). The values of the card fields (the contract's x-omeda-secret) are redacted from
// every error, like the credentials. The receipt's transaction id tracks the queued
// submission; it has not been processed yet.
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
	if err := checkSubmissionJSON(payload); err != nil {
		return nil, err
	}
	warnings, err := CheckStoreRequest(payload)
	if err != nil {
		return nil, err
	}
	c.logWarnings(ctx, warnings)
	ex := &storeExchange{c: c, payload: payload, red: c.red.With(spec.SecretValues(payload)...)}
	if err := c.exchange(ctx, opStore, ex); err != nil {
		return nil, err
	}
	return &ex.out.StoreReceipt, nil
}

// storeExchange sends one submission. Its body can be read once and has no GetBody, so that no
// transport can send the submission again (wire.go); its errors are redacted of the card data
// it carries as well as of the credentials.
type storeExchange struct {
	c       *Client
	payload []byte
	red     *Redactor
	out     receiptAnswer
}

func (s *storeExchange) send(ctx context.Context) (*http.Response, error) {
	body := &onceBody{r: bytes.NewReader(s.payload)}
	size := int64(len(s.payload))
	return s.c.api.StoreCustomerAndOrderWithBody(ctx, s.c.brand, "application/json", body, s.c.withInputID,
		func(_ context.Context, req *http.Request) error {
			req.ContentLength, req.GetBody = size, nil
			return nil
		})
}

func (s *storeExchange) decode(r io.Reader, _ int64) error {
	return s.c.decodeInto(opStore, &s.out, r, s.red)
}

func (s *storeExchange) redactor() *Redactor { return s.red }

// Ptr returns a pointer to v, for the optional fields of the generated models:
//
//	req := gen.StoreCustomerAndOrderRequest{FirstName: wrapper.Ptr("Ann")}
func Ptr[T any](v T) *T { return &v }
