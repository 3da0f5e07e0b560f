package bulk

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunKeepsTheOrderAndTheBound(t *testing.T) {
	t.Parallel()
	var inFlight, maxFlight atomic.Int32
	var got []int
	err := Run(t.Context(), slices.Values([]int{5, 1, 4, 0, 3, 2, 6, 7, 1, 0}), 3, func(_ context.Context, ms int) int {
		n := inFlight.Add(1)
		for m := maxFlight.Load(); n > m && !maxFlight.CompareAndSwap(m, n); m = maxFlight.Load() {
		}
		time.Sleep(time.Duration(ms) * time.Millisecond) // later items often finish first
		inFlight.Add(-1)
		return ms * 10
	}, func(item, r int) error {
		assert.Equal(t, item*10, r)
		got = append(got, item)
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []int{5, 1, 4, 0, 3, 2, 6, 7, 1, 0}, got, "input order")
	assert.LessOrEqual(t, maxFlight.Load(), int32(3))
	assert.Greater(t, maxFlight.Load(), int32(1), "calls overlap")
}

func TestRunReadsItemsAsItGoes(t *testing.T) {
	t.Parallel()
	var read atomic.Int32
	items := func(yield func(int) bool) {
		for i := range 1000 {
			read.Add(1)
			if !yield(i) {
				return
			}
		}
	}
	release := make(chan struct{})
	done := make(chan error)
	go func() {
		done <- Run(t.Context(), items, 2, func(ctx context.Context, i int) int {
			if i == 0 {
				<-release // the first call holds up emit
			}
			return i
		}, func(int, int) error { return nil })
	}()
	assert.Eventually(t, func() bool { return read.Load() >= 3 }, 5*time.Second, time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	assert.LessOrEqual(t, read.Load(), int32(5*2+1), "no more than the bound is read ahead of emit")
	close(release)
	require.NoError(t, <-done)
	assert.EqualValues(t, 1000, read.Load())
}

func TestRunStopsAtAnEmitError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	var calls atomic.Int32
	err := Run(t.Context(), slices.Values(make([]int, 100)), 4, func(context.Context, int) int {
		calls.Add(1)
		return 0
	}, func(int, int) error { return boom })
	require.ErrorIs(t, err, boom)
	assert.Less(t, calls.Load(), int32(100))
}

func TestRunEndsWithTheContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	err := Run(ctx, slices.Values(make([]int, 100)), 2, func(ctx context.Context, _ int) error {
		cancel()
		<-ctx.Done()
		return ctx.Err()
	}, func(int, error) error { return nil })
	require.ErrorIs(t, err, context.Canceled)
}
