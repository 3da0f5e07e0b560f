package bench

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPhoneLookupAllocations (issue 15 item 1): a phone lookup through the wrapper allocates at
// most 1.2 times what the same lookup costs with net/http alone, measured in the same run
// against the same in-process server (whose own allocations both sides count alike). Counts,
// not times: nothing here depends on the machine's speed.
func TestPhoneLookupAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates on its own")
	}
	s := newServer(t)
	r, w := raw{&http.Client{Transport: transport()}, s.base}, newWrapper(t, s.base)
	lookupRaw := func() {
		p, err := r.phones(background, phoneID)
		if err != nil || len(p.PhoneNumbers) == 0 {
			t.Fatal(err)
		}
	}
	lookupWrapper := func() {
		p, err := w.PhoneNumbers(background, phoneID)
		if err != nil || len(p.PhoneNumbers) == 0 {
			t.Fatal(err)
		}
	}
	lookupRaw() // connections made and pooled before counting
	lookupWrapper()
	rawAllocs := testing.AllocsPerRun(300, lookupRaw)
	wrapperAllocs := testing.AllocsPerRun(300, lookupWrapper)
	t.Logf("allocations per lookup: raw net/http %.0f, wrapper %.0f (%.3fx)", rawAllocs, wrapperAllocs, wrapperAllocs/rawAllocs)
	assert.LessOrEqual(t, wrapperAllocs, 1.2*rawAllocs)
}
