package wrapper

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/flex"
	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/internal/testlog"
)

const storePattern = "POST /brand/FOO/storecustomerandorder/*"

func TestStoreSendsBothIDsAndTheBodyOnce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var got map[string]any
	f.handle(storePattern, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, testAppID, r.Header.Get("x-omeda-appid"))
		assert.Equal(t, testInputID, r.Header.Get("x-omeda-inputid"))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		require.NoError(t, json.NewDecoder(r.Body).Decode(&got))
		respond(w, 200, receiptBody)
	})
	phone := gen.Phone{Number: "847-555-7527", PhoneContactType: Ptr(flex.Int(230))}
	demo := flex.List(flex.Number(10002), flex.Number(10001))
	receipt, err := f.client.StoreCustomerAndOrder(t.Context(), gen.StoreCustomerAndOrderRequest{
		FirstName:            Ptr("James"),
		ClientOrderID:        Ptr(flex.String("ORD19520")),
		Emails:               []gen.Email{{EmailAddress: "jsmith@domain.com"}},
		Phones:               []gen.Phone{phone},
		CustomerDemographics: []gen.CustomerDemographic{{OmedaDemographicID: Ptr(flex.Int(10001)), OmedaDemographicValue: &demo}},
		Products:             []gen.Product{{OmedaProductID: 14, Receive: Ptr(flex.Int(0))}},
	})
	require.NoError(t, err)
	require.Len(t, receipt.ResponseInfo, 1)
	assert.Equal(t, int64(8907512), receipt.ResponseInfo[0].TransactionID)
	assert.EqualValues(t, 1, f.requests.Load())
	assert.Equal(t, "James", got["FirstName"])
	assert.Equal(t, "ORD19520", got["ClientOrderId"])
	assert.Equal(t, []any{10002.0, 10001.0}, got["CustomerDemographics"].([]any)[0].(map[string]any)["OmedaDemographicValue"])
	assert.Equal(t, 0.0, got["Products"].([]any)[0].(map[string]any)["Receive"], "an opt-out (0) is sent, not dropped")
}

func TestStoreJSONSendsTheBytesAsGiven(t *testing.T) {
	t.Parallel()
	f := setup(t)
	payload := `{"FirstName":"Ann","ClientOrderId":"ORD19520","MergeCode":"0"}`
	f.handle(storePattern, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		assert.Equal(t, payload, string(body))
		respond(w, 200, receiptBody)
	})
	_, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(payload))
	require.NoError(t, err)
}

