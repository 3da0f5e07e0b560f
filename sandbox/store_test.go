package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/internal/testlog"
)

const storePath = "/brand/FOO/storecustomerandorder/*"

// documentedSubmission is the spec's mended copy of the vendor's example, with OmedaCustomerId
// set to customerID (0 removes it).
func documentedSubmission(t *testing.T, customerID int64) string {
	t.Helper()
	c, err := loadChecker()
	require.NoError(t, err)
	op := c.doc.Paths.Find("/brand/{brandAbbreviation}/storecustomerandorder/*").Post
	example := op.RequestBody.Value.Content.Get("application/json").Examples["documented"].Value.Value
	raw, err := json.Marshal(example)
	require.NoError(t, err)
	var body map[string]any
	require.NoError(t, json.Unmarshal(raw, &body))
	if customerID == 0 {
		delete(body, "OmedaCustomerId")
	} else {
		body["OmedaCustomerId"] = customerID
	}
	raw, err = json.Marshal(body)
	require.NoError(t, err)
	return string(raw)
}

func receipt(t *testing.T, ex exchange) gen.StoreReceipt {
	t.Helper()
	require.Equal(t, http.StatusOK, ex.status, "body: %s", ex.body)
	var got gen.StoreReceipt
	require.NoError(t, json.Unmarshal(ex.body, &got))
	require.Len(t, got.ResponseInfo, 1)
	require.NotNil(t, got.SubmissionID)
	return got
}

