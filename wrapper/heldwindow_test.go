package wrapper

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A change window held whole (ChangedCustomers, ChangedCustomerWindows) is bounded three ways:
// any one customer or value by WithMaxAnswerSize, the memory its customers take by
// WithMaxWindowSize, and that memory is shared by the windows fetched at once. The checks
// below measure bytes read and bytes allocated, never time.

var heldRange = [2]time.Time{time.Date(2024, 1, 1, 0, 0, 0, 0, chicagoZone), time.Date(2024, 1, 31, 0, 0, 0, 0, chicagoZone)}

// allocatedBy reports the bytes allocated while f runs (the test must not run in parallel).
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestAHeldWindowBoundsEachValue: one 50 MB value anywhere in a held window (the SubmissionId,
// a customer's string, one customer of 50 MB of members) is an error once it passes the
// answer bound (4 MiB), having read that and allocated a few times it, not the 50 MB. Not
// parallel: it counts allocations.
func TestAHeldWindowBoundsEachValue(t *testing.T) {
	bombs := map[string]*generatedBody{
		"SubmissionId":   newGeneratedBody(`{"SubmissionId":"`, "a", `"}`, fiftyMB),
		"after the list": newGeneratedBody(`{"Customers":[{"Id":1}],"SubmissionId":"`, "a", `"}`, fiftyMB),
		"customer Url":   newGeneratedBody(`{"Customers":[{"Id":1,"Url":"`, "a", `"}]}`, fiftyMB),
		"customer keys":  newGeneratedBody(`{"Customers":[{"Id":1`, `,"k":0`, `}]}`, fiftyMB),
	}
	for name, body := range bombs {
		t.Run(name, func(t *testing.T) {
			g := &generatedTransport{status: 200, contentType: "application/json", contentLength: -1, body: body}
			c := generatedClient(t, g)
			var err error
			alloc := allocatedBy(func() { _, err = c.ChangedCustomers(t.Context(), heldRange[0], heldRange[1]) })
			require.ErrorIs(t, err, ErrAnswerTooLarge)
			assert.Contains(t, err.Error(), "WithMaxAnswerSize")
			read, _, closed := body.stats()
			assert.LessOrEqual(t, read, int64(DefaultMaxAnswerSize+64<<10), "bytes read of a 50 MB value")
			// Cumulative: the decoder's buffer doubles up to twice the bound (and the copies add up).
			assert.Less(t, alloc, uint64(6*DefaultMaxAnswerSize), "bytes allocated in all for a 50 MB value")
			assert.True(t, closed)
		})
	}
}

// TestAHeldWindowCountsItsMemory: customers of a few bytes on the wire take far more in memory
// (a 64-byte struct for `{"Id":1}`); the window bound counts the memory, so a window of tiny
// customers stops near the bound rather than at several times it. Not parallel.
func TestAHeldWindowCountsItsMemory(t *testing.T) {
	const bound = 1 << 20
	body := newGeneratedBody(`{"Customers":[{"Id":1}`, `,{"Id":2}`, `]}`, fiftyMB)
	g := &generatedTransport{status: 200, contentType: "application/json", contentLength: -1, body: body}
	c, err := New("FOO", testAppID, WithBaseURL("https://omeda.example/webservices/rest"),
		WithRetryPolicy(NoRetries()), WithHTTPClient(&http.Client{Transport: g}), WithMaxWindowSize(bound))
	require.NoError(t, err)
	c.now = generatedClient(t, g).now
	alloc := allocatedBy(func() { _, err = c.ChangedCustomers(t.Context(), heldRange[0], heldRange[1]) })
	require.ErrorIs(t, err, ErrAnswerTooLarge)
	assert.Contains(t, err.Error(), "WithMaxWindowSize")
	assert.Contains(t, err.Error(), "1 MiB")
	assert.Less(t, alloc, uint64(3*bound), "bytes allocated for a window bounded at 1 MiB")
	read, _, _ := body.stats()
	assert.Less(t, read, int64(bound), "the memory bound trips before the byte count")
}

// TestAHeldWindowStillCountsItsBytes: a window whose bytes pass WithMaxWindowSize is refused
// even when what it holds is small (50 MB of white space between customers).
func TestAHeldWindowStillCountsItsBytes(t *testing.T) {
	t.Parallel()
	body := newGeneratedBody(`{"Customers":[{"Id":1}`, ` `, `]}`, fiftyMB)
	g := &generatedTransport{status: 200, contentType: "application/json", contentLength: -1, body: body}
	c, err := New("FOO", testAppID, WithBaseURL("https://omeda.example/webservices/rest"),
		WithRetryPolicy(NoRetries()), WithHTTPClient(&http.Client{Transport: g}), WithMaxWindowSize(1<<20))
	require.NoError(t, err)
	c.now = generatedClient(t, g).now
	_, err = c.ChangedCustomers(t.Context(), heldRange[0], heldRange[1])
	require.ErrorIs(t, err, ErrAnswerTooLarge)
	assert.Contains(t, err.Error(), "WithMaxWindowSize")
	read, _, _ := body.stats()
	assert.LessOrEqual(t, read, int64(1<<20+1))
}

// gatedBody yields data, but its reads past half wait until gate is open.
type gatedBody struct {
	r        *bytes.Reader
	half     int64
	atHalf   func()
	gate     <-chan struct{}
	onClose  func()
	reported bool
}

func (b *gatedBody) Read(p []byte) (int, error) {
	off := b.r.Size() - int64(b.r.Len())
	if off >= b.half {
		if !b.reported {
			b.reported = true
			b.atHalf()
		}
		<-b.gate
	} else if left := b.half - off; int64(len(p)) > left {
		p = p[:left]
	}
	return b.r.Read(p)
}

func (b *gatedBody) Close() error { b.onClose(); return nil }

// TestConcurrentWindowsShareTheBound: four windows fetched at once each fit the window bound
// alone, but not together. Each answer stops halfway until all four are halfway (or one has
// failed), so all four are held at once: the shared budget refuses, where a bound per window
// would let four times the bound be held.
func TestConcurrentWindowsShareTheBound(t *testing.T) {
	t.Parallel()
	const bound = 1 << 20
	var window bytes.Buffer // about 0.6 MiB of memory: 3,800 customers of 64 + 100 bytes
	window.WriteString(`{"Customers":[`)
	for i := 1; i <= 3800; i++ {
		if i > 1 {
			window.WriteByte(',')
		}
		fmt.Fprintf(&window, `{"Id":%d,"Url":"%s"}`, i, strings.Repeat("u", 100))
	}
	window.WriteString(`],"SubmissionId":"s"}`)
	var (
		mu     sync.Mutex
		halfs  int
		gate   = make(chan struct{})
		opened bool
	)
	open := func() {
		if !opened {
			opened = true
			close(gate)
		}
	}
	tr := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		body := &gatedBody{r: bytes.NewReader(window.Bytes()), half: int64(window.Len() / 2), gate: gate,
			atHalf: func() {
				mu.Lock()
				defer mu.Unlock()
				halfs++
				if halfs == 4 {
					open()
				}
			},
			onClose: func() { mu.Lock(); defer mu.Unlock(); open() }}
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: body, ContentLength: -1, Request: r}, nil
	})
	c, err := New("FOO", testAppID, WithBaseURL("https://omeda.example/webservices/rest"), WithRetryPolicy(NoRetries()),
		WithHTTPClient(&http.Client{Transport: tr}), WithMaxWindowSize(bound), WithWindowConcurrency(4))
	require.NoError(t, err)
	c.now = func() time.Time { return time.Date(2026, 11, 22, 12, 0, 30, 0, chicagoZone) }

	// Each window alone fits.
	solo, err := New("FOO", testAppID, WithBaseURL("https://omeda.example/webservices/rest"), WithMaxWindowSize(bound),
		WithHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(bytes.NewReader(window.Bytes())), ContentLength: -1, Request: r}, nil
		})}))
	require.NoError(t, err)
	_, _, err = solo.fetchWindow(t.Context(), Window{From: heldRange[0], To: heldRange[1]}, newHeldBudget(bound, 1))
	require.NoError(t, err)

	var last error
	for _, err := range c.ChangedCustomerWindows(t.Context(), time.Date(2023, 1, 1, 0, 0, 0, 0, chicagoZone), time.Date(2023, 12, 31, 0, 0, 0, 0, chicagoZone)) {
		last = err
	}
	require.ErrorIs(t, last, ErrAnswerTooLarge)
	assert.Contains(t, last.Error(), "shared by the 4 windows fetched at once")
	assert.Contains(t, last.Error(), "WithMaxWindowSize")
}

