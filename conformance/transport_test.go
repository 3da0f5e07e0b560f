package conformance

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/wrapper"
)

const (
	secretApp   = "APP-0f3c-SECRET"
	secretInput = "INPUT-77aa-SECRET"
)

// recorded is a client for brand FOO, with both secrets, whose every exchange with a test server
// passes a Transport that checks it against the contract and records it in a folder of the
// test's own. Set the Transport's other fields (OnViolation, Secrets) before the first call.
type recorded struct {
	client *wrapper.Client
	tr     *Transport
	v      *Validator
	dir    string // the cassettes
	base   string // the test server's base URL
}

// newRecorded serves h and returns a recorded client of it; opts come after the client's own.
func newRecorded(t *testing.T, h http.Handler, opts ...wrapper.Option) recorded {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	r := recorded{base: srv.URL + "/webservices/rest", dir: t.TempDir()}
	var err error
	r.v, err = NewValidator(r.base)
	require.NoError(t, err)
	r.tr = &Transport{Validator: r.v, Recorder: &Recorder{Dir: r.dir, BaseURL: r.base}}
	r.client, err = wrapper.New("FOO", secretApp, append([]wrapper.Option{wrapper.WithBaseURL(r.base), wrapper.WithInputID(secretInput),
		wrapper.WithHTTPClient(&http.Client{Transport: r.tr})}, opts...)...)
	require.NoError(t, err)
	return r
}