func TestStoreRefusals(t *testing.T) {
	t.Parallel()
	s := StartTest(t, WithClock(fixedClock(testNow)))
	c := newClient(t, s)
	cases := []struct {
		name     string
		method   string
		path     string
		body     string
		headers  map[string]string
		status   int
		messages []string // exactly, when not nil
		contains []string // each in some message, in order of the messages
	}{
		{name: "unknown customer", body: documentedSubmission(t, 4321), status: 400,
			messages: []string{"OmedaCustomerId 4321 is not a valid customer."}},
		{name: "merged customer", body: `{"OmedaCustomerId":22,"FirstName":"Ada"}`, status: 404,
			messages: []string{"Customer id 22 is valid but not active. Please use 99999."}},
		{name: "shipping address without customer", body: `{"Products":[{"OmedaProductId":14,"ShippingAddressId":112}]}`, status: 400,
			messages: []string{"To set a ShippingAddressId, your submission must contain an OmedaCustomerId."}},
		{name: "email address without customer", body: `{"MarketingProducts":[{"OmedaProductId":14,"EmailAddressId":1}]}`, status: 400,
			messages: []string{"To set an EmailAddressId, your submission must contain an OmedaCustomerId."}},
		{name: "documented example without customer", body: documentedSubmission(t, 0), status: 400,
			messages: []string{
				"To set a ShippingAddressId, your submission must contain an OmedaCustomerId.",
				"To set an EmailAddressId, your submission must contain an OmedaCustomerId.",
			}},
		{name: "product twice", body: `{"FirstName":"Ada","Products":[{"OmedaProductId":14},{"OmedaProductId":24},{"OmedaProductId":14}]}`, status: 400,
			messages: []string{"OmedaProductId 14 cannot be included more than once in a submission."}},
		{name: "every rule at once", body: `{"OmedaCustomerId":424242,"Products":[{"OmedaProductId":7},{"OmedaProductId":7}]}`, status: 400,
			messages: []string{"OmedaProductId 7 cannot be included more than once in a submission.", "OmedaCustomerId 424242 is not a valid customer."}},
		{name: "schema violations, one message each; unknown elements and codes pass", body: `{"Foo":1,"Gender":"X","Phones":[{"Number":"123-555-1212 mobile","PhoneContactType":220}],"Emails":[{}],"Products":[{"OmedaProductId":"fourteen"}]}`, status: 400,
			contains: []string{"Emails[0].EmailAddress must be set.", "Phones[0].Number", "Products[0].OmedaProductId: must be an integer or a string of digits"}},
		{name: "paid product without a term", body: `{"FirstName":"Ada","Products":[{"OmedaProductId":14,"Amount":"65.00"}]}`, status: 400,
			messages: []string{"Must specify Term or OrderExpirationDate per product."}},
		{name: "billing in the USA without region and postal code", body: `{"FirstName":"Ada","BillingInformation":{"DoCharge":"False","BillingStreet":"1 Main St","BillingCity":"Chicago","BillingCountryCode":"USA"}}`, status: 400,
			messages: []string{"BillingRegion and BillingPostalCode are required for USA and Canada."}},
		{name: "a negative amount", body: `{"FirstName":"Ada","Products":[{"OmedaProductId":14,"Term":12,"Amount":-65,"AmountPaid":"-1.00"}]}`, status: 400,
			messages: []string{"Amount cannot be less than 0", "AmountPaid cannot be less than 0"}},
		{name: "the vendor's words for broken rules", body: `{"SignupDate":"04/18/2010","Emails":[{"EmailAddress":"ann.example.com"}],` +
			`"Products":[{"Receive":1}],"CustomerDemographics":[{"OmedaDemographicId":"3"}],` +
			`"Telemarketing":[{"TelemarketingCompany":"T","TelemarketingRecordingId":"1","TelemarketingAgent":"A","PersonalIdQuestion":"Q","SpokeToName":"N"}]}`, status: 400,
			messages: []string{
				"OmedaDemographicValue is missing for OmedaDemographicId:3",
				"EmailAddress is not valid ann.example.com",
				"OmedaProductId is missing in Products submission",
				"Your submission contained an invalid date",
				"SpokeToTitle is missing.",
			}},
		{name: "a demographic by both ids", body: `{"FirstName":"A","CustomerDemographics":[{"OmedaDemographicId":3,"ClientDemographicId":"x","OmedaDemographicValue":[1]}]}`, status: 400,
			messages: []string{"Can't submit more than one of the following: OmedaDemographicId, ClientDemographicId."}},
		{name: "a demographic by the client's id without its value", body: `{"FirstName":"A","CustomerDemographics":[{"ClientDemographicId":"JOB"}]}`, status: 400,
			messages: []string{"ClientDemographicValue is missing for ClientDemographicId: JOB"}},
		{name: "a demographic by the client's ids", body: `{"FirstName":"A","CustomerDemographics":[{"ClientDemographicId":"x","ClientDemographicValue":"y"}]}`, status: 200},
		{name: "paid above the order's total", body: `{"FirstName":"A","Products":[{"OmedaProductId":14,"Receive":1,"Amount":"65.00","AmountPaid":"900.00","Term":"12"}]}`, status: 400,
			messages: []string{"AmountPaid cannot be greater than total order amount"}},
		{name: "paid the total with tax and postage, as the paid page does", body: `{"FirstName":"A","Products":[{"OmedaProductId":14,"Receive":1,"Amount":"65.00","AmountPaid":"73.00","SalesTax":"6.50","Postage":1.5,"Term":"12"}]}`, status: 200},
		{name: "an expired card", body: `{"FirstName":"A","BillingInformation":{"CreditCardType":"1","CreditCardNumber":"4111111111111111","ExpirationDate":"0626","CardSecurityCode":"737","NameOnCard":"A B","DoCharge":"False","BillingStreet":"1 Main St","BillingCity":"Chicago","BillingRegion":"IL","BillingPostalCode":"60601","BillingCountryCode":"USA"}}`, status: 400,
			messages: []string{"ExpirationDate should be in the future"}},
		{name: "a card good through this month", body: `{"FirstName":"A","BillingInformation":{"CreditCardType":"1","CreditCardNumber":"4111111111111111","ExpirationDate":"0726","CardSecurityCode":"737","NameOnCard":"A B","DoCharge":"False","BillingStreet":"1 Main St","BillingCity":"Chicago","BillingRegion":"IL","BillingPostalCode":"60601","BillingCountryCode":"USA"}}`, status: 200},
		{name: "billing without its address", body: `{"FirstName":"Ada","BillingInformation":{"DoCharge":"False","BillingCountryCode":"GBR"}}`, status: 400,
			messages: []string{"Billing address is incomplete"}},
		{name: "a card without its details, the number never echoed", body: `{"BillingInformation":{"CreditCardNumber":"4111111111111111","DoCharge":"False","BillingStreet":"1 Main St","BillingCity":"Chicago","BillingRegion":"IL","BillingPostalCode":"60601","BillingCountryCode":"USA","ExpirationDate":"13/99"}}`, status: 400,
			contains: []string{"CardSecurityCode is required", "CreditCardType is required", "BillingInformation.ExpirationDate: string doesn't match", "NameOnCard is required"}},
		{name: "both customer ids and more", body: `{"OmedaCustomerId":12345,"ClientCustomerId":"c-1","Salutation":"Most Honourable"}`, status: 400,
			contains: []string{"OmedaCustomerId and ClientCustomerId cannot both be sent", "Salutation"}},
		{name: "a behavior attribute with value and value id", body: `{"CustomerBehaviors":[{"BehaviorId":104,"BehaviorDate":"2011-07-20 12:12:12","BehaviorAttributes":[{"BehaviorAttributeTypeId":3,"BehaviorAttributeValue":"x","BehaviorAttributeValueId":60}]}]}`, status: 400,
			messages: []string{"CustomerBehaviors[0].BehaviorAttributes[0]: send exactly one of BehaviorAttributeValue and BehaviorAttributeValueId"}},
		{name: "an array", body: `[]`, status: 400, contains: []string{"object"}},
		{name: "malformed JSON", body: `{"FirstName":"Ada",}`, status: 400, contains: []string{"The submission is not valid JSON"}},
		{name: "empty body", body: "", status: 400, messages: []string{"The submission is empty: send a JSON object."}},
		{name: "plain text", body: `{"FirstName":"Ada"}`, headers: map[string]string{"Content-Type": "text/plain"}, status: 400,
			messages: []string{`Content-Type "text/plain" is not supported: send application/json.`}},
		{name: "no content type", body: `{"FirstName":"Ada"}`, headers: map[string]string{"Content-Type": ""}, status: 400},
		{name: "too large", body: `{"FirstName":"` + strings.Repeat("a", maxBodyBytes) + `"}`, status: 400,
			messages: []string{fmt.Sprintf("The submission is larger than %d bytes.", maxBodyBytes)}},
		{name: "bad brand", path: "/brand/F%20O/storecustomerandorder/*", body: `{"FirstName":"Ada"}`, status: 400,
			messages: []string{`Brand abbreviation "F O" is not valid.`}},
		{name: "bad brand and body", path: "/brand/F.O/storecustomerandorder/*", body: `{"Salutation":"Most Honourable"}`, status: 400,
			contains: []string{"Brand abbreviation", "Salutation"}},
		{name: "missing input id", body: `{"FirstName":"Ada"}`, headers: map[string]string{"x-omeda-inputid": ""}, status: 403,
			messages: []string{"The x-omeda-inputid header is missing."}},
		{name: "missing app id", body: `{"FirstName":"Ada"}`, headers: map[string]string{"x-omeda-appid": ""}, status: 403,
			messages: []string{"The x-omeda-appid header is missing."}},
		{name: "GET", method: http.MethodGet, status: 405, messages: []string{"The method GET is not allowed for this resource: use POST."}},
		{name: "PUT", method: http.MethodPut, body: `{"FirstName":"Ada"}`, status: 405},
		{name: "DELETE", method: http.MethodDelete, status: 405},
		{name: "wrong path", path: "/brand/FOO/storecustomerandorders/*", body: `{"FirstName":"Ada"}`, status: 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			method, path := tc.method, tc.path
			if method == "" {
				method = http.MethodPost
			}
			if path == "" {
				path = storePath
			}
			ex := c.do(t, method, path, tc.body, tc.headers)
			require.Equal(t, tc.status, ex.status, "body: %s", ex.body)
			msgs := ex.messages(t)
			if tc.messages != nil {
				assert.Equal(t, tc.messages, msgs)
			}
			if tc.contains != nil {
				assert.Len(t, msgs, len(tc.contains), "messages: %q", msgs)
			}
			for i, want := range tc.contains {
				require.Less(t, i, len(msgs), "messages: %q", msgs)
				assert.Contains(t, msgs[i], want, "messages: %q", msgs)
			}
			if tc.status == http.StatusMethodNotAllowed {
				assert.Equal(t, http.MethodPost, ex.header.Get("Allow"))
			}
		})
	}
	// Refused submissions change nothing.
	ex := c.do(t, http.MethodGet, "/brand/FOO/customer/12345/phone/*", "", nil)
	var phones gen.CustomerPhones
	require.NoError(t, json.Unmarshal(ex.body, &phones))
	assert.Len(t, phones.PhoneNumbers, 2)
}