func TestStoreRefusesBeforeSending(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		payload  string
		problems []string
	}{
		{"not JSON", `{"FirstName":`, []string{"/: not valid JSON"}},
		{"two values", `{} {}`, []string{"/: more than one JSON value"}},
		{"an array", `[]`, []string{"/: value must be an object"}},
		{"several problems", `{"Gender":"X","Salutation":"Mr. and Mrs","Emails":[{"EmailContactType":300}],"Phones":[{"Number":"555-1212 mobile"}]}`, []string{
			`/Emails/0/EmailAddress: property "EmailAddress" is missing`,
			`/Phones/0/Number: string doesn't match the regular expression`,
			`/Salutation: maximum string length is 10 (got "Mr. and Mrs")`,
		}},
		{"a code that is not a number", `{"Addresses":[{"AddressContactType":"business"}]}`, []string{
			`/Addresses/0/AddressContactType: must be an integer or a string of digits (got "business")`,
		}},
		{"a negative amount", `{"Products":[{"OmedaProductId":14,"Term":12,"Amount":"-5.00"}]}`, []string{
			`/Products/0/Amount: must be a number not below zero or a decimal string not below zero, such as "65.00" (got "-5.00")`,
		}},
		{"a malformed date", `{"Telemarketing":[{"TelemarketingCompany":"T","TelemarketingRecordingId":"1","TelemarketingAgent":"A","PersonalIdQuestion":"Q","SpokeToName":"N","SpokeToTitle":"M","EndOfCall":"2011-10-10 12;30"}]}`, []string{
			`/Telemarketing/0/EndOfCall: string doesn't match the regular expression`,
		}},
		{"a paid product without a term", `{"Products":[{"OmedaProductId":14,"Amount":"65.00"}]}`, []string{
			`/Products/0: a paid product (Amount or AmountPaid above 0) needs Term or OrderExpirationDate`,
		}},
		{"a card without its details", `{"BillingInformation":{"CreditCardNumber":"4111111111111111","DoCharge":"False","BillingStreet":"1 Main St","BillingCity":"Chicago","BillingCountryCode":"USA","BillingRegion":"IL","BillingPostalCode":"60601"}}`, []string{
			`/BillingInformation/CardSecurityCode: is required when CreditCardNumber is sent`,
			`/BillingInformation/CreditCardType: is required when CreditCardNumber is sent`,
			`/BillingInformation/ExpirationDate: is required when CreditCardNumber is sent`,
			`/BillingInformation/NameOnCard: is required when CreditCardNumber is sent`,
		}},
		{"a billing address in the USA without its region", `{"BillingInformation":{"DoCharge":"False","BillingStreet":"1 Main St","BillingCity":"Chicago","BillingCountryCode":"USA","BillingPostalCode":"60601"}}`, []string{
			`/BillingInformation/BillingRegion: is required when BillingCountryCode is USA or CAN`,
		}},
		{"both customer ids", `{"OmedaCustomerId":1,"ClientCustomerId":"c"}`, []string{"/: send OmedaCustomerId or ClientCustomerId, not both"}},
		{"both customer ids, and more", `{"OmedaCustomerId":1,"ClientCustomerId":"c","Salutation":"Mr. and Mrs"}`, []string{
			"/: send OmedaCustomerId or ClientCustomerId, not both",
			`/Salutation: maximum string length is 10`,
		}},
		{"behavior attribute with both", `{"CustomerBehaviors":[{"BehaviorId":1,"BehaviorDate":"2011-07-20 12:12:12","BehaviorAttributes":[{"BehaviorAttributeTypeId":3,"BehaviorAttributeValue":"x","BehaviorAttributeValueId":60}]}]}`,
			[]string{"/CustomerBehaviors/0/BehaviorAttributes/0: send exactly one of BehaviorAttributeValue and BehaviorAttributeValueId"}},
		{"shipping address without the customer", `{"Products":[{"OmedaProductId":14,"ShippingAddressId":112}]}`, []string{"/Products/0/ShippingAddressId: needs OmedaCustomerId on the submission"}},
		{"a product twice", `{"Products":[{"OmedaProductId":14},{"OmedaProductId":14}]}`, []string{"/Products/1/OmedaProductId: product 14 appears more than once"}},
		{"both demographic ids", `{"CustomerDemographics":[{"OmedaDemographicId":3,"ClientDemographicId":"x","OmedaDemographicValue":[1]}]}`,
			[]string{"/CustomerDemographics/0/ClientDemographicId: send OmedaDemographicId or ClientDemographicId, not both"}},
		{"a client demographic without its value", `{"CustomerDemographics":[{"ClientDemographicId":"x"}]}`,
			[]string{"/CustomerDemographics/0/ClientDemographicValue: is required with ClientDemographicId"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			_, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(tc.payload))
			require.ErrorIs(t, err, ErrInvalidInput)
			var verr *ValidationError
			require.ErrorAs(t, err, &verr)
			require.Len(t, verr.Problems, len(tc.problems), "%q", verr.Problems)
			for i, p := range tc.problems {
				assert.True(t, strings.HasPrefix(verr.Problems[i], p), "%q starts with %q", verr.Problems[i], p)
			}
			assert.Zero(t, f.requests.Load(), "nothing was sent")
		})
	}
}

// TestStoreSendsDemographicsByTheClientsIds sends a demographic named by the client's own id and
// value (the paid page's ClientDemographicId/ClientDemographicValue) as it is, without a warning.
func TestStoreSendsDemographicsByTheClientsIds(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var bodies []string
	f.handle(storePattern, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(body))
		respond(w, 200, receiptBody)
	})
	payload := `{"FirstName":"A","CustomerDemographics":[{"ClientDemographicId":"x","ClientDemographicValue":"y"}]}`
	_, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(payload))
	require.NoError(t, err)
	warnings, err := CheckStoreRequest([]byte(payload))
	require.NoError(t, err)
	assert.Empty(t, warnings)

	id, value := flex.String("JOBTITLE"), flex.One(flex.Number(12))
	_, err = f.client.StoreCustomerAndOrder(t.Context(), gen.StoreCustomerAndOrderRequest{
		FirstName:            Ptr("A"),
		CustomerDemographics: []gen.CustomerDemographic{{ClientDemographicID: &id, ClientDemographicValue: &value}},
	})
	require.NoError(t, err)
	require.Len(t, bodies, 2)
	assert.Equal(t, payload, bodies[0], "sent as given")
	assert.JSONEq(t, `{"FirstName":"A","CustomerDemographics":[{"ClientDemographicId":"JOBTITLE","ClientDemographicValue":12}]}`, bodies[1],
		"the Omeda pair is left out, not sent as zero")
}

