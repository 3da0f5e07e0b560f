package wrapper

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIDSetAddsOnce(t *testing.T) {
	t.Parallel()
	s := newIDSet()
	assert.True(t, s.add(7))
	assert.False(t, s.add(7))
	assert.True(t, s.add(1<<40), "an id past 32 bits")
	assert.False(t, s.add(1<<40))
	assert.True(t, s.add(1<<32|7), "not confused with 7")
	assert.EqualValues(t, 3, s.len())
}

// len is the number of ids recorded.
func (s *idSet) len() uint64 {
	n := s.low.GetCardinality()
	if s.high != nil {
		n += s.high.GetCardinality()
	}
	return n
}

// bytes is the set's size in memory, as the bitmaps account for it.
func (s *idSet) bytes() uint64 {
	n := s.low.GetSizeInBytes()
	if s.high != nil {
		n += s.high.GetSizeInBytes()
	}
	return n
}

// TestIDSetBytesPerID measures what de-duplication costs per customer, the figure the package
// documentation quotes: for a brand's dense ids (5 million consecutive ids) and for the same
// number scattered at random over 200 million ids. It counts both the bitmap's own account of
// its size and the heap the process holds for it.
func TestIDSetBytesPerID(t *testing.T) {
	if testing.Short() {
		t.Skip("adds 10 million ids")
	}
	const n = 5_000_000
	for _, tc := range []struct {
		name string
		id   func(i int) uint64
		max  float64 // bytes per id
	}{
		{"dense", func(i int) uint64 { return 100_000_000 + uint64(i) }, 0.25},
		{"scattered over 200M", func(int) uint64 { return 100_000_000 + rand.Uint64N(200_000_000) }, 2.5},
	} {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		s := newIDSet()
		for i := range n {
			s.add(tc.id(i))
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		own := float64(s.bytes()) / float64(s.len())
		heap := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(s.len())
		t.Logf("%s: %d ids, %.3f bytes/id by the bitmap's account, %.3f bytes/id of heap", tc.name, s.len(), own, heap)
		assert.Less(t, own, tc.max, tc.name)
		assert.Less(t, heap, tc.max+0.5, tc.name)
		runtime.KeepAlive(s)
	}
}