func TestStoreThenLookUp(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, time.July, 15, 10, 30, 15, 123_000_000, chicago)
	s := StartTest(t, WithClock(fixedClock(now)), WithProcessAfter(0))
	c := newClient(t, s)
	const window = "/brand/FOO/customer/change/startdate/07152026_1030/enddate/07152026_1030/*"

	// The window is empty before.
	ex := c.do(t, http.MethodGet, window, "", nil)
	require.Equal(t, http.StatusNotFound, ex.status)

	// A new customer, twice under the same external id: one customer, updated.
	first := receipt(t, c.do(t, http.MethodPost, storePath,
		`{"ExternalCustomerId":"crm-1","ExternalCustomerIdNamespace":"crm","FirstName":"Ada","Phones":[{"Number":"(312) 555-0100"},{"Number":"312.555.0101","PhoneContactType":230,"Extension":"7"}]}`, nil))
	second := receipt(t, c.do(t, http.MethodPost, "/brand/BAR/storecustomerandorder/*",
		`{"ExternalCustomerId":"crm-1","ExternalCustomerIdNamespace":"crm","Phones":[{"Number":"312-555-0100","PhoneContactType":210},{"Number":"+1 312 555 0102"}]}`, nil))
	assert.Equal(t, int64(firstTransactionID), first.ResponseInfo[0].TransactionID)
	assert.Equal(t, first.ResponseInfo[0].TransactionID+1, second.ResponseInfo[0].TransactionID)
	assert.Equal(t, s.URL+"/brand/FOO/transaction/8907512/*", first.ResponseInfo[0].URL)
	assert.Equal(t, s.URL+"/brand/BAR/transaction/8907513/*", second.ResponseInfo[0].URL)

	got := changes(t, c.do(t, http.MethodGet, window, "", nil)).Customers
	require.Len(t, got, 1)
	created := got[0]
	assert.Equal(t, "2026-07-15 10:30:15.123", created.DateChanged)
	assert.Equal(t, "2026-07-15 10:30:15.123", created.CreatedDate)
	assert.Equal(t, 1, created.CustomerStatusID)
	assert.Greater(t, created.ID, int64(firstGeneratedCustomerID))

	ex = c.do(t, http.MethodGet, "/brand/FOO/customer/"+strconv.FormatInt(created.ID, 10)+"/phone/*", "", nil)
	require.Equal(t, http.StatusOK, ex.status, "body: %s", ex.body)
	var phones gen.CustomerPhones
	require.NoError(t, json.Unmarshal(ex.body, &phones))
	type row struct {
		kind   gen.PhoneContactType
		number string
		ext    string
		status gen.ContactStatusCode
	}
	var rows []row
	ids := map[int64]bool{}
	for _, p := range phones.PhoneNumbers {
		ext := ""
		if p.Extension != nil {
			ext = *p.Extension
		}
		rows = append(rows, row{p.PhoneContactType, p.PhoneNumber, ext, *p.StatusCode})
		assert.Equal(t, "2026-07-15 10:30:15", p.ChangedDate)
		ids[p.ID] = true
	}
	assert.Equal(t, []row{
		{210, "3125550100", "", 1}, // updated by the second submission
		{230, "3125550101", "7", 2},
		{200, "13125550102", "", 2}, // the vendor's default type
	}, rows)
	assert.Len(t, ids, 3)

	// The encrypted id of a stored customer resolves too.
	ex = c.do(t, http.MethodGet, "/brand/FOO/customer/"+s.EncryptedID(created.ID)+"/phone/*", "", nil)
	assert.Equal(t, http.StatusOK, ex.status)

	// An existing customer by OmedaCustomerId: the documented example moves 12345 into the window.
	receipt(t, c.do(t, http.MethodPost, storePath, documentedSubmission(t, 12345), nil))
	got = changes(t, c.do(t, http.MethodGet, window, "", nil)).Customers
	require.Len(t, got, 2)
	assert.Equal(t, int64(12345), got[0].ID, "same DateChanged: by id")
	assert.Equal(t, "2014-11-02 10:15:00.000", got[0].CreatedDate)
	ex = c.do(t, http.MethodGet, "/brand/FOO/customer/12345/phone/*", "", nil)
	require.NoError(t, json.Unmarshal(ex.body, &phones))
	require.Len(t, phones.PhoneNumbers, 5, "the two documented phones and three new ones")
	assert.Equal(t, "2015-03-08 21:23:34", phones.PhoneNumbers[0].ChangedDate)
	assert.Equal(t, "8475557527", phones.PhoneNumbers[2].PhoneNumber)

	// It left its old place: the documented window no longer lists it.
	ex = c.do(t, http.MethodGet, "/brand/FOO/customer/change/startdate/03082015/enddate/03082015/*", "", nil)
	assert.Equal(t, http.StatusNotFound, ex.status)

	// Reset forgets it all.
	s.Reset()
	ex = c.do(t, http.MethodGet, window, "", nil)
	assert.Equal(t, http.StatusNotFound, ex.status)
	assert.Equal(t, 1, s.Requests(""))
}

