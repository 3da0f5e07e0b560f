package sandbox

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/internal/spec"
)

// phoneBusiness is the phone contact type Omeda assumes when a submission gives none.
const phoneBusiness = 200

// storeOutcome is what applying a store customer and order submission came to: a transaction, a
// merged customer (404), or the reasons it was refused (400).
type storeOutcome struct {
	transactionID int64
	// Set when the submission was processed at once: the customer it became and its order
	// (0 when it ordered nothing).
	processed           bool
	customerID, orderID int64
	merged              *customer
	refusals            []string
}

// submissionRules checks the rules across elements that the vendor's pages state (the same
// ones the SDK checks before sending): a ShippingAddressId or EmailAddressId needs
// OmedaCustomerId, a product appears once per list, a paid product needs Term or
// OrderExpirationDate, card and billing data come complete, the card has not expired (on the
// sandbox's clock) and AmountPaid is not above the order's total. Each refusal is worded as the
// vendor's pages word it.
func submissionRules(body []byte, now time.Time) []string {
	doc, err := spec.DecodeJSON(body)
	if err != nil {
		return nil // the schema check has refused it already
	}
	now = now.In(chicago)
	return refusalMessages(append(spec.StoreRules(doc), spec.CardExpired(doc, now.Year(), now.Month())...))
}

// submissionKeys are the keys under which a submission's external ids are remembered.
func submissionKeys(sub *gen.StoreCustomerAndOrderRequest) []string {
	var keys []string
	if sub.ExternalCustomerID != nil && *sub.ExternalCustomerID != "" {
		ns := ""
		if sub.ExternalCustomerIDNamespace != nil {
			ns = *sub.ExternalCustomerIDNamespace
		}
		keys = append(keys, "external\x00"+ns+"\x00"+*sub.ExternalCustomerID)
	}
	if sub.ClientCustomerID != nil && *sub.ClientCustomerID != "" {
		keys = append(keys, "client\x00"+*sub.ClientCustomerID)
	}
	return keys
}

// digitsOf keeps the digits of a phone number, as Omeda stores it.
func digitsOf(number string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, number)
}

// store records a validated submission at nowMs, due for processing dueMs, unless refusals (from
// submissionRules) or the customer it names make it fail at once, as the vendor's documented
// 400 and 404 answers do. Like the vendor, the sandbox queues the submission: its customer
// changes only when processing ends (see transaction.statusAt and dataset.settle), at once when
// dueMs is nowMs.
func (d *dataset) store(sub *gen.StoreCustomerAndOrderRequest, nowMs, dueMs int64, refusals []string) storeOutcome {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.settleLocked(nowMs)

	existing := false
	if sub.OmedaCustomerID != nil {
		target := d.customerLocked(sub.OmedaCustomerID.Int64())
		switch {
		case target == nil:
			refusals = append(refusals, fmt.Sprintf("OmedaCustomerId %d is not a valid customer.", *sub.OmedaCustomerID))
		case target.mergedInto != 0:
			return storeOutcome{merged: target}
		}
		existing = true
	}
	if len(refusals) > 0 {
		return storeOutcome{refusals: refusals}
	}
	for _, k := range submissionKeys(sub) {
		_, known := d.keys[k]
		existing = existing || known || d.pendingKeys[k] > 0
	}
	t := &transaction{
		id:       d.nextTransactionID,
		sub:      sub,
		storedMs: nowMs,
		dueMs:    max(dueMs, nowMs),
		rejects:  processingRejects(sub),
		existing: existing,
	}
	d.nextTransactionID++
	d.enqueueLocked(t)
	d.settleLocked(nowMs)
	return storeOutcome{transactionID: t.id, processed: t.applied, customerID: t.customerID, orderID: t.orderID}
}

// applyLocked applies a processed submission at its due time: it updates the customer it names
// (by OmedaCustomerId, or the one an earlier submission's external ids created) or creates one.
// d.mu must be held for writing.
func (d *dataset) applyLocked(t *transaction) {
	sub, nowMs := t.sub, t.dueMs
	var target *customer
	if sub.OmedaCustomerID != nil {
		target = d.customerLocked(sub.OmedaCustomerID.Int64())
	}
	keys := submissionKeys(sub)
	if target == nil {
		for _, k := range keys {
			if id, ok := d.keys[k]; ok {
				target = d.customerLocked(id)
				if target != nil {
					break
				}
			}
		}
	}
	// The customer may have been merged since: the survivor is the one to update.
	for target != nil && target.mergedInto != 0 {
		target = d.customerLocked(target.mergedInto)
	}

	next := &customer{}
	if target != nil {
		*next = *target
		next.phones = slices.Clone(target.phones)
		next.createdMs = min(next.createdMs, nowMs)
	} else {
		next.id = d.nextCustomerID
		d.nextCustomerID++
		next.createdMs = nowMs
		next.status = 1
	}
	next.changedMs = nowMs
	if sub.CustomerStatusID != nil {
		next.status = int(sub.CustomerStatusID.Int64())
	}
	// Orders and billing data are kept in memory only, with the customer; no lookup serves them
	// and nothing logs them (card data is secret).
	next.orders = slices.Clone(next.orders)
	for _, p := range sub.Products {
		next.orders = append(next.orders, order{transactionID: t.id, product: p})
	}
	if sub.BillingInformation != nil {
		billing := *sub.BillingInformation
		next.billing = &billing
	}
	for _, p := range sub.Phones {
		number, ext := digitsOf(p.Number), ""
		if p.Extension != nil {
			ext = *p.Extension
		}
		i := slices.IndexFunc(next.phones, func(have phone) bool { return have.number == number && have.ext == ext })
		if i >= 0 {
			if p.PhoneContactType != nil {
				next.phones[i].kind = int(p.PhoneContactType.Int64())
			}
			next.phones[i].changedMs = nowMs
			continue
		}
		kind := phoneBusiness // the vendor's default
		if p.PhoneContactType != nil {
			kind = int(p.PhoneContactType.Int64())
		}
		status := 2
		if len(next.phones) == 0 {
			status = 1
		}
		next.phones = append(next.phones, phone{id: d.nextPhoneID, number: number, ext: ext, kind: kind, status: status, changedMs: nowMs})
		d.nextPhoneID++
	}
	d.publishLocked(target, next)
	for _, k := range keys {
		d.keys[k] = next.id
	}
	t.applied, t.existing, t.customerID = true, target != nil, next.id
	if len(sub.Products) > 0 || len(sub.MarketingProducts) > 0 {
		t.orderID = d.nextOrderID
		d.nextOrderID++
	}
}
