package sandbox

import (
	"fmt"
	"slices"
	"strings"

	"github.com/omeda-go/omeda-go/gen"
)

// storeOutcome is what applying a store customer and order submission came to: a transaction, a
// merged customer (404), or the reasons it was refused (400).
type storeOutcome struct {
	transactionID int64
	txn           *transaction
	merged        *customer
	refusals      []string
}

// submissionRules checks the vendor's documented rules that need no data: ShippingAddressId and
// EmailAddressId need OmedaCustomerId, and a product may appear only once per list.
func submissionRules(sub *gen.StoreCustomerAndOrderRequest) []string {
	var refusals []string
	add := func(msg string) {
		if !slices.Contains(refusals, msg) {
			refusals = append(refusals, msg)
		}
	}
	known := sub.OmedaCustomerID != nil
	check := func(productID int64, shipping, email *int64, seen map[int64]bool) {
		if seen[productID] {
			add(fmt.Sprintf("OmedaProductId %d cannot be included more than once in a submission.", productID))
		}
		seen[productID] = true
		if shipping != nil && !known {
			add("To set a ShippingAddressId, your submission must contain an OmedaCustomerId.")
		}
		if email != nil && !known {
			add("To set an EmailAddressId, your submission must contain an OmedaCustomerId.")
		}
	}
	seen := make(map[int64]bool)
	for _, p := range sub.Products {
		check(p.OmedaProductID, p.ShippingAddressID, p.EmailAddressID, seen)
	}
	seen = make(map[int64]bool)
	for _, p := range sub.MarketingProducts {
		check(p.OmedaProductID, p.ShippingAddressID, p.EmailAddressID, seen)
	}
	return refusals
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
		target := d.customerLocked(*sub.OmedaCustomerID)
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
	return storeOutcome{transactionID: t.id, txn: t}
}

// applyLocked applies a processed submission at its due time: it updates the customer it names
// (by OmedaCustomerId, or the one an earlier submission's external ids created) or creates one.
// d.mu must be held for writing.
func (d *dataset) applyLocked(t *transaction) {
	sub, nowMs := t.sub, t.dueMs
	var target *customer
	if sub.OmedaCustomerID != nil {
		target = d.customerLocked(*sub.OmedaCustomerID)
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
	for _, p := range sub.Phones {
		number, ext := digitsOf(p.Number), ""
		if p.Extension != nil {
			ext = *p.Extension
		}
		i := slices.IndexFunc(next.phones, func(have phone) bool { return have.number == number && have.ext == ext })
		if i >= 0 {
			if p.PhoneContactType != nil {
				next.phones[i].kind = int(*p.PhoneContactType)
			}
			next.phones[i].changedMs = nowMs
			continue
		}
		kind := int(gen.PhoneBusiness) // the vendor's default
		if p.PhoneContactType != nil {
			kind = int(*p.PhoneContactType)
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
