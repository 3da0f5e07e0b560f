package sandbox

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// The customers of the vendor's pages, with the values the pages show.
const (
	documentedCustomerID = 12345     // the phone lookup's example
	changedCustomerA     = 122234562 // the change lookup's example, active
	changedCustomerB     = 23456789  // the change lookup's example, inactive
	survivorCustomerID   = 99999     // the merge examples' surviving customer
	mergedCustomerID     = 22        // the merge examples' merged customer
	storePageCustomerID  = 1234      // the store pages' examples (James Smith), so that they are accepted
)

// The generated population's numbering, above every documented id.
const (
	firstGeneratedCustomerID = 300_000_000
	firstGeneratedPhoneID    = 600_000_000
	firstTransactionID       = 8907512 // the store page's example
	firstOrderID             = 5000001
)

// seeded returns the customers of the vendor's pages.
func seeded() []*customer {
	phoneDay := chicagoMillis(2015, time.March, 8, 21, 23, 34, 0)
	mergedAt := chicagoMillis(2017, time.May, 2, 14, 30, 0, 0)
	merged := func(id int64, created int64) *customer {
		return &customer{id: id, createdMs: created, changedMs: mergedAt, status: 0, mergedInto: survivorCustomerID}
	}
	return []*customer{
		{
			id:        documentedCustomerID,
			createdMs: chicagoMillis(2014, time.November, 2, 10, 15, 0, 0),
			changedMs: phoneDay,
			status:    1,
			phones: []phone{
				{id: 472517, kind: 200, number: "8475648900", ext: "999", status: 1, changedMs: phoneDay},
				{id: 472518, kind: 210, number: "8475648901", status: 1, changedMs: phoneDay},
			},
		},
		{
			// Without phones: its phone lookup is the documented 404.
			id:        changedCustomerA,
			createdMs: chicagoMillis(2018, time.March, 14, 15, 25, 43, 210),
			changedMs: chicagoMillis(2018, time.July, 4, 0, 0, 0, 0),
			status:    1,
		},
		{
			id:        changedCustomerB,
			createdMs: chicagoMillis(2018, time.September, 4, 11, 25, 52, 57),
			changedMs: chicagoMillis(2018, time.December, 17, 16, 49, 35, 573),
			status:    0,
			phones: []phone{
				{id: 472690, kind: 230, number: "3125550147", status: 1, changedMs: chicagoMillis(2018, time.December, 17, 16, 49, 35, 0)},
			},
		},
		{
			id:         survivorCustomerID,
			createdMs:  chicagoMillis(2016, time.January, 11, 9, 0, 0, 0),
			changedMs:  mergedAt,
			status:     1,
			mergedFrom: []int64{mergedCustomerID, 111, 2222},
			phones: []phone{
				{id: 472601, kind: 200, number: "8475550199", ext: "12", status: 1, changedMs: mergedAt},
			},
		},
		{
			// No phones: the store pages' examples add them.
			id:        storePageCustomerID,
			createdMs: chicagoMillis(2010, time.April, 18, 9, 0, 0, 0),
			changedMs: chicagoMillis(2010, time.April, 18, 9, 0, 0, 0),
			status:    1,
		},
		merged(mergedCustomerID, chicagoMillis(2012, time.June, 1, 8, 0, 0, 0)),
		merged(111, chicagoMillis(2013, time.February, 19, 13, 45, 10, 500)),
		merged(2222, chicagoMillis(2014, time.August, 30, 17, 5, 0, 0)),
	}
}

// phoneKinds are the PhoneContactTypes generated phones use, the common ones more often.
var phoneKinds = [...]int{200, 200, 200, 210, 210, 230, 230, 230, 240, 250, 0}

// newDataset builds the seeded customers and a generated population of n customers whose
// DateChanged is spread over [from, to). The same arguments give the same data.
func newDataset(n int, from, to time.Time, seed uint64) *dataset {
	rng := rand.New(rand.NewPCG(seed, 0x6F6D656461)) // the stream name is arbitrary
	fromMs, spanMs := from.UnixMilli(), to.UnixMilli()-from.UnixMilli()
	if spanMs <= 0 {
		spanMs = 1
	}
	const threeYearsMs = 3 * 365 * 24 * 3600 * 1000

	// First pass: the customers and how many phones each has, so that every phone can live in one
	// allocation and every number in one string.
	base := make([]customer, n)
	counts := make([]uint8, n)
	id := int64(firstGeneratedCustomerID)
	phones := 0
	for i := range base {
		c := &base[i]
		c.id = id
		id += 1 + rng.Int64N(8)
		c.changedMs = fromMs + rng.Int64N(spanMs)
		c.createdMs = c.changedMs
		if rng.IntN(3) != 0 { // two in three were changed after their creation
			c.createdMs -= rng.Int64N(threeYearsMs)
		}
		c.status = 1
		if rng.IntN(10) == 0 {
			c.status = 0
		}
		counts[i] = uint8(rng.IntN(4))
		phones += int(counts[i])
	}

	// Second pass: the phones.
	const numberLen = 10
	digits := make([]byte, 0, phones*numberLen)
	for range phones {
		area := 200 + rng.IntN(790)
		exchange := 200 + rng.IntN(800)
		line := rng.IntN(10000)
		digits = append(digits,
			byte('0'+area/100), byte('0'+area/10%10), byte('0'+area%10),
			byte('0'+exchange/100), byte('0'+exchange/10%10), byte('0'+exchange%10),
			byte('0'+line/1000), byte('0'+line/100%10), byte('0'+line/10%10), byte('0'+line%10))
	}
	numbers := string(digits)
	all := make([]phone, phones)
	next := 0
	phoneID := int64(firstGeneratedPhoneID)
	extensions := [...]string{"1", "12", "123", "1234", "72", "999", "4410"}
	for i := range base {
		c := &base[i]
		k := int(counts[i])
		c.phones = all[next : next+k : next+k]
		for j := range c.phones {
			p := &c.phones[j]
			p.id = phoneID
			phoneID++
			p.number = numbers[(next+j)*numberLen : (next+j+1)*numberLen]
			p.kind = phoneKinds[rng.IntN(len(phoneKinds))]
			p.status = 2
			if j == 0 {
				p.status = 1
			}
			if rng.IntN(5) == 0 {
				p.ext = extensions[rng.IntN(len(extensions))]
			}
			p.changedMs = c.createdMs + rng.Int64N(c.changedMs-c.createdMs+1)
		}
		next += k
	}

	d := &dataset{
		base:              base,
		extra:             make(map[int64]*customer),
		keys:              make(map[string]int64),
		nextCustomerID:    id,
		nextPhoneID:       phoneID,
		nextTransactionID: firstTransactionID,
		nextOrderID:       firstOrderID,
		txns:              make(map[int64]*transaction),
		pendingKeys:       make(map[string]int),
	}
	d.nextDueMs.Store(math.MaxInt64)
	byChange := make([]*customer, 0, n+8)
	for i := range base {
		byChange = append(byChange, &base[i])
	}
	for _, c := range seeded() {
		d.extra[c.id] = c
		byChange = append(byChange, c)
	}
	slices.SortFunc(byChange, compareChange)
	d.byChange = byChange
	return d
}
