// Package bulk runs one call per item of a sequence with a bounded number of calls at once and
// hands the results back in the sequence's order, holding only the calls in flight and the
// results waiting for an earlier one: a list of millions of ids is read as it is consumed.
package bulk

import (
	"context"
	"iter"
	"sync"
)

// Run calls do for each item of items, up to n calls at once, and passes each item with its
// result to emit in the items' order. Items are read only as fast as calls can start, and at
// most 5n results are held: a slow call holds up emit, not the calls after it, until 4n later
// results wait behind it. When emit returns an error, or ctx ends, Run stops taking items,
// waits for the calls in flight and returns that error (ctx's error when it ended). do sees a
// context that ends when Run stops.
func Run[T, R any](ctx context.Context, items iter.Seq[T], n int, do func(context.Context, T) R, emit func(T, R) error) error {
	n = max(n, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type slot struct {
		item T
		done chan R // receives the result, buffered so that a call never waits for emit
	}
	order := make(chan slot, 4*n) // the slots in the items' order, at most 4n ahead of emit
	tokens := make(chan struct{}, n)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(order)
		for item := range items {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			s := slot{item: item, done: make(chan R, 1)}
			select {
			case order <- s:
			case <-ctx.Done():
				<-tokens
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := do(ctx, s.item)
				<-tokens
				s.done <- r
			}()
		}
	}()

	var err error
	for s := range order {
		r := <-s.done
		if err == nil {
			if err = emit(s.item, r); err != nil {
				cancel()
			}
		}
	}
	wg.Wait()
	if err == nil {
		err = ctx.Err() // only the caller's context can have ended: Run cancels after emit fails
	}
	return err
}
