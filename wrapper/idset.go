package wrapper

import (
	"github.com/RoaringBitmap/roaring/v2"
	"github.com/RoaringBitmap/roaring/v2/roaring64"
)

// idSet remembers which customers a stream has yielded, in little memory: Omeda's customer ids
// are positive integers handed out in sequence, so a brand's ids are dense and a compressed
// bitmap holds them for a few bits to two bytes each (measured in idset_test.go: about 0.13
// bytes per id for consecutive ids, about 2 bytes per id for ids scattered at random), where a
// map[int64]struct{} costs about 40. Ids below 2^32 go to a 32-bit roaring bitmap, the fast
// path; larger ones to a 64-bit one.
type idSet struct {
	low  *roaring.Bitmap
	high *roaring64.Bitmap
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