func TestTransportChecksAndRecordsEveryExchange(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /webservices/rest/brand/FOO/customer/12345/phone/*", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"Customer":"https://x.example/webservices/rest/brand/FOO/customer/12345/*","PhoneNumbers":[{"Id":1,"PhoneContactType":200,"PhoneNumber":"1","ChangedDate":"2015-03-08 21:23:34.000"}]}`))
	})
	mux.HandleFunc("GET /webservices/rest/brand/FOO/customer/99999/mergehistory/*", func(w http.ResponseWriter, r *http.Request) {
		// A server that echoes the credentials, disguised, in its answer: the cassette must not
		// keep them.
		echo := strings.ToLower(r.Header.Get("x-omeda-appid"))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"CustomerMergeHistory":[{"Id":22}],"SubmissionId":"` + echo[:4] + `\u0000` + echo[4:] + `"}`))
	})
	mux.HandleFunc("POST /webservices/rest/brand/FOO/storecustomerandorder/*", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ResponseInfo":[{"TransactionId":5,"Url":"https://x.example/webservices/rest/brand/FOO/transaction/5/*"}]}`))
	})
	rec := newRecorded(t, mux)
	client, tr, v, dir, base := rec.client, rec.tr, rec.v, rec.dir, rec.base
	var seen []Violation
	tr.OnViolation = func(_ Exchange, vs []Violation) { seen = append(seen, vs...) }

	_, err := client.PhoneNumbers(t.Context(), "12345")
	require.NoError(t, err, "the wrapper is lenient; the contract is not")
	_, err = client.MergeHistory(t.Context(), "99999")
	require.NoError(t, err)
	_, err = client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
	require.NoError(t, err)

	assert.Equal(t, 3, tr.Exchanges())
	vs := tr.Violations()
	require.Len(t, vs, 1, Summary(vs))
	assert.Equal(t, seen, vs)
	assert.Equal(t, "phoneLookupByCustomerId", vs[0].Operation)
	assert.Equal(t, 200, vs[0].Status)
	assert.Equal(t, "/PhoneNumbers/0/ChangedDate", vs[0].Pointer)
	assert.Contains(t, vs[0].String(), `(got "2015-03-08 21:23:34.000")`)

	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 3)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.NotContains(t, strings.ToLower(string(data)), strings.ToLower(secretApp))
		assert.NotContains(t, strings.ToLower(string(data)), strings.ToLower(secretApp[4:]), "not even split")
		assert.NotContains(t, string(data), secretInput)
		assert.Contains(t, string(data), `"x-omeda-appid": "REDACTED"`)
		// A recording replays to the verdict it was recorded with.
		c, err := LoadCassette(f)
		require.NoError(t, err)
		replayed, err := v.Replay(t.Context(), c, base)
		require.NoError(t, err)
		assert.Len(t, replayed, len(c.Expect), f)
		if strings.Contains(f, "storeCustomerAndOrder") {
			assert.Contains(t, string(data), `"x-omeda-inputid": "REDACTED"`)
			assert.JSONEq(t, `{"FirstName":"Ann"}`, string(c.Request.Body))
		}
	}
}

func TestTransportPassesTransportFailuresThrough(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	v, err := NewValidator(srv.URL + "/webservices/rest")
	require.NoError(t, err)
	tr := &Transport{Validator: v}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/webservices/rest/brand/FOO/customer/1/phone/*", nil)
	require.NoError(t, err)
	_, err = tr.RoundTrip(req)
	require.Error(t, err)
	assert.Zero(t, tr.Exchanges())
	assert.Empty(t, tr.Violations())
}

func TestValidatorRefusesUnknownRoutes(t *testing.T) {
	t.Parallel()
	v, err := NewValidator(stagingURL)
	require.NoError(t, err)
	for _, path := range []string{
		"/brand/FOO/customer/12345/phone",      // no /*
		"/brand/FOO/customer/12345/email/*",    // not in the contract
		"/../brand/FOO/customer/12345/phone/*", // outside the root
		"/brand/FOO/customer/1/2/phone/*",      // an id that spans segments
	} {
		req := httptest.NewRequest(http.MethodGet, stagingURL+path, nil)
		req.Header.Set("x-omeda-appid", "x")
		vs := v.Check(t.Context(), req, nil, nil, nil)
		require.Len(t, vs, 1, path)
		assert.Equal(t, "route", vs[0].In)
		assert.Contains(t, vs[0].Message, "no operation of the contract matches")
	}
	req := httptest.NewRequest(http.MethodDelete, stagingURL+"/brand/FOO/storecustomerandorder/*", nil)
	vs := v.Check(t.Context(), req, nil, nil, nil)
	require.Len(t, vs, 1)
	assert.Equal(t, "route", vs[0].In)

	req = httptest.NewRequest(http.MethodGet, stagingURL+"/brand/FOO/customer/12%2F34/phone/*", nil)
	req.Header.Set("x-omeda-appid", "x")
	vs = v.Check(t.Context(), req, nil, nil, nil)
	require.Len(t, vs, 1)
	assert.Equal(t, "phoneLookupByCustomerId", vs[0].Operation)
	assert.Contains(t, vs[0].Message, "path parameter customerId")
}

// TestRecorderRedactsCardData records a paid order whose answer echoes the card number: the
// cassette holds neither, its drift is recorded as expectations, and it replays clean.
func TestRecorderRedactsCardData(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /webservices/rest/brand/FOO/storecustomerandorder/*", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ResponseInfo":[{"TransactionId":5,"Url":"https://x.example/webservices/rest/brand/FOO/transaction/5/*","Note":"card 5454545454545454 accepted"}]}`))
	})
	rec := newRecorded(t, mux)
	client, tr, v, dir, base := rec.client, rec.tr, rec.v, rec.dir, rec.base
	_, err := client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"Products":[{"OmedaProductId":14,"Term":"12","Amount":"65.00"}],`+
		`"BillingInformation":{"CreditCardNumber":"5454545454545454","CreditCardType":"2","ExpirationDate":"1230","CardSecurityCode":"998","NameOnCard":"Ann",`+
		`"DoCharge":"False","BillingStreet":"1 Main St","BillingCity":"Chicago","BillingRegion":"IL","BillingPostalCode":"60601","BillingCountryCode":"USA"}}`))
	require.NoError(t, err)
	assert.Empty(t, tr.Violations())
	drift := tr.Drift()
	require.Len(t, drift, 1)
	assert.Equal(t, "/ResponseInfo/0/Note", drift[0].Pointer)

	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	data, err := os.ReadFile(files[0])
	require.NoError(t, err)
	for _, secret := range []string{"5454545454545454", `"1230"`, `"998"`, secretApp, secretInput} {
		assert.NotContains(t, string(data), secret)
	}
	c, err := LoadCassette(files[0])
	require.NoError(t, err)
	require.Len(t, c.ExpectDrift, 1)
	report, err := v.ReplayReport(t.Context(), c, base)
	require.NoError(t, err)
	assert.Empty(t, report.Violations, "the placeholders replay clean: %s", Summary(report.Violations))
	assert.Len(t, report.Drift, 1)
}

// TestValidatorAcceptsGatewayPages checks a gateway's HTML or plain-text 5xx page with kin-openapi's
// own decoders only: the page is valid, and a 200 in HTML is not.
func TestValidatorAcceptsGatewayPages(t *testing.T) {
	t.Parallel()
	v, err := NewValidator(stagingURL)
	require.NoError(t, err)
	page := []byte("<html><body><h1>502 Bad Gateway</h1></body></html>")
	for _, tc := range []struct {
		status      int
		contentType string
		violations  int
	}{{502, "text/html", 0}, {500, "text/html; charset=utf-8", 0}, {504, "text/plain", 0}, {200, "text/html", 1}} {
		req := httptest.NewRequest(http.MethodGet, stagingURL+"/brand/FOO/customer/12345/phone/*", nil)
		req.Header.Set("x-omeda-appid", "x")
		resp := &http.Response{StatusCode: tc.status, Header: http.Header{"Content-Type": {tc.contentType}}}
		vs := v.Check(t.Context(), req, nil, resp, page)
		assert.Len(t, vs, tc.violations, "%d %s: %s", tc.status, tc.contentType, Summary(vs))
	}
}