// TestStoreSendsAPaymentAboveTheTotalWithAWarning: the page names the refusal ("AmountPaid cannot
// be greater than total order amount") without defining the total, so the submission is sent and
// the caller warned, in Omeda's words; a card good for years is sent without a word, an expired
// one (on this machine's clock, which Omeda's need not match) with a warning.
func TestStoreSendsAPaymentAboveTheTotalWithAWarning(t *testing.T) {
	t.Parallel()
	var logs testlog.Buffer
	f := setup(t, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	f.handle(storePattern, func(w http.ResponseWriter, _ *http.Request) { respond(w, 200, receiptBody) })
	payload := `{"FirstName":"A","Products":[{"OmedaProductId":14,"Receive":1,"Amount":"65.00","AmountPaid":"900.00","Term":"12"}],` +
		`"BillingInformation":{"CreditCardType":"1","CreditCardNumber":"4111111111111111","ExpirationDate":"1299","CardSecurityCode":"737","NameOnCard":"A B","DoCharge":"False","BillingStreet":"1 Main St","BillingCity":"Chicago","BillingRegion":"IL","BillingPostalCode":"60601","BillingCountryCode":"USA"}}`
	_, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(payload))
	require.NoError(t, err)
	assert.EqualValues(t, 1, f.requests.Load())
	warnings, err := CheckStoreRequest([]byte(payload))
	require.NoError(t, err)
	require.Len(t, warnings, 1)
	assert.Equal(t, "/Products/0/AmountPaid", warnings[0].Pointer)
	assert.Contains(t, warnings[0].Reason, `"AmountPaid cannot be greater than total order amount"`)
	assert.Contains(t, logs.String(), "pointer=/Products/0/AmountPaid")

	expired := strings.Replace(payload, `"ExpirationDate":"1299"`, `"ExpirationDate":"0120"`, 1)
	_, err = f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(expired))
	require.NoError(t, err)
	assert.EqualValues(t, 2, f.requests.Load())
	warnings, err = CheckStoreRequest([]byte(expired))
	require.NoError(t, err)
	require.Len(t, warnings, 2)
	assert.Equal(t, "/BillingInformation/ExpirationDate", warnings[1].Pointer)
	assert.Contains(t, warnings[1].Reason, `"ExpirationDate should be in the future"`)
	assert.Empty(t, warnings[1].Value, "card data is never shown")
	assert.NotContains(t, logs.String(), "0120")
}

func TestStoreNeedsAnInputID(t *testing.T) {
	t.Parallel()
	f := setup(t)
	c, err := New("FOO", testAppID, WithBaseURL(f.server.URL+basePath))
	require.NoError(t, err)
	_, err = c.StoreCustomerAndOrderJSON(t.Context(), []byte(`{}`))
	require.ErrorIs(t, err, ErrInvalidInput)
	assert.Contains(t, err.Error(), "needs an input id")
	assert.Zero(t, f.requests.Load())
}

func TestStoreErrors(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle(storePattern, sequence(
		status(400, `{"Errors":[{"Error":"The ShippingAddressId 112 does not belong to the Customer submitted"}]}`),
		status(404, mergedBody),
		status(200, `{"ResponseInfo":[]}`),
		dropConnection,
	))
	_, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{}`))
	require.ErrorIs(t, err, ErrBadRequest)
	assert.Contains(t, err.Error(), "HTTP 400 Bad Request: The ShippingAddressId 112 does not belong to the Customer submitted")

	_, err = f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"OmedaCustomerId":22}`))
	require.ErrorIs(t, err, ErrMerged)

	_, err = f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{}`))
	require.ErrorIs(t, err, ErrMalformedResponse)
	assert.Contains(t, err.Error(), "no ResponseInfo")

	_, err = f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not resent because Omeda may already have queued it")
	assert.EqualValues(t, 4, f.requests.Load(), "one request per call")
}

func TestStoreUnderAnEndedContextSendsNothing(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := f.client.StoreCustomerAndOrderJSON(ctx, []byte(`{}`))
	require.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, f.requests.Load())
}

func TestStoreThatCouldNotConnectSaysNothingWasSent(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.server.Close()
	_, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "could not connect, nothing was sent")
	assert.NotContains(t, err.Error(), "may already have queued")
}

func TestStoreSendsWhatThePagesDoNotDocumentWithAWarning(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	f := setup(t, WithLogger(logger))
	payload := `{"RunProcessor":"1","Firstname":"Ann","Phones":[{"PhoneContactType":220,"Number":"847-555-6573"}],` +
		`"BillingInformation":{"CreditCardNumber":"4111111111111111","CreditCardType":"1","ExpirationDate":"0230","CardSecurityCode":"999",` +
		`"NameOnCard":"Ann Lee","DoCharge":"False","BillingStreet":"1 Main St","BillingCity":"Chicago","BillingCountryCode":"USA",` +
		`"BillingRegion":"IL","BillingPostalCode":"60601","CardHolderPin":"4111"}}`
	f.handle(storePattern, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		assert.Equal(t, payload, string(body), "sent as given")
		respond(w, 200, receiptBody)
	})
	_, err := f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(payload))
	require.NoError(t, err)
	assert.EqualValues(t, 1, f.requests.Load())

	warnings, err := CheckStoreRequest([]byte(payload))
	require.NoError(t, err)
	var pointers []string
	for _, w := range warnings {
		pointers = append(pointers, w.Pointer)
	}
	assert.Equal(t, []string{"/BillingInformation/CardHolderPin", "/Firstname", "/Phones/0/PhoneContactType"}, pointers)
	out := logs.String()
	assert.Contains(t, out, "pointer=/Firstname")
	assert.Contains(t, out, `pointer=/Phones/0/PhoneContactType value=220`)
	for _, secret := range []string{"4111111111111111", "0230", "999"} {
		assert.NotContains(t, out, secret, "card data never logged")
	}
}
