package sandbox

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/gen"
)

const phonePath = "/brand/FOO/customer/12345/phone/*"

// raw sends a request with a plain client and returns the answer unread, without spec checks:
// faults answer what the spec does not document.
func (c *client) raw(t *testing.T, ctx context.Context, method, path, body string) (*http.Response, error) {
	t.Helper()
	req := c.request(t, method, path, body, nil).WithContext(ctx)
	resp, err := c.http.Do(req)
	if err == nil {
		t.Cleanup(func() { resp.Body.Close() })
	}
	return resp, err
}

// waitFor polls cond, in the calling goroutine, until it holds; it fails the test after a
// generous deadline. (testify's Eventually runs cond in goroutines of its own, which a count of
// goroutines would see.)
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited in vain: %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestFaultStatusAndRetryAfter(t *testing.T) {
	t.Parallel()
	s := StartTest(t)
	c := newClient(t, s)
	s.Inject(
		Fault{Operation: PhoneLookupByCustomerID, Status: http.StatusServiceUnavailable, RetryAfter: "7"},
		Fault{Operation: PhoneLookupByCustomerID, Status: http.StatusTooManyRequests, RetryAfter: "Wed, 21 Oct 2026 07:28:00 GMT"},
	)
	for _, want := range []struct {
		status     int
		retryAfter string
	}{{503, "7"}, {429, "Wed, 21 Oct 2026 07:28:00 GMT"}, {200, ""}} {
		resp, err := c.raw(t, context.Background(), http.MethodGet, phonePath, "")
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Equal(t, want.status, resp.StatusCode)
		assert.Equal(t, want.retryAfter, resp.Header.Get("Retry-After"))
		assert.Equal(t, jsonContentType, resp.Header.Get("Content-Type"))
		if want.status != 200 {
			var env gen.ErrorEnvelope
			require.NoError(t, json.Unmarshal(body, &env))
			require.NotNil(t, env.SubmissionID)
			require.Len(t, env.Errors, 1)
			assert.Contains(t, env.Errors[0].Error, strconv.Itoa(want.status))
			checker, err := loadChecker()
			require.NoError(t, err)
			var v any
			require.NoError(t, json.Unmarshal(body, &v))
			assert.NoError(t, checker.envelope.VisitJSON(v), "the vendor's envelope")
		}
	}
	assert.Equal(t, 3, s.Requests(PhoneLookupByCustomerID))
}

func TestFaultMatchesOperation(t *testing.T) {
	t.Parallel()
	s := StartTest(t, WithClock(fixedClock(testNow)))
	c := newClient(t, s)
	s.Inject(Fault{Operation: CustomerMergeHistoryLookup, Status: 500}, Fault{Status: 502})
	status := func(path string) int {
		resp, err := c.raw(t, context.Background(), http.MethodGet, path, "")
		require.NoError(t, err)
		return resp.StatusCode
	}
	// The phone lookup skips the merge-history fault and takes the one for any operation.
	assert.Equal(t, 502, status(phonePath))
	assert.Equal(t, 200, status(phonePath))
	assert.Equal(t, 500, status("/brand/FOO/customer/99999/mergehistory/*"))
	assert.Equal(t, 200, status("/brand/FOO/customer/99999/mergehistory/*"))
	// A fault for any operation also meets a path of none.
	s.Inject(Fault{Status: 503})
	assert.Equal(t, 503, status("/no/such/path"))
	assert.Equal(t, 404, status("/no/such/path"))

	assert.Panics(t, func() { s.Inject(Fault{Operation: "phoneLookup"}) })
	assert.Panics(t, func() { s.Inject(Fault{Delay: -1}) })
}

