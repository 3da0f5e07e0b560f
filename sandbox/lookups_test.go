package sandbox

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/gen"
)

// lookupCase is one request of the battery and what its answer must be. Every answer is also
// validated against the spec.
type lookupCase struct {
	name    string
	method  string // default GET
	path    string
	headers map[string]string
	status  int
	message string // the first Error, exactly, when not empty
	check   func(t *testing.T, ex exchange)
}

func runLookups(t *testing.T, c *client, cases []lookupCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			method := tc.method
			if method == "" {
				method = http.MethodGet
			}
			ex := c.do(t, method, tc.path, "", tc.headers)
			require.Equal(t, tc.status, ex.status, "body: %s", ex.body)
			if ex.status != http.StatusOK {
				msgs := ex.messages(t)
				require.NotEmpty(t, msgs)
				assert.NotEmpty(t, *ex.envelope(t).SubmissionID)
				if tc.message != "" {
					assert.Equal(t, tc.message, msgs[0])
				}
			}
			if tc.check != nil {
				tc.check(t, ex)
			}
		})
	}
}

func mergedInto(want int64) func(t *testing.T, ex exchange) {
	return func(t *testing.T, ex exchange) {
		env := ex.envelope(t)
		require.Len(t, env.Errors, 1)
		require.NotNil(t, env.Errors[0].MergedIntoCustomerID)
		assert.Equal(t, want, *env.Errors[0].MergedIntoCustomerID)
	}
}

