package bench

import (
	"context"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/wrapper"
)

var (
	day        = time.Date(2024, 5, 1, 0, 0, 0, 0, wrapper.Chicago()) // a one-day window
	fiveYears  = [2]time.Time{time.Date(2021, 1, 1, 0, 0, 0, 0, wrapper.Chicago()), time.Date(2025, 12, 31, 0, 0, 0, 0, wrapper.Chicago())}
	oneYear    = [2]time.Time{time.Date(2025, 1, 1, 0, 0, 0, 0, wrapper.Chicago()), time.Date(2025, 12, 31, 0, 0, 0, 0, wrapper.Chicago())}
	sink       int
	backfillN  = 1000  // customers per window when timing backfills
	heapN      = 20000 // customers per window when measuring backfill memory
	latency    = 20 * time.Millisecond
	workers    = 4
	phoneID    = "12345"
	background = context.Background()
)

// variant is one client's side of a benchmark.
type variant struct {
	name string
	run  func(b *testing.B)
}

// runRotated runs the variants as sub-benchmarks, starting with a different one on each run of
// make bench (BENCH_RUN), so that no client always has the first or the last turn.
func runRotated(b *testing.B, vs ...variant) {
	n, _ := strconv.Atoi(os.Getenv("BENCH_RUN"))
	for i := range vs {
		v := vs[(i+n)%len(vs)]
		b.Run(v.name, v.run)
	}
}

func check(b *testing.B, err error) {
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPhoneLookup: one small answer.
func BenchmarkPhoneLookup(b *testing.B) {
	s := newServer(b)
	r, g, w := raw{&http.Client{Transport: transport()}, s.base}, newGenerated(b, s.base), newWrapper(b, s.base)
	runRotated(b,
		variant{"raw", func(b *testing.B) {
			for b.Loop() {
				p, err := r.phones(background, phoneID)
				check(b, err)
				sink += len(p.PhoneNumbers)
			}
		}},
		variant{"gen", func(b *testing.B) {
			for b.Loop() {
				p, err := g.phones(background, phoneID)
				check(b, err)
				sink += len(p.PhoneNumbers)
			}
		}},
		variant{"wrapper", func(b *testing.B) {
			for b.Loop() {
				p, err := w.PhoneNumbers(background, phoneID)
				check(b, err)
				sink += len(p.PhoneNumbers)
			}
		}},
	)
}

// BenchmarkChanges: one change window answering 1,000 and 100,000 customers.
func BenchmarkChanges(b *testing.B) {
	s := newServer(b)
	r, g, w := raw{&http.Client{Transport: transport()}, s.base}, newGenerated(b, s.base), newWrapper(b, s.base)
	from, to := day, day.Add(24*time.Hour-time.Minute)
	for _, n := range []int{1000, 100000} {
		s.answer(n)
		name := map[int]string{1000: "1k", 100000: "100k"}[n]
		runRotated(b,
			variant{name + "/raw", func(b *testing.B) {
				for b.Loop() {
					c, err := r.changes(background, from, to)
					check(b, err)
					sink += len(c.Customers)
				}
			}},
			variant{name + "/gen", func(b *testing.B) {
				for b.Loop() {
					c, err := g.changes(background, from, to)
					check(b, err)
					sink += len(c.Customers)
				}
			}},
			variant{name + "/wrapper", func(b *testing.B) {
				for b.Loop() {
					c, err := w.ChangedCustomers(background, from, to)
					check(b, err)
					sink += len(c.Customers)
				}
			}},
		)
	}
}

// BenchmarkBackfill: five years of changes (21 windows) against a server that takes 20 ms per
// answer, window by window, and with four windows in flight.
func BenchmarkBackfill(b *testing.B) {
	s := newServer(b)
	s.answer(backfillN)
	s.latency = latency
	r := raw{&http.Client{Transport: transport()}, s.base}
	seq := newWrapper(b, s.base)
	conc := newWrapper(b, s.base, wrapper.WithWindowConcurrency(workers))
	use := func(cs []gen.ChangedCustomer) { sink += len(cs) }
	runRotated(b,
		variant{"raw", func(b *testing.B) {
			for b.Loop() {
				check(b, r.backfill(background, fiveYears[0], fiveYears[1], use))
			}
		}},
		variant{"wrapper", func(b *testing.B) {
			for b.Loop() {
				check(b, wrapperBackfill(background, seq, fiveYears[0], fiveYears[1], use))
			}
		}},
		variant{"wrapper-concurrent", func(b *testing.B) {
			for b.Loop() {
				check(b, wrapperBackfill(background, conc, fiveYears[0], fiveYears[1], use))
			}
		}},
	)
}

// BenchmarkPeakHeap reports, as peak-B, the most heap the call held at once beyond what was
// live before it: for the 100,000-customer window, and for streamed backfills of one and five
// years, whose peak should not grow with the number of windows.
func BenchmarkPeakHeap(b *testing.B) {
	s := newServer(b)
	r, w := raw{&http.Client{Transport: transport()}, s.base}, newWrapper(b, s.base)
	from, to := day, day.Add(24*time.Hour-time.Minute)
	cases := []struct {
		name string
		size int
		run  func() error
	}{
		{"changes-100k/raw", 100000, func() error { c, err := r.changes(background, from, to); sink += len(c.Customers); return err }},
		{"changes-100k/wrapper", 100000, func() error { c, err := w.ChangedCustomers(background, from, to); sink += len(c.Customers); return err }},
		{"backfill-1y/raw", heapN, func() error { return r.backfill(background, oneYear[0], oneYear[1], count) }},
		{"backfill-1y/wrapper", heapN, func() error { return wrapperBackfill(background, w, oneYear[0], oneYear[1], count) }},
		{"backfill-5y/raw", heapN, func() error { return r.backfill(background, fiveYears[0], fiveYears[1], count) }},
		{"backfill-5y/wrapper", heapN, func() error { return wrapperBackfill(background, w, fiveYears[0], fiveYears[1], count) }},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			s.answer(tc.size)
			check(b, tc.run()) // warm the connection pool and the server's body
			var peaks []float64
			for b.Loop() {
				var err error
				peaks = append(peaks, float64(peakHeap(func() { err = tc.run() })))
				check(b, err)
			}
			slices.Sort(peaks)
			b.ReportMetric(peaks[len(peaks)/2], "peak-B")
		})
	}
}

func count(cs []gen.ChangedCustomer) { sink += len(cs) }

// peakHeap runs f and returns the largest heap it held above the heap before it. The collector
// runs at GOGC=10 meanwhile, so that the heap tracks live memory closely, and a sampler reads
// the heap's size every 100 µs.
func peakHeap(f func()) uint64 {
	runtime.GC()
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()

	var (
		mu   sync.Mutex
		peak = base
	)
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		s := []metrics.Sample{{Name: sample[0].Name}}
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				metrics.Read(s)
				mu.Lock()
				peak = max(peak, s[0].Value.Uint64())
				mu.Unlock()
			}
		}
	}()
	f()
	close(done)
	<-stopped
	mu.Lock()
	defer mu.Unlock()
	return peak - base
}
