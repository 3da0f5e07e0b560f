package sandbox

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDefaultPopulationIsTheDocumentedOne: a sandbox started without options generates the
// population the documentation names (DefaultPopulation customers, DefaultSeed, DateChanged
// spread over 2021-01-01 to 2026-06-30 in Chicago), customer for customer.
func TestDefaultPopulationIsTheDocumentedOne(t *testing.T) {
	t.Parallel()
	byDefault := StartTest(t)
	spelledOut := StartTest(t, WithPopulation(DefaultPopulation), WithSeed(DefaultSeed),
		WithPopulationSpan(time.Date(2021, time.January, 1, 0, 0, 0, 0, chicago), time.Date(2026, time.June, 30, 0, 0, 0, 0, chicago)))
	got, want := byDefault.dataset().base, spelledOut.dataset().base
	require.Len(t, got, DefaultPopulation)
	require.Len(t, want, DefaultPopulation)
	for i := range got {
		// One customer at a time: a diff of five thousand would take testify a minute to print.
		if !reflect.DeepEqual(want[i], got[i]) {
			t.Fatalf("generated customer %d differs from the documented defaults':\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// TestResetZeroesEveryOperationsCount holds Reset's "request counts at zero" for the count of
// each operation, not only for the total.
func TestResetZeroesEveryOperationsCount(t *testing.T) {
	t.Parallel()
	s := StartTest(t, WithClock(fixedClock(testNow)))
	c := newClient(t, s)
	c.do(t, http.MethodGet, phonePath, "", nil)
	c.do(t, http.MethodGet, "/brand/FOO/customer/99999/mergehistory/*", "", nil)
	require.Equal(t, 1, s.Requests(PhoneLookupByCustomerID))

	s.Reset()
	assert.Zero(t, s.Requests(""))
	for _, op := range operations {
		assert.Zero(t, s.Requests(op), op)
	}
	c.do(t, http.MethodGet, phonePath, "", nil)
	assert.Equal(t, 1, s.Requests(PhoneLookupByCustomerID), "counting starts over")
}

// TestLatencyDelaysFaultedAnswersToo holds WithLatency's "every answer, faulted or not": a
// queued 503 does not arrive before the hour of latency does. The request is held until the
// sandbox has counted it (a timer of the caller's could end it before it arrives, and the test
// would check nothing).
func TestLatencyDelaysFaultedAnswersToo(t *testing.T) {
	t.Parallel()
	s := StartTest(t, WithLatency(time.Hour))
	s.Inject(Fault{Status: http.StatusServiceUnavailable})
	c := newClient(t, s)
	assertHeldUntilCancelled(t, s, c)
}
