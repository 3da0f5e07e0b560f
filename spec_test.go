package omeda_test

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	omeda "github.com/omeda-go/omeda-go"
)

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := omeda.LoadSpec()
	require.NoError(t, err)
	return doc
}

func TestSpecServersPathsAndSecurity(t *testing.T) {
	t.Parallel()
	doc := loadSpec(t)
	assert.Equal(t, "3.0.3", doc.OpenAPI)

	var servers []string
	for _, s := range doc.Servers {
		servers = append(servers, s.URL)
	}
	assert.Equal(t, []string{
		"https://ows.omeda.com/webservices/rest",
		"https://ows.omedastaging.com/webservices/rest",
	}, servers)

	want := map[string]string{
		"/brand/{brandAbbreviation}/customer/{customerId}/phone/*":                             "GET phoneLookupByCustomerId",
		"/brand/{brandAbbreviation}/customer/change/startdate/{startDate}/enddate/{endDate}/*": "GET customerChangeLookup",
		"/brand/{brandAbbreviation}/customer/{customerId}/mergehistory/*":                      "GET customerMergeHistoryLookup",
		"/brand/{brandAbbreviation}/storecustomerandorder/*":                                   "POST storeCustomerAndOrder",
		"/brand/{brandAbbreviation}/transaction/{transactionId}/*":                             "GET transactionLookup",
	}
	got := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			got[path] = method + " " + op.OperationID
			var schemes [][]string
			for _, req := range *op.Security {
				var names []string
				for name := range req {
					names = append(names, name)
				}
				sort.Strings(names)
				schemes = append(schemes, names)
			}
			if method == "POST" {
				assert.Equal(t, [][]string{{"OmedaAppId", "OmedaInputId"}}, schemes, path)
			} else {
				assert.Equal(t, [][]string{{"OmedaAppId"}}, schemes, path)
			}
		}
	}
	assert.Equal(t, want, got)

	appID := doc.Components.SecuritySchemes["OmedaAppId"].Value
	assert.Equal(t, []string{"apiKey", "header", "x-omeda-appid"}, []string{appID.Type, appID.In, appID.Name})
	inputID := doc.Components.SecuritySchemes["OmedaInputId"].Value
	assert.Equal(t, []string{"apiKey", "header", "x-omeda-inputid"}, []string{inputID.Type, inputID.In, inputID.Name})
}

// TestSpecErrorStatuses holds each operation to the statuses its vendor page lists, each error
// answered with the shared envelope.
func TestSpecErrorStatuses(t *testing.T) {
	t.Parallel()
	doc := loadSpec(t)
	want := map[string][]string{
		"phoneLookupByCustomerId":    {"200", "403", "404", "500", "5XX"},
		"customerChangeLookup":       {"200", "403", "404", "500", "5XX"},
		"customerMergeHistoryLookup": {"200", "403", "404", "500", "5XX"},
		"storeCustomerAndOrder":      {"200", "400", "403", "404", "405", "500", "5XX"},
		"transactionLookup":          {"200", "403", "404", "500", "5XX"},
	}
	envelope := doc.Components.Schemas["ErrorEnvelope"].Value
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			var statuses []string
			for status, resp := range op.Responses.Map() {
				statuses = append(statuses, status)
				if status == "200" {
					continue
				}
				media := resp.Value.Content.Get("application/json")
				require.NotNil(t, media, "%s %s", op.OperationID, status)
				assert.Same(t, envelope, media.Schema.Value, "%s %s answers the error envelope", op.OperationID, status)
				if strings.HasPrefix(status, "5") {
					// A gateway in front of Omeda may answer a 5xx with a page instead. (Typed as a
					// string, so that generated clients type the error as a page or the envelope;
					// binary, so that kin-openapi reads an HTML page without a decoder of its own.)
					for _, page := range []string{"text/html", "text/plain"} {
						media := resp.Value.Content.Get(page)
						require.NotNil(t, media, "%s %s %s", op.OperationID, status, page)
						assert.True(t, media.Schema.Value.Type.Is("string"))
						assert.Equal(t, "binary", media.Schema.Value.Format)
					}
				}
			}
			sort.Strings(statuses)
			assert.Equal(t, want[op.OperationID], statuses, op.OperationID)
		}
	}
}

// TestSpecExamplesValidate validates every example of every request and response against its
// own schema, and requires the documented ones to be there.
func TestSpecExamplesValidate(t *testing.T) {
	t.Parallel()
	doc := loadSpec(t)
	counted := map[string]int{}
	check := func(where string, content openapi3.Content) {
		for mediaType, media := range content {
			for name, ex := range media.Examples {
				counted[where]++
				err := media.Schema.Value.VisitJSON(ex.Value.Value, openapi3.MultiErrors())
				assert.NoError(t, err, "%s %s example %q", where, mediaType, name)
			}
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody != nil {
				check(op.OperationID+" request", op.RequestBody.Value.Content)
			}
			for status, resp := range op.Responses.Map() {
				check(op.OperationID+" "+status, resp.Value.Content)
			}
		}
	}
	for _, where := range []string{
		"phoneLookupByCustomerId 200", "phoneLookupByCustomerId 404",
		"customerChangeLookup 200", "customerChangeLookup 404",
		"customerMergeHistoryLookup 200", "customerMergeHistoryLookup 404",
		"storeCustomerAndOrder request", "storeCustomerAndOrder 200",
		"storeCustomerAndOrder 400", "storeCustomerAndOrder 404",
		"transactionLookup 200", "transactionLookup 404",
	} {
		assert.NotZero(t, counted[where], "%s carries the documented example", where)
	}
}

// TestSpecBundleMatchesSources holds openapi.yaml equal to kin-openapi's own resolution of the
// multi-file documents under api/, so the bundler can neither drop nor invent anything.
func TestSpecBundleMatchesSources(t *testing.T) {
	t.Parallel()
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	sources, err := loader.LoadFromFile("api/openapi.yaml")
	require.NoError(t, err)
	require.NoError(t, sources.Validate(context.Background()))
	sources.InternalizeRefs(context.Background(), func(_ *openapi3.T, ref openapi3.ComponentRef) string {
		s := ref.RefString()
		return s[strings.LastIndex(s, "/")+1:]
	})
	// kin-openapi leaves the root's security schemes as references to themselves; the values
	// are already resolved behind them.
	for _, scheme := range sources.Components.SecuritySchemes {
		scheme.Ref = ""
	}

	bundle := loadSpec(t)
	assert.JSONEq(t, canonical(t, sources), canonical(t, bundle))
}

// canonical renders a document as JSON, references left as references.
func canonical(t *testing.T, doc *openapi3.T) string {
	t.Helper()
	data, err := json.Marshal(doc)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	return string(must(json.Marshal(m)))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