func TestStoreConcurrently(t *testing.T) {
	t.Parallel()
	s := StartTest(t, WithPopulation(2000), WithClock(fixedClock(testNow)), WithProcessAfter(0))
	c := newClient(t, s)
	const workers, each = 8, 10
	var wg sync.WaitGroup
	txns := make(chan int64, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				body := fmt.Sprintf(`{"ClientCustomerId":"w%d","Phones":[{"Number":"555%04d"}]}`, w, i)
				req := c.request(t, http.MethodPost, storePath, body, nil)
				resp, err := c.http.Do(req)
				if !assert.NoError(t, err) {
					return
				}
				var r gen.StoreReceipt
				assert.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
				resp.Body.Close()
				if assert.Len(t, r.ResponseInfo, 1) {
					txns <- r.ResponseInfo[0].TransactionID
				}
				req = c.request(t, http.MethodGet, "/brand/FOO/customer/12345/phone/*", "", nil)
				resp, err = c.http.Do(req)
				if assert.NoError(t, err) {
					assert.Equal(t, http.StatusOK, resp.StatusCode)
					resp.Body.Close()
				}
			}
		})
	}
	wg.Wait()
	close(txns)
	seen := map[int64]bool{}
	for id := range txns {
		assert.False(t, seen[id], "transaction %d twice", id)
		seen[id] = true
	}
	assert.Len(t, seen, workers*each)

	// One customer per ClientCustomerId, each with every phone it was sent.
	path := "/brand/FOO/customer/change/startdate/07152026_1030/enddate/07152026_1030/*"
	ex := c.do(t, http.MethodGet, path, "", nil)
	got := changes(t, ex).Customers
	assert.Len(t, got, workers)
	for _, cc := range got {
		ex := c.do(t, http.MethodGet, "/brand/FOO/customer/"+strconv.FormatInt(cc.ID, 10)+"/phone/*", "", nil)
		var phones gen.CustomerPhones
		require.NoError(t, json.Unmarshal(ex.body, &phones))
		assert.Len(t, phones.PhoneNumbers, each)
	}
}

