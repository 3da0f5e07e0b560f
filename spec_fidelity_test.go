package omeda_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fidelityCase is one document that a schema must accept (reject == "") or reject with an error
// that mentions reject.
type fidelityCase struct {
	name   string
	schema string
	json   string
	reject string
}

// storeBase is a small valid submission that the store cases below change one element of.
const storeBase = `{"FirstName":"Ann","Emails":[{"EmailAddress":"ann@example.com"}]}`

var fidelityCases = []fidelityCase{
	// Phone lookup.
	{"phones: documented shape", "CustomerPhones", `{"Customer":"https://ows.omedastaging.com/webservices/rest/brand/FOO/customer/12345/*","PhoneNumbers":[{"Id":472517,"PhoneContactType":200,"PhoneNumber":"8475648900","Extension":"999","StatusCode":1,"ChangedDate":"2015-03-08 21:23:34"}],"SubmissionId":"24B9BF6F-0677-462B-942A-D87EEBD10F77"}`, ""},
	{"phones: optional elements absent", "CustomerPhones", `{"Customer":"https://ows.omeda.com/webservices/rest/brand/FOO/customer/1/*","PhoneNumbers":[{"Id":1,"PhoneContactType":0,"PhoneNumber":"1","ChangedDate":"2015-03-08 21:23:34"}]}`, ""},
	{"phones: id as a string", "CustomerPhone", `{"Id":"472517","PhoneContactType":200,"PhoneNumber":"8475648900","ChangedDate":"2015-03-08 21:23:34"}`, "Id"},
	{"phones: number as a number", "CustomerPhone", `{"Id":1,"PhoneContactType":200,"PhoneNumber":8475648900,"ChangedDate":"2015-03-08 21:23:34"}`, "PhoneNumber"},
	{"phones: unknown contact type", "CustomerPhone", `{"Id":1,"PhoneContactType":220,"PhoneNumber":"1","ChangedDate":"2015-03-08 21:23:34"}`, "PhoneContactType"},
	{"phones: changed date missing", "CustomerPhone", `{"Id":1,"PhoneContactType":200,"PhoneNumber":"1"}`, "ChangedDate"},
	{"phones: changed date with milliseconds", "CustomerPhone", `{"Id":1,"PhoneContactType":200,"PhoneNumber":"1","ChangedDate":"2015-03-08 21:23:34.000"}`, "ChangedDate"},
	{"phones: changed date as ISO 8601", "CustomerPhone", `{"Id":1,"PhoneContactType":200,"PhoneNumber":"1","ChangedDate":"2015-03-08T21:23:34Z"}`, "ChangedDate"},
	{"phones: status code 3", "CustomerPhone", `{"Id":1,"PhoneContactType":200,"PhoneNumber":"1","StatusCode":3,"ChangedDate":"2015-03-08 21:23:34"}`, "StatusCode"},
	{"phones: undocumented element", "CustomerPhone", `{"Id":1,"PhoneContactType":200,"PhoneNumber":"1","ChangedDate":"2015-03-08 21:23:34","Country":"US"}`, "Country"},
	{"phones: list missing", "CustomerPhones", `{"Customer":"https://ows.omeda.com/webservices/rest/brand/FOO/customer/1/*"}`, "PhoneNumbers"},

	// Change lookup.
	{"changes: documented shape", "CustomerChanges", `{"Customers":[{"Url":"https://ows.omedastaging.com/webservices/rest/brand/CCB/customer/122234562/*","Id":122234562,"DateChanged":"2018-07-04 00:00:00.000","CreatedDate":"2018-03-14 15:25:43.210","CustomerStatusId":1}],"SubmissionId":"4085DDD2-22FF-4FFE-22CB-962CCAE603B6"}`, ""},
	{"changes: date without milliseconds", "ChangedCustomer", `{"Url":"https://x.example/c/1/*","Id":1,"DateChanged":"2018-07-04 00:00:00","CreatedDate":"2018-03-14 15:25:43.210","CustomerStatusId":1}`, "DateChanged"},
	{"changes: status 2", "ChangedCustomer", `{"Url":"https://x.example/c/1/*","Id":1,"DateChanged":"2018-07-04 00:00:00.000","CreatedDate":"2018-03-14 15:25:43.210","CustomerStatusId":2}`, "CustomerStatusId"},
	{"changes: created date missing", "ChangedCustomer", `{"Url":"https://x.example/c/1/*","Id":1,"DateChanged":"2018-07-04 00:00:00.000","CustomerStatusId":1}`, "CreatedDate"},
	{"changes: url missing", "ChangedCustomer", `{"Id":1,"DateChanged":"2018-07-04 00:00:00.000","CreatedDate":"2018-03-14 15:25:43.210","CustomerStatusId":1}`, "Url"},
	{"changes: id beyond 32 bits", "ChangedCustomer", `{"Url":"https://x.example/c/1/*","Id":9007199254740991,"DateChanged":"2018-07-04 00:00:00.000","CreatedDate":"2018-03-14 15:25:43.210","CustomerStatusId":0}`, ""},

	// Merge history.
	{"merges: documented shape", "MergeHistory", `{"SubmissionId":"ec0c2ba6-13f4-4934-8efa-74c2ccb33f1d","CustomerMergeHistory":[{"Id":111},{"Id":2222}]}`, ""},
	{"merges: id as a string", "MergeHistory", `{"CustomerMergeHistory":[{"Id":"111"}]}`, "Id"},
	{"merges: email-lookup shape from the page's 300 text", "MergeHistory", `{"Customers":[{"Id":111}]}`, "CustomerMergeHistory"},

	// The error envelope.
	{"errors: documented shape", "ErrorEnvelope", `{"SubmissionId":"ec0c2ba6-13f4-4934-8efa-74c2ccb33f1d","Errors":[{"Error":"No phone number found for customer 12345."}]}`, ""},
	{"errors: merged customer", "ErrorEnvelope", `{"SubmissionId":"2da476ca-9ae6-4b4a-a77c-4aafbd275028","Errors":[{"MergedIntoCustomerId":99999,"Error":"Customer id 22 is valid but not active. Please use 99999."}]}`, ""},
	{"errors: no submission id", "ErrorEnvelope", `{"Errors":[{"Error":"The ShippingAddressId 112 does not belong to the Customer submitted"}]}`, ""},
	{"errors: empty list", "ErrorEnvelope", `{"SubmissionId":"x","Errors":[]}`, "Errors"},
	{"errors: message missing", "ErrorEnvelope", `{"Errors":[{"MergedIntoCustomerId":99999}]}`, "Error"},
	{"errors: surviving id as a string", "ErrorEnvelope", `{"Errors":[{"Error":"x","MergedIntoCustomerId":"99999"}]}`, "MergedIntoCustomerId"},
	{"errors: a bare string", "ErrorEnvelope", `{"Errors":["Customer 12345 was not found."]}`, "Errors"},

	// Store: the receipt.
	{"receipt: documented shape", "StoreReceipt", `{"ResponseInfo":[{"TransactionId":8907512,"Url":"https://ows.omedastaging.com/webservices/rest/brand/FOO/transaction/8907512/*"}]}`, ""},
	{"receipt: object instead of list", "StoreReceipt", `{"ResponseInfo":{"TransactionId":8907512,"Url":"https://x.example/t/1/*"}}`, "ResponseInfo"},
	{"receipt: empty list", "StoreReceipt", `{"ResponseInfo":[]}`, "ResponseInfo"},
	{"receipt: transaction id missing", "StoreReceipt", `{"ResponseInfo":[{"Url":"https://x.example/t/1/*"}]}`, "TransactionId"},

	// Store: the submission.
	{"store: small submission", "StoreCustomerAndOrderRequest", storeBase, ""},
	{"store: empty submission", "StoreCustomerAndOrderRequest", `{}`, ""},
	{"store: misspelled element", "StoreCustomerAndOrderRequest", `{"Firstname":"Ann"}`, "Firstname"},
	{"store: salutation of 11 characters", "StoreCustomerAndOrderRequest", `{"Salutation":"Mr. and Mrs"}`, "Salutation"},
	{"store: first name of 101 characters", "StoreCustomerAndOrderRequest", `{"FirstName":"` + strings.Repeat("a", 101) + `"}`, "FirstName"},
	{"store: first name of 100 characters", "StoreCustomerAndOrderRequest", `{"FirstName":"` + strings.Repeat("é", 100) + `"}`, ""},
	{"store: promo code of 51 characters", "StoreCustomerAndOrderRequest", `{"PromoCode":"` + strings.Repeat("a", 51) + `"}`, "PromoCode"},
	{"store: gender X", "StoreCustomerAndOrderRequest", `{"Gender":"X"}`, "Gender"},
	{"store: signup date with a minute", "StoreCustomerAndOrderRequest", `{"SignupDate":"2010-04-18 13:05"}`, ""},
	{"store: signup date with seconds", "StoreCustomerAndOrderRequest", `{"SignupDate":"2010-04-18 13:05:00"}`, "SignupDate"},
	{"store: order date in US order", "StoreCustomerAndOrderRequest", `{"OrderDate":"04/18/2010"}`, "OrderDate"},
	{"store: order date month 13", "StoreCustomerAndOrderRequest", `{"OrderDate":"2010-13-18"}`, "OrderDate"},
	{"store: client order id as a number", "StoreCustomerAndOrderRequest", `{"ClientOrderId":19520}`, ""},
	{"store: client order id as a string", "StoreCustomerAndOrderRequest", `{"ClientOrderId":"ORD19520"}`, ""},
	{"store: merge code 0", "StoreCustomerAndOrderRequest", `{"MergeCode":0}`, ""},
	{"store: merge code \"1\"", "StoreCustomerAndOrderRequest", `{"MergeCode":"1"}`, ""},
	{"store: merge code 2", "StoreCustomerAndOrderRequest", `{"MergeCode":2}`, "MergeCode"},
	{"store: omeda and client customer ids together", "StoreCustomerAndOrderRequest", `{"OmedaCustomerId":1234,"ClientCustomerId":"C-1"}`, `match schema "not"`},
	{"store: omeda customer id as a string", "StoreCustomerAndOrderRequest", `{"OmedaCustomerId":"1234"}`, "OmedaCustomerId"},
	{"store: address contact type as a string", "StoreCustomerAndOrderRequest", `{"Addresses":[{"AddressContactType":"100"}]}`, "AddressContactType"},
	{"store: address contact type 120", "StoreCustomerAndOrderRequest", `{"Addresses":[{"AddressContactType":120}]}`, "AddressContactType"},
	{"store: airmail B", "StoreCustomerAndOrderRequest", `{"Addresses":[{"Airmail":"B"}]}`, "Airmail"},
	{"store: airmail cleared", "StoreCustomerAndOrderRequest", `{"Addresses":[{"Airmail":""}]}`, ""},
	{"store: country code of 2 characters", "StoreCustomerAndOrderRequest", `{"Addresses":[{"CountryCode":"US"}]}`, "CountryCode"},
	{"store: company of 256 characters", "StoreCustomerAndOrderRequest", `{"Addresses":[{"Company":"` + strings.Repeat("c", 256) + `"}]}`, "Company"},
	{"store: address products keyword", "StoreCustomerAndOrderRequest", `{"Addresses":[{"AddressProducts":"ALL_PRINT"}]}`, ""},
	{"store: address products garbage", "StoreCustomerAndOrderRequest", `{"Addresses":[{"AddressProducts":"some"}]}`, "AddressProducts"},
	{"store: email missing its address", "StoreCustomerAndOrderRequest", `{"Emails":[{"EmailContactType":300}]}`, "EmailAddress"},
	{"store: malformed email", "StoreCustomerAndOrderRequest", `{"Emails":[{"EmailAddress":"ann.example.com"}]}`, "EmailAddress"},
	{"store: email contact type 320", "StoreCustomerAndOrderRequest", `{"Emails":[{"EmailAddress":"a@b.co","EmailContactType":320}]}`, "EmailContactType"},
	{"store: phone missing its number", "StoreCustomerAndOrderRequest", `{"Phones":[{"PhoneContactType":200}]}`, "Number"},
	{"store: phone type 220", "StoreCustomerAndOrderRequest", `{"Phones":[{"PhoneContactType":220,"Number":"847-555-6573"}]}`, "PhoneContactType"},
	{"store: phone number with words", "StoreCustomerAndOrderRequest", `{"Phones":[{"Number":"123-555-1212 mobile"}]}`, "Number"},
	{"store: international phone number", "StoreCustomerAndOrderRequest", `{"Phones":[{"Number":"+44 (20) 7946.0958"}]}`, ""},
	{"store: demographic value as a number", "StoreCustomerAndOrderRequest", `{"CustomerDemographics":[{"OmedaDemographicId":10002,"OmedaDemographicValue":10003}]}`, ""},
	{"store: demographic value as a string", "StoreCustomerAndOrderRequest", `{"CustomerDemographics":[{"OmedaDemographicId":10002,"OmedaDemographicValue":"10003"}]}`, ""},
	{"store: demographic values as a list", "StoreCustomerAndOrderRequest", `{"CustomerDemographics":[{"OmedaDemographicId":10001,"OmedaDemographicValue":[10002,"10001"]}]}`, ""},
	{"store: demographic value missing", "StoreCustomerAndOrderRequest", `{"CustomerDemographics":[{"OmedaDemographicId":10001}]}`, "OmedaDemographicValue"},
	{"store: demographic value as an object", "StoreCustomerAndOrderRequest", `{"CustomerDemographics":[{"OmedaDemographicId":10001,"OmedaDemographicValue":{"Id":1}}]}`, "OmedaDemographicValue"},
	{"store: demographic value list empty", "StoreCustomerAndOrderRequest", `{"CustomerDemographics":[{"OmedaDemographicId":10001,"OmedaDemographicValue":[]}]}`, "OmedaDemographicValue"},
	{"store: write-in of 101 characters", "StoreCustomerAndOrderRequest", `{"CustomerDemographics":[{"OmedaDemographicId":1,"OmedaDemographicValue":1,"WriteInDesc":"` + strings.Repeat("w", 101) + `"}]}`, "WriteInDesc"},
	{"store: product without its id", "StoreCustomerAndOrderRequest", `{"Products":[{"Receive":1}]}`, "OmedaProductId"},
	{"store: product opt-out", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":14,"Receive":0}]}`, ""},
	{"store: product receive 2", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":14,"Receive":2}]}`, "Receive"},
	{"store: requested version X", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":14,"RequestedVersion":"X"}]}`, "RequestedVersion"},
	{"store: personal identifier of 51 characters", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":14,"PersonalIdentifier":"` + strings.Repeat("p", 51) + `"}]}`, "PersonalIdentifier"},
	{"store: product update without its version", "StoreCustomerAndOrderRequest", `{"ProductUpdates":[{"OmedaProductIdUpdate":15}]}`, "RequestedVersionUpdate"},
	{"store: marketing product field answer", "StoreCustomerAndOrderRequest", `{"MarketingProducts":[{"OmedaProductId":7,"ProductFieldResponses":[{"ProductFieldId":1,"ProductFieldResponseValue":"2024-05-01"},{"ProductFieldId":2,"ProductFieldResponseValue":12}]}]}`, ""},
	{"store: marketing product field without value", "StoreCustomerAndOrderRequest", `{"MarketingProducts":[{"OmedaProductId":7,"ProductFieldResponses":[{"ProductFieldId":1}]}]}`, "ProductFieldResponseValue"},
	{"store: telemarketing without agent", "StoreCustomerAndOrderRequest", `{"Telemarketing":[{"TelemarketingCompany":"T","TelemarketingRecordingId":"1","PersonalIdQuestion":"Q","SpokeToName":"N","SpokeToTitle":"M"}]}`, "TelemarketingAgent"},
	{"store: telemarketing agent of 21 characters", "StoreCustomerAndOrderRequest", `{"Telemarketing":[{"TelemarketingCompany":"T","TelemarketingRecordingId":"1","TelemarketingAgent":"` + strings.Repeat("a", 21) + `","PersonalIdQuestion":"Q","SpokeToName":"N","SpokeToTitle":"M"}]}`, "TelemarketingAgent"},
	{"store: end of call with a semicolon", "StoreCustomerAndOrderRequest", `{"Telemarketing":[{"TelemarketingCompany":"T","TelemarketingRecordingId":"1","TelemarketingAgent":"A","PersonalIdQuestion":"Q","SpokeToName":"N","SpokeToTitle":"M","EndOfCall":"2011-10-10 12;30"}]}`, "EndOfCall"},
	{"store: behavior id as a string", "StoreCustomerAndOrderRequest", `{"CustomerBehaviors":[{"BehaviorId":"104","BehaviorDate":"2011-07-20 12:12:12"}]}`, "BehaviorId"},
	{"store: behavior date without seconds", "StoreCustomerAndOrderRequest", `{"CustomerBehaviors":[{"BehaviorId":104,"BehaviorDate":"2011-07-20 12:12"}]}`, "BehaviorDate"},
	{"store: behavior attribute with both value and value id", "StoreCustomerAndOrderRequest", `{"CustomerBehaviors":[{"BehaviorId":105,"BehaviorDate":"2011-07-20 12:12:12","BehaviorAttributes":[{"BehaviorAttributeTypeId":3,"BehaviorAttributeValue":"x","BehaviorAttributeValueId":60}]}]}`, `match schema "not"`},
	{"store: behavior attribute with neither", "StoreCustomerAndOrderRequest", `{"CustomerBehaviors":[{"BehaviorId":105,"BehaviorDate":"2011-07-20 12:12:12","BehaviorAttributes":[{"BehaviorAttributeTypeId":3}]}]}`, `match schema "not"`},
	{"store: behavior attribute that is not an object", "StoreCustomerAndOrderRequest", `{"CustomerBehaviors":[{"BehaviorId":105,"BehaviorDate":"2011-07-20 12:12:12","BehaviorAttributes":[5]}]}`, "value must be an object"},
	{"store: submission that is not an object", "StoreCustomerAndOrderRequest", `[]`, "value must be an object"},
	{"store: behavior attribute with a value id", "StoreCustomerAndOrderRequest", `{"CustomerBehaviors":[{"BehaviorId":105,"BehaviorDate":"2011-07-20 12:12:12","BehaviorAttributes":[{"BehaviorAttributeTypeId":3,"BehaviorAttributeValueId":60}]}]}`, ""},

	// Path parameters.
	{"customer id: numeric", "CustomerIdentifier", `"12345"`, ""},
	{"customer id: encrypted", "CustomerIdentifier", `"9130C2719701F5S"`, ""},
	{"customer id: 19 digits", "CustomerIdentifier", `"9223372036854775807"`, ""},
	{"customer id: 20 digits", "CustomerIdentifier", `"12345678901234567890"`, "maxLength"},
	{"customer id: empty", "CustomerIdentifier", `""`, "minLength"},
	{"customer id: zero", "CustomerIdentifier", `"0"`, "pattern"},
	{"customer id: short word", "CustomerIdentifier", `"abc"`, "pattern"},
	{"customer id: a dot segment", "CustomerIdentifier", `".."`, "pattern"},
	{"customer id: a slash", "CustomerIdentifier", `"12/34"`, "pattern"},
	{"customer id: a query", "CustomerIdentifier", `"12?x=1"`, "pattern"},
	{"customer id: encrypted with a hyphen", "CustomerIdentifier", `"9130C2719-01F5S"`, "pattern"},
	{"brand: letters", "BrandAbbreviation", `"FOO"`, ""},
	{"brand: a slash", "BrandAbbreviation", `"FOO/BAR"`, "pattern"},
	{"brand: a dot segment", "BrandAbbreviation", `".."`, "pattern"},
	{"change date: a day", "ChangeLookupDate", `"01022013"`, ""},
	{"change date: a minute", "ChangeLookupDate", `"01022013_1323"`, ""},
	{"change date: ISO", "ChangeLookupDate", `"2013-01-02"`, "pattern"},
	{"change date: month 13", "ChangeLookupDate", `"13022013"`, "pattern"},
	{"change date: hour 24", "ChangeLookupDate", `"01022013_2400"`, "pattern"},
	{"change date: seconds", "ChangeLookupDate", `"01022013_132301"`, "pattern"},
	{"change date: one-digit month", "ChangeLookupDate", `"1022013"`, "pattern"},
}

// TestSpecFidelity holds each schema to documented shapes that must validate and undocumented
// ones that must not.
func TestSpecFidelity(t *testing.T) {
	t.Parallel()
	doc := loadSpec(t)
	for _, tc := range fidelityCases {
		t.Run(tc.name, func(t *testing.T) {
			schema := doc.Components.Schemas[tc.schema]
			require.NotNil(t, schema, "schema %s", tc.schema)
			var v any
			require.NoError(t, json.Unmarshal([]byte(tc.json), &v))
			err := schema.Value.VisitJSON(v, openapi3.MultiErrors())
			if tc.reject == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.reject)
		})
	}
}
