package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	defaultFrom = time.Date(2021, time.January, 1, 0, 0, 0, 0, chicago)
	defaultTo   = time.Date(2026, time.June, 30, 0, 0, 0, 0, chicago)
)

func TestPopulationInvariants(t *testing.T) {
	t.Parallel()
	d := newDataset(DefaultPopulation, defaultFrom, defaultTo, DefaultSeed)
	require.Len(t, d.base, DefaultPopulation)
	require.Len(t, d.byChange, DefaultPopulation+len(seeded()))

	phoneIDs := map[int64]bool{}
	statuses := map[int]int{}
	withPhones := 0
	for i, c := range d.base {
		if i > 0 {
			require.Greater(t, c.id, d.base[i-1].id, "ids ascend")
		}
		require.GreaterOrEqual(t, c.id, int64(firstGeneratedCustomerID))
		require.LessOrEqual(t, c.createdMs, c.changedMs)
		require.GreaterOrEqual(t, c.changedMs, defaultFrom.UnixMilli())
		require.Less(t, c.changedMs, defaultTo.UnixMilli())
		require.Contains(t, []int{0, 1}, c.status)
		statuses[c.status]++
		if len(c.phones) > 0 {
			withPhones++
		}
		for j, p := range c.phones {
			require.False(t, phoneIDs[p.id], "phone id %d twice", p.id)
			phoneIDs[p.id] = true
			require.Contains(t, []int{0, 200, 210, 230, 240, 250, 260, 270}, p.kind)
			require.Len(t, p.number, 10)
			require.LessOrEqual(t, p.changedMs, c.changedMs)
			require.GreaterOrEqual(t, p.changedMs, c.createdMs)
			if j == 0 {
				require.Equal(t, 1, p.status)
			} else {
				require.Equal(t, 2, p.status)
			}
		}
	}
	assert.Positive(t, statuses[0], "some inactive customers")
	assert.Greater(t, statuses[1], statuses[0])
	assert.Positive(t, withPhones)
	assert.Less(t, withPhones, DefaultPopulation, "some customers without phones")
	assert.True(t, slices.IsSortedFunc(d.byChange, compareChange))
	assert.Greater(t, d.nextCustomerID, d.base[len(d.base)-1].id)

	// Every 90-day window of the span has customers to page through.
	for from := defaultFrom; from.Before(defaultTo); from = from.AddDate(0, 0, 90) {
		assert.NotEmpty(t, d.changedWithin(from.UnixMilli(), from.AddDate(0, 0, 90).UnixMilli()), "window from %s", from)
	}
}

func TestPopulationIsDeterministic(t *testing.T) {
	t.Parallel()
	fingerprint := func(d *dataset) []int64 {
		var out []int64
		for _, c := range d.base {
			out = append(out, c.id, c.createdMs, c.changedMs, int64(c.status))
			for _, p := range c.phones {
				n, _ := strconv.ParseInt(p.number, 10, 64)
				out = append(out, p.id, n, int64(p.kind), p.changedMs)
			}
		}
		return out
	}
	a := fingerprint(newDataset(500, defaultFrom, defaultTo, 42))
	assert.Equal(t, a, fingerprint(newDataset(500, defaultFrom, defaultTo, 42)))
	assert.NotEqual(t, a, fingerprint(newDataset(500, defaultFrom, defaultTo, 43)))
	assert.NotEqual(t, a, fingerprint(newDataset(500, defaultFrom, defaultTo.AddDate(0, 0, 1), 42)))
	assert.Empty(t, newDataset(0, defaultFrom, defaultTo, 42).base)
}

func TestEncryptedIDs(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "9130C2719701F5S", encryptID(12345))
	ids := []int64{1, 22, 99999, 122234562, firstGeneratedCustomerID, math.MaxInt64}
	for i := int64(1); i < 2000; i++ {
		ids = append(ids, i*7919, firstGeneratedCustomerID+i)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		enc := encryptID(id)
		require.Len(t, enc, 15)
		require.Regexp(t, `^[0-9A-Z]{15}$`, enc)
		require.False(t, seen[enc], "%s twice", enc)
		seen[enc] = true
		got, ok := decryptID(enc)
		require.True(t, ok, "%d as %s", id, enc)
		require.Equal(t, id, got)
		// A typo names no customer, or another one: never this one.
		typo := []byte(enc)
		typo[9] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(bytesIndex(typo[9])+1)%36]
		if got, ok := decryptID(string(typo)); ok {
			require.NotEqual(t, id, got)
		}
	}
	for _, bad := range []string{"", "ABC", "9130c2719701f5s", "ZZZZZZZZZZZZZZZ", "0000000000000000", "!!!!!!!!!!!!!!!"} {
		if got, ok := decryptID(bad); ok {
			assert.Positive(t, got, bad)
		}
	}
	_, ok := decryptID("ZZZZZZZZZZZZZZZ") // not an id the sandbox made
	assert.False(t, ok)
}

func bytesIndex(b byte) int {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for i := range alphabet {
		if alphabet[i] == b {
			return i
		}
	}
	return -1
}