func TestPhoneLookup(t *testing.T) {
	t.Parallel()
	s := StartTest(t, WithClock(fixedClock(testNow)))
	c := newClient(t, s)
	var generated customer
	for _, g := range s.dataset().base {
		if len(g.phones) > 0 {
			generated = g
			break
		}
	}
	require.NotEmpty(t, generated.phones)

	documented := func(t *testing.T, ex exchange) {
		var got gen.CustomerPhones
		require.NoError(t, json.Unmarshal(ex.body, &got))
		assert.Equal(t, s.URL+"/brand/FOO/customer/12345/*", got.Customer)
		primary, ext := gen.ContactStatusCode(1), "999"
		assert.Equal(t, []gen.CustomerPhone{
			{ID: 472517, PhoneContactType: 200, PhoneNumber: "8475648900", Extension: &ext, StatusCode: &primary, ChangedDate: "2015-03-08 21:23:34"},
			{ID: 472518, PhoneContactType: 210, PhoneNumber: "8475648901", StatusCode: &primary, ChangedDate: "2015-03-08 21:23:34"},
		}, got.PhoneNumbers)
		require.NotNil(t, got.SubmissionID)
	}
	runLookups(t, c, []lookupCase{
		{name: "documented customer", path: "/brand/FOO/customer/12345/phone/*", status: 200, check: documented},
		{name: "documented encrypted id", path: "/brand/FOO/customer/9130C2719701F5S/phone/*", status: 200, check: documented},
		{name: "any brand sees the same data", path: "/brand/other_Brand-2/customer/12345/phone/*", status: 200, check: func(t *testing.T, ex exchange) {
			var got gen.CustomerPhones
			require.NoError(t, json.Unmarshal(ex.body, &got))
			assert.Equal(t, s.URL+"/brand/other_Brand-2/customer/12345/*", got.Customer)
			assert.Len(t, got.PhoneNumbers, 2)
		}},
		{name: "generated customer", path: "/brand/FOO/customer/" + strconv.FormatInt(generated.id, 10) + "/phone/*", status: 200, check: func(t *testing.T, ex exchange) {
			var got gen.CustomerPhones
			require.NoError(t, json.Unmarshal(ex.body, &got))
			assert.Len(t, got.PhoneNumbers, len(generated.phones))
		}},
		{name: "generated customer by encrypted id", path: "/brand/FOO/customer/" + s.EncryptedID(generated.id) + "/phone/*", status: 200, check: func(t *testing.T, ex exchange) {
			var got gen.CustomerPhones
			require.NoError(t, json.Unmarshal(ex.body, &got))
			assert.Equal(t, s.URL+"/brand/FOO/customer/"+strconv.FormatInt(generated.id, 10)+"/*", got.Customer)
		}},
		{name: "merged customer", path: "/brand/FOO/customer/22/phone/*", status: 404,
			message: "Customer id 22 is valid but not active. Please use 99999.", check: mergedInto(99999)},
		{name: "customer without phones", path: "/brand/FOO/customer/122234562/phone/*", status: 404, message: "No phone number found for customer 122234562."},
		{name: "unknown customer", path: "/brand/FOO/customer/999/phone/*", status: 404, message: "No phone number found for customer 999."},
		{name: "unknown encrypted id", path: "/brand/FOO/customer/ZZZZZZZZZZZZZZZ/phone/*", status: 404, message: "No phone number found for customer ZZZZZZZZZZZZZZZ."},
		{name: "encrypted id in lower case", path: "/brand/FOO/customer/9130c2719701f5s/phone/*", status: 404, message: "No phone number found for customer 9130c2719701f5s."},
		{name: "id beyond int64", path: "/brand/FOO/customer/9999999999999999999/phone/*", status: 404, message: "No phone number found for customer 9999999999999999999."},
		{name: "letters", path: "/brand/FOO/customer/abc/phone/*", status: 404, message: `Customer id "abc" is not valid: use a customer id or an encrypted customer id.`},
		{name: "zero", path: "/brand/FOO/customer/0/phone/*", status: 404, message: `Customer id "0" is not valid: use a customer id or an encrypted customer id.`},
		{name: "negative", path: "/brand/FOO/customer/-5/phone/*", status: 404},
		{name: "leading zero", path: "/brand/FOO/customer/012345/phone/*", status: 404},
		{name: "twenty digits", path: "/brand/FOO/customer/12345678901234567890/phone/*", status: 404},
		{name: "encoded slash", path: "/brand/FOO/customer/12%2F34/phone/*", status: 404},
		{name: "dot dot", path: "/brand/FOO/customer/../phone/*", status: 404, message: `Customer id ".." is not valid: use a customer id or an encrypted customer id.`},
		{name: "encoded space", path: "/brand/FOO/customer/12%2034/phone/*", status: 404},
		{name: "bad brand", path: "/brand/F.O/customer/12345/phone/*", status: 404, message: `Brand abbreviation "F.O" is not valid.`},
		{name: "no trailing star", path: "/brand/FOO/customer/12345/phone/", status: 404},
		{name: "no trailing slash", path: "/brand/FOO/customer/12345/phone", status: 404},
		{name: "outside the base path", path: "/../brand/FOO/customer/12345/phone/*", status: 404},
		{name: "unknown path", path: "/brand/FOO/customer/12345/email/*", status: 404},
		{name: "POST", method: http.MethodPost, path: "/brand/FOO/customer/12345/phone/*", status: 404},
		{name: "DELETE", method: http.MethodDelete, path: "/brand/FOO/customer/12345/phone/*", status: 404},
		{name: "missing app id", path: "/brand/FOO/customer/12345/phone/*", headers: map[string]string{"x-omeda-appid": ""}, status: 403, message: "The x-omeda-appid header is missing."},
	})
}

func TestMergeHistoryLookup(t *testing.T) {
	t.Parallel()
	s := StartTest(t, WithClock(fixedClock(testNow)))
	c := newClient(t, s)
	survivors := func(t *testing.T, ex exchange) {
		var got gen.MergeHistory
		require.NoError(t, json.Unmarshal(ex.body, &got))
		assert.Equal(t, []gen.MergedCustomer{{ID: 22}, {ID: 111}, {ID: 2222}}, got.CustomerMergeHistory)
		require.NotNil(t, got.SubmissionID)
	}
	runLookups(t, c, []lookupCase{
		{name: "survivor", path: "/brand/FOO/customer/99999/mergehistory/*", status: 200, check: survivors},
		{name: "survivor by encrypted id", path: "/brand/FOO/customer/" + s.EncryptedID(99999) + "/mergehistory/*", status: 200, check: survivors},
		{name: "merged customer", path: "/brand/FOO/customer/22/mergehistory/*", status: 404,
			message: "Customer id 22 is valid but not active. Please use 99999.", check: mergedInto(99999)},
		{name: "another merged customer", path: "/brand/FOO/customer/2222/mergehistory/*", status: 404,
			message: "Customer id 2222 is valid but not active. Please use 99999.", check: mergedInto(99999)},
		{name: "no history", path: "/brand/FOO/customer/12345/mergehistory/*", status: 404, message: "No merge history was found for Customer 12345."},
		{name: "unknown customer", path: "/brand/FOO/customer/999/mergehistory/*", status: 404, message: "Customer 999 was not found."},
		{name: "letters", path: "/brand/FOO/customer/abc/mergehistory/*", status: 404},
		{name: "PUT", method: http.MethodPut, path: "/brand/FOO/customer/99999/mergehistory/*", status: 404},
		{name: "missing app id", path: "/brand/FOO/customer/99999/mergehistory/*", headers: map[string]string{"x-omeda-appid": ""}, status: 403},
	})
}