// TestChangedCustomersCountsEveryWindowItMerges: ChangedCustomers holds its whole range as one
// answer, so three windows that each fit the bound, but not together, are refused; the same
// range window by window (ChangedCustomerWindows, the caller holding one at a time) is not.
func TestChangedCustomersCountsEveryWindowItMerges(t *testing.T) {
	t.Parallel()
	const bound = 1 << 20
	var calls int
	var mu sync.Mutex
	tr := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		calls++
		base := calls * 10_000 // distinct customers in each window
		mu.Unlock()
		var window bytes.Buffer // about 0.45 MiB of memory: 2,800 customers of 64 + 100 bytes
		window.WriteString(`{"Customers":[`)
		for i := 1; i <= 2800; i++ {
			if i > 1 {
				window.WriteByte(',')
			}
			fmt.Fprintf(&window, `{"Id":%d,"Url":"%s"}`, base+i, strings.Repeat("u", 100))
		}
		window.WriteString(`],"SubmissionId":"s"}`)
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(&window), ContentLength: -1, Request: r}, nil
	})
	c, err := New("FOO", testAppID, WithBaseURL("https://omeda.example/webservices/rest"), WithRetryPolicy(NoRetries()),
		WithHTTPClient(&http.Client{Transport: tr}), WithMaxWindowSize(bound))
	require.NoError(t, err)
	c.now = func() time.Time { return time.Date(2026, 11, 22, 12, 0, 30, 0, Chicago()) }
	from, to := time.Date(2023, 1, 1, 0, 0, 0, 0, Chicago()), time.Date(2023, 8, 31, 0, 0, 0, 0, Chicago()) // three windows

	n := 0
	for w, err := range c.ChangedCustomerWindows(t.Context(), from, to) {
		require.NoError(t, err)
		assert.Len(t, w.Customers, 2800)
		n++
	}
	assert.Equal(t, 3, n)

	_, err = c.ChangedCustomers(t.Context(), from, to)
	require.ErrorIs(t, err, ErrAnswerTooLarge)
	assert.Contains(t, err.Error(), "merged into one answer")
	assert.Contains(t, err.Error(), "WithMaxWindowSize")
}
