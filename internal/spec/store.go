package spec

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

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
		for _, p := range SchemaProblems(err, "") {
			if p.Pointer == "" && strings.Contains(p.Reason, "combination") {
				both = true
				continue
			}
			out = append(out, p)
		}
		if both {
			out = append(out, Problem{Reason: bothIDsReason, Vendor: bothIDsVendor, Severity: Refusal, Kind: KindRule})
			if err := c.storeWithoutNot.VisitJSON(doc, openapi3.MultiErrors(), openapi3.VisitAsRequest()); err != nil {
				out = append(out, SchemaProblems(err, "")...)
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
	var text string
	switch x := v.(type) {
	case json.Number:
		text = x.String()
	case float64:
		return x > 0
	case string:
		text = strings.TrimSpace(x)
	default:
		return false
	}
	f, err := strconv.ParseFloat(text, 64)
	return err == nil && f > 0
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
