package spec

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// bothIDsReason is the problem the store schema's top-level "not" stands for.
const (
	bothIDsReason = "send OmedaCustomerId or ClientCustomerId, not both"
	bothIDsVendor = "OmedaCustomerId and ClientCustomerId cannot both be sent: identify the customer by one of them."
	attributeOne  = "send exactly one of BehaviorAttributeValue and BehaviorAttributeValueId"
)

// CheckStore checks a decoded store submission (see DecodeJSON): refusals for what its schema
// forbids and for the rules the vendor's pages state across elements, and warnings for elements
// and codes the pages do not document. Problems come sorted, refusals first.
func (c *Contract) CheckStore(doc any) []Problem {
	var out []Problem
	if err := c.store.VisitJSON(doc, openapi3.MultiErrors(), openapi3.VisitAsRequest()); err != nil {
		both := false
		for _, p := range schemaProblems(err, "") {
			if p.Pointer == "" && strings.Contains(p.Reason, "combination") {
				both = true
				continue
			}
			out = append(out, p)
		}
		if both {
			out = append(out, Problem{Reason: bothIDsReason, Vendor: bothIDsVendor, Severity: Refusal, Kind: KindRule})
			if err := c.storeWithoutNot.VisitJSON(doc, openapi3.MultiErrors(), openapi3.VisitAsRequest()); err != nil {
				out = append(out, schemaProblems(err, "")...)
			}
		}
	}
	for i, p := range out {
		if p.Kind == KindSchema && p.Reason == "this combination of elements is not allowed" && isBehaviorAttribute(p.Pointer) {
			out[i].Reason = attributeOne
			out[i].Kind = KindRule
		}
	}
	for i, p := range out {
		if p.Vendor == "" {
			out[i].Vendor = vendorWording(p, doc)
		}
	}
	out = append(out, StoreRules(doc)...)
	out = append(out, Unknowns(c.store, doc, "")...)
	return sortProblems(out)
}

// isBehaviorAttribute matches /CustomerBehaviors/N/BehaviorAttributes/M.
func isBehaviorAttribute(ptr string) bool {
	parts := strings.Split(ptr, "/")
	if len(parts) != 5 || parts[1] != "CustomerBehaviors" || parts[3] != "BehaviorAttributes" {
		return false
	}
	_, err1 := strconv.Atoi(parts[2])
	_, err2 := strconv.Atoi(parts[4])
	return err1 == nil && err2 == nil
}