func changes(t *testing.T, ex exchange) gen.CustomerChanges {
	t.Helper()
	var got gen.CustomerChanges
	require.NoError(t, json.Unmarshal(ex.body, &got))
	require.NotNil(t, got.SubmissionID)
	return got
}

func TestChangeLookup(t *testing.T) {
	t.Parallel()
	s := StartTest(t, WithClock(fixedClock(testNow)))
	c := newClient(t, s)
	only := func(want gen.ChangedCustomer) func(t *testing.T, ex exchange) {
		return func(t *testing.T, ex exchange) {
			assert.Equal(t, []gen.ChangedCustomer{want}, changes(t, ex).Customers)
		}
	}
	documentedA := gen.ChangedCustomer{URL: s.URL + "/brand/CCB/customer/122234562/*", ID: 122234562,
		DateChanged: "2018-07-04 00:00:00.000", CreatedDate: "2018-03-14 15:25:43.210", CustomerStatusID: 1}
	documentedB := gen.ChangedCustomer{URL: s.URL + "/brand/CCB/customer/23456789/*", ID: 23456789,
		DateChanged: "2018-12-17 16:49:35.573", CreatedDate: "2018-09-04 11:25:52.057", CustomerStatusID: 0}
	population := func(t *testing.T, ex exchange) {
		got := changes(t, ex).Customers
		require.NotEmpty(t, got)
		for i, cc := range got {
			assert.Equal(t, s.URL+"/brand/CCB/customer/"+strconv.FormatInt(cc.ID, 10)+"/*", cc.URL)
			assert.LessOrEqual(t, cc.CreatedDate, cc.DateChanged, "the layout sorts like the time")
			if i > 0 {
				assert.LessOrEqual(t, got[i-1].DateChanged, cc.DateChanged)
			}
		}
	}
	const p = "/brand/CCB/customer/change/startdate/"
	runLookups(t, c, []lookupCase{
		{name: "documented active customer", path: p + "07012018/enddate/07312018/*", status: 200, check: only(documentedA)},
		{name: "documented inactive customer", path: p + "12012018/enddate/12312018/*", status: 200, check: only(documentedB)},
		{name: "a minute includes its first millisecond", path: p + "07042018_0000/enddate/07042018_0000/*", status: 200, check: only(documentedA)},
		{name: "a minute includes its last second", path: p + "12172018_1649/enddate/12172018_1649/*", status: 200, check: only(documentedB)},
		{name: "a day end includes the whole day", path: p + "12172018/enddate/12172018/*", status: 200, check: only(documentedB)},
		{name: "a minute end ends with the minute", path: p + "07032018/enddate/07032018_2359/*", status: 404, message: "No customers changed within that date range."},
		{name: "a minute start starts with the minute", path: p + "12172018_1650/enddate/12172018/*", status: 404, message: "No customers changed within that date range."},
		{name: "exactly 90 days", path: p + "01012025_0000/enddate/04012025_0000/*", status: 200, check: population},
		{name: "90 days and a minute", path: p + "01012025_0000/enddate/04012025_0001/*", status: 404, message: "The date range cannot exceed 90 days."},
		{name: "exactly 90 days of days", path: p + "01012025/enddate/04012025/*", status: 200, check: population},
		{name: "91 days", path: p + "01012025/enddate/04022025/*", status: 404, message: "The date range cannot exceed 90 days."},
		{name: "90 days over daylight saving time", path: p + "03012025_1200/enddate/05302025_1200/*", status: 200, check: population},
		{name: "start after end", path: p + "02012025/enddate/01012025/*", status: 404, message: "The start date cannot be after the end date."},
		{name: "end yesterday", path: p + "06012026/enddate/07142026/*", status: 200, check: population},
		{name: "end today", path: p + "06012026/enddate/07152026/*", status: 404, message: "The end date must be before today."},
		{name: "end this minute", path: p + "06012026/enddate/07152026_1030/*", status: 200, check: population},
		{name: "end next minute", path: p + "06012026/enddate/07152026_1031/*", status: 404, message: "The end date cannot be in the future."},
		{name: "end next year", path: p + "06012026/enddate/01012027/*", status: 404, message: "The date range cannot exceed 90 days."},
		{name: "empty window", path: p + "01012020/enddate/01312020/*", status: 404, message: "No customers changed within that date range."},
		{name: "month 13", path: p + "13012020/enddate/01312020/*", status: 404, message: `Start date "13012020" is not valid: use MMddyyyy or MMddyyyy_HHmm.`},
		{name: "February 30", path: p + "02302024/enddate/03012024/*", status: 404, message: "Start date 02302024 is not a date."},
		{name: "February 29 of a leap year", path: p + "02292024/enddate/02292024/*", status: 200, check: population},
		{name: "start later the same day", path: p + "12172018_1600/enddate/12172018/*", status: 200, check: only(documentedB)},
		{name: "hour 24", path: p + "01012024/enddate/01012024_2400/*", status: 404, message: `End date "01012024_2400" is not valid: use MMddyyyy or MMddyyyy_HHmm.`},
		{name: "ISO date", path: p + "2024-01-01/enddate/01022024/*", status: 404},
		{name: "short date", path: p + "0101202/enddate/01022024/*", status: 404},
		{name: "seconds", path: p + "01012024_120000/enddate/01022024/*", status: 404},
		{name: "bad brand", path: "/brand/_CCB/customer/change/startdate/07012018/enddate/07312018/*", status: 404},
		{name: "POST", method: http.MethodPost, path: p + "07012018/enddate/07312018/*", status: 404},
		{name: "missing app id", path: p + "07012018/enddate/07312018/*", headers: map[string]string{"x-omeda-appid": ""}, status: 403},
	})
}

