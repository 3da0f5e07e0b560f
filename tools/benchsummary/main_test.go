package main

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sample = `goos: linux
BenchmarkPhoneLookup/raw-2         	   11997	     100 ns/op	    8508 B/op	     100 allocs/op
BenchmarkPhoneLookup/gen-2         	   10000	     105 ns/op	    9585 B/op	     119 allocs/op
BenchmarkPhoneLookup/wrapper-2     	   10000	     108 ns/op	   10766 B/op	     120 allocs/op
BenchmarkPhoneLookup/raw-2         	   11997	     90 ns/op	    8508 B/op	     100 allocs/op
BenchmarkPhoneLookup/gen-2         	   10000	     95 ns/op	    9585 B/op	     119 allocs/op
BenchmarkPhoneLookup/gen-2         	   10000	     125 ns/op	    9585 B/op	     119 allocs/op
BenchmarkPhoneLookup/wrapper-2     	   10000	     99 ns/op	   10766 B/op	     120 allocs/op
BenchmarkPhoneLookup/raw-2         	   11997	     120 ns/op	    8508 B/op	     100 allocs/op
BenchmarkPhoneLookup/wrapper-2     	   10000	     130 ns/op	   10766 B/op	     120 allocs/op
BenchmarkChanges/1k/raw-2          	     255	   1000 ns/op	  805389 B/op	    3000 allocs/op
BenchmarkChanges/1k/wrapper-2      	     286	   1100 ns/op	  470946 B/op	    3000 allocs/op
BenchmarkChanges/100k/raw-2        	       4	 2000 ns/op	114428984 B/op	  300000 allocs/op
BenchmarkChanges/100k/wrapper-2    	       3	 2200 ns/op	84209074 B/op	  300300 allocs/op
BenchmarkBackfill/raw-2            	       3	 400 ns/op	 1 B/op	  10 allocs/op
BenchmarkBackfill/wrapper-2        	       3	 404 ns/op	 1 B/op	  11 allocs/op
BenchmarkBackfill/wrapper-concurrent-2 	       3	 101 ns/op	 1 B/op	  11 allocs/op
BenchmarkPeakHeap/changes-100k/raw-2     1  5 ns/op  40000000 peak-B
BenchmarkPeakHeap/changes-100k/wrapper-2 1  5 ns/op  20000000 peak-B
BenchmarkPeakHeap/backfill-1y/raw-2      1  5 ns/op  9000000 peak-B
BenchmarkPeakHeap/backfill-1y/wrapper-2  1  5 ns/op  4000000 peak-B
BenchmarkPeakHeap/backfill-5y/raw-2      1  5 ns/op  9100000 peak-B
BenchmarkPeakHeap/backfill-5y/wrapper-2  1  5 ns/op  4100000 peak-B
BenchmarkStreamHeap/100k/raw-2           1  5 ns/op  62000000 peak-B
BenchmarkStreamHeap/100k/sdk-2           1  5 ns/op  1400000 peak-B
BenchmarkStreamHeap/1m/raw-2             1  5 ns/op  540000000 peak-B
BenchmarkStreamHeap/1m/sdk-2             1  5 ns/op  1500000 peak-B
BenchmarkStreamHeap/5m/raw-2             1  5 ns/op  2700000000 peak-B
BenchmarkStreamHeap/5m/sdk-2             1  5 ns/op  1450000 peak-B
BenchmarkStreamHeap/5m-dedupe/sdk-2      1  5 ns/op  3000000 peak-B
BenchmarkStream/1m/raw-2                 1  4000 ns/op
BenchmarkStream/1m/wrapper-2             1  3000 ns/op
BenchmarkBulkPhones/concurrency-1-2      1  40000 ns/op
BenchmarkBulkPhones/concurrency-8-2      1  5000 ns/op
PASS
`

func TestSummary(t *testing.T) {
	res, err := parse(strings.NewReader(sample), io.Discard, io.Discard)
	require.NoError(t, err)
	lines, err := summary(res)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"ratio phone time=1.08 allocs=1.20",     // medians 108 and 100
		"ratio phone-gen time=1.05 allocs=1.19", // medians 105 and 100
		"ratio changes-1k time=1.10 allocs=1.00",
		"ratio changes-100k time=1.10 allocs=1.00",
		"ratio backfill time=1.01 allocs=1.10",
		"ratio backfill-concurrent speedup=4.00",
		"heap changes-100k sdk=20000000 raw=40000000",
		"heap backfill-1y sdk=4000000 raw=9000000",
		"heap backfill-5y sdk=4100000 raw=9100000",
		"heap changes-stream n=100000 sdk=1400000 raw=62000000",
		"heap changes-stream n=1000000 sdk=1500000 raw=540000000",
		"heap changes-stream n=5000000 sdk=1450000 raw=2700000000",
		"heap changes-stream-dedupe n=5000000 sdk=3000000",
		"ratio changes-stream-1m time=0.75",
		"ratio bulk-phones speedup=8.00",
	}, lines)
}

func TestSummaryNeedsEveryCase(t *testing.T) {
	res, err := parse(strings.NewReader("BenchmarkPhoneLookup/raw-2  1  100 ns/op  1 allocs/op\n"), io.Discard, io.Discard)
	require.NoError(t, err)
	_, err = summary(res)
	assert.ErrorContains(t, err, "PhoneLookup/wrapper")
}

func TestParseEchoesAndNamesWithoutGOMAXPROCS(t *testing.T) {
	in := "goos: linux\nBenchmarkPhoneLookup/raw 10 100 ns/op 5 allocs/op\n" +
		"BenchmarkPhoneLookup/raw-8 10 300 ns/op 5 allocs/op\nBenchmarkBroken/raw-2 10 x ns/op\nPASS\n"
	var echo, warn strings.Builder
	res, err := parse(strings.NewReader(in), &echo, &warn)
	require.NoError(t, err)
	assert.Equal(t, in, echo.String(), "the input is echoed as it came")
	assert.Equal(t, []float64{100, 300}, res["PhoneLookup/raw"]["ns/op"], "ns/op as printed, not benchfmt's sec/op")
	assert.Contains(t, warn.String(), "stdin:4: parsing measurement")
	m, err := res.median("PhoneLookup/raw", "ns/op")
	require.NoError(t, err)
	assert.Equal(t, 200.0, m, "the median of an even sample is the mean of the middle two")
}