// StoreRules checks the rules across elements that the vendor's pages state and a schema
// cannot say. Each problem carries the vendor's wording where the pages give one.
func StoreRules(doc any) []Problem {
	root, ok := doc.(map[string]any)
	if !ok {
		return nil
	}
	var out []Problem
	rule := func(ptr, reason, vendor string) {
		out = append(out, Problem{Pointer: ptr, Reason: reason, Vendor: vendor, Severity: Refusal, Kind: KindRule})
	}
	hasCustomer := present(root, "OmedaCustomerId")
	for _, list := range []string{"Products", "MarketingProducts"} {
		items, _ := root[list].([]any)
		seen := map[string]bool{}
		for i, item := range items {
			p, _ := item.(map[string]any)
			if p == nil {
				continue
			}
			base := Pointer(list, strconv.Itoa(i))
			if present(p, "ShippingAddressId") && !hasCustomer {
				rule(base+"/ShippingAddressId", "needs OmedaCustomerId on the submission",
					"To set a ShippingAddressId, your submission must contain an OmedaCustomerId.")
			}
			if present(p, "EmailAddressId") && !hasCustomer {
				rule(base+"/EmailAddressId", "needs OmedaCustomerId on the submission",
					"To set an EmailAddressId, your submission must contain an OmedaCustomerId.")
			}
			if id, ok := codeKey(p["OmedaProductId"]); ok {
				if seen[id] {
					rule(base+"/OmedaProductId", fmt.Sprintf("product %s appears more than once", id),
						fmt.Sprintf("OmedaProductId %s cannot be included more than once in a submission.", id))
				}
				seen[id] = true
			}
			// A product is paid when it costs something; a comp order may carry "Amount":"0.00".
			if list == "Products" && (positive(p["Amount"]) || positive(p["AmountPaid"])) &&
				!present(p, "Term") && !present(p, "OrderExpirationDate") {
				rule(base, "a paid product (Amount or AmountPaid above 0) needs Term or OrderExpirationDate",
					"Must specify Term or OrderExpirationDate per product.")
			}
		}
	}
	if p, ok := amountPaidAboveTotal(root); ok {
		out = append(out, p)
	}
	demographics, _ := root["CustomerDemographics"].([]any)
	for i, item := range demographics {
		if d, ok := item.(map[string]any); ok {
			demographicRules(Pointer("CustomerDemographics", strconv.Itoa(i)), d, rule)
		}
	}
	if billing, ok := root["BillingInformation"].(map[string]any); ok {
		if present(billing, "CreditCardNumber") {
			for _, need := range []string{"CreditCardType", "ExpirationDate", "CardSecurityCode", "NameOnCard"} {
				if !present(billing, need) {
					rule(Pointer("BillingInformation", need), "is required when CreditCardNumber is sent",
						need+" is required when CreditCardNumber is submitted.")
				}
			}
		}
		if country, _ := billing["BillingCountryCode"].(string); strings.EqualFold(country, "USA") || strings.EqualFold(country, "CAN") {
			for _, need := range []string{"BillingRegion", "BillingPostalCode"} {
				if !present(billing, need) {
					rule(Pointer("BillingInformation", need), "is required when BillingCountryCode is USA or CAN",
						"BillingRegion and BillingPostalCode are required for USA and Canada.")
				}
			}
		}
		if charge, _ := billing["DoCharge"].(string); charge == "True" {
			// The page: "This value should always be 'False'". Omeda's answer to "True" is not
			// documented, so it is sent, with a warning (any other value is an unknown code,
			// warned about as such).
			out = append(out, Problem{Pointer: Pointer("BillingInformation", "DoCharge"), Severity: Warning, Kind: KindRule,
				Reason: `should always be "False" (the paid-order page); Omeda may try to charge the card`, Value: scalarJSON("DoCharge", charge)})
		}
		payment, payer := present(billing, "PayPalPaymentId"), present(billing, "PayPalPayerId")
		if payment != payer {
			missing := "PayPalPayerId"
			if payer {
				missing = "PayPalPaymentId"
			}
			rule(Pointer("BillingInformation", missing), "PayPalPaymentId and PayPalPayerId are sent together",
				"PayPalPaymentId and PayPalPayerId must be submitted together.")
		}
	}
	return out
}

// amountPaidVendor is Omeda's refusal of a payment above the order's total.
const amountPaidVendor = "AmountPaid cannot be greater than total order amount"

// amountPaidAboveTotal warns when the products' AmountPaid adds up to more than their total,
// Amount + SalesTax + Postage (the paid page's own example pays 71.50 for 65.00 plus 6.50 of
// tax). Omeda refuses that ("AmountPaid cannot be greater than total order amount"), but its page
// does not define the total (per product or per order, with tax and postage or not), so the SDK
// warns with the most generous reading, summed over the order, rather than refuse what Omeda may
// accept; the sandbox, which plays Omeda, refuses it (a rule warning with the vendor's wording).
// Without an Amount on every product the total is Omeda's to work out, and nothing is said.
func amountPaidAboveTotal(root map[string]any) (Problem, bool) {
	items, _ := root["Products"].([]any)
	var paid, total float64
	var where []string
	for i, item := range items {
		p, _ := item.(map[string]any)
		if p == nil {
			continue
		}
		amount, ok := decimal(p["Amount"])
		if !ok {
			return Problem{}, false
		}
		tax, _ := decimal(p["SalesTax"])
		postage, _ := decimal(p["Postage"])
		total += amount + tax + postage
		if x, ok := decimal(p["AmountPaid"]); ok && x > 0 {
			paid += x
			where = append(where, Pointer("Products", strconv.Itoa(i), "AmountPaid"))
		}
	}
	// Compared in cents, so that 71.50 against 65.00 + 6.50 is equal whatever the float.
	if len(where) == 0 || math.Round(paid*100) <= math.Round(total*100) {
		return Problem{}, false
	}
	ptr := "/Products"
	if len(where) == 1 {
		ptr = where[0]
	}
	return Problem{Pointer: ptr, Severity: Warning, Kind: KindRule, Vendor: amountPaidVendor,
		Reason: fmt.Sprintf("AmountPaid (%.2f) is above the order's total, Amount + SalesTax + Postage (%.2f): Omeda refuses that with %q",
			paid, total, amountPaidVendor)}, true
}

