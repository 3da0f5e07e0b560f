package spec_test

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/internal/spec"
)

func check(t *testing.T, body string) (refusals, warnings []spec.Problem) {
	t.Helper()
	c, err := spec.Load()
	require.NoError(t, err)
	doc, err := spec.DecodeJSON([]byte(body))
	require.NoError(t, err)
	for _, p := range c.CheckStore(doc) {
		if p.Severity == spec.Refusal {
			refusals = append(refusals, p)
		} else {
			warnings = append(warnings, p)
		}
	}
	return refusals, warnings
}

func TestCheckStoreSortsRefusalsFromWarnings(t *testing.T) {
	t.Parallel()
	refusals, warnings := check(t, `{"OmedaCustomerId":1,"ClientCustomerId":"c","Salutation":"Mr. and Mrs","Gender":"X","Nickname":"Al",`+
		`"Phones":[{"PhoneContactType":"220"}],"CustomerBehaviors":[{"BehaviorId":1,"BehaviorDate":"2011-07-20 12:12:12","BehaviorAttributes":[{"BehaviorAttributeTypeId":3}]}]}`)
	var got []string
	for _, p := range refusals {
		got = append(got, p.String())
	}
	assert.Equal(t, []string{
		"/: send OmedaCustomerId or ClientCustomerId, not both",
		"/CustomerBehaviors/0/BehaviorAttributes/0: send exactly one of BehaviorAttributeValue and BehaviorAttributeValueId",
		`/Phones/0/Number: property "Number" is missing`,
		"/Salutation: maximum string length is 10",
	}, got)
	assert.Equal(t, spec.KindRule, refusals[0].Kind)
	assert.NotEmpty(t, refusals[0].Vendor, "the rule carries the vendor's wording")

	got = nil
	for _, p := range warnings {
		got = append(got, p.Pointer+" "+p.Value)
	}
	assert.Equal(t, []string{`/Gender "X"`, `/Nickname "Al"`, `/Phones/0/PhoneContactType "220"`}, got)
	assert.Equal(t, spec.KindUnknownCode, warnings[0].Kind)
	assert.Equal(t, spec.KindUnknownElement, warnings[1].Kind)
}

func TestStoreRulesCarryTheVendorsWording(t *testing.T) {
	t.Parallel()
	refusals, _ := check(t, `{"Products":[{"OmedaProductId":"14","ShippingAddressId":1,"Amount":"1.00"},{"OmedaProductId":14,"Term":1}],`+
		`"BillingInformation":{"CreditCardNumber":"4111111111111111","CreditCardType":1,"ExpirationDate":"0230","CardSecurityCode":"999","NameOnCard":"A",`+
		`"DoCharge":"False","BillingStreet":"s","BillingCity":"c","BillingCountryCode":"can","PayPalPayerId":"p"}}`)
	var vendor []string
	for _, p := range refusals {
		vendor = append(vendor, p.Vendor)
	}
	assert.ElementsMatch(t, []string{
		"BillingRegion and BillingPostalCode are required for USA and Canada.",
		"BillingRegion and BillingPostalCode are required for USA and Canada.",
		"PayPalPaymentId and PayPalPayerId must be submitted together.",
		"Must specify Term or OrderExpirationDate per product.",
		"OmedaProductId 14 cannot be included more than once in a submission.",
		"To set a ShippingAddressId, your submission must contain an OmedaCustomerId.",
	}, vendor)
	for _, p := range refusals {
		assert.NotContains(t, p.String()+p.Value, "4111111111111111")
	}
}

