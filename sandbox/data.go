package sandbox

import (
	"cmp"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/omeda-go/omeda-go/gen"
)

// phone is one phone record of a customer.
type phone struct {
	id        int64
	number    string
	ext       string
	changedMs int64 // Unix milliseconds
	kind      int   // PhoneContactType
	status    int   // 1 primary, 2 active
}

// customer is one customer. A *customer that has been published in a dataset is never modified:
// an update publishes a new one, so that readers may use what they found without holding a lock.
type customer struct {
	id         int64
	createdMs  int64 // Unix milliseconds
	changedMs  int64 // Unix milliseconds
	status     int   // CustomerStatusId: 0 inactive, 1 active
	mergedInto int64 // the surviving customer, when this one was merged; else 0
	mergedFrom []int64
	phones     []phone
	orders     []order                 // what store customer and order placed, paid or not
	billing    *gen.BillingInformation // the last billing data submitted; card data is secret
}

// order is one product a processed submission ordered, as it was sent.
type order struct {
	transactionID int64
	product       gen.Product
}

// dataset is the sandbox's customers.
type dataset struct {
	mu sync.RWMutex
	// base is the generated population, sorted by id. It never changes: an update of one of its
	// customers goes to extra, which shadows it.
	base []customer
	// extra holds the seeded customers, the stored ones and the updated ones.
	extra map[int64]*customer
	// byChange lists every current customer by DateChanged, then id. It is replaced, never
	// modified in place, so that a change lookup streams from it without holding the lock.
	byChange []*customer
	// keys maps the ExternalCustomerId and ClientCustomerId seen by store customer and order to
	// the customer they created or updated.
	keys map[string]int64

	nextCustomerID    int64
	nextPhoneID       int64
	nextTransactionID int64
	nextOrderID       int64

	// txns are the stored submissions by transaction id; queue lists those still being
	// processed, by due time, and pendingKeys counts their external ids. nextDueMs is the due
	// time of the queue's first, math.MaxInt64 when it is empty.
	txns        map[int64]*transaction
	queue       []*transaction
	pendingKeys map[string]int
	nextDueMs   atomic.Int64
}

func compareChange(a, b *customer) int {
	if c := cmp.Compare(a.changedMs, b.changedMs); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// customerLocked returns the current record of a customer, or nil. d.mu must be held.
func (d *dataset) customerLocked(id int64) *customer {
	if c, ok := d.extra[id]; ok {
		return c
	}
	i, found := slices.BinarySearchFunc(d.base, id, func(c customer, id int64) int { return cmp.Compare(c.id, id) })
	if !found {
		return nil
	}
	return &d.base[i]
}

// customer returns the current record of a customer, or nil.
func (d *dataset) customer(id int64) *customer {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.customerLocked(id)
}

// resolve finds the customer a path's customerId names: a numeric id or an encrypted id.
func (d *dataset) resolve(s string) *customer {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		if c := d.customer(n); c != nil {
			return c
		}
	}
	// An encrypted id may, rarely, be all digits: try it as one too.
	if id, ok := decryptID(s); ok {
		return d.customer(id)
	}
	return nil
}

// changedWithin returns the customers whose DateChanged is in [fromMs, toMs), by DateChanged.
// The slice is shared and must not be modified.
func (d *dataset) changedWithin(fromMs, toMs int64) []*customer {
	d.mu.RLock()
	all := d.byChange
	d.mu.RUnlock()
	lo := sort.Search(len(all), func(i int) bool { return all[i].changedMs >= fromMs })
	hi := lo + sort.Search(len(all)-lo, func(i int) bool { return all[lo+i].changedMs >= toMs })
	return all[lo:hi]
}

// publishLocked makes next the current record of its customer, replacing prev (nil for a new
// customer). d.mu must be held for writing.
func (d *dataset) publishLocked(prev, next *customer) {
	list := make([]*customer, len(d.byChange), len(d.byChange)+1)
	copy(list, d.byChange)
	if prev != nil {
		if i, found := slices.BinarySearchFunc(list, prev, compareChange); found {
			list = slices.Delete(list, i, i+1)
		}
	}
	i, _ := slices.BinarySearchFunc(list, next, compareChange)
	list = slices.Insert(list, i, next)
	d.byChange = list
	d.extra[next.id] = next
}
