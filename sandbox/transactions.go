package sandbox

import (
	"fmt"
	"math"
	"strings"

	"github.com/omeda-go/omeda-go/flex"
	"github.com/omeda-go/omeda-go/gen"
)

// transaction is one stored submission on its way through the sandbox's processing. Its status
// is computed from the time elapsed since it was stored, so no goroutine runs per submission:
// every request first applies the submissions whose time has come (dataset.settle).
type transaction struct {
	id       int64
	sub      *gen.StoreCustomerAndOrderRequest
	storedMs int64 // when it was stored
	dueMs    int64 // when processing ends (storedMs + the sandbox's processing delay)
	// rejects are what processing refuses in the submission; it then ends in status 9.
	rejects []string
	// existing is whether the submission names a customer that exists (31, 101) rather than a
	// new one (30, 100); guessed when stored, settled when applied.
	existing bool
	// Set when applied: the customer it became or updated, and the order of its products.
	applied    bool
	customerID int64
	orderID    int64
}

// Transaction statuses of the vendor's table that the sandbox passes through.
const (
	statusLoaded          = 0
	statusAPILoaded       = 7
	statusFailedRules     = 9
	statusPassedRules     = 10
	statusDupeCheckReady  = 28
	statusDupeNew         = 30
	statusDupeExisting    = 31
	statusCompleteNew     = 100
	statusCompleteExisted = 101
)

// rejectedAt is the share of the delay after which a rejected submission fails: where its
// validation rules run.
const rejectedAt = 0.4

// statusAt is the transaction's status at nowMs: 0, 7, 10, 28, then 30 or 31, each for a fifth
// of the delay, then 100 or 101; or 0, 7, then 9 for a submission processing rejects.
func (t *transaction) statusAt(nowMs int64) int {
	f := 1.0
	if span := t.dueMs - t.storedMs; span > 0 && nowMs < t.dueMs {
		f = math.Max(0, float64(nowMs-t.storedMs)/float64(span))
	}
	if len(t.rejects) > 0 {
		switch {
		case f >= rejectedAt:
			return statusFailedRules
		case f >= 0.2:
			return statusAPILoaded
		}
		return statusLoaded
	}
	switch {
	case f >= 1:
		if t.existing {
			return statusCompleteExisted
		}
		return statusCompleteNew
	case f >= 0.8:
		if t.existing {
			return statusDupeExisting
		}
		return statusDupeNew
	case f >= 0.6:
		return statusDupeCheckReady
	case f >= 0.4:
		return statusPassedRules
	case f >= 0.2:
		return statusAPILoaded
	}
	return statusLoaded
}

// lookup is the transaction lookup's answer at nowMs.
func (t *transaction) lookup(nowMs int64, sid string) gen.TransactionStatus {
	out := gen.TransactionStatus{TransactionID: t.id, Status: t.statusAt(nowMs), SubmissionID: &sid}
	if out.Status == statusCompleteNew || out.Status == statusCompleteExisted {
		id := t.customerID
		out.OmedaCustomerID = &id
	}
	if t.sub.ClientCustomerID != nil && *t.sub.ClientCustomerID != "" {
		cc := flex.String(*t.sub.ClientCustomerID)
		out.ClientCustomerID = &cc
	}
	if out.Status == statusFailedRules {
		for _, r := range t.rejects {
			out.Errors = append(out.Errors, gen.TransactionError{Error: r})
		}
	}
	return out
}

// processingRejects lists what the sandbox's processing refuses in a submission that passed the
// contract and the documented rules: the transaction then ends in status 9 with these errors.
// The one rule: an email address under the reserved .invalid top-level domain (RFC 2606), such
// as ann@reject.invalid, is refused as Omeda refuses an invalid email.
func processingRejects(sub *gen.StoreCustomerAndOrderRequest) []string {
	var out []string
	for _, e := range sub.Emails {
		_, domain, _ := strings.Cut(strings.ToLower(strings.TrimSpace(string(e.EmailAddress))), "@")
		if domain == "invalid" || strings.HasSuffix(domain, ".invalid") {
			out = append(out, fmt.Sprintf("invalid email: %s", e.EmailAddress))
		}
	}
	return out
}

// transaction returns a copy of a stored transaction as it is now, or false.
func (d *dataset) transaction(id int64) (transaction, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	t := d.txns[id]
	if t == nil {
		return transaction{}, false
	}
	return *t, true
}

// settle applies, in the order they were stored, the submissions whose processing has ended
// by nowMs. It is cheap when none has: one atomic load.
func (d *dataset) settle(nowMs int64) {
	if d.nextDueMs.Load() > nowMs {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.settleLocked(nowMs)
}

func (d *dataset) settleLocked(nowMs int64) {
	i := 0
	for ; i < len(d.queue) && d.queue[i].dueMs <= nowMs; i++ {
		t := d.queue[i]
		if len(t.rejects) == 0 {
			d.applyLocked(t)
		}
		for _, k := range submissionKeys(t.sub) {
			if d.pendingKeys[k]--; d.pendingKeys[k] <= 0 {
				delete(d.pendingKeys, k)
			}
		}
		d.queue[i] = nil
	}
	d.queue = d.queue[i:]
	if len(d.queue) == 0 {
		d.queue = nil
		d.nextDueMs.Store(math.MaxInt64)
	} else {
		d.nextDueMs.Store(d.queue[0].dueMs)
	}
}

// enqueueLocked records a stored submission, due dueMs; d.mu must be held for writing.
func (d *dataset) enqueueLocked(t *transaction) {
	d.txns[t.id] = t
	for _, k := range submissionKeys(t.sub) {
		d.pendingKeys[k]++
	}
	// Stored in order with one delay, so due in order; a clock that goes back still keeps the
	// queue sorted by inserting in place.
	i := len(d.queue)
	for i > 0 && d.queue[i-1].dueMs > t.dueMs {
		i--
	}
	d.queue = append(d.queue, nil)
	copy(d.queue[i+1:], d.queue[i:])
	d.queue[i] = t
	d.nextDueMs.Store(d.queue[0].dueMs)
}
