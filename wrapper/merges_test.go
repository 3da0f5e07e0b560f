package wrapper

import (
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMergeHistory(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle("GET /brand/FOO/customer/99999/mergehistory/*", status(200, `{"SubmissionId":"ec0c2ba6-13f4-4934-8efa-74c2ccb33f1d","CustomerMergeHistory":[{"Id":111},{"Id":2222}]}`))
	f.handle("GET /brand/FOO/customer/22/mergehistory/*", status(404, mergedBody))
	h, err := f.client.MergeHistory(t.Context(), "99999")
	require.NoError(t, err)
	require.Len(t, h.CustomerMergeHistory, 2)
	assert.Equal(t, int64(2222), h.CustomerMergeHistory[1].ID)

	_, err = f.client.MergeHistory(t.Context(), "22")
	require.ErrorIs(t, err, ErrMerged)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, int64(99999), apiErr.MergedIntoCustomerID)
	assert.Equal(t, "customerMergeHistoryLookup", apiErr.Operation)
}

func TestFollowMerges(t *testing.T) {
	t.Parallel()
	f := setup(t, WithFollowMerges(2))
	f.handle("GET /brand/FOO/customer/22/phone/*", status(404, mergedBody))
	f.handle("GET /brand/FOO/customer/99999/phone/*", status(200, phonesBody))
	f.handle("GET /brand/FOO/customer/22/mergehistory/*", status(404, mergedBody))
	f.handle("GET /brand/FOO/customer/99999/mergehistory/*", status(200, `{"CustomerMergeHistory":[{"Id":22}]}`))
	f.handle("GET /brand/FOO/customer/5/phone/*", status(404, `{"Errors":[{"MergedIntoCustomerId":6,"Error":"Customer id 5 is valid but not active. Please use 6."}]}`))
	f.handle("GET /brand/FOO/customer/6/phone/*", status(404, `{"Errors":[{"MergedIntoCustomerId":7,"Error":"Customer id 6 is valid but not active. Please use 7."}]}`))
	f.handle("GET /brand/FOO/customer/7/phone/*", status(404, `{"Errors":[{"MergedIntoCustomerId":5,"Error":"Customer id 7 is valid but not active. Please use 5."}]}`))
	f.handle("GET /brand/FOO/customer/8/phone/*", status(404, `{"Errors":[{"MergedIntoCustomerId":8,"Error":"Customer id 8 is valid but not active. Please use 8."}]}`))

	phones, err := f.client.PhoneNumbers(t.Context(), "22")
	require.NoError(t, err)
	assert.Len(t, phones.PhoneNumbers, 2)
	h, err := f.client.MergeHistory(t.Context(), "22")
	require.NoError(t, err)
	assert.Equal(t, int64(22), h.CustomerMergeHistory[0].ID)

	_, err = f.client.PhoneNumbers(t.Context(), "5")
	require.ErrorIs(t, err, ErrMerged, "two hops end at customer 7, still merged")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, int64(5), apiErr.MergedIntoCustomerID)

	_, err = f.client.PhoneNumbers(t.Context(), "8")
	require.ErrorIs(t, err, ErrMerged)
	assert.Contains(t, err.Error(), "loop")

	g := setup(t, WithFollowMerges(5))
	g.mux = f.mux
	_, err = g.client.PhoneNumbers(t.Context(), "5")
	require.ErrorIs(t, err, ErrMerged)
	assert.Contains(t, err.Error(), "merged customers form a loop ([5 6 7 5])")
}

func TestMergesAreNotFollowedByDefault(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle("GET /brand/FOO/customer/22/phone/*", status(404, mergedBody))
	f.handle("GET /brand/FOO/customer/99999/phone/*", func(w http.ResponseWriter, _ *http.Request) { t.Error("followed without being asked") })
	_, err := f.client.PhoneNumbers(t.Context(), "22")
	require.ErrorIs(t, err, ErrMerged)
}

// TestMergesAreFollowedOnlyOnTheDocumented404: a MergedIntoCustomerId in a 403, a 500 or a 200
// envelope is not the documented merge answer; it is neither followed nor reported as a merge.
func TestMergesAreFollowedOnlyOnTheDocumented404(t *testing.T) {
	t.Parallel()
	for _, code := range []int{403, 500, 200} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			t.Parallel()
			f := setup(t, WithFollowMerges(3), WithRetryPolicy(NoRetries()))
			var survivor atomic.Int32
			f.handle("GET /brand/FOO/customer/22/phone/*", status(code, mergedBody))
			f.handle("GET /brand/FOO/customer/99999/phone/*", func(w http.ResponseWriter, r *http.Request) {
				survivor.Add(1)
				respond(w, 200, phonesBody)
			})
			_, err := f.client.PhoneNumbers(t.Context(), "22")
			require.Error(t, err)
			assert.False(t, errors.Is(err, ErrMerged), "%d is not the merge answer: %v", code, err)
			assert.Zero(t, survivor.Load(), "the merge was not followed")
		})
	}
}