// TestDemographicsByEitherId follows the paid page: a demographic is named by OmedaDemographicId or
// by ClientDemographicId, exactly one of them, each with its own value, in the vendor's words.
func TestDemographicsByEitherId(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		`{"CustomerDemographics":[{"ClientDemographicId":"x","ClientDemographicValue":"y"}]}`:               "",
		`{"CustomerDemographics":[{"ClientDemographicId":7,"ClientDemographicValue":["a",2]}]}`:             "",
		`{"CustomerDemographics":[{"OmedaDemographicId":3,"OmedaDemographicValue":[1],"WriteInDesc":"w"}]}`: "",
		`{"CustomerDemographics":[{"OmedaDemographicId":3,"ClientDemographicId":"x","OmedaDemographicValue":[1]}]}`: "/CustomerDemographics/0/ClientDemographicId: send OmedaDemographicId or ClientDemographicId, not both" +
			" | Can't submit more than one of the following: OmedaDemographicId, ClientDemographicId.",
		`{"CustomerDemographics":[{"OmedaDemographicValue":[1]}]}`: "/CustomerDemographics/0: needs OmedaDemographicId or ClientDemographicId" +
			" | Either the ClientDemographicId or OmedaDemographicId is required.",
		`{"CustomerDemographics":[{"OmedaDemographicId":"3","ClientDemographicValue":"y"}]}`: "/CustomerDemographics/0/OmedaDemographicValue: is required with OmedaDemographicId" +
			" | OmedaDemographicValue is missing for OmedaDemographicId:3",
		`{"CustomerDemographics":[{"ClientDemographicId":"JOB","OmedaDemographicValue":1}]}`: "/CustomerDemographics/0/ClientDemographicValue: is required with ClientDemographicId" +
			" | ClientDemographicValue is missing for ClientDemographicId: JOB",
	} {
		refusals, warnings := check(t, body)
		assert.Empty(t, warnings, "%s: both pairs are documented", body)
		if want == "" {
			assert.Empty(t, refusals, body)
			continue
		}
		require.Len(t, refusals, 1, body)
		assert.Equal(t, want, refusals[0].String()+" | "+refusals[0].Vendor, body)
		assert.Equal(t, spec.KindRule, refusals[0].Kind, body)
	}
}

// TestAmountPaidAboveTheTotalIsAWarning: the paid page's own example pays Amount plus SalesTax;
// beyond Amount + SalesTax + Postage the SDK warns in the vendor's words (the page does not define
// the total, so it does not refuse); DoCharge other than "False" is a warning too.
func TestAmountPaidAboveTheTotalIsAWarning(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		`{"Products":[{"OmedaProductId":14,"Term":"12","Amount":"65.00","AmountPaid":"71.50","SalesTax":"6.50"}]}`:               "",
		`{"Products":[{"OmedaProductId":14,"Term":12,"Amount":65,"AmountPaid":66.5,"SalesTax":0.5,"Postage":"1.00"}]}`:           "",
		`{"Products":[{"OmedaProductId":14,"Term":12,"AmountPaid":900}]}`:                                                        "", // no Amount: Omeda's total
		`{"Products":[{"OmedaProductId":14,"Term":12,"Amount":10,"AmountPaid":50},{"OmedaProductId":15,"Term":12,"Amount":60}]}`: "",
		`{"Products":[{"OmedaProductId":14,"Receive":1,"Amount":"65.00","AmountPaid":"900.00","Term":"12"}]}`: "/Products/0/AmountPaid: AmountPaid (900.00) is above the order's total, Amount + SalesTax + Postage (65.00)" +
			` | AmountPaid cannot be greater than total order amount`,
		`{"Products":[{"OmedaProductId":14,"Term":12,"Amount":10,"AmountPaid":6},{"OmedaProductId":15,"Term":12,"Amount":1,"AmountPaid":6}]}`: "/Products: AmountPaid (12.00) is above the order's total, Amount + SalesTax + Postage (11.00)" +
			` | AmountPaid cannot be greater than total order amount`,
		`{"BillingInformation":{"DoCharge":"True","BillingStreet":"s","BillingCity":"c","BillingCountryCode":"GBR"}}`:  `/BillingInformation/DoCharge: should always be "False" (the paid-order page); Omeda may try to charge the card | `,
		`{"BillingInformation":{"DoCharge":"False","BillingStreet":"s","BillingCity":"c","BillingCountryCode":"GBR"}}`: "",
	} {
		refusals, warnings := check(t, body)
		assert.Empty(t, refusals, body)
		if want == "" {
			assert.Empty(t, warnings, body)
			continue
		}
		require.Len(t, warnings, 1, body)
		assert.Equal(t, spec.KindRule, warnings[0].Kind, body)
		got := warnings[0].String() + " | " + warnings[0].Vendor
		assert.True(t, strings.HasPrefix(got, strings.Split(want, " | ")[0]), "%s\n got %s", body, got)
		assert.True(t, strings.HasSuffix(got, " | "+strings.Split(want, " | ")[1]), "%s\n got %s", body, got)
	}
}

