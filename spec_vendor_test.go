package omeda_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	omeda "github.com/omeda-go/omeda-go"
	"github.com/omeda-go/omeda-go/internal/spec"
	"github.com/omeda-go/omeda-go/wrapper"
)

// TestVendorExamplesAreAccepted checks every request example of the vendor's store pages
// (testdata/vendor, mended only where the page's JSON is invalid: see its README.md) against the
// contract and the rules the pages state: none is refused, and the only things the contract does
// not know are the ones listed.
func TestVendorExamplesAreAccepted(t *testing.T) {
	t.Parallel()
	contract, err := spec.Load()
	require.NoError(t, err)
	want := map[string][]string{
		// The store page's phone type 220 is not in the vendor's list of codes: sent, with a warning.
		"store-page.json":            {"/Phones/1/PhoneContactType"},
		"paid-page-comp.json":        nil,
		"paid-page-bill-me.json":     nil,
		"paid-page-third-party.json": nil,
	}
	files, err := filepath.Glob("testdata/vendor/*.json")
	require.NoError(t, err)
	require.Len(t, files, len(want), "every example has an expectation")
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			doc, err := spec.DecodeJSON(data)
			require.NoError(t, err)
			var refusals, warnings []string
			for _, p := range contract.CheckStore(doc) {
				if p.Severity == spec.Refusal {
					refusals = append(refusals, p.String())
				} else {
					warnings = append(warnings, p.Pointer)
				}
			}
			assert.Empty(t, refusals)
			assert.Equal(t, want[filepath.Base(file)], warnings)
		})
	}
}

// TestRealWorldShapes checks the shapes production clients send and receive: each is accepted,
// and each request breaks no rule the vendor's pages state.
func TestRealWorldShapes(t *testing.T) {
	t.Parallel()
	contract, err := spec.Load()
	require.NoError(t, err)
	requests := map[string]string{
		"RunProcessor body of a Node.js client": `{"RunProcessor":1,"ExternalCustomerId":"abc-123","ExternalCustomerIdNamespace":"CRM","FirstName":"Ann","LastName":"Lee","Emails":[{"EmailContactType":300,"EmailAddress":"ann@example.com"}],"Addresses":[{"AddressContactType":100,"Street":"1 Main St","City":"Chicago","RegionCode":"IL","PostalCode":"60601","CountryCode":"USA","Country":"US"}],"CustomerDemographics":[{"OmedaDemographicId":3,"OmedaDemographicValue":"37"}],"Products":[{"OmedaProductId":2,"Receive":1}]}`,
		"string codes everywhere":               `{"RunProcessor":"1","CustomerStatusId":"1","MergeCode":"0","Addresses":[{"AddressContactType":"110","AddressProducts":"2"}],"Phones":[{"PhoneContactType":"230","Number":"312-555-0100"}],"Emails":[{"EmailContactType":"310","EmailAddress":"a@b.co"}],"CustomerDemographics":[{"OmedaDemographicId":"4","OmedaDemographicValue":["52"]}],"Products":[{"OmedaProductId":"2","Receive":"0","Quantity":"1"}],"CustomerBehaviors":[{"BehaviorId":"104","BehaviorDate":"2011-07-20 12:12:12"}]}`,
		"paid order with a card":                `{"OmedaCustomerId":"1234","CustomerStatusId":3,"Products":[{"OmedaProductId":14,"Term":"12","Amount":"65.00","AmountPaid":"71.50","SalesTax":"6.50","Postage":"0.00","PaymentStatusId":"1","AutoRenewalCode":"5","NumberOfInstallments":"1","StartIssueDate":"2024-01-01"}],"BillingInformation":{"CreditCardType":"1","CreditCardNumber":"5454545454545454","ExpirationDate":"1230","CardSecurityCode":"998","NameOnCard":"Ann Lee","DoCharge":"False","DepositDate":"2024-01-01","AuthCode":"A1","BillingStreet":"1 Main St","BillingCity":"Toronto","BillingRegion":"ON","BillingPostalCode":"M5V 2T6","BillingCountryCode":"CAN"}}`,
	}
	for name, body := range requests {
		doc, err := spec.DecodeJSON([]byte(body))
		require.NoError(t, err, name)
		for _, p := range contract.CheckStore(doc) {
			assert.NotEqual(t, spec.Refusal, p.Severity, "%s: %s", name, p)
			assert.NotEqual(t, spec.KindUnknownCode, p.Kind, "%s: %s", name, p)
		}
	}
	answers := map[string]struct{ schema, body string }{
		"RunProcessor receipt":        {"StoreReceipt", `{"ResponseInfo":[{"TransactionId":8907513,"Url":"https://ows.omeda.com/webservices/rest/brand/FOO/transaction/8907513/*","CustomerId":100221802,"EncryptedCustomerId":"234FE43FGD34FR34","OrderId":5541123}],"SubmissionId":"a3f872cc-6146-4810-a258-d95bd7270901"}`},
		"phones with suffixed dates":  {"CustomerPhones", `{"Customer":"https://ows.omeda.com/webservices/rest/brand/FOO/customer/12345/*","PhoneNumbers":[{"Id":4725170000,"PhoneContactType":230,"PhoneNumber":"8475648900","StatusCode":1,"ChangedDate":"2015-03-08 21:23:34 CDT"}]}`},
		"changes with suffixed dates": {"CustomerChanges", `{"Customers":[{"Url":"https://ows.omeda.com/webservices/rest/brand/FOO/customer/1/*","Id":1,"DateChanged":"2018-12-17 16:49:35.573 CST","CreatedDate":"2018-07-04 00:00:00.000 CDT","CustomerStatusId":1}]}`},
	}
	for name, a := range answers {
		doc, err := spec.DecodeJSON([]byte(a.body))
		require.NoError(t, err, name)
		schema := contract.Schema(a.schema)
		require.NotNil(t, schema, name)
		assert.NoError(t, schema.VisitJSON(doc), name)
		assert.Empty(t, spec.Unknowns(schema, doc, ""), name)
	}
}

// TestSecretFields holds the contract's card fields secret: written only, passwords, and marked
// for omeda-go's redaction.
func TestSecretFields(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"CardSecurityCode", "CreditCardNumber", "ExpirationDate"}, omeda.SecretFields())
	assert.Equal(t, omeda.SecretFields(), spec.SecretFields(), "one list for every layer")
	contract, err := spec.Load()
	require.NoError(t, err)
	billing := contract.Schema("BillingInformation")
	require.NotNil(t, billing)
	for _, name := range spec.SecretFields() {
		p := billing.Properties[name].Value
		assert.True(t, p.WriteOnly, name)
		assert.Equal(t, "password", p.Format, name)
		assert.Equal(t, true, p.Extensions["x-omeda-secret"], name)
	}
	// The one door redacts them by name, whatever their value.
	redacted := string(wrapper.NewRedactor().JSON([]byte(`{"BillingInformation":{"CreditCardNumber":"4111111111111111","CardSecurityCode":"999","ExpirationDate":"0230","NameOnCard":"Ann"}}`)))
	assert.NotContains(t, redacted, "4111111111111111")
	assert.NotContains(t, redacted, "999")
	assert.NotContains(t, redacted, "0230")
	assert.Contains(t, redacted, `"NameOnCard":"Ann"`)
}
