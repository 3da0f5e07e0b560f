// Command benchsummary reads the output of the benchmarks in internal/bench (go test -bench
// ... -benchmem, any -count) from standard input, echoes it, and prints a summary last, one line
// per case:
//
//	ratio CASE time=X.XX allocs=Y.YY        wrapper ÷ raw, median ns/op and allocs/op
//	ratio backfill-concurrent speedup=Z.ZZ  sequential ÷ concurrent wrapper, median ns/op
//	heap CASE sdk=N raw=M                    median peak heap in bytes (the peak-B metric)
//
// It exits non-zero when a benchmark the summary needs is missing.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// line matches a benchmark result: name, iterations, then value-unit pairs.
var line = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

// results holds every value reported for each benchmark and unit.
type results map[string]map[string][]float64

func parse(r io.Reader, echo io.Writer) (results, error) {
	res := results{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		text := sc.Text()
		fmt.Fprintln(echo, text)
		m := line.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		name := strings.TrimPrefix(m[1], "Benchmark")
		fields := strings.Fields(m[2])
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			if res[name] == nil {
				res[name] = map[string][]float64{}
			}
			res[name][fields[i+1]] = append(res[name][fields[i+1]], v)
		}
	}
	return res, sc.Err()
}

func (r results) median(name, unit string) (float64, error) {
	vs := r[name][unit]
	if len(vs) == 0 {
		return 0, fmt.Errorf("no %s for benchmark %s", unit, name)
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2], nil
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2, nil
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
	for _, c := range []struct{ name, bench string }{
		{"phone", "PhoneLookup"},
		{"changes-1k", "Changes/1k"},
		{"changes-100k", "Changes/100k"},
		{"backfill", "Backfill"},
	} {
		t, err := r.ratio(c.bench+"/wrapper", c.bench+"/raw", "ns/op")
		if err != nil {
			return nil, err
		}
		a, err := r.ratio(c.bench+"/wrapper", c.bench+"/raw", "allocs/op")
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
	return out, nil
}

func main() {
	res, err := parse(os.Stdin, os.Stdout)
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
