package omeda_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSpecGatewayPagesValidateWithStockKinOpenAPI holds the contract to what a team validating
// traffic against openapi.yaml with kin-openapi as it comes sees: a gateway's HTML or plain-text
// 5xx page is valid for every operation with no body decoder registered (kin-openapi has none for
// text/html, so the page's schema must not need one), while a JSON 5xx still has to be the envelope.
func TestSpecGatewayPagesValidateWithStockKinOpenAPI(t *testing.T) {
	t.Parallel()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("openapi.yaml")
	require.NoError(t, err)
	require.NoError(t, doc.Validate(loader.Context))
	router, err := legacy.NewRouter(doc)
	require.NoError(t, err)

	const base = "https://ows.omeda.com/webservices/rest/brand/FOO"
	requests := map[string]string{
		"phoneLookupByCustomerId":    "GET " + base + "/customer/12345/phone/*",
		"customerChangeLookup":       "GET " + base + "/customer/change/startdate/01022013/enddate/01032013/*",
		"customerMergeHistoryLookup": "GET " + base + "/customer/12345/mergehistory/*",
		"storeCustomerAndOrder":      "POST " + base + "/storecustomerandorder/*",
		"transactionLookup":          "GET " + base + "/transaction/77/*",
	}
	const page = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"
	validate := func(t *testing.T, line string, status int, contentType, body string) error {
		t.Helper()
		method, url, _ := strings.Cut(line, " ")
		req, err := http.NewRequest(method, url, nil)
		require.NoError(t, err)
		route, params, err := router.FindRoute(req)
		require.NoError(t, err)
		header := http.Header{"Content-Type": {contentType}}
		return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
			Status:                 status,
			Header:                 header,
			Body:                   io.NopCloser(strings.NewReader(body)),
		})
	}
	for operation, line := range requests {
		for _, status := range []int{500, 502, 503, 504} {
			for _, contentType := range []string{"text/html", "text/html; charset=utf-8", "text/plain", "text/plain; charset=us-ascii"} {
				assert.NoError(t, validate(t, line, status, contentType, page), "%s %d %s", operation, status, contentType)
			}
			assert.NoError(t, validate(t, line, status, "application/json", `{"Errors":[{"Error":"Internal server error."}]}`), "%s %d envelope", operation, status)
			assert.Error(t, validate(t, line, status, "application/json", `{"Errors":"down"}`), "%s %d not the envelope", operation, status)
		}
	}
}