// decimal reads an amount, a number or a decimal string; false when absent or malformed.
func decimal(v any) (float64, bool) {
	var text string
	switch x := v.(type) {
	case json.Number:
		text = x.String()
	case float64:
		return x, true
	case string:
		text = strings.TrimSpace(x)
	default:
		return 0, false
	}
	f, err := strconv.ParseFloat(text, 64)
	return f, err == nil
}

// CardExpired warns about a card whose ExpirationDate (MMYY) is a month before the given one,
// the current month in Omeda's zone: the pages list "ExpirationDate should be in the future". A
// card is good through the last day of its month, so the current month is not named. It is a
// warning, not a refusal, because it rests on the caller's clock, which need not agree with
// Omeda's, and Omeda's answer is a plain 400 with nothing stored; the sandbox, playing Omeda,
// refuses it on its own clock (a rule warning with the vendor's wording). It stands apart from
// StoreRules because it depends on the date (a recorded submission must not break it later); an
// expiry that is not four digits is the schema's to refuse.
func CardExpired(doc any, year int, month time.Month) []Problem {
	root, _ := doc.(map[string]any)
	billing, _ := root["BillingInformation"].(map[string]any)
	text, _ := billing["ExpirationDate"].(string)
	if len(text) != 4 {
		return nil
	}
	mm, err1 := strconv.Atoi(text[:2])
	yy, err2 := strconv.Atoi(text[2:])
	if err1 != nil || err2 != nil || mm < 1 || mm > 12 {
		return nil
	}
	if 2000+yy > year || (2000+yy == year && time.Month(mm) >= month) {
		return nil
	}
	return []Problem{{Pointer: Pointer("BillingInformation", "ExpirationDate"), Severity: Warning, Kind: KindRule,
		Reason: `the card's expiry month is over (on this clock): Omeda refuses that with "ExpirationDate should be in the future"`,
		Vendor: "ExpirationDate should be in the future"}}
}

// demographicRules checks one CustomerDemographics element: exactly one of OmedaDemographicId and
// ClientDemographicId (the paid page: "Either the ClientDemographicId or OmedaDemographicId is
// required"), each with its own value. The wording is the vendor's error list's.
func demographicRules(base string, d map[string]any, rule func(ptr, reason, vendor string)) {
	omeda, client := present(d, "OmedaDemographicId"), present(d, "ClientDemographicId")
	switch {
	case omeda && client:
		rule(base+"/ClientDemographicId", "send OmedaDemographicId or ClientDemographicId, not both",
			"Can't submit more than one of the following: OmedaDemographicId, ClientDemographicId.")
	case !omeda && !client:
		rule(base, "needs OmedaDemographicId or ClientDemographicId",
			"Either the ClientDemographicId or OmedaDemographicId is required.")
	case omeda && !present(d, "OmedaDemographicValue"):
		id, _ := codeKey(d["OmedaDemographicId"])
		rule(base+"/OmedaDemographicValue", "is required with OmedaDemographicId",
			"OmedaDemographicValue is missing for OmedaDemographicId:"+id)
	case client && !present(d, "ClientDemographicValue"):
		id, _ := codeKey(d["ClientDemographicId"])
		rule(base+"/ClientDemographicValue", "is required with ClientDemographicId",
			"ClientDemographicValue is missing for ClientDemographicId: "+id)
	}
}

// positive reports whether an amount, a number or a decimal string, is above zero.
func positive(v any) bool {
	f, ok := decimal(v)
	return ok && f > 0
}

// present reports whether an element is in the object with a value other than null or "".
func present(obj map[string]any, key string) bool {
	v, ok := obj[key]
	if !ok || v == nil {
		return false
	}
	if s, isString := v.(string); isString && s == "" {
		return false
	}
	return true
}
