package omeda_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vendorTransactionStatuses is the status table of the vendor's transaction lookup page.
var vendorTransactionStatuses = map[int]string{
	0: "Loaded into Staging", 1: "Customer On Hold", 2: "Customer Has Excessive Errors",
	3: "Paid Customer On Hold", 4: "Payment Pending", 5: "Payment Succeeded", 6: "Payment Failed",
	7: "API Transaction Loaded into Staging", 8: "Verification Rules Ready", 9: "Failed Validation Rules",
	10: "Passed Validation Rules", 19: "OEC Ready", 20: "OEC On Hold", 21: "OEC Done",
	28: "DupeCheck Ready", 29: "DupeCheck Running", 30: "DupeCheck New Customer",
	31: "DupeCheck Existing Customer", 35: "DupeCheck Manual Review",
	36: "DupeCheck Manual Review New Customer", 37: "DupeCheck Manual Review Existing Customer",
	49: "Source Prioritization Ready", 50: "Source Prioritization Passed",
	51: "Source Prioritization Failed", 52: "Source Prioritization Partial Failure",
	90: "Ready to Migrate to ERD New Customer", 91: "Ready to Migrate to ERD Existing Customer",
	98: "Moved to ERD – Failed Source Prioritization", 99: "Moved to ERD – Partial",
	100: "Moved to ERD – Complete New Customer", 101: "Moved to ERD – Complete Existing Customer",
	110: "Discard Record",
}

// TestSpecTransactionStatusTable holds the contract's status list to the vendor's table, open to
// codes the table does not list yet.
func TestSpecTransactionStatusTable(t *testing.T) {
	t.Parallel()
	doc := loadSpec(t)
	ref := doc.Components.Schemas["TransactionStatusCode"]
	require.NotNil(t, ref)
	schema := ref.Value
	assert.Empty(t, schema.Enum, "a closed enum would refuse the codes Omeda adds")

	raw, ok := schema.Extensions["x-omeda-known-values"]
	require.True(t, ok, "the status table is listed in x-omeda-known-values")
	data, err := json.Marshal(raw)
	require.NoError(t, err)
	var known []struct {
		Value       int    `json:"value"`
		Description string `json:"description"`
	}
	require.NoError(t, json.Unmarshal(data, &known))
	got := map[int]string{}
	for _, k := range known {
		_, dup := got[k.Value]
		assert.False(t, dup, "status %d is listed once", k.Value)
		got[k.Value] = k.Description
		assert.Contains(t, schema.Description+"\n", fmt.Sprintf("- %d %s\n", k.Value, k.Description), "the description names status %d", k.Value)
	}
	assert.Equal(t, vendorTransactionStatuses, got)

	for _, code := range []int{0, 100, 110, 42, 1000} {
		assert.NoError(t, schema.VisitJSON(float64(code)), "status %d", code)
	}
	assert.Error(t, schema.VisitJSON(float64(-1)))
	assert.Error(t, schema.VisitJSON("100"))
}

// TestSpecTransactionLookup checks the shape of the operation's answer: the transaction's own
// errors are one object each, the customer ids optional.
func TestSpecTransactionLookup(t *testing.T) {
	t.Parallel()
	doc := loadSpec(t)
	status := doc.Components.Schemas["TransactionStatus"].Value
	assert.ElementsMatch(t, []string{"TransactionId", "Status"}, status.Required)
	for _, body := range []string{
		`{"TransactionId":1,"Status":0}`,
		`{"TransactionId":1,"Status":100,"OmedaCustomerId":5,"ClientCustomerId":"A-1","SubmissionId":"x"}`,
		`{"TransactionId":1,"Status":9,"Errors":[{"Error":"invalid email"}]}`,
	} {
		var v any
		require.NoError(t, json.Unmarshal([]byte(body), &v))
		assert.NoError(t, status.VisitJSON(v, openapi3.MultiErrors()), body)
	}
	for _, body := range []string{
		`{"Status":100}`,
		`{"TransactionId":1,"Status":100,"OmedaCustomerId":"5"}`,
		`{"TransactionId":1,"Status":9,"Errors":["invalid email"]}`,
	} {
		var v any
		require.NoError(t, json.Unmarshal([]byte(body), &v))
		assert.Error(t, status.VisitJSON(v, openapi3.MultiErrors()), body)
	}
	op := doc.Paths.Find("/brand/{brandAbbreviation}/transaction/{transactionId}/*").Get
	require.NotNil(t, op)
	assert.True(t, strings.Contains(op.ExternalDocs.URL, "transaction-lookup"))
}
