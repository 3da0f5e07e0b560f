package wrapper

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
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
// For long backfills, ChangedCustomerWindows yields the same data window by window without
// holding it all.
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
	for w, err := range c.ChangedCustomerWindows(ctx, from, to) {
		if err != nil {
			return nil, err
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
	return func(yield func(ChangeWindow, error) bool) {
		windows, err := SplitRange(from, to, c.now())
		if err != nil {
			yield(ChangeWindow{}, err)
			return
		}
		if c.workers <= 1 || len(windows) == 1 {
			for _, w := range windows {
				cw, err := c.fetchWindow(ctx, w)
				if !yield(cw, err) || err != nil {
					return
				}
			}
			return
		}
		c.fetchAhead(ctx, windows, yield)
	}
}

// fetchAhead fetches up to c.workers windows at once and yields them in order. A window's slot
// is freed only once the caller has taken it, so at most c.workers windows are held.
func (c *Client) fetchAhead(ctx context.Context, windows []Window, yield func(ChangeWindow, error) bool) {
	type result struct {
		cw  ChangeWindow
		err error
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
				cw, err := c.fetchWindow(ctx, w)
				slots[i] <- result{cw, err}
			}()
		}
	}()
	for i := range windows {
		var r result
		select {
		case r = <-slots[i]:
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

// fetchWindow makes one change-lookup call.
func (c *Client) fetchWindow(ctx context.Context, w Window) (ChangeWindow, error) {
	cw := ChangeWindow{Window: w}
	start, end := FormatDateTime(w.From), FormatDateTime(w.To)
	err := c.do(ctx, opChanges, func(ctx context.Context) (*http.Response, error) {
		return c.api.CustomerChangeLookup(ctx, c.brand, start, end)
	}, func(r io.Reader, size int64) error { return c.decodeChanges(r, size, &cw) })
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && len(apiErr.Messages) > 0 &&
		strings.HasPrefix(strings.ToLower(apiErr.Messages[0]), noChanges) {
		return ChangeWindow{Window: w, Customers: []gen.ChangedCustomer{}, SubmissionID: apiErr.SubmissionID}, nil
	}
	if err != nil {
		return ChangeWindow{Window: w}, fmt.Errorf("window %s: %w", w, err)
	}
	return cw, nil
}

// bytesPerCustomer is about the smallest a customer of a change-lookup answer takes in JSON;
// with the answer's length it sizes the list up front, sparing the copies of growing it.
// presizeLimit caps that guess (at 16 MiB of structs), so that a Content-Length alone cannot
// make the client allocate much; past it the list grows as it is filled.
const (
	bytesPerCustomer = 160
	presizeLimit     = 1 << 18
)

// decodeChanges reads a change-lookup answer customer by customer, so that a large window is
// never held twice (as bytes and as structs).
func (c *Client) decodeChanges(r io.Reader, size int64, cw *ChangeWindow) error {
	cw.Customers, cw.SubmissionID = cw.Customers[:0], ""
	if want := int(min(size/bytesPerCustomer, presizeLimit)); cap(cw.Customers) < want {
		cw.Customers = make([]gen.ChangedCustomer, 0, want)
	}
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	var (
		errs []vendorError
		seen bool
	)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch key, _ := tok.(string); key {
		case "Customers":
			if seen, err = decodeCustomers(dec, cw); err != nil {
				return err
			}
		case "SubmissionId":
			var sid *string
			if err := dec.Decode(&sid); err != nil {
				return err
			}
			cw.SubmissionID = deref(sid)
		case "Errors":
			if err := dec.Decode(&errs); err != nil {
				return err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return err
	}
	if len(errs) > 0 {
		return c.errorsInSuccess(opChanges, cw.SubmissionID, errs)
	}
	if !seen {
		return errors.New("the answer has no Customers")
	}
	if cw.Customers == nil {
		cw.Customers = []gen.ChangedCustomer{}
	}
	return nil
}

// decodeCustomers decodes the Customers array one element at a time, in place.
func decodeCustomers(dec *json.Decoder, cw *ChangeWindow) (bool, error) {
	tok, err := dec.Token()
	if err != nil {
		return false, err
	}
	if tok == nil { // "Customers": null
		return false, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return false, fmt.Errorf("the Customers field is %v, not a list", tok)
	}
	for dec.More() {
		cw.Customers = append(cw.Customers, gen.ChangedCustomer{})
		if err := dec.Decode(&cw.Customers[len(cw.Customers)-1]); err != nil {
			return false, err
		}
	}
	return true, expectDelim(dec, ']')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected '%c', found %v", rune(want), tok)
	}
	return nil
}