// TestStoreAcceptsWhatTheContractAccepts posts the vendor's own examples (testdata/vendor, see
// its README.md) and the shapes production clients send: codes and ids as strings, unknown
// elements and codes, RunProcessor, paid orders with billing data. The sandbox takes them all,
// and never writes card data to its log or its answers.
func TestStoreAcceptsWhatTheContractAccepts(t *testing.T) {
	t.Parallel()
	logger, logs := testlog.JSON()
	// Processed as soon as stored, so that the paid order's customer can be inspected. The
	// clock stands before February 2026: the page's third-party example pays with a card that
	// expires 02/26, which the sandbox refuses once that month is over, as Omeda does.
	s := StartTest(t, WithClock(fixedClock(time.Date(2026, time.January, 15, 10, 30, 0, 0, chicago))), WithProcessAfter(0),
		WithLogger(logger))
	c := newClient(t, s)
	files, err := filepath.Glob("../testdata/vendor/*.json")
	require.NoError(t, err)
	require.Len(t, files, 4)
	bodies := map[string]string{
		"run processor, as a Node.js client sends it": `{"RunProcessor":1,"ExternalCustomerId":"crm-77","ExternalCustomerIdNamespace":"CRM","FirstName":"Ann","Emails":[{"EmailContactType":"300","EmailAddress":"ann@example.com"}],"Products":[{"OmedaProductId":"2","Receive":"1"}],"Unlisted":{"Any":"thing"}}`,
		"paid order with a card":                      `{"OmedaCustomerId":12345,"CustomerStatusId":"3","Products":[{"OmedaProductId":14,"Term":"12","Amount":"65.00","AmountPaid":"71.50","SalesTax":"6.50"}],"BillingInformation":{"CreditCardType":"1","CreditCardNumber":"5454545454545454","ExpirationDate":"1230","CardSecurityCode":"998","NameOnCard":"Ann Lee","DoCharge":"False","DepositDate":"2024-01-01","AuthCode":"A1","BillingStreet":"1 Main St","BillingCity":"Chicago","BillingRegion":"IL","BillingPostalCode":"60601","BillingCountryCode":"USA"}}`,
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		bodies[filepath.Base(f)] = string(data) // as the page prints it: its customer 1234 is seeded
	}
	for name, body := range bodies {
		ex := c.do(t, http.MethodPost, storePath, body, nil)
		got := receipt(t, ex)
		assert.NotZero(t, got.ResponseInfo[0].TransactionID, name)
		assert.NotContains(t, string(ex.body), "5454545454545454", name)
	}

	// RunProcessor: processed at once, the receipt names the customer and the order.
	ex := c.do(t, http.MethodPost, storePath, bodies["run processor, as a Node.js client sends it"], nil)
	got := receipt(t, ex).ResponseInfo[0]
	require.NotNil(t, got.CustomerID)
	require.NotNil(t, got.EncryptedCustomerID)
	require.NotNil(t, got.OrderID)
	assert.Equal(t, encryptID(*got.CustomerID), *got.EncryptedCustomerID)
	lookup := c.do(t, http.MethodGet, "/brand/FOO/customer/"+*got.EncryptedCustomerID+"/phone/*", "", nil)
	assert.Equal(t, http.StatusNotFound, lookup.status, "the customer exists (without phones): %s", lookup.body)
	assert.Contains(t, string(lookup.body), "No phone number found")

	// The paid order's billing data is kept with the customer, in memory.
	cust := s.dataset().customer(12345)
	require.NotNil(t, cust)
	require.NotNil(t, cust.billing)
	assert.Equal(t, "5454545454545454", *cust.billing.CreditCardNumber)
	// The pages' customer got both paid examples' billing data (in map order); each names the USA.
	cust = s.dataset().customer(storePageCustomerID)
	require.NotNil(t, cust)
	require.NotNil(t, cust.billing)
	assert.Equal(t, "USA", cust.billing.BillingCountryCode)
	assert.NotEmpty(t, cust.orders)

	for _, secret := range []string{"5454545454545454", "998", "1230", "4111111111111111"} {
		assert.NotContains(t, logs.String(), `"`+secret+`"`, "card data never logged")
	}
}