func TestFaultBody(t *testing.T) {
	t.Parallel()
	s := StartTest(t)
	c := newClient(t, s)
	html := []byte("<html><body>502 Bad Gateway</body></html>")
	s.Inject(
		Fault{Status: 502, Body: html, ContentType: "text/html"},
		Fault{Body: []byte(`{"not":"the spec"}`)},
	)
	resp, err := c.raw(t, context.Background(), http.MethodGet, phonePath, "")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, 502, resp.StatusCode)
	assert.Equal(t, "text/html", resp.Header.Get("Content-Type"))
	assert.Equal(t, html, body)

	resp, err = c.raw(t, context.Background(), http.MethodGet, phonePath, "")
	require.NoError(t, err)
	body, err = io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, jsonContentType, resp.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"not":"the spec"}`, string(body))
}

func TestFaultTruncate(t *testing.T) {
	t.Parallel()
	s := StartTest(t, WithClock(fixedClock(testNow)))
	c := newClient(t, s)
	cases := []struct {
		name  string
		fault Fault
		path  string
		want  int
	}{
		{"a normal answer", Fault{Truncate: 25}, phonePath, 200},
		{"a streamed change lookup", Fault{Truncate: 100}, "/brand/FOO/customer/change/startdate/01012025/enddate/03012025/*", 200},
		{"an injected error", Fault{Status: 500, Truncate: 12}, phonePath, 500},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Not parallel: the faults are taken in order.
			s.Inject(tc.fault)
			resp, err := c.raw(t, context.Background(), http.MethodGet, tc.path, "")
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err, "a complete HTTP answer")
			assert.Equal(t, tc.want, resp.StatusCode)
			assert.Equal(t, int64(tc.fault.Truncate), resp.ContentLength)
			assert.Len(t, body, tc.fault.Truncate)
			var v any
			assert.Error(t, json.Unmarshal(body, &v), "cut JSON")
		})
	}
	// A Truncate longer than the answer sends it whole.
	s.Inject(Fault{Truncate: 1 << 20})
	resp, err := c.raw(t, context.Background(), http.MethodGet, phonePath, "")
	require.NoError(t, err)
	var phones gen.CustomerPhones
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&phones))
	assert.Len(t, phones.PhoneNumbers, 2)
}

func TestFaultDropBeforeHeaders(t *testing.T) {
	t.Parallel()
	s := StartTest(t, WithClock(fixedClock(testNow)), WithProcessAfter(0))
	c := newClient(t, s)
	s.Inject(Fault{Operation: StoreCustomerAndOrder, Drop: DropBeforeHeaders})
	_, err := c.raw(t, context.Background(), http.MethodPost, storePath, `{"ClientCustomerId":"dropped","FirstName":"Ada"}`)
	require.Error(t, err)
	assert.Equal(t, 1, s.Requests(StoreCustomerAndOrder), "a POST is not replayed")

	// The submission was processed (at once here) before the connection closed: the client cannot know.
	ex := c.do(t, http.MethodGet, "/brand/FOO/customer/change/startdate/07152026/enddate/07152026_1030/*", "", nil)
	assert.Len(t, changes(t, ex).Customers, 1)

	// A GET on a new connection sees the error too.
	fresh := newClient(t, s)
	s.Inject(Fault{Operation: PhoneLookupByCustomerID, Drop: DropBeforeHeaders})
	_, err = fresh.raw(t, context.Background(), http.MethodGet, phonePath, "")
	require.Error(t, err)
	assert.Equal(t, 1, s.Requests(PhoneLookupByCustomerID))
}

func TestFaultDropAfterHeaders(t *testing.T) {
	t.Parallel()
	s := StartTest(t)
	c := newClient(t, s)
	for _, f := range []Fault{
		{Operation: PhoneLookupByCustomerID, Drop: DropAfterHeaders},
		{Operation: PhoneLookupByCustomerID, Drop: DropAfterHeaders, Status: 503, RetryAfter: "1"},
	} {
		s.Inject(f)
		resp, err := c.raw(t, context.Background(), http.MethodGet, phonePath, "")
		require.NoError(t, err, "the headers arrive")
		want := f.Status
		if want == 0 {
			want = 200
		}
		assert.Equal(t, want, resp.StatusCode)
		assert.Equal(t, f.RetryAfter, resp.Header.Get("Retry-After"))
		assert.Positive(t, resp.ContentLength)
		body, err := io.ReadAll(resp.Body)
		require.Error(t, err, "the body does not")
		assert.Less(t, int64(len(body)), resp.ContentLength)
	}
	// The sandbox goes on serving.
	resp, err := c.raw(t, context.Background(), http.MethodGet, phonePath, "")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
}

func TestFaultDelay(t *testing.T) {
	t.Parallel()
	s := StartTest(t)
	c := newClient(t, s)

	// A short delay, then the normal answer.
	s.Inject(Fault{Operation: PhoneLookupByCustomerID, Delay: 20 * time.Millisecond, RetryAfter: "3"})
	resp, err := c.raw(t, context.Background(), http.MethodGet, phonePath, "")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "3", resp.Header.Get("Retry-After"))

	// A delay longer than the client waits: the client gives up, and the handler with it.
	s.Inject(Fault{Operation: PhoneLookupByCustomerID, Delay: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.raw(t, ctx, http.MethodGet, phonePath, "")
		done <- err
	}()
	waitFor(t, "the delayed request arrives", func() bool { return s.Requests(PhoneLookupByCustomerID) == 2 })
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
	waitFor(t, "the handler ends", func() bool { return inflight(s) == 0 })
}

func TestFaultHang(t *testing.T) {
	t.Parallel()
	s := StartTest(t)
	c := newClient(t, s)
	s.Inject(Fault{Operation: CustomerMergeHistoryLookup, Hang: true})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.raw(t, ctx, http.MethodGet, "/brand/FOO/customer/99999/mergehistory/*", "")
		done <- err
	}()
	waitFor(t, "the hung request arrives", func() bool { return s.Requests(CustomerMergeHistoryLookup) == 1 })
	// Other requests are served meanwhile.
	resp, err := c.raw(t, context.Background(), http.MethodGet, phonePath, "")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	select {
	case err := <-done:
		t.Fatalf("the hung request ended on its own: %v", err)
	default:
	}
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
	waitFor(t, "the handler ends", func() bool { return inflight(s) == 0 })
}

// TestLatency: a request that reached the sandbox waits out the latency; only the caller ends it.
// The caller gives up once the request is counted, not after a fixed time: a timer could fire
// while the client is still dialing, and the request would never arrive.
func TestLatency(t *testing.T) {
	t.Parallel()
	s := StartTest(t, WithLatency(time.Hour))
	c := newClient(t, s)
	assertHeldUntilCancelled(t, s, c)
}

// assertHeldUntilCancelled sends a phone lookup, waits until the sandbox counted it, and checks
// that it is still unanswered then, and ends when the caller cancels it.
func assertHeldUntilCancelled(t *testing.T, s *Server, c *client) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		resp *http.Response
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := c.raw(t, ctx, http.MethodGet, phonePath, "")
		done <- result{resp, err}
	}()
	waitFor(t, "the request is counted", func() bool { return s.Requests("") == 1 })
	select {
	case r := <-done:
		if r.resp != nil {
			t.Fatalf("answered %d before the latency was over", r.resp.StatusCode)
		}
		t.Fatalf("the request ended before the caller cancelled it: %v", r.err)
	default:
	}
	cancel()
	r := <-done
	assert.Nil(t, r.resp, "an answer arrived before the latency was over")
	assert.ErrorIs(t, r.err, context.Canceled)
	waitFor(t, "the handler ends", func() bool { return inflight(s) == 0 })
}

func TestRequests(t *testing.T) {
	t.Parallel()
	s := StartTest(t, WithClock(fixedClock(testNow)))
	c := newClient(t, s)
	c.do(t, http.MethodGet, phonePath, "", nil)
	c.do(t, http.MethodGet, "/brand/FOO/customer/abc/phone/*", "", nil)
	c.do(t, http.MethodGet, phonePath, "", map[string]string{"x-omeda-appid": ""})
	c.do(t, http.MethodGet, "/brand/FOO/customer/99999/mergehistory/*", "", nil)
	c.do(t, http.MethodGet, "/brand/FOO/customer/change/startdate/01012020/enddate/01022020/*", "", nil)
	c.do(t, http.MethodGet, storePath, "", nil) // 405, counted for the store
	s.Inject(Fault{Operation: StoreCustomerAndOrder, Status: 500})
	resp, err := c.raw(t, context.Background(), http.MethodPost, storePath, `{"FirstName":"Ada"}`)
	require.NoError(t, err)
	assert.Equal(t, 500, resp.StatusCode)
	c.do(t, http.MethodGet, "/webservices/rest", "", nil)
	c.do(t, http.MethodGet, "/elsewhere", "", nil)

	assert.Equal(t, 3, s.Requests(PhoneLookupByCustomerID))
	assert.Equal(t, 1, s.Requests(CustomerMergeHistoryLookup))
	assert.Equal(t, 1, s.Requests(CustomerChangeLookup))
	assert.Equal(t, 2, s.Requests(StoreCustomerAndOrder))
	assert.Equal(t, 9, s.Requests(""))
	assert.Equal(t, 0, s.Requests("unknownOperation"))
}

// inflight is the number of handlers running.
func inflight(s *Server) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running
}

// Inject refuses, at once, a fault that could never do what the test meant, and accepts one for
// each of the five operations, the transaction lookup included.
func TestInjectRefusesFaultsThatCannotHappen(t *testing.T) {
	t.Parallel()
	s := StartTest(t, WithClock(fixedClock(testNow)))
	for _, f := range []Fault{
		{Operation: "phoneLookup"},
		{Status: -1},
		{Status: 1000},
		{Delay: -time.Nanosecond},
		{Truncate: -1},
		{Drop: NoDrop - 1},
		{Drop: DropAfterHeaders + 1},
	} {
		assert.Panics(t, func() { s.Inject(f) }, "%+v", f)
	}
	for _, op := range operations {
		assert.NotPanics(t, func() { s.Inject(Fault{Operation: op, Status: 999}) }, op)
	}

	// A fault for the transaction lookup reaches it, and only it.
	s.Reset()
	s.Inject(Fault{Operation: TransactionLookup, Status: 503})
	c := newClient(t, s)
	resp, err := c.raw(t, context.Background(), http.MethodGet, phonePath, "")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	resp, err = c.raw(t, context.Background(), http.MethodGet, "/brand/FOO/transaction/8907512/*", "")
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
}
