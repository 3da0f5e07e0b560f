package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/omeda-go/omeda-go/internal/bulk"
	"github.com/omeda-go/omeda-go/wrapper"
)

// heavy reports whether this run of make bench (BENCH_RUN) includes the benchmarks that take
// tens of seconds each (windows of millions of customers, 2,000 lookups at 20 ms): the first
// three runs do, which gives the summary a median of three; a run outside make bench does too.
func heavy() bool {
	n, err := strconv.Atoi(os.Getenv("BENCH_RUN"))
	return err != nil || n <= 3
}

// windowServer answers every change lookup with a window of n customers generated as it is
// written, so that a window of 5 million customers (about 1 GB of JSON) costs the server a few
// KiB. It runs in a process of its own (this test binary, started again with
// BENCH_WINDOW_SERVER=n), so that what the heap measures is the client alone: in the same
// process, the server's connection buffers and pools would weigh on the figures, and come and go
// with the collector's timing. The customers are those of changesBody, with ids a third apart
// (a brand's changed customers are a subset of its ids, not all of them).
type windowServer struct {
	base string
}

func newWindowServer(tb testing.TB, n int) *windowServer {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BENCH_WINDOW_SERVER="+strconv.Itoa(n))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		_ = stdin.Close() // the server ends when its stdin does
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		tb.Fatalf("the window server did not start: %v", err)
	}
	return &windowServer{base: strings.TrimSpace(line)}
}

// TestMain runs the window server when the benchmarks start this binary as one.
func TestMain(m *testing.M) {
	if v := os.Getenv("BENCH_WINDOW_SERVER"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			fmt.Fprintln(os.Stderr, "BENCH_WINDOW_SERVER:", err)
			os.Exit(2)
		}
		serveWindows(n)
		return
	}
	os.Exit(m.Run())
}

