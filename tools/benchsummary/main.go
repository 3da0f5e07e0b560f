// Command benchsummary reads the output of the benchmarks in internal/bench (go test -bench
// ... -benchmem, any -count) from standard input, echoes it, and prints a summary last, one line
// per case:
//
//	ratio CASE time=X.XX allocs=Y.YY        wrapper ÷ raw, median ns/op and allocs/op
//	ratio phone-gen time=X.XX allocs=Y.YY   the generated client alone ÷ raw: the floor under
//	                                         the wrapper's phone ratio, since it builds every
//	                                         request with gen
//	ratio backfill-concurrent speedup=Z.ZZ  sequential ÷ concurrent wrapper, median ns/op
//	heap CASE sdk=N raw=M                    median peak heap in bytes (the peak-B metric)
//	heap changes-stream n=N sdk=B raw=R      the same while streaming a window of N customers,
//	                                         next to decoding it whole with encoding/json
//	heap changes-stream-dedupe n=N sdk=B     the stream with de-duplication on
//	ratio changes-stream-1m time=X.XX        stream ÷ whole-body encoding/json, median ns/op
//	ratio bulk-phones speedup=Z.ZZ           2,000 lookups one at a time ÷ eight at a time
//
// The input is read with golang.org/x/perf's benchfmt and the medians come from its benchmath,
// as in benchstat. It exits non-zero when a benchmark the summary needs is missing.
//
// It lives in the tools module (tools/go.mod), so that golang.org/x/perf stays out of the SDK's
// module graph; make bench runs it with `go run -C tools ./benchsummary`.
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
)

// results holds every value reported for each benchmark (its name without the Benchmark prefix
// and the GOMAXPROCS suffix) and unit (as the benchmark printed it, ns/op rather than sec/op).
type results map[string]map[string][]float64

// parse reads benchmark results, echoing the input to echo; a line benchfmt cannot read is
// reported to warn and skipped.
func parse(r io.Reader, echo, warn io.Writer) (results, error) {
	res := results{}
	reader := benchfmt.NewReader(io.TeeReader(r, echo), "stdin")
	for reader.Scan() {
		switch rec := reader.Result().(type) {
		case *benchfmt.SyntaxError:
			fmt.Fprintln(warn, "benchsummary: skipped:", rec)
		case *benchfmt.Result:
			name := benchName(rec.Name)
			if res[name] == nil {
				res[name] = map[string][]float64{}
			}
			for _, v := range rec.Values {
				unit, value := v.Unit, v.Value
				if v.OrigUnit != "" {
					unit, value = v.OrigUnit, v.OrigValue
				}
				res[name][unit] = append(res[name][unit], value)
			}
		}
	}
	return res, reader.Err()
}

// benchName is the full name without GOMAXPROCS: "PhoneLookup/raw" for BenchmarkPhoneLookup/raw-2.
func benchName(n benchfmt.Name) string {
	base, parts := n.Parts()
	var b strings.Builder
	b.Write(bytes.TrimPrefix(base, []byte("Benchmark")))
	for _, p := range parts {
		if !bytes.HasPrefix(p, []byte("-")) {
			b.Write(p)
		}
	}
	return b.String()
}

// median is benchstat's centre of a sample (benchmath's distribution-free summary).
func (r results) median(name, unit string) (float64, error) {
	vs := r[name][unit]
	if len(vs) == 0 {
		return 0, fmt.Errorf("no %s for benchmark %s", unit, name)
	}
	sample := benchmath.NewSample(append([]float64(nil), vs...), &benchmath.DefaultThresholds)
	return benchmath.AssumeNothing.Summary(sample, 0.95).Center, nil
}

func (r results) ratio(num, den, unit string) (float64, error) {
	n, err := r.median(num, unit)
	if err != nil {
		return 0, err
	}
	d, err := r.median(den, unit)
	if err != nil {
		return 0, err
	}
	if d == 0 {
		return 0, fmt.Errorf("%s of %s is zero", unit, den)
	}
	return n / d, nil
}

// summary renders the summary lines.
func summary(r results) ([]string, error) {
	var out []string
	for _, c := range []struct{ name, bench, client string }{
		{"phone", "PhoneLookup", "wrapper"},
		{"phone-gen", "PhoneLookup", "gen"},
		{"changes-1k", "Changes/1k", "wrapper"},
		{"changes-100k", "Changes/100k", "wrapper"},
		{"backfill", "Backfill", "wrapper"},
	} {
		t, err := r.ratio(c.bench+"/"+c.client, c.bench+"/raw", "ns/op")
		if err != nil {
			return nil, err
		}
		a, err := r.ratio(c.bench+"/"+c.client, c.bench+"/raw", "allocs/op")
		if err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("ratio %s time=%.2f allocs=%.2f", c.name, t, a))
	}
	speedup, err := r.ratio("Backfill/wrapper", "Backfill/wrapper-concurrent", "ns/op")
	if err != nil {
		return nil, err
	}
	out = append(out, fmt.Sprintf("ratio backfill-concurrent speedup=%.2f", speedup))
	for _, c := range []string{"changes-100k", "backfill-1y", "backfill-5y"} {
		sdk, err := r.median("PeakHeap/"+c+"/wrapper", "peak-B")
		if err != nil {
			return nil, err
		}
		raw, err := r.median("PeakHeap/"+c+"/raw", "peak-B")
		if err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("heap %s sdk=%.0f raw=%.0f", c, sdk, raw))
	}
	for _, c := range []struct{ n, bench string }{{"100000", "100k"}, {"1000000", "1m"}, {"5000000", "5m"}} {
		sdk, err := r.median("StreamHeap/"+c.bench+"/sdk", "peak-B")
		if err != nil {
			return nil, err
		}
		raw, err := r.median("StreamHeap/"+c.bench+"/raw", "peak-B")
		if err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("heap changes-stream n=%s sdk=%.0f raw=%.0f", c.n, sdk, raw))
	}
	dedupe, err := r.median("StreamHeap/5m-dedupe/sdk", "peak-B")
	if err != nil {
		return nil, err
	}
	out = append(out, fmt.Sprintf("heap changes-stream-dedupe n=5000000 sdk=%.0f", dedupe))
	t, err := r.ratio("Stream/1m/wrapper", "Stream/1m/raw", "ns/op")
	if err != nil {
		return nil, err
	}
	out = append(out, fmt.Sprintf("ratio changes-stream-1m time=%.2f", t))
	bulk, err := r.ratio("BulkPhones/concurrency-1", "BulkPhones/concurrency-8", "ns/op")
	if err != nil {
		return nil, err
	}
	out = append(out, fmt.Sprintf("ratio bulk-phones speedup=%.2f", bulk))
	return out, nil
}

func main() {
	res, err := parse(os.Stdin, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchsummary:", err)
		os.Exit(1)
	}
	lines, err := summary(res)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchsummary:", err)
		os.Exit(1)
	}
	fmt.Println()
	for _, l := range lines {
		fmt.Println(l)
	}
}
