package omeda_test

import (
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/internal/spec"
)

// fidelityCase is one document that a schema must accept (reject == "") or reject with an error
// that mentions reject. An accepted document must also be fully documented (no unknown element,
// no code outside a documented list), unless warn names what the contract does not know: in a
// submission a warning, in an answer drift; either way accepted.
type fidelityCase struct {
	name   string
	schema string
	json   string
	reject string
	warn   string
}

// storeBase is a small valid submission that the store cases below change one element of.
const storeBase = `{"FirstName":"Ann","Emails":[{"EmailAddress":"ann@example.com"}]}`

var fidelityCases = []fidelityCase{
	// Phone lookup.
	{"phones: documented shape", "CustomerPhones", `{"Customer":"https://ows.omedastaging.com/webservices/rest/brand/FOO/customer/12345/*","PhoneNumbers":[{"Id":472517,"PhoneContactType":200,"PhoneNumber":"8475648900","Extension":"999","StatusCode":1,"ChangedDate":"2015-03-08 21:23:34"}],"SubmissionId":"24B9BF6F-0677-462B-942A-D87EEBD10F77"}`, "", ""},
	{"phones: optional elements absent", "CustomerPhones", `{"Customer":"https://ows.omeda.com/webservices/rest/brand/FOO/customer/1/*","PhoneNumbers":[{"Id":1,"PhoneContactType":0,"PhoneNumber":"1","ChangedDate":"2015-03-08 21:23:34"}]}`, "", ""},
	{"phones: id as a string", "CustomerPhone", `{"Id":"472517","PhoneContactType":200,"PhoneNumber":"8475648900","ChangedDate":"2015-03-08 21:23:34"}`, "Id", ""},
	{"phones: number as a number", "CustomerPhone", `{"Id":1,"PhoneContactType":200,"PhoneNumber":8475648900,"ChangedDate":"2015-03-08 21:23:34"}`, "PhoneNumber", ""},
	{"phones: unknown contact type", "CustomerPhone", `{"Id":1,"PhoneContactType":220,"PhoneNumber":"1","ChangedDate":"2015-03-08 21:23:34"}`, "", "code 220"},
	{"phones: changed date missing", "CustomerPhone", `{"Id":1,"PhoneContactType":200,"PhoneNumber":"1"}`, "ChangedDate", ""},
	{"phones: changed date with milliseconds", "CustomerPhone", `{"Id":1,"PhoneContactType":200,"PhoneNumber":"1","ChangedDate":"2015-03-08 21:23:34.000"}`, "ChangedDate", ""},
	{"phones: changed date as ISO 8601", "CustomerPhone", `{"Id":1,"PhoneContactType":200,"PhoneNumber":"1","ChangedDate":"2015-03-08T21:23:34Z"}`, "ChangedDate", ""},
	{"phones: status code 3", "CustomerPhone", `{"Id":1,"PhoneContactType":200,"PhoneNumber":"1","StatusCode":3,"ChangedDate":"2015-03-08 21:23:34"}`, "", "code 3"},
	{"phones: undocumented element", "CustomerPhone", `{"Id":1,"PhoneContactType":200,"PhoneNumber":"1","ChangedDate":"2015-03-08 21:23:34","Country":"US"}`, "", `element "Country"`},
	{"phones: list missing", "CustomerPhones", `{"Customer":"https://ows.omeda.com/webservices/rest/brand/FOO/customer/1/*"}`, "PhoneNumbers", ""},

	// Change lookup.
	{"changes: documented shape", "CustomerChanges", `{"Customers":[{"Url":"https://ows.omedastaging.com/webservices/rest/brand/CCB/customer/122234562/*","Id":122234562,"DateChanged":"2018-07-04 00:00:00.000","CreatedDate":"2018-03-14 15:25:43.210","CustomerStatusId":1}],"SubmissionId":"4085DDD2-22FF-4FFE-22CB-962CCAE603B6"}`, "", ""},
	{"changes: date without milliseconds", "ChangedCustomer", `{"Url":"https://x.example/c/1/*","Id":1,"DateChanged":"2018-07-04 00:00:00","CreatedDate":"2018-03-14 15:25:43.210","CustomerStatusId":1}`, "DateChanged", ""},
	{"changes: status 2", "ChangedCustomer", `{"Url":"https://x.example/c/1/*","Id":1,"DateChanged":"2018-07-04 00:00:00.000","CreatedDate":"2018-03-14 15:25:43.210","CustomerStatusId":2}`, "", "code 2"},
	{"changes: created date missing", "ChangedCustomer", `{"Url":"https://x.example/c/1/*","Id":1,"DateChanged":"2018-07-04 00:00:00.000","CustomerStatusId":1}`, "CreatedDate", ""},
	{"changes: url missing", "ChangedCustomer", `{"Id":1,"DateChanged":"2018-07-04 00:00:00.000","CreatedDate":"2018-03-14 15:25:43.210","CustomerStatusId":1}`, "Url", ""},
	{"changes: id beyond 32 bits", "ChangedCustomer", `{"Url":"https://x.example/c/1/*","Id":9007199254740991,"DateChanged":"2018-07-04 00:00:00.000","CreatedDate":"2018-03-14 15:25:43.210","CustomerStatusId":0}`, "", ""},

	// Merge history.
	{"merges: documented shape", "MergeHistory", `{"SubmissionId":"ec0c2ba6-13f4-4934-8efa-74c2ccb33f1d","CustomerMergeHistory":[{"Id":111},{"Id":2222}]}`, "", ""},
	{"merges: id as a string", "MergeHistory", `{"CustomerMergeHistory":[{"Id":"111"}]}`, "Id", ""},
	{"merges: email-lookup shape from the page's 300 text", "MergeHistory", `{"Customers":[{"Id":111}]}`, "CustomerMergeHistory", ""},

	// The error envelope.
	{"errors: documented shape", "ErrorEnvelope", `{"SubmissionId":"ec0c2ba6-13f4-4934-8efa-74c2ccb33f1d","Errors":[{"Error":"No phone number found for customer 12345."}]}`, "", ""},
	{"errors: merged customer", "ErrorEnvelope", `{"SubmissionId":"2da476ca-9ae6-4b4a-a77c-4aafbd275028","Errors":[{"MergedIntoCustomerId":99999,"Error":"Customer id 22 is valid but not active. Please use 99999."}]}`, "", ""},
	{"errors: no submission id", "ErrorEnvelope", `{"Errors":[{"Error":"The ShippingAddressId 112 does not belong to the Customer submitted"}]}`, "", ""},
	{"errors: empty list", "ErrorEnvelope", `{"SubmissionId":"x","Errors":[]}`, "Errors", ""},
	{"errors: message missing", "ErrorEnvelope", `{"Errors":[{"MergedIntoCustomerId":99999}]}`, "Error", ""},
	{"errors: surviving id as a string", "ErrorEnvelope", `{"Errors":[{"Error":"x","MergedIntoCustomerId":"99999"}]}`, "MergedIntoCustomerId", ""},
	{"errors: a bare string", "ErrorEnvelope", `{"Errors":["Customer 12345 was not found."]}`, "Errors", ""},

	// Store: the receipt.
	{"receipt: documented shape", "StoreReceipt", `{"ResponseInfo":[{"TransactionId":8907512,"Url":"https://ows.omedastaging.com/webservices/rest/brand/FOO/transaction/8907512/*"}]}`, "", ""},
	{"receipt: object instead of list", "StoreReceipt", `{"ResponseInfo":{"TransactionId":8907512,"Url":"https://x.example/t/1/*"}}`, "ResponseInfo", ""},
	{"receipt: empty list", "StoreReceipt", `{"ResponseInfo":[]}`, "ResponseInfo", ""},
	{"receipt: transaction id missing", "StoreReceipt", `{"ResponseInfo":[{"Url":"https://x.example/t/1/*"}]}`, "TransactionId", ""},

	// Store: the submission.
	{"store: small submission", "StoreCustomerAndOrderRequest", storeBase, "", ""},
	{"store: empty submission", "StoreCustomerAndOrderRequest", `{}`, "", ""},
	{"store: misspelled element", "StoreCustomerAndOrderRequest", `{"Firstname":"Ann"}`, "", `element "Firstname"`},
	{"store: salutation of 11 characters", "StoreCustomerAndOrderRequest", `{"Salutation":"Mr. and Mrs"}`, "Salutation", ""},
	{"store: first name of 101 characters", "StoreCustomerAndOrderRequest", `{"FirstName":"` + strings.Repeat("a", 101) + `"}`, "FirstName", ""},
	{"store: first name of 100 characters", "StoreCustomerAndOrderRequest", `{"FirstName":"` + strings.Repeat("é", 100) + `"}`, "", ""},
	{"store: promo code of 51 characters", "StoreCustomerAndOrderRequest", `{"PromoCode":"` + strings.Repeat("a", 51) + `"}`, "PromoCode", ""},
	{"store: gender X", "StoreCustomerAndOrderRequest", `{"Gender":"X"}`, "", "code X"},
	{"store: signup date with a minute", "StoreCustomerAndOrderRequest", `{"SignupDate":"2010-04-18 13:05"}`, "", ""},
	{"store: signup date with seconds", "StoreCustomerAndOrderRequest", `{"SignupDate":"2010-04-18 13:05:00"}`, "SignupDate", ""},
	{"store: order date in US order", "StoreCustomerAndOrderRequest", `{"OrderDate":"04/18/2010"}`, "OrderDate", ""},
	{"store: order date month 13", "StoreCustomerAndOrderRequest", `{"OrderDate":"2010-13-18"}`, "OrderDate", ""},
	{"store: client order id as a number", "StoreCustomerAndOrderRequest", `{"ClientOrderId":19520}`, "", ""},
	{"store: client order id as a string", "StoreCustomerAndOrderRequest", `{"ClientOrderId":"ORD19520"}`, "", ""},
	{"store: merge code 0", "StoreCustomerAndOrderRequest", `{"MergeCode":0}`, "", ""},
	{"store: merge code \"1\"", "StoreCustomerAndOrderRequest", `{"MergeCode":"1"}`, "", ""},
	{"store: merge code 2", "StoreCustomerAndOrderRequest", `{"MergeCode":2}`, "", "code 2"},
	{"store: omeda and client customer ids together", "StoreCustomerAndOrderRequest", `{"OmedaCustomerId":1234,"ClientCustomerId":"C-1"}`, `match schema "not"`, ""},
	{"store: omeda customer id as a string", "StoreCustomerAndOrderRequest", `{"OmedaCustomerId":"1234"}`, "", ""},
	{"store: omeda customer id as a word", "StoreCustomerAndOrderRequest", `{"OmedaCustomerId":"ORD1"}`, "OmedaCustomerId", ""},
	{"store: omeda customer id zero", "StoreCustomerAndOrderRequest", `{"OmedaCustomerId":0}`, "OmedaCustomerId", ""},
	{"store: address contact type as a string", "StoreCustomerAndOrderRequest", `{"Addresses":[{"AddressContactType":"100"}]}`, "", ""},
	{"store: address contact type as a word", "StoreCustomerAndOrderRequest", `{"Addresses":[{"AddressContactType":"business"}]}`, "AddressContactType", ""},
	{"store: address contact type 120", "StoreCustomerAndOrderRequest", `{"Addresses":[{"AddressContactType":120}]}`, "", "code 120"},
	{"store: airmail B", "StoreCustomerAndOrderRequest", `{"Addresses":[{"Airmail":"B"}]}`, "", "code B"},
	{"store: airmail cleared", "StoreCustomerAndOrderRequest", `{"Addresses":[{"Airmail":""}]}`, "", ""},
	{"store: country code of 2 characters", "StoreCustomerAndOrderRequest", `{"Addresses":[{"CountryCode":"US"}]}`, "CountryCode", ""},
	{"store: company of 256 characters", "StoreCustomerAndOrderRequest", `{"Addresses":[{"Company":"` + strings.Repeat("c", 256) + `"}]}`, "Company", ""},
	{"store: address products keyword", "StoreCustomerAndOrderRequest", `{"Addresses":[{"AddressProducts":"ALL_PRINT"}]}`, "", ""},
	{"store: address products garbage", "StoreCustomerAndOrderRequest", `{"Addresses":[{"AddressProducts":"some"}]}`, "AddressProducts", ""},
	{"store: email missing its address", "StoreCustomerAndOrderRequest", `{"Emails":[{"EmailContactType":300}]}`, "EmailAddress", ""},
	{"store: malformed email", "StoreCustomerAndOrderRequest", `{"Emails":[{"EmailAddress":"ann.example.com"}]}`, "EmailAddress", ""},
	{"store: email contact type 320", "StoreCustomerAndOrderRequest", `{"Emails":[{"EmailAddress":"a@b.co","EmailContactType":320}]}`, "", "code 320"},
	{"store: phone missing its number", "StoreCustomerAndOrderRequest", `{"Phones":[{"PhoneContactType":200}]}`, "Number", ""},
	{"store: phone type 220", "StoreCustomerAndOrderRequest", `{"Phones":[{"PhoneContactType":220,"Number":"847-555-6573"}]}`, "", "code 220"},
	{"store: phone type \"220\"", "StoreCustomerAndOrderRequest", `{"Phones":[{"PhoneContactType":"220","Number":"847-555-6573"}]}`, "", "code 220"},
	{"store: phone type as a number with a fraction", "StoreCustomerAndOrderRequest", `{"Phones":[{"PhoneContactType":200.5,"Number":"1"}]}`, "PhoneContactType", ""},
	{"store: phone number with words", "StoreCustomerAndOrderRequest", `{"Phones":[{"Number":"123-555-1212 mobile"}]}`, "Number", ""},
	{"store: international phone number", "StoreCustomerAndOrderRequest", `{"Phones":[{"Number":"+44 (20) 7946.0958"}]}`, "", ""},
	{"store: demographic value as a number", "StoreCustomerAndOrderRequest", `{"CustomerDemographics":[{"OmedaDemographicId":10002,"OmedaDemographicValue":10003}]}`, "", ""},
	{"store: demographic value as a string", "StoreCustomerAndOrderRequest", `{"CustomerDemographics":[{"OmedaDemographicId":10002,"OmedaDemographicValue":"10003"}]}`, "", ""},
	{"store: demographic values as a list", "StoreCustomerAndOrderRequest", `{"CustomerDemographics":[{"OmedaDemographicId":10001,"OmedaDemographicValue":[10002,"10001"]}]}`, "", ""},
	// (A demographic's id without its value, or both ids, breaks a rule across elements that the
	// schema leaves to internal/spec.StoreRules; see TestDemographicsByEitherId.)
	{"store: demographic by the client's ids", "StoreCustomerAndOrderRequest", `{"CustomerDemographics":[{"ClientDemographicId":"JOBTITLE","ClientDemographicValue":"CEO"}]}`, "", ""},
	{"store: client demographic values as a list", "StoreCustomerAndOrderRequest", `{"CustomerDemographics":[{"ClientDemographicId":12,"ClientDemographicValue":["A",3]}]}`, "", ""},
	{"store: client demographic id as an object", "StoreCustomerAndOrderRequest", `{"CustomerDemographics":[{"ClientDemographicId":{"x":1},"ClientDemographicValue":"CEO"}]}`, "ClientDemographicId", ""},
	{"store: demographic value as an object", "StoreCustomerAndOrderRequest", `{"CustomerDemographics":[{"OmedaDemographicId":10001,"OmedaDemographicValue":{"Id":1}}]}`, "OmedaDemographicValue", ""},
	{"store: demographic value list empty", "StoreCustomerAndOrderRequest", `{"CustomerDemographics":[{"OmedaDemographicId":10001,"OmedaDemographicValue":[]}]}`, "OmedaDemographicValue", ""},
	{"store: write-in of 101 characters", "StoreCustomerAndOrderRequest", `{"CustomerDemographics":[{"OmedaDemographicId":1,"OmedaDemographicValue":1,"WriteInDesc":"` + strings.Repeat("w", 101) + `"}]}`, "WriteInDesc", ""},
	{"store: product without its id", "StoreCustomerAndOrderRequest", `{"Products":[{"Receive":1}]}`, "OmedaProductId", ""},
	{"store: product opt-out", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":14,"Receive":0}]}`, "", ""},
	{"store: product receive 2", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":14,"Receive":2}]}`, "", "code 2"},
	{"store: product receive \"1\"", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":"14","Receive":"1","Quantity":"2"}]}`, "", ""},
	{"store: product receive true", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":14,"Receive":true}]}`, "Receive", ""},
	{"store: requested version X", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":14,"RequestedVersion":"X"}]}`, "", "code X"},
	{"store: personal identifier of 51 characters", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":14,"PersonalIdentifier":"` + strings.Repeat("p", 51) + `"}]}`, "PersonalIdentifier", ""},
	{"store: product update without its version", "StoreCustomerAndOrderRequest", `{"ProductUpdates":[{"OmedaProductIdUpdate":15}]}`, "RequestedVersionUpdate", ""},
	{"store: marketing product field answer", "StoreCustomerAndOrderRequest", `{"MarketingProducts":[{"OmedaProductId":7,"ProductFieldResponses":[{"ProductFieldId":1,"ProductFieldResponseValue":"2024-05-01"},{"ProductFieldId":2,"ProductFieldResponseValue":12}]}]}`, "", ""},
	{"store: marketing product field without value", "StoreCustomerAndOrderRequest", `{"MarketingProducts":[{"OmedaProductId":7,"ProductFieldResponses":[{"ProductFieldId":1}]}]}`, "ProductFieldResponseValue", ""},
	{"store: telemarketing without agent", "StoreCustomerAndOrderRequest", `{"Telemarketing":[{"TelemarketingCompany":"T","TelemarketingRecordingId":"1","PersonalIdQuestion":"Q","SpokeToName":"N","SpokeToTitle":"M"}]}`, "TelemarketingAgent", ""},
	{"store: telemarketing agent of 21 characters", "StoreCustomerAndOrderRequest", `{"Telemarketing":[{"TelemarketingCompany":"T","TelemarketingRecordingId":"1","TelemarketingAgent":"` + strings.Repeat("a", 21) + `","PersonalIdQuestion":"Q","SpokeToName":"N","SpokeToTitle":"M"}]}`, "TelemarketingAgent", ""},
	{"store: end of call with a semicolon", "StoreCustomerAndOrderRequest", `{"Telemarketing":[{"TelemarketingCompany":"T","TelemarketingRecordingId":"1","TelemarketingAgent":"A","PersonalIdQuestion":"Q","SpokeToName":"N","SpokeToTitle":"M","EndOfCall":"2011-10-10 12;30"}]}`, "EndOfCall", ""},
	{"store: behavior id as a string", "StoreCustomerAndOrderRequest", `{"CustomerBehaviors":[{"BehaviorId":"104","BehaviorDate":"2011-07-20 12:12:12"}]}`, "", ""},
	{"store: behavior date without seconds", "StoreCustomerAndOrderRequest", `{"CustomerBehaviors":[{"BehaviorId":104,"BehaviorDate":"2011-07-20 12:12"}]}`, "BehaviorDate", ""},
	{"store: behavior attribute with both value and value id", "StoreCustomerAndOrderRequest", `{"CustomerBehaviors":[{"BehaviorId":105,"BehaviorDate":"2011-07-20 12:12:12","BehaviorAttributes":[{"BehaviorAttributeTypeId":3,"BehaviorAttributeValue":"x","BehaviorAttributeValueId":60}]}]}`, `match schema "not"`, ""},
	{"store: behavior attribute with neither", "StoreCustomerAndOrderRequest", `{"CustomerBehaviors":[{"BehaviorId":105,"BehaviorDate":"2011-07-20 12:12:12","BehaviorAttributes":[{"BehaviorAttributeTypeId":3}]}]}`, `match schema "not"`, ""},
	{"store: behavior attribute that is not an object", "StoreCustomerAndOrderRequest", `{"CustomerBehaviors":[{"BehaviorId":105,"BehaviorDate":"2011-07-20 12:12:12","BehaviorAttributes":[5]}]}`, "value must be an object", ""},
	{"store: submission that is not an object", "StoreCustomerAndOrderRequest", `[]`, "value must be an object", ""},
	{"store: behavior attribute with a value id", "StoreCustomerAndOrderRequest", `{"CustomerBehaviors":[{"BehaviorId":105,"BehaviorDate":"2011-07-20 12:12:12","BehaviorAttributes":[{"BehaviorAttributeTypeId":3,"BehaviorAttributeValueId":60}]}]}`, "", ""},

	// Store: what production clients and the paid page send.
	{"store: RunProcessor 1", "StoreCustomerAndOrderRequest", `{"RunProcessor":1,"FirstName":"Ann"}`, "", ""},
	{"store: RunProcessor \"1\"", "StoreCustomerAndOrderRequest", `{"RunProcessor":"1","FirstName":"Ann"}`, "", ""},
	{"store: RunProcessor 2", "StoreCustomerAndOrderRequest", `{"RunProcessor":2}`, "", "code 2"},
	{"store: RunProcessor as a word", "StoreCustomerAndOrderRequest", `{"RunProcessor":"yes"}`, "RunProcessor", ""},
	{"store: customer status test", "StoreCustomerAndOrderRequest", `{"CustomerStatusId":3}`, "", ""},
	{"store: customer status \"0\"", "StoreCustomerAndOrderRequest", `{"CustomerStatusId":"0"}`, "", ""},
	{"store: customer status 7", "StoreCustomerAndOrderRequest", `{"CustomerStatusId":7}`, "", "code 7"},
	{"store: external customer id", "StoreCustomerAndOrderRequest", `{"ExternalCustomerId":"CRM-1","ExternalCustomerIdNamespace":"CRM","OmedaCustomerId":12}`, "", ""},
	{"store: demographic id as a string", "StoreCustomerAndOrderRequest", `{"CustomerDemographics":[{"OmedaDemographicId":"3","OmedaDemographicValue":["37"]}]}`, "", ""},
	{"store: paid product with amounts as strings", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":14,"Term":"12","Amount":"65.00","AmountPaid":"71.50","SalesTax":"6.50","Postage":"0","PricePerQuantity":"65.00","DiscountPercentage":"10.5","PaymentStatusId":"1","PurchaseOrderNumber":"PO-1","StartIssueDate":"2024-01-01","OrderExpirationDate":"2025-01-01","AutoRenewalCode":"5","NumberOfInstallments":"2","Sku":"SKU-1"}]}`, "", ""},
	{"store: paid product with amounts as numbers", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":14,"Term":12,"Amount":65.00,"AmountPaid":71.5,"SalesTax":6.5}]}`, "", ""},
	{"store: negative amount", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":14,"Term":12,"Amount":-1}]}`, "Amount", ""},
	{"store: negative amount as a string", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":14,"Term":12,"AmountPaid":"-1.00"}]}`, "AmountPaid", ""},
	{"store: amount with a currency sign", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":14,"Term":12,"Amount":"$65.00"}]}`, "Amount", ""},
	{"store: start issue date with a minute", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":14,"StartIssueDate":"2024-01-01 10:00"}]}`, "StartIssueDate", ""},
	{"store: auto renewal code 7", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":14,"Term":12,"AutoRenewalCode":7}]}`, "", "code 7"},
	{"store: bill-me billing information", "StoreCustomerAndOrderRequest", `{"BillingInformation":{"NameOnCard":"James Smith","DoCharge":"False","BillingCompany":"Smith Orthopedics","BillingStreet":"555 Huehl Road","BillingApartmentMailStop":"2nd Floor","BillingCity":"Northbrook","BillingRegion":"IL","BillingPostalCode":"60062","BillingCountryCode":"USA","Comment1":"James Smith","Comment2":"1234"}}`, "", ""},
	{"store: third-party card payment", "StoreCustomerAndOrderRequest", `{"BillingInformation":{"CreditCardType":"1","CreditCardNumber":"4111111111111111","ExpirationDate":"0226","CardSecurityCode":"111","NameOnCard":"James Smith","DoCharge":"False","BillingStreet":"555 Huehl Road","BillingCity":"Northbrook","BillingRegion":"IL","BillingPostalCode":"60062","BillingCountryCode":"USA","DepositDate":"2016-09-09","AuthCode":"393472480","PayPalPaymentId":"PAY-1","PayPalPayerId":"PAYER-1","BillingExtraAddress":"Room 34"}}`, "", ""},
	{"store: billing without its street", "StoreCustomerAndOrderRequest", `{"BillingInformation":{"DoCharge":"False","BillingCity":"Northbrook","BillingCountryCode":"USA"}}`, "BillingStreet", ""},
	{"store: card expiry in the wrong form", "StoreCustomerAndOrderRequest", `{"BillingInformation":{"ExpirationDate":"02/26","DoCharge":"False","BillingStreet":"s","BillingCity":"c","BillingCountryCode":"USA"}}`, "ExpirationDate", ""},
	{"store: DoCharge True", "StoreCustomerAndOrderRequest", `{"BillingInformation":{"DoCharge":"True","BillingStreet":"s","BillingCity":"c","BillingCountryCode":"GBR"}}`, "", ""},
	{"store: DoCharge yes", "StoreCustomerAndOrderRequest", `{"BillingInformation":{"DoCharge":"yes","BillingStreet":"s","BillingCity":"c","BillingCountryCode":"GBR"}}`, "", "code yes"},
	{"store: undocumented billing element", "StoreCustomerAndOrderRequest", `{"BillingInformation":{"DoCharge":"False","BillingStreet":"s","BillingCity":"c","BillingCountryCode":"GBR","Currency":"GBP"}}`, "", `element "Currency"`},
	{"store: undocumented element in a product", "StoreCustomerAndOrderRequest", `{"Products":[{"OmedaProductId":14,"GiftMessage":"Enjoy"}]}`, "", `element "GiftMessage"`},
	{"store: behavior attribute ids as strings", "StoreCustomerAndOrderRequest", `{"CustomerBehaviors":[{"BehaviorId":"105","BehaviorDate":"2011-07-20 12:12:12","BehaviorAttributes":[{"BehaviorAttributeTypeId":"3","BehaviorAttributeValueId":"60"}]}]}`, "", ""},

	// Store: the receipt of a submission processed at once (RunProcessor).
	{"receipt: processed at once", "StoreReceipt", `{"ResponseInfo":[{"TransactionId":8907513,"Url":"https://ows.omedastaging.com/webservices/rest/brand/FOO/transaction/8907513/*","CustomerId":100221802,"EncryptedCustomerId":"234FE43FGD34FR34","OrderId":5541123}],"SubmissionId":"a3f872cc-6146-4810-a258-d95bd7270901"}`, "", ""},
	{"receipt: processed at once, ids missing", "StoreReceipt", `{"ResponseInfo":[{"TransactionId":8907513,"Url":"https://x.example/t/1/*","EncryptedCustomerId":"234FE43FGD34FR34"}]}`, "", ""},
	{"receipt: customer id as a string", "StoreReceipt", `{"ResponseInfo":[{"TransactionId":1,"Url":"https://x.example/t/1/*","CustomerId":"100221802"}]}`, "CustomerId", ""},
	{"receipt: undocumented element", "StoreReceipt", `{"ResponseInfo":[{"TransactionId":1,"Url":"https://x.example/t/1/*","BatchId":7}]}`, "", `element "BatchId"`},

	// Dates with the zone's abbreviation, as real answers carry them.
	{"phones: changed date with CDT", "CustomerPhone", `{"Id":1,"PhoneContactType":200,"PhoneNumber":"1","ChangedDate":"2015-03-08 21:23:34 CDT"}`, "", ""},
	{"phones: changed date with CST", "CustomerPhone", `{"Id":1,"PhoneContactType":200,"PhoneNumber":"1","ChangedDate":"2015-03-07 21:23:34 CST"}`, "", ""},
	{"phones: changed date with UTC", "CustomerPhone", `{"Id":1,"PhoneContactType":200,"PhoneNumber":"1","ChangedDate":"2015-03-08 21:23:34 UTC"}`, "ChangedDate", ""},
	{"changes: dates with CST", "ChangedCustomer", `{"Url":"https://x.example/c/1/*","Id":1,"DateChanged":"2018-12-17 16:49:35.573 CST","CreatedDate":"2018-03-14 15:25:43.210 CDT","CustomerStatusId":1}`, "", ""},
	{"store: behavior date with CST", "StoreCustomerAndOrderRequest", `{"CustomerBehaviors":[{"BehaviorId":104,"BehaviorDate":"2011-07-20 12:12:12 CST"}]}`, "BehaviorDate", ""},
	{"errors: a gateway page is a string", "ErrorPage", `"<html><body><h1>502 Bad Gateway</h1></body></html>"`, "", ""},

	// Path parameters.
	{"customer id: numeric", "CustomerIdentifier", `"12345"`, "", ""},
	{"customer id: encrypted", "CustomerIdentifier", `"9130C2719701F5S"`, "", ""},
	{"customer id: 19 digits", "CustomerIdentifier", `"9223372036854775807"`, "", ""},
	{"customer id: 20 digits", "CustomerIdentifier", `"12345678901234567890"`, "maxLength", ""},
	{"customer id: empty", "CustomerIdentifier", `""`, "minLength", ""},
	{"customer id: zero", "CustomerIdentifier", `"0"`, "pattern", ""},
	{"customer id: short word", "CustomerIdentifier", `"abc"`, "pattern", ""},
	{"customer id: a dot segment", "CustomerIdentifier", `".."`, "pattern", ""},
	{"customer id: a slash", "CustomerIdentifier", `"12/34"`, "pattern", ""},
	{"customer id: a query", "CustomerIdentifier", `"12?x=1"`, "pattern", ""},
	{"customer id: encrypted with a hyphen", "CustomerIdentifier", `"9130C2719-01F5S"`, "pattern", ""},
	{"brand: letters", "BrandAbbreviation", `"FOO"`, "", ""},
	{"brand: a slash", "BrandAbbreviation", `"FOO/BAR"`, "pattern", ""},
	{"brand: a dot segment", "BrandAbbreviation", `".."`, "pattern", ""},
	{"change date: a day", "ChangeLookupDate", `"01022013"`, "", ""},
	{"change date: a minute", "ChangeLookupDate", `"01022013_1323"`, "", ""},
	{"change date: ISO", "ChangeLookupDate", `"2013-01-02"`, "pattern", ""},
	{"change date: month 13", "ChangeLookupDate", `"13022013"`, "pattern", ""},
	{"change date: hour 24", "ChangeLookupDate", `"01022013_2400"`, "pattern", ""},
	{"change date: seconds", "ChangeLookupDate", `"01022013_132301"`, "pattern", ""},
	{"change date: one-digit month", "ChangeLookupDate", `"1022013"`, "pattern", ""},
}

// TestSpecFidelity holds each schema to documented shapes that must validate and be fully known,
// undocumented shapes that must not validate, and shapes the contract accepts while naming what
// it does not know (an element, a code).
func TestSpecFidelity(t *testing.T) {
	t.Parallel()
	doc := loadSpec(t)
	for _, tc := range fidelityCases {
		t.Run(tc.name, func(t *testing.T) {
			schema := doc.Components.Schemas[tc.schema]
			require.NotNil(t, schema, "schema %s", tc.schema)
			v, err := spec.DecodeJSON([]byte(tc.json))
			require.NoError(t, err)
			err = schema.Value.VisitJSON(v, openapi3.MultiErrors())
			if tc.reject != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.reject)
				return
			}
			require.NoError(t, err)
			var found []string
			for _, p := range spec.Unknowns(schema.Value, v, "") {
				found = append(found, p.String())
			}
			if tc.warn == "" {
				assert.Empty(t, found, "the shape is fully documented")
				return
			}
			require.Len(t, found, 1)
			assert.Contains(t, found[0], tc.warn)
		})
	}
}