// discard is a ResponseWriter that keeps nothing, to measure the handler alone.
type discard struct {
	header http.Header
	status int
	n      int64
}

func (d *discard) Header() http.Header { return d.header }
func (d *discard) WriteHeader(s int)   { d.status = s }
func (d *discard) Write(b []byte) (int, error) {
	d.n += int64(len(b))
	return len(b), nil
}

// TestLargePopulation is the scale the wrapper's paging is tested at: 100,000 customers changed
// within one 90-day window, all in one answer.
func TestLargePopulation(t *testing.T) {
	t.Parallel()
	from := time.Date(2025, time.January, 1, 0, 0, 0, 0, chicago)
	const n = 100_000
	s := StartTest(t, WithPopulation(n), WithPopulationSpan(from, from.AddDate(0, 0, 90)), WithClock(fixedClock(testNow)))

	resp, err := http.Get(s.URL + "/brand/BIG/customer/change/startdate/01012025/enddate/03312025/*")
	require.NoError(t, err)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	resp.Body.Close()

	req, err := http.NewRequest(http.MethodGet, s.URL+"/brand/BIG/customer/change/startdate/01012025/enddate/03312025/*", nil)
	require.NoError(t, err)
	req.Header.Set("x-omeda-appid", "big")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Content-Length"), "streamed")
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	// Decoding 19 MB into structs is slow under -race: check the JSON and count the customers.
	require.True(t, json.Valid(body))
	assert.Equal(t, n, bytes.Count(body, []byte(`{"Url":"`)))
	assert.True(t, bytes.HasPrefix(body, []byte(`{"Customers":[{"Url":"`+s.URL+`/brand/BIG/customer/`)))
	assert.Regexp(t, `\],"SubmissionId":"[0-9A-F-]{36}"}$`, string(body[len(body)-60:]))

}

// TestChangeLookupStreams shows that a change lookup builds no value per customer: its allocations
// do not grow with the answer. Not parallel, as testing.AllocsPerRun requires.
func TestChangeLookupStreams(t *testing.T) {
	from := time.Date(2025, time.January, 1, 0, 0, 0, 0, chicago)
	const n = 100_000
	s := StartTest(t, WithPopulation(n), WithPopulationSpan(from, from.AddDate(0, 0, 90)), WithClock(fixedClock(testNow)))
	h := s.Handler()
	r := httptest.NewRequest(http.MethodGet, basePath+"/brand/BIG/customer/change/startdate/01012025/enddate/03312025/*", nil)
	r.Header.Set("x-omeda-appid", "big")
	w := &discard{header: http.Header{}}
	allocs := testing.AllocsPerRun(2, func() {
		w.n = 0
		h.ServeHTTP(w, r)
	})
	assert.Equal(t, http.StatusOK, w.status)
	assert.Greater(t, w.n, int64(n*100))
	assert.Less(t, allocs, float64(n/20), "allocations for %d customers", n)
	t.Logf("%.0f allocations for %d customers, %d bytes", allocs, n, w.n)
}

func BenchmarkNewDataset100k(b *testing.B) {
	for b.Loop() {
		newDataset(100_000, defaultFrom, defaultTo, DefaultSeed)
	}
}

func BenchmarkChangeLookup100k(b *testing.B) {
	from := time.Date(2025, time.January, 1, 0, 0, 0, 0, chicago)
	s := StartTest(b, WithPopulation(100_000), WithPopulationSpan(from, from.AddDate(0, 0, 90)))
	h := s.Handler()
	r := httptest.NewRequest(http.MethodGet, basePath+"/brand/BIG/customer/change/startdate/01012025/enddate/03312025/*", nil)
	r.Header.Set("x-omeda-appid", "big")
	w := &discard{header: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		w.n = 0
		h.ServeHTTP(w, r)
	}
	b.SetBytes(w.n)
}

// TestWithSeed: the seed alone decides the generated population. Two sandboxes with the same
// seed answer a change lookup with the same customers; another seed gives other customers.
func TestWithSeed(t *testing.T) {
	t.Parallel()
	from := time.Date(2025, time.January, 1, 0, 0, 0, 0, chicago)
	customers := func(seed uint64) []string {
		s := StartTest(t, WithSeed(seed), WithPopulation(500), WithPopulationSpan(from, from.AddDate(0, 0, 90)), WithClock(fixedClock(testNow)))
		r := httptest.NewRequest(http.MethodGet, basePath+"/brand/SEED/customer/change/startdate/01012025/enddate/03312025/*", nil)
		r.Header.Set("x-omeda-appid", "seed")
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, r)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		var answer struct {
			Customers []json.RawMessage
		}
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &answer))
		require.Len(t, answer.Customers, 500)
		out := make([]string, len(answer.Customers))
		for i, c := range answer.Customers {
			out[i] = string(c)
		}
		return out
	}
	first := customers(7)
	assert.Equal(t, first, customers(7), "the same seed gives the same customers")
	assert.NotEqual(t, first, customers(8), "another seed gives other customers")
}
