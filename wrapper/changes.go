package wrapper

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/omeda-go/omeda-go/gen"
)

// ChangeWindow is the answer to one change-lookup call.
type ChangeWindow struct {
	Window
	// Customers are the customers changed within the window, as Omeda listed them.
	Customers []gen.ChangedCustomer
	// SubmissionID identifies the answer at Omeda ("" for an empty window answered without one).
	SubmissionID string
}

// ChangedCustomers returns the customers changed between from and to, a range of any length:
// it is split into windows of at most 90 days (see SplitRange), fetched in order, and merged
// into one list in which each customer appears once, with the data of its latest DateChanged.
// A window in which nothing changed counts as empty, not as an error. The returned
// SubmissionId is set only when a single call answered the whole range.
//
// The merged answer is held whole, so all its windows together (and the index that
// de-duplicates them) count against WithMaxWindowSize. For long backfills,
// ChangedCustomerWindows yields the same data window by window without holding it all.
//
// Vendor page: https://knowledgebase.omeda.com/omedaclientkb/customer-change-lookup
// Contract: GET /brand/{brandAbbreviation}/customer/change/startdate/{startDate}/enddate/{endDate}/* (customerChangeLookup)
func (c *Client) ChangedCustomers(ctx context.Context, from, to time.Time) (*gen.CustomerChanges, error) {
	out := &gen.CustomerChanges{Customers: []gen.ChangedCustomer{}}
	var (
		index   map[int64]int
		windows int
		sid     string
	)
	// The answer is held whole: every window merged stays charged to the window bound, with
	// its index, so that a long range cannot hold the bound once per window.
	budget := newHeldBudget(c.maxWindow, c.workers)
	budget.keep = true
	for w, err := range c.changeWindows(ctx, from, to, budget) {
		if err != nil {
			return nil, err
		}
		if !budget.take(int64(len(w.Customers)) * indexEntrySize) {
			return nil, fmt.Errorf("omeda: %s: %w", opChanges.id, budget.exceeded())
		}
		windows++
		sid = w.SubmissionID
		if index == nil {
			// The first window's list becomes the result, de-duplicated in place (every write
			// lands at or before the element being read), so a one-window range is never copied.
			index = make(map[int64]int, len(w.Customers))
			out.Customers = w.Customers[:0]
		}
		for _, cust := range w.Customers {
			i, seen := index[cust.ID]
			switch {
			case !seen:
				index[cust.ID] = len(out.Customers)
				out.Customers = append(out.Customers, cust)
			case later(cust.DateChanged, out.Customers[i].DateChanged):
				out.Customers[i] = cust
			}
		}
	}
	if windows == 1 && sid != "" {
		out.SubmissionID = &sid
	}
	return out, nil
}

// later reports whether date a is after date b, reading both as Omeda dates and falling back
// to comparing the text.
func later(a, b string) bool {
	ta, errA := ParseTime(a)
	tb, errB := ParseTime(b)
	if errA == nil && errB == nil {
		return ta.After(tb)
	}
	return a > b
}

// ChangedCustomerWindows yields the customers changed between from and to window by window, in
// window order, so that a backfill over years holds one window at a time (or as many as
// WithWindowConcurrency allows in flight). Each window is what one call answered; a customer
// changed in the minute two windows share can appear in both. An invalid range, or a window
// that fails after the retry policy, ends the sequence with an error.
//
//	for w, err := range client.ChangedCustomerWindows(ctx, lastRun, now) {
//		if err != nil {
//			return err
//		}
//		save(w.Customers)
//	}
func (c *Client) ChangedCustomerWindows(ctx context.Context, from, to time.Time) iter.Seq2[ChangeWindow, error] {
	return c.changeWindows(ctx, from, to, newHeldBudget(c.maxWindow, c.workers))
}

// changeWindows is ChangedCustomerWindows charging the windows to budget.
func (c *Client) changeWindows(ctx context.Context, from, to time.Time, budget *heldBudget) iter.Seq2[ChangeWindow, error] {
	return func(yield func(ChangeWindow, error) bool) {
		windows, err := SplitRange(from, to, c.now())
		if err != nil {
			yield(ChangeWindow{}, err)
			return
		}
		if c.workers <= 1 || len(windows) == 1 {
			budget.workers = 1 // one window at a time: the bound is not shared
			for _, w := range windows {
				cw, charged, err := c.fetchWindow(ctx, w, budget)
				budget.handOver(charged) // the caller takes the window
				if !yield(cw, err) || err != nil {
					return
				}
			}
			return
		}
		c.fetchAhead(ctx, windows, budget, yield)
	}
}