// TestRunProcessorIsProcessedAtOnce: where the sandbox queues a submission for its processing
// delay, one sent with RunProcessor 1 is processed at once, and its receipt names the customer
// and the order; one sent without it is not.
func TestRunProcessorIsProcessedAtOnce(t *testing.T) {
	t.Parallel()
	s := StartTest(t, WithClock(fixedClock(testNow)), WithProcessAfter(time.Hour))
	c := newClient(t, s)
	queued := receipt(t, c.do(t, http.MethodPost, storePath, `{"FirstName":"Ann","Products":[{"OmedaProductId":2}]}`, nil)).ResponseInfo[0]
	assert.Nil(t, queued.CustomerID, "queued, not processed")
	assert.Nil(t, queued.OrderID)

	got := receipt(t, c.do(t, http.MethodPost, storePath, `{"RunProcessor":"1","FirstName":"Bo","Products":[{"OmedaProductId":"2","Receive":"1"}]}`, nil)).ResponseInfo[0]
	require.NotNil(t, got.CustomerID)
	require.NotNil(t, got.EncryptedCustomerID)
	require.NotNil(t, got.OrderID)
	cust := s.dataset().customer(*got.CustomerID)
	require.NotNil(t, cust, "the customer exists at once")
	require.Len(t, cust.orders, 1)
	assert.EqualValues(t, 2, cust.orders[0].product.OmedaProductID)
}