// serveWindows serves windows of n customers on loopback, printing its base URL, until its
// stdin ends.
func serveWindows(n int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /webservices/rest/brand/FOO/customer/change/startdate/{start}/enddate/{end}/*", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		bw := bufio.NewWriterSize(w, 32<<10)
		writeWindow(bw, n)
		_ = bw.Flush()
	})
	mux.HandleFunc("GET /webservices/rest/brand/FOO/customer/{id}/phone/*", func(w http.ResponseWriter, _ *http.Request) {
		write(w, phoneBody)
	})
	go func() { _ = http.Serve(ln, mux) }()
	fmt.Println("http://" + ln.Addr().String() + "/webservices/rest")
	_, _ = io.Copy(io.Discard, os.Stdin)
}

// writeWindow writes a change-lookup answer of n customers, about 190 bytes each.
func writeWindow(w *bufio.Writer, n int) {
	_, _ = w.WriteString(`{"Customers":[`)
	day := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	var b []byte
	for i := range n {
		b = b[:0]
		if i > 0 {
			b = append(b, ',')
		}
		id := int64(100000000 + 3*i)
		changed := day.Add(time.Duration(i) * 7 * time.Second)
		b = append(b, `{"CreatedDate":"`...)
		b = changed.Add(-400*24*time.Hour).AppendFormat(b, "2006-01-02 15:04:05.000")
		b = append(b, `","CustomerStatusId":`...)
		b = strconv.AppendInt(b, int64(i%2), 10)
		b = append(b, `,"DateChanged":"`...)
		b = changed.AppendFormat(b, "2006-01-02 15:04:05.000")
		b = append(b, `","Id":`...)
		b = strconv.AppendInt(b, id, 10)
		b = append(b, `,"Url":"https://ows.omeda.com/webservices/rest/brand/FOO/customer/`...)
		b = strconv.AppendInt(b, id, 10)
		b = append(b, `/*"}`...)
		_, _ = w.Write(b)
	}
	_, _ = w.WriteString(`],"SubmissionId":"4085DDD2-22FF-4FFE-22CB-962CCAE603B6"}`)
}

// streamAll runs the stream over one window and counts what it yields.
func streamAll(c *wrapper.Client, opts ...wrapper.StreamOption) (int, error) {
	from, to := day, day.Add(24*time.Hour-time.Minute)
	n := 0
	for cust, err := range c.ChangedCustomerStream(background, from, to, opts...) {
		if err != nil {
			return n, err
		}
		n++
		sink += int(cust.CustomerStatusID)
	}
	return n, nil
}

// rawWhole is the baseline: the whole answer decoded at once with encoding/json.
func rawWhole(r raw) (int, error) {
	c, err := r.changes(background, day, day.Add(24*time.Hour-time.Minute))
	if err != nil {
		return 0, err
	}
	return len(c.Customers), nil
}

// BenchmarkStreamHeap reports, as peak-B, the most heap held at once while a window of n
// customers is streamed (de-duplication off, then on) and while the same window is decoded whole
// with encoding/json. The stream's peak should not grow with n.
//
// Both count the live heap, what a collection finds reachable (runtime/metrics
// /gc/heap/live:bytes), above what was live before, in a process that holds only the client
// (the server runs in another). The whole-body decode is one call, so a goroutine samples its
// live heap every 100 µs with the collector at GOGC=10. The stream hands over one customer at a
// time, so it is measured exactly instead: every 50,000 customers the loop body collects (twice,
// so that what sync.Pools cache is not counted) and reads the live heap, which then holds
// everything the stream keeps: the decoder's buffers, the connection's, the set of ids seen.
// A sampling goroutine would add the objects a collection happens to allocate while it marks,
// tens of KiB that vary from run to run and grow with the number of samples, hence with n,
// which says nothing of the stream.
func BenchmarkStreamHeap(b *testing.B) {
	type tc struct {
		name  string
		n     int
		run   func(r raw, w *wrapper.Client) (int, uint64, error)
		heavy bool
	}
	var cases []tc
	sampled := func(r raw, _ *wrapper.Client) (int, uint64, error) {
		var (
			n   int
			err error
		)
		peak := peakLiveHeap(func() { n, err = rawWhole(r) })
		return n, peak, err
	}
	for _, n := range []int{100000, 1000000, 5000000} {
		name := map[int]string{100000: "100k", 1000000: "1m", 5000000: "5m"}[n]
		cases = append(cases,
			tc{name + "/raw", n, sampled, n > 100000},
			tc{name + "/sdk", n, func(_ raw, w *wrapper.Client) (int, uint64, error) {
				return streamPeak(w, wrapper.WithDeduplication(false))
			}, n > 100000},
		)
	}
	cases = append(cases, tc{"5m-dedupe/sdk", 5000000, func(_ raw, w *wrapper.Client) (int, uint64, error) { return streamPeak(w) }, true})
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if c.heavy && !heavy() {
				b.Skip("heavy benchmarks run in the first three runs of make bench")
			}
			s := newWindowServer(b, c.n)
			r, w := raw{&http.Client{Transport: transport()}, s.base}, newWrapper(b, s.base)
			// A first small call opens each client's connection, whose buffers then count in
			// the baseline rather than in the first measurement.
			_, err := w.PhoneNumbers(background, phoneID)
			check(b, err)
			_, err = r.phones(background, phoneID)
			check(b, err)
			var peaks []float64
			for b.Loop() {
				got, peak, err := c.run(r, w)
				check(b, err)
				if got != c.n {
					b.Fatalf("%d customers, want %d", got, c.n)
				}
				peaks = append(peaks, float64(peak))
			}
			slices.Sort(peaks)
			b.ReportMetric(peaks[len(peaks)/2], "peak-B")
		})
	}
}

// streamPeak streams one window and returns the customers and the stream's peak live heap,
// read every 50,000 customers and at the end.
func streamPeak(c *wrapper.Client, opts ...wrapper.StreamOption) (int, uint64, error) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	live := func() uint64 {
		// Twice: what sync.Pools cache survives one collection (in their victim caches), and
		// is not the stream's.
		runtime.GC()
		runtime.GC()
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := live()
	var peak uint64
	from, to := day, day.Add(24*time.Hour-time.Minute)
	n := 0
	for cust, err := range c.ChangedCustomerStream(background, from, to, opts...) {
		if err != nil {
			return n, 0, err
		}
		n++
		sink += int(cust.CustomerStatusID)
		if n%50000 == 0 {
			peak = max(peak, live())
		}
	}
	peak = max(peak, live())
	return n, max(peak, base) - base, nil
}

// BenchmarkStream times the stream over a window of 1,000,000 customers (as users call it,
// de-duplication on) next to encoding/json decoding the same answer whole.
func BenchmarkStream(b *testing.B) {
	if !heavy() {
		b.Skip("heavy benchmarks run in the first three runs of make bench")
	}
	s := newWindowServer(b, 1000000)
	r, w := raw{&http.Client{Transport: transport()}, s.base}, newWrapper(b, s.base)
	runRotated(b,
		variant{"1m/raw", func(b *testing.B) {
			for b.Loop() {
				n, err := rawWhole(r)
				check(b, err)
				sink += n
			}
		}},
		variant{"1m/wrapper", func(b *testing.B) {
			for b.Loop() {
				n, err := streamAll(w)
				check(b, err)
				sink += n
			}
		}},
	)
}

// BenchmarkBulkPhones times 2,000 phone lookups against a server that takes 20 ms per answer,
// one at a time and eight at a time, through the engine of omeda phones --ids-from.
func BenchmarkBulkPhones(b *testing.B) {
	if !heavy() {
		b.Skip("heavy benchmarks run in the first three runs of make bench")
	}
	s := newServer(b)
	s.latency = latency
	w := newWrapper(b, s.base)
	ids := make([]string, 2000)
	for i := range ids {
		ids[i] = strconv.Itoa(10000 + i)
	}
	lookups := func(n int) func(b *testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				got := 0
				check(b, bulk.Run(background, slices.Values(ids), n,
					func(ctx context.Context, id string) error {
						p, err := w.PhoneNumbers(ctx, id)
						if err == nil {
							sink += len(p.PhoneNumbers)
						}
						return err
					},
					func(_ string, err error) error { got++; return err }))
				if got != len(ids) {
					b.Fatalf("%d results, want %d", got, len(ids))
				}
			}
		}
	}
	runRotated(b, variant{"concurrency-1", lookups(1)}, variant{"concurrency-8", lookups(8)})
}

// peakLiveHeap runs f and returns the largest live heap any collection found during it, above
// the live heap before it.
func peakLiveHeap(f func()) uint64 {
	const metric = "/gc/heap/live:bytes"
	base, peak := samplePeak(metric, func() {
		f()
		runtime.GC() // marks what f still held at its end
	})
	sample := []metrics.Sample{{Name: metric}}
	metrics.Read(sample) // that collection's verdict, which the sampler may not have read
	return max(peak, sample[0].Value.Uint64()) - base
}