// fetchAhead fetches up to c.workers windows at once and yields them in order. A window's slot
// is freed only once the caller has taken it, so at most c.workers windows are held, and
// together they hold no more than budget.
func (c *Client) fetchAhead(ctx context.Context, windows []Window, budget *heldBudget, yield func(ChangeWindow, error) bool) {
	type result struct {
		cw      ChangeWindow
		charged int64
		err     error
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	slots := make([]chan result, len(windows))
	for i := range slots {
		slots[i] = make(chan result, 1)
	}
	tokens := make(chan struct{}, c.workers)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i, w := range windows {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				cw, charged, err := c.fetchWindow(ctx, w, budget)
				slots[i] <- result{cw, charged, err}
			}()
		}
	}()
	for i := range windows {
		var r result
		select {
		case r = <-slots[i]:
			budget.handOver(r.charged) // the caller takes the window
		case <-ctx.Done():
			r.err = fmt.Errorf("omeda: %s: %w", opChanges.id, ctx.Err())
		}
		if !yield(r.cw, r.err) || r.err != nil {
			return
		}
		<-tokens
	}
}

// noChanges is how Omeda answers a window in which nothing changed (with a 404).
const noChanges = "no customers changed"

// fetchWindow makes one change-lookup call and collects its customers, charging the memory
// they take to budget; it returns the charge, which the caller gives back once the window is
// handed on (a failed window's charge is given back here). A failed attempt's customers are
// dropped before the next attempt, so a retried window is never doubled.
func (c *Client) fetchWindow(ctx context.Context, w Window, budget *heldBudget) (ChangeWindow, int64, error) {
	cw := ChangeWindow{Window: w, Customers: []gen.ChangedCustomer{}}
	var charged int64
	sid, err := c.streamWindow(ctx, opChanges.held(), w,
		func() {
			clear(cw.Customers)
			cw.Customers = cw.Customers[:0]
			// The list's slots stay (and stay charged); its strings' bytes go.
			kept := int64(cap(cw.Customers)) * customerSize
			budget.give(charged - kept)
			charged = kept
		},
		func(cust *gen.ChangedCustomer) (bool, error) {
			cost := customerCost(cust)
			grow := 0
			if n := cap(cw.Customers); len(cw.Customers) == n {
				// The list grows by a quarter once large (not append's doubling), charged
				// before it is allocated, so the bound is what the heap holds.
				grow = max(n, 64)
				if n >= 1<<14 {
					grow = n / 4
				}
				cost += int64(grow) * customerSize
			}
			if !budget.take(cost) {
				return false, budget.exceeded()
			}
			charged += cost
			if grow > 0 {
				cw.Customers = slices.Grow(cw.Customers, grow)
			}
			cw.Customers = append(cw.Customers, *cust)
			return false, nil
		})
	if err != nil {
		budget.give(charged)
		return ChangeWindow{Window: w}, 0, err
	}
	cw.SubmissionID = sid
	return cw, charged, nil
}

// streamWindow makes one change-lookup call and hands its customers to each as they are
// decoded; each reports whether it passed the customer on to the caller. begin runs before
// each attempt's first customer. A window in which nothing changed (Omeda's 404) is empty, not
// an error. A failure after a customer was passed on is not retried (see partialError).
func (c *Client) streamWindow(ctx context.Context, op operation, w Window, begin func(), each func(*gen.ChangedCustomer) (bool, error)) (string, error) {
	start, end := FormatDateTime(w.From), FormatDateTime(w.To)
	var (
		sid     string
		yielded int // customers of the last attempt passed on
	)
	err := c.do(ctx, op, func(ctx context.Context) (*http.Response, error) {
		return c.api.CustomerChangeLookup(ctx, c.brand, start, end)
	}, func(r io.Reader, _ int64) error {
		begin()
		yielded = 0
		// A stream holds one customer at a time: the bound applies to each (see operation.size).
		tr, perCustomer := r.(*trackingReader)
		var err error
		sid, err = c.decodeWindow(r, func(cust *gen.ChangedCustomer) error {
			passed, err := each(cust)
			if passed {
				yielded++
			}
			if perCustomer {
				tr.restart()
			}
			return err
		})
		if err != nil && yielded > 0 && !errors.Is(err, errStopped) {
			return &partialError{err: err}
		}
		return err
	})
	var apiErr *APIError
	switch {
	case err == nil:
		return sid, nil
	case errors.Is(err, errStopped):
		return "", err
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && len(apiErr.Messages) > 0 &&
		strings.HasPrefix(strings.ToLower(apiErr.Messages[0]), noChanges):
		return apiErr.SubmissionID, nil
	}
	if yielded > 0 {
		return "", fmt.Errorf("window %s: failed after %d of its customers were delivered, so it was not retried: %w", w, yielded, err)
	}
	return "", fmt.Errorf("window %s: %w", w, err)
}