func TestCredentials(t *testing.T) {
	t.Parallel()
	s := StartTest(t, WithAppID("the-app-id"), WithInputID("the-input-id"))
	c := newClient(t, s)
	const phones = "/brand/FOO/customer/12345/phone/*"
	const store = "/brand/FOO/storecustomerandorder/*"
	cases := []struct {
		name, method, path string
		headers            map[string]string
		status             int
		message            string
	}{
		{"right app id", http.MethodGet, phones, map[string]string{"x-omeda-appid": "the-app-id"}, 200, ""},
		{"missing app id", http.MethodGet, phones, map[string]string{"x-omeda-appid": ""}, 403, "The x-omeda-appid header is missing."},
		{"wrong app id", http.MethodGet, phones, map[string]string{"x-omeda-appid": "leaked-secret-value"}, 403, "The x-omeda-appid header is not valid."},
		{"right ids", http.MethodPost, store, map[string]string{"x-omeda-appid": "the-app-id", "x-omeda-inputid": "the-input-id"}, 200, ""},
		{"missing input id", http.MethodPost, store, map[string]string{"x-omeda-appid": "the-app-id", "x-omeda-inputid": ""}, 403, "The x-omeda-inputid header is missing."},
		{"wrong input id", http.MethodPost, store, map[string]string{"x-omeda-appid": "the-app-id", "x-omeda-inputid": "leaked-secret-value"}, 403, "The x-omeda-inputid header is not valid."},
		{"wrong app id on the store", http.MethodPost, store, map[string]string{"x-omeda-appid": "leaked-secret-value", "x-omeda-inputid": "the-input-id"}, 403, "The x-omeda-appid header is not valid."},
		{"credentials before the body", http.MethodPost, store, map[string]string{"x-omeda-appid": "", "Content-Type": "text/plain"}, 403, "The x-omeda-appid header is missing."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := ""
			if tc.method == http.MethodPost {
				body = `{"FirstName":"Ada"}`
			}
			ex := c.do(t, tc.method, tc.path, body, tc.headers)
			require.Equal(t, tc.status, ex.status, "body: %s", ex.body)
			assert.NotContains(t, string(ex.body), "leaked-secret-value")
			if tc.message != "" {
				assert.Equal(t, []string{tc.message}, ex.messages(t))
			}
		})
	}
}
