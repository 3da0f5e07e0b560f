package wrapper

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/omeda-go/omeda-go/gen"
)

// heldBudget is the memory that the change windows of one ChangedCustomerWindows (or
// ChangedCustomers) call may hold at once before the caller takes them: WithMaxWindowSize,
// shared by every window fetched at the same time, so that WithWindowConcurrency cannot
// multiply it. A window's charge is what its customers take in memory (see customerCost),
// returned when the caller takes the window, or when the window fails.
type heldBudget struct {
	mu          sync.Mutex
	limit, used int64
	workers     int
	// keep: the windows stay charged once handed over, because the caller is ChangedCustomers,
	// which merges them all into one answer held whole.
	keep bool
}

func newHeldBudget(limit int64, workers int) *heldBudget {
	return &heldBudget{limit: limit, workers: max(workers, 1)}
}

// handOver is a window of n bytes taken by the caller: no longer the client's to count, unless
// the budget keeps it.
func (b *heldBudget) handOver(n int64) {
	if !b.keep {
		b.give(n)
	}
}

// take charges n bytes, or reports false (charging nothing) when they do not fit.
func (b *heldBudget) take(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.limit {
		return false
	}
	b.used += n
	return true
}

// give returns n bytes charged before.
func (b *heldBudget) give(n int64) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
}

// exceeded is the error of a window that does not fit.
func (b *heldBudget) exceeded() error {
	shared := ""
	if b.workers > 1 {
		shared = fmt.Sprintf(", shared by the %d windows fetched at once (WithWindowConcurrency)", b.workers)
	}
	if b.keep {
		return fmt.Errorf("%w: the customers of the change windows merged into one answer need more than %s of memory%s, the most this client holds (WithMaxWindowSize); ChangedCustomerWindows holds one window at a time, ChangedCustomerStream one customer",
			ErrAnswerTooLarge, byteSize(b.limit), shared)
	}
	return fmt.Errorf("%w: the customers of the change windows held whole need more than %s of memory%s, the most this client holds (WithMaxWindowSize); ChangedCustomerStream holds one customer at a time",
		ErrAnswerTooLarge, byteSize(b.limit), shared)
}

// indexEntrySize is what ChangedCustomers' de-duplication index costs a customer (a map entry
// of two 8-byte words, with the map's spare room).
const indexEntrySize = 40

// customerSize is the memory of a gen.ChangedCustomer without its strings' bytes.
const customerSize = int64(unsafe.Sizeof(gen.ChangedCustomer{}))

// customerCost is what keeping a decoded customer costs beyond its slot in the list: the bytes
// of its strings (the slot is charged as the list grows).
func customerCost(c *gen.ChangedCustomer) int64 {
	return int64(len(c.URL) + len(c.DateChanged) + len(c.CreatedDate))
}