// TestCardExpired warns about a card whose month is over, not one good through the current month.
func TestCardExpired(t *testing.T) {
	t.Parallel()
	card := func(expiry string) any {
		doc, err := spec.DecodeJSON([]byte(`{"BillingInformation":{"CreditCardNumber":"4111111111111111","ExpirationDate":"` + expiry + `"}}`))
		require.NoError(t, err)
		return doc
	}
	for expiry, expired := range map[string]bool{"1026": true, "1125": true, "0126": true, "1126": false, "1226": false, "0127": false, "0199": false, "13/26": false, "1326": false} {
		problems := spec.CardExpired(card(expiry), 2026, time.November)
		if !expired {
			assert.Empty(t, problems, expiry)
			continue
		}
		require.Len(t, problems, 1, expiry)
		assert.Equal(t, "/BillingInformation/ExpirationDate", problems[0].Pointer)
		assert.Equal(t, "ExpirationDate should be in the future", problems[0].Vendor)
		assert.Equal(t, spec.Warning, problems[0].Severity)
		assert.Equal(t, spec.KindRule, problems[0].Kind, "the sandbox refuses it")
		assert.NotContains(t, problems[0].String()+problems[0].Value, expiry, "card data is never shown")
	}
	assert.Empty(t, spec.CardExpired(map[string]any{}, 2026, time.November))
}

func TestUnionProblemsReadClearly(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		`{"Addresses":[{"AddressContactType":"business"}]}`:          "/Addresses/0/AddressContactType: must be an integer or a string of digits",
		`{"Addresses":[{"AddressContactType":true}]}`:                "/Addresses/0/AddressContactType: must be an integer or a string of digits",
		`{"OmedaCustomerId":0}`:                                      "/OmedaCustomerId: number must be at least 1",
		`{"Products":[{"OmedaProductId":1,"Term":1,"Amount":-2.5}]}`: "/Products/0/Amount: number must be at least 0",
	} {
		refusals, _ := check(t, body)
		require.Len(t, refusals, 1, body)
		assert.Equal(t, want, refusals[0].String(), body)
	}
}

func TestSecretsAreNamedByTheContractAndRedacted(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"CardSecurityCode", "CreditCardNumber", "ExpirationDate"}, spec.SecretFields())
	assert.True(t, spec.IsSecret("CreditCardNumber"))
	assert.False(t, spec.IsSecret("NameOnCard"))

	body := []byte(`{"BillingInformation":{"CreditCardNumber":"4111111111111111","CardSecurityCode":999,"ExpirationDate":"0230"},"FirstName":"Ann"}`)
	assert.ElementsMatch(t, []string{"4111111111111111", "999", "0230"}, spec.SecretValues(body))
	assert.Empty(t, spec.SecretValues([]byte(`{"FirstName":"Ann"}`)))
	// A secret field is found whatever its case, as encoding/json (and perhaps Omeda) reads it.
	assert.ElementsMatch(t, []string{"4111111111111111", "999", "0230"},
		spec.SecretValues([]byte(`{"B":{"creditcardnumber":"4111111111111111","CARDSECURITYCODE":999,"expirationDate":"0230","Name":"x"}}`)))
	assert.Empty(t, spec.SecretValues([]byte("<html>")), "not JSON: no fields to find")
	assert.Empty(t, spec.SecretValues([]byte(`{"CreditCardNumber":"`+spec.Redacted+`"}`)), "an older recording's placeholder is no card")

	// A warning about an unknown element never shows a secret field's value.
	_, warnings := check(t, `{"Extra":{"CreditCardNumber":"4111111111111111"}}`)
	require.Len(t, warnings, 1)
	assert.Empty(t, warnings[0].Value, "an object is not shown")

	// Nor card data under a name the contract does not know: a misspelling, or a card number
	// under any name.
	_, warnings = check(t, `{"BillingInformation":{"DoCharge":"False","BillingStreet":"s","BillingCity":"c","BillingCountryCode":"GBR",`+
		`"CreditCardNumer":"4111111111111111","CVV":"123","Note":"5454 5454 5454 5454","Nickname":"blue","Reference":"123456789012"}}`)
	shown := map[string]string{}
	for _, w := range warnings {
		shown[w.Field()] = w.Value
	}
	assert.Equal(t, map[string]string{"CreditCardNumer": "", "CVV": "", "Note": "", "Nickname": `"blue"`, "Reference": `"123456789012"`}, shown)
}

