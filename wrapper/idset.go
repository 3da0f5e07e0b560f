package wrapper

import (
	"strconv"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/RoaringBitmap/roaring/v2/roaring64"
)

// idSet remembers which customers a stream has yielded, in little memory: Omeda's customer ids
// are positive integers handed out in sequence, so a brand's ids are dense and a compressed
// bitmap holds them for a few bits to two bytes each (measured in idset_test.go: about 0.13
// bytes per id for consecutive ids, about 2 bytes per id for ids scattered at random), where a
// map[int64]struct{} costs about 40. Ids below 2^32 go to a 32-bit roaring bitmap, the fast
// path; larger ones to a 64-bit one; a key that is not a decimal number (the contract types
// Id as an integer today, but a key may come from elsewhere) to a plain set.
type idSet struct {
	low   *roaring.Bitmap
	high  *roaring64.Bitmap
	other map[string]struct{}
}

func newIDSet() *idSet { return &idSet{low: roaring.New()} }

// add records id and reports whether it was new.
func (s *idSet) add(id uint64) bool {
	if id <= 0xFFFFFFFF {
		return s.low.CheckedAdd(uint32(id))
	}
	if s.high == nil {
		s.high = roaring64.New()
	}
	return s.high.CheckedAdd(id)
}

// addKey records a textual key: a decimal number goes to the bitmaps, anything else to the
// plain set. It reports whether the key was new.
func (s *idSet) addKey(key string) bool {
	if id, err := strconv.ParseUint(key, 10, 64); err == nil && strconv.FormatUint(id, 10) == key {
		return s.add(id)
	}
	if s.other == nil {
		s.other = map[string]struct{}{}
	}
	if _, seen := s.other[key]; seen {
		return false
	}
	s.other[key] = struct{}{}
	return true
}

// len is the number of keys recorded.
func (s *idSet) len() uint64 {
	n := s.low.GetCardinality() + uint64(len(s.other))
	if s.high != nil {
		n += s.high.GetCardinality()
	}
	return n
}

// bytes is the set's size in memory, as the bitmaps account for it (the plain set counted at
// its keys' length plus a map entry's overhead).
func (s *idSet) bytes() uint64 {
	n := s.low.GetSizeInBytes()
	if s.high != nil {
		n += s.high.GetSizeInBytes()
	}
	for k := range s.other {
		n += uint64(len(k)) + 48
	}
	return n
}
