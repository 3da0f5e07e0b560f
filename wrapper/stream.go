package wrapper

import (
	"context"
	"errors"
	"iter"
	"time"

	"github.com/omeda-go/omeda-go/gen"
)

// StreamOption configures ChangedCustomerStream.
type StreamOption func(*streamSettings)

type streamSettings struct {
	dedupe bool
	window func(Window)
}

// WithDeduplication turns the stream's de-duplication across windows on (the default) or off.
// Off, the stream holds one customer at a time whatever the range, and a customer changed in
// the minute two windows share can arrive twice.
func WithDeduplication(on bool) StreamOption {
	return func(s *streamSettings) { s.dedupe = on }
}

// WithWindowDone calls f after each window's answer has been read whole and all its customers
// were yielded, with that window: a place to record progress.
func WithWindowDone(f func(Window)) StreamOption {
	return func(s *streamSettings) { s.window = f }
}

// ChangedCustomerStream yields the customers changed between from and to, a range of any
// length, one at a time as they are decoded from the connection: the range is split into
// windows of at most 90 days (see SplitRange) fetched one after the other, and no answer is
// ever held whole, so a window of millions of customers streams in flat memory.
//
// De-duplication, on by default (WithDeduplication), yields each customer once, at its first
// occurrence. That loses nothing: Omeda's DateChanged is the customer's last change, not the
// change that put it in the window, so every occurrence of a customer within one run carries
// the same data. The set of customers seen is a compressed bitmap of their ids, about 2 bytes
// a customer at worst and far less for a brand's dense ids (see the package documentation).
//
// The client's per-attempt timeout (WithTimeout) is an idle timeout here: it bounds the wait
// for the answer's headers and every wait for more of its body, not the whole transfer, which
// can take minutes for a large window. Time the caller spends in the loop body is not counted.
//
// A window that fails before its first customer was yielded is retried under the retry policy.
// Once a customer of the window was yielded, a failure ends the stream with an error instead:
// a retry would repeat customers (or skip them, de-duplicated) without the caller knowing. A
// window in which nothing changed yields nothing. An invalid range, a failed window, a
// customer without an Id or a malformed answer ends the sequence with an error (and a zero
// customer). Breaking out of the loop closes the connection at once.
//
//	for cust, err := range client.ChangedCustomerStream(ctx, lastRun, time.Now()) {
//		if err != nil {
//			return err
//		}
//		save(cust)
//	}
//
// Vendor page: https://knowledgebase.omeda.com/omedaclientkb/customer-change-lookup
// Contract: GET /brand/{brandAbbreviation}/customer/change/startdate/{startDate}/enddate/{endDate}/* (customerChangeLookup)
func (c *Client) ChangedCustomerStream(ctx context.Context, from, to time.Time, opts ...StreamOption) iter.Seq2[gen.ChangedCustomer, error] {
	s := streamSettings{dedupe: true}
	for _, opt := range opts {
		if opt != nil {
			opt(&s)
		}
	}
	return func(yield func(gen.ChangedCustomer, error) bool) {
		windows, err := SplitRange(from, to, c.now())
		if err != nil {
			yield(gen.ChangedCustomer{}, err)
			return
		}
		var seen *idSet
		if s.dedupe {
			seen = newIDSet()
		}
		for _, w := range windows {
			_, err := c.streamWindow(ctx, opChanges, w, func() {}, func(cust *gen.ChangedCustomer) (bool, error) {
				if seen != nil && !seen.add(uint64(cust.ID)) { // Id > 0: the decoder refuses others
					return false, nil
				}
				if !yield(*cust, nil) {
					return true, errStopped
				}
				return true, nil
			})
			if err != nil {
				if !errors.Is(err, errStopped) {
					yield(gen.ChangedCustomer{}, err)
				}
				return
			}
			if s.window != nil {
				s.window(w)
			}
		}
	}
}