func TestNewRouterRewritesServers(t *testing.T) {
	t.Parallel()
	router, doc, err := spec.NewRouter("http://127.0.0.1:1234/webservices/rest/")
	require.NoError(t, err)
	require.Len(t, doc.Servers, 1)
	assert.Equal(t, "http://127.0.0.1:1234/webservices/rest", doc.Servers[0].URL)
	req, err := http.NewRequest(http.MethodGet, "http://127.0.0.1:1234/webservices/rest/brand/FOO/customer/12345/phone/*", nil)
	require.NoError(t, err)
	route, params, err := router.FindRoute(req)
	require.NoError(t, err)
	assert.Equal(t, "phoneLookupByCustomerId", route.Operation.OperationID)
	assert.Equal(t, "12345", params["customerId"])

	bare, doc, err := spec.NewRouter("")
	require.NoError(t, err)
	assert.Empty(t, doc.Servers)
	req, err = http.NewRequest(http.MethodPost, "http://any.host/brand/FOO/storecustomerandorder/*", nil)
	require.NoError(t, err)
	route, _, err = bare.FindRoute(req)
	require.NoError(t, err)
	assert.Equal(t, "storeCustomerAndOrder", route.Operation.OperationID)

	// Each router has a document of its own: changing one changes no other.
	_, other, err := spec.NewRouter("")
	require.NoError(t, err)
	assert.NotSame(t, doc, other)
}

func TestAFreeProductNeedsNoTerm(t *testing.T) {
	t.Parallel()
	refusals, _ := check(t, `{"Products":[{"OmedaProductId":2,"Amount":"0.00","AmountPaid":0}]}`)
	assert.Empty(t, refusals, "a comp order costs nothing")
	refusals, _ = check(t, `{"Products":[{"OmedaProductId":2,"Amount":"0.00","AmountPaid":"0.01"}]}`)
	require.Len(t, refusals, 1)
	assert.Equal(t, "Must specify Term or OrderExpirationDate per product.", refusals[0].Vendor)
}

// BenchmarkCheckStore measures the pre-send check of the store page's example, and its parts.
func BenchmarkCheckStore(b *testing.B) {
	c, err := spec.Load()
	require.NoError(b, err)
	data, err := os.ReadFile("../../testdata/vendor/store-page.json")
	require.NoError(b, err)
	doc, err := spec.DecodeJSON(data)
	require.NoError(b, err)
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			_ = c.CheckStore(doc)
		}
	})
	b.Run("schema", func(b *testing.B) {
		s := c.Schema("StoreCustomerAndOrderRequest")
		for b.Loop() {
			_ = s.VisitJSON(doc, openapi3.MultiErrors(), openapi3.VisitAsRequest())
		}
	})
	b.Run("unknowns", func(b *testing.B) {
		s := c.Schema("StoreCustomerAndOrderRequest")
		for b.Loop() {
			_ = spec.Unknowns(s, doc, "")
		}
	})
}

// TestCaseVariantElementsAreWarned: two elements of one object that differ only in case
// (FirstName and firstname) are sent, since Omeda's case sensitivity is undocumented, but each
// undocumented variant gets a warning naming its twin; a lone variant of a documented name
// names the documented spelling. Nothing is refused.
func TestCaseVariantElementsAreWarned(t *testing.T) {
	t.Parallel()
	refusals, warnings := check(t, `{"FirstName":"Ann","firstname":"Bob","lastname":"L","Foo":1,"FOO":2,`+
		`"Emails":[{"EmailAddress":"a@example.com","EMAILADDRESS":"b@example.com"}]}`)
	assert.Empty(t, refusals)
	got := map[string]string{}
	for _, p := range warnings {
		assert.Equal(t, spec.KindUnknownElement, p.Kind)
		got[p.Pointer] = p.Reason
	}
	require.Len(t, got, 5, got)
	assert.Contains(t, got["/firstname"], `differs only in case from "FirstName" in the same object`)
	assert.Contains(t, got["/firstname"], "case sensitivity is undocumented")
	assert.Contains(t, got["/Emails/0/EMAILADDRESS"], `differs only in case from "EmailAddress"`)
	assert.Contains(t, got["/Foo"], `differs only in case from "FOO"`)
	assert.Contains(t, got["/FOO"], `differs only in case from "Foo"`)
	assert.Contains(t, got["/lastname"], `did you mean "LastName"?`)
	assert.NotContains(t, got, "/FirstName", "the documented spelling is not warned")
}
