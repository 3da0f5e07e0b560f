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
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

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

// peakHeap runs f and returns the largest heap it held above the heap before it, as the
// sampler of samplePeak reads the heap's objects.
func peakHeap(f func()) uint64 {
	base, peak := samplePeak("/memory/classes/heap/objects:bytes", f)
	return peak - base
}

// samplePeak runs f while the collector runs at GOGC=10, so that the heap tracks live memory
// closely, and a sampler reads the runtime metric named every 100 µs. It returns the metric
// before f, after a collection, and the largest value read until f returned (at least the one
// before).
func samplePeak(metric string, f func()) (base, peak uint64) {
	runtime.GC()
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	sample := []metrics.Sample{{Name: metric}}
	metrics.Read(sample)
	base, peak = sample[0].Value.Uint64(), sample[0].Value.Uint64()
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped) // peak is the sampler's alone until then
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				metrics.Read(sample)
				peak = max(peak, sample[0].Value.Uint64())
			}
		}
	}()
	f()
	close(done)
	<-stopped
	return base, peak
}

// held keeps what TestPeakLiveHeapSeesWhatFHolds allocates alive past f.
var held []byte

// TestPeakLiveHeapSeesWhatFHolds: the samplers measure above the heap before f, and a live heap
// that f leaves behind counts even when no sample fell during f (the last collection's verdict).
func TestPeakLiveHeapSeesWhatFHolds(t *testing.T) {
	const size = 16 << 20
	got := peakLiveHeap(func() { held = make([]byte, size) })
	assert.GreaterOrEqual(t, got, uint64(size/2), "a 16 MiB buffer held at f's end")
	assert.Less(t, got, uint64(4*size), "measured above the heap before f")
	held = nil
}
