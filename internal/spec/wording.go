package spec

import (
	"encoding/json"
	"strconv"
	"strings"
)

// telemarketingRequired are the Telemarketing elements the vendor answers "X is missing." for.
var telemarketingRequired = map[string]bool{
	"TelemarketingCompany": true, "TelemarketingRecordingId": true, "TelemarketingAgent": true,
	"PersonalIdQuestion": true, "SpokeToName": true, "SpokeToTitle": true,
}

// dateFields are the submission's dates; the vendor refuses a malformed one with one message.
var dateFields = map[string]bool{
	"SignupDate": true, "OrderDate": true, "TimeOfCall": true, "EndOfCall": true, "BehaviorDate": true,
	"StartIssueDate": true, "OrderExpirationDate": true, "DepositDate": true,
}

// vendorWording returns the vendor's own message for a schema refusal, where its store pages
// list one ("Number must be set.", "Your submission contained an invalid date"), or "".
func vendorWording(p Problem, doc any) string {
	field := p.Field()
	tokens := strings.Split(p.Pointer, "/")
	inList := func(list string) bool { return len(tokens) >= 3 && tokens[1] == list }
	if strings.HasPrefix(p.Reason, "property ") && strings.HasSuffix(p.Reason, " is missing") {
		switch {
		case field == "Number":
			return "Number must be set."
		case field == "OmedaProductId" && inList("Products"):
			return "OmedaProductId is missing in Products submission"
		case telemarketingRequired[field] && inList("Telemarketing"):
			return field + " is missing."
		case field == "BehaviorAttributeTypeId":
			return "BehaviorAttributeTypeId is missing."
		case field == "BillingStreet" || field == "BillingCity" || field == "BillingCountryCode":
			return "Billing address is incomplete"
		}
		return ""
	}
	value := ValueAt(doc, p.Pointer)
	switch {
	case field == "EmailAddress" && inList("Emails"):
		if s, ok := value.(string); ok {
			return "EmailAddress is not valid " + s
		}
	case dateFields[field]:
		return "Your submission contained an invalid date"
	case (field == "Amount" || field == "AmountPaid") && negative(value):
		return field + " cannot be less than 0"
	case field == "CustomerStatusId" && len(tokens) == 2:
		return "CustomerStatusId has an invalid value."
	}
	return ""
}

func negative(v any) bool {
	switch x := v.(type) {
	case json.Number:
		return strings.HasPrefix(x.String(), "-")
	case float64:
		return x < 0
	case string:
		return strings.HasPrefix(strings.TrimSpace(x), "-")
	}
	return false
}

// ValueAt returns the value a JSON pointer names in a decoded document, or nil.
func ValueAt(doc any, pointer string) any {
	if pointer == "" {
		return doc
	}
	for _, t := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		t = unescape(t)
		switch x := doc.(type) {
		case map[string]any:
			doc = x[t]
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			doc = x[i]
		default:
			return nil
		}
	}
	return doc
}
