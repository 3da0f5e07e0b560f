package wrapper

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/internal/leakcheck"
)

const changesPattern = "GET /brand/FOO/customer/change/startdate/{start}/enddate/{end}/*"

// changeServer answers change lookups from a list of customers the way the vendor describes:
// both ends inclusive (the end through its last second), at most 90 days, 404 when empty.
type changeServer struct {
	customers []gen.ChangedCustomer
	mu        sync.Mutex
	asked     []string
	inFlight  atomic.Int32
	maxFlight atomic.Int32
	delay     func(start string) time.Duration
}

func (s *changeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.inFlight.Add(1)
	// In flight until the answer starts: a client that has read a whole answer may send its
	// next request before this handler has returned.
	answering := sync.OnceFunc(func() { s.inFlight.Add(-1) })
	defer answering()
	for {
		m := s.maxFlight.Load()
		if n <= m || s.maxFlight.CompareAndSwap(m, n) {
			break
		}
	}
	start, err1 := time.ParseInLocation(LayoutDateTime, r.PathValue("start"), chicagoZone)
	end, err2 := time.ParseInLocation(LayoutDateTime, r.PathValue("end"), chicagoZone)
	if err1 != nil || err2 != nil {
		respond(w, 404, `{"Errors":[{"Error":"malformed date"}]}`)
		return
	}
	s.mu.Lock()
	s.asked = append(s.asked, r.PathValue("start")+".."+r.PathValue("end"))
	s.mu.Unlock()
	if s.delay != nil {
		select {
		case <-time.After(s.delay(r.PathValue("start"))):
		case <-r.Context().Done():
			return
		}
	}
	answering()
	if end.Sub(start) > MaxWindow {
		respond(w, 404, `{"Errors":[{"Error":"The date range cannot exceed 90 days."}]}`)
		return
	}
	var out gen.CustomerChanges
	for _, c := range s.customers {
		changed, _ := ParseTime(c.DateChanged)
		if !changed.Before(start) && changed.Before(end.Add(time.Minute)) {
			out.Customers = append(out.Customers, c)
		}
	}
	if len(out.Customers) == 0 {
		respond(w, 404, `{"SubmissionId":"empty","Errors":[{"Error":"No customers changed within that date range."}]}`)
		return
	}
	sid := "sid-" + r.PathValue("start")
	out.SubmissionID = &sid
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

func customer(id int64, changed string) gen.ChangedCustomer {
	return gen.ChangedCustomer{
		ID: id, URL: fmt.Sprintf("https://ows.omeda.com/webservices/rest/brand/FOO/customer/%d/*", id),
		DateChanged: changed, CreatedDate: "2020-01-01 00:00:00.000", CustomerStatusID: 1,
	}
}

func TestChangedCustomersMergesWindowsAndKeepsTheLatest(t *testing.T) {
	t.Parallel()
	srv := &changeServer{customers: []gen.ChangedCustomer{
		customer(1, "2024-01-05 10:00:00.000"),
		customer(2, "2024-02-01 09:30:00.000"),
		customer(3, "2024-03-31 00:00:00.000"), // in the minute two windows share
		customer(2, "2024-06-01 08:00:00.000"), // changed again, in a later window
		customer(4, "2024-06-01 08:00:00.500 CDT"),
	}}
	f := setup(t)
	f.handle(changesPattern, srv.ServeHTTP)
	got, err := f.client.ChangedCustomers(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 7, 1, 0, 0))
	require.NoError(t, err)
	assert.Equal(t, []string{"01012024_0000..03312024_0000", "03312024_0000..06292024_0000", "06292024_0000..07012024_0000"}, srv.asked)
	var ids []int64
	for _, c := range got.Customers {
		ids = append(ids, c.ID)
	}
	assert.Equal(t, []int64{1, 2, 3, 4}, ids, "each customer once, in the order first seen")
	assert.Equal(t, "2024-06-01 08:00:00.000", got.Customers[1].DateChanged, "the latest change wins")
	assert.Nil(t, got.SubmissionID, "several calls answered")
}

func TestChangedCustomersEmptyWindows(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle(changesPattern, (&changeServer{}).ServeHTTP)
	got, err := f.client.ChangedCustomers(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 12, 1, 0, 0))
	require.NoError(t, err, "a window without changes is empty, not an error")
	assert.NotNil(t, got.Customers)
	assert.Empty(t, got.Customers)
	data, err := json.Marshal(got)
	require.NoError(t, err)
	assert.JSONEq(t, `{"Customers":[]}`, string(data))
	assert.EqualValues(t, 4, f.requests.Load())
}

func TestChangedCustomersSingleWindowKeepsItsSubmissionID(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle(changesPattern, (&changeServer{customers: []gen.ChangedCustomer{customer(7, "2024-01-02 00:00:00.000")}}).ServeHTTP)
	got, err := f.client.ChangedCustomers(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 3, 0, 0))
	require.NoError(t, err)
	require.NotNil(t, got.SubmissionID)
	assert.Equal(t, "sid-01012024_0000", *got.SubmissionID)
}

func TestChangedCustomersErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		handler http.HandlerFunc
		want    error
		msg     string
	}{
		{"another 404", status(404, `{"Errors":[{"Error":"The date range cannot exceed 90 days."}]}`), ErrNotFound, "window 01012024_0000..01022024_0000: omeda: customerChangeLookup: HTTP 404 Not Found: The date range cannot exceed 90 days."},
		{"a bare 404", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(404) }, ErrNotFound, "HTTP 404"},
		{"forbidden", status(403, `{"Errors":[{"Error":"no"}]}`), ErrForbidden, "HTTP 403"},
		{"errors on a 200", status(200, `{"SubmissionId":"x","Errors":[{"Error":"No customers changed within that date range."}]}`), nil, "HTTP 200 OK: No customers changed"},
		{"Customers missing", status(200, `{"SubmissionId":"x"}`), ErrMalformedResponse, "the answer has no Customers"},
		{"Customers null", status(200, `{"Customers":null}`), ErrMalformedResponse, "the answer has no Customers"},
		{"Customers an object", status(200, `{"Customers":{"Id":1}}`), ErrMalformedResponse, "the Customers field is {, not a list"},
		{"a bad customer", status(200, `{"Customers":[{"Id":"one"}]}`), ErrMalformedResponse, "cannot unmarshal"},
		{"truncated", status(200, `{"Customers":[{"Id":1,"Url":"x"`), ErrMalformedResponse, "unexpected EOF"},
		{"not an object", status(200, `[]`), ErrMalformedResponse, "expected '{'"},
		{"Customers twice", status(200, `{"Customers":[{"Id":1,"Url":"u","DateChanged":"2024-01-01 10:00:00.000","CreatedDate":"2024-01-01 10:00:00.000","CustomerStatusId":1}],"Customers":[]}`),
			ErrMalformedResponse, "the answer has the key Customers twice"},
		// A second Errors would erase the first, and a window whose answer says it failed would
		// read as a success; a second SubmissionId would leave the one to quote to Omeda unknown.
		{"Errors twice, the second empty", status(200, `{"Errors":[{"Error":"Server busy"}],"Customers":[],"Errors":[]}`),
			ErrMalformedResponse, "the answer has the key Errors twice"},
		{"Errors twice, the second null", status(200, `{"Customers":[],"Errors":[{"Error":"Server busy"}],"Errors":null}`),
			ErrMalformedResponse, "the answer has the key Errors twice"},
		{"SubmissionId twice", status(200, `{"SubmissionId":"a","Customers":[],"SubmissionId":"b"}`),
			ErrMalformedResponse, "the answer has the key SubmissionId twice"},
		// Keys match whatever their case, as encoding/json (and the other answers) match them:
		// an "errors" was skipped, and a window that said it failed read as a success.
		{"errors in another case", status(200, `{"Customers":[],"errors":[{"Error":"Server busy"}],"submissionId":"s-9"}`),
			nil, "HTTP 200 OK: Server busy (SubmissionId s-9)"},
		{"Errors twice, the second in another case", status(200, `{"Errors":[{"Error":"Server busy"}],"Customers":[],"ERRORS":[]}`),
			ErrMalformedResponse, "the answer has the key ERRORS twice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, WithRetryPolicy(NoRetries()))
			f.handle(changesPattern, tc.handler)
			_, err := f.client.ChangedCustomers(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0))
			require.Error(t, err)
			if tc.want != nil {
				assert.ErrorIs(t, err, tc.want)
			}
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

// TestChangedCustomersErrorsQuoteNoLongToken: a malformed window's cause (APIError.Err) named
// the token it found whole, and a token can be a string of megabytes: APIError.Error() cut it,
// but Err.Error() carried it all, unquoted. A string token is now quoted when short, and only
// measured when long, so that no part of the answer (nor the start of a secret cut short,
// which the request loop's redaction would miss) reaches the message.
func TestChangedCustomersErrorsQuoteNoLongToken(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 1<<20)
	for body, want := range map[string]string{
		`{"Customers":"` + long + `"}`: "the Customers field is a string of 1048576 bytes, not a list",
		`"` + long + `"`:               "expected '{', found a string of 1048576 bytes",
		`{"Customers":"short"}`:        `the Customers field is "short", not a list`,
		`{"Customers":"a\u001bb"}`:     `the Customers field is "a\x1bb", not a list`,
		`["` + testAppID + `"]`:        `expected '{', found [`,
		`"` + testAppID + `"`:          `expected '{', found "[REDACTED]"`,
	} {
		f := setup(t, WithRetryPolicy(NoRetries()))
		f.handle(changesPattern, status(200, body))
		_, err := f.client.ChangedCustomers(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0))
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		require.Error(t, apiErr.Err)
		assert.Equal(t, want, apiErr.Err.Error(), "%.60s", body)
		assert.Contains(t, err.Error(), want)
	}
}

func TestChangedCustomersRefusesBadRangesBeforeSending(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, err := f.client.ChangedCustomers(t.Context(), chicago(2024, 2, 1, 0, 0), chicago(2024, 1, 1, 0, 0))
	require.ErrorIs(t, err, ErrInvalidInput)
	_, err = f.client.ChangedCustomers(t.Context(), chicago(2027, 2, 1, 0, 0), chicago(2028, 1, 1, 0, 0))
	require.ErrorIs(t, err, ErrInvalidInput)
	assert.Zero(t, f.requests.Load())
}

func TestChangedCustomersClampsTheEndToNow(t *testing.T) {
	t.Parallel()
	srv := &changeServer{}
	f := setup(t) // now is 2026-11-22 12:00:30 in Chicago
	f.handle(changesPattern, srv.ServeHTTP)
	_, err := f.client.ChangedCustomers(t.Context(), chicago(2026, 11, 20, 0, 0), chicago(2026, 12, 25, 0, 0))
	require.NoError(t, err)
	assert.Equal(t, []string{"11202026_0000..11222026_1200"}, srv.asked)
}

func TestChangedCustomerWindowsStreamsInOrder(t *testing.T) {
	t.Parallel()
	var customers []gen.ChangedCustomer
	day := chicago(2021, 1, 1, 12, 0)
	for i := range 5 * 365 {
		customers = append(customers, customer(int64(1000+i), day.AddDate(0, 0, i).Format(LayoutTimestampMillis)))
	}
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprint(workers, " workers"), func(t *testing.T) {
			t.Parallel()
			// Later windows answer sooner, to prove the order does not depend on the answers'.
			srv := &changeServer{customers: customers, delay: func(start string) time.Duration {
				if start < "06" {
					return 3 * time.Millisecond
				}
				return 0
			}}
			f := setup(t, WithWindowConcurrency(workers))
			f.handle(changesPattern, srv.ServeHTTP)
			var (
				windows []Window
				total   int
			)
			for w, err := range f.client.ChangedCustomerWindows(t.Context(), chicago(2021, 1, 1, 0, 0), chicago(2025, 12, 31, 0, 0)) {
				require.NoError(t, err)
				windows = append(windows, w.Window)
				total += len(w.Customers)
			}
			assert.Len(t, windows, 21)
			assertCovers(t, windows, chicago(2021, 1, 1, 0, 0), chicago(2025, 12, 31, 0, 0))
			assert.Equal(t, 5*365, total, "every change is in exactly one window")
			assert.LessOrEqual(t, srv.maxFlight.Load(), int32(workers))
		})
	}
}

// TestChangedCustomerWindowsStopsWhenTheCallerDoes is not parallel, so that goleak sees only the
// goroutines this test starts after its server.
func TestChangedCustomerWindowsStopsWhenTheCallerDoes(t *testing.T) {
	srv := &changeServer{customers: []gen.ChangedCustomer{customer(1, "2021-02-01 00:00:00.000")}}
	f := setup(t, WithWindowConcurrency(4))
	f.handle(changesPattern, srv.ServeHTTP)
	before := goleak.IgnoreCurrent()
	n := 0
	for _, err := range f.client.ChangedCustomerWindows(t.Context(), chicago(2021, 1, 1, 0, 0), chicago(2025, 12, 31, 0, 0)) {
		require.NoError(t, err)
		n++
		if n == 2 {
			break
		}
	}
	assert.Equal(t, 2, n)
	srv.mu.Lock()
	asked := len(srv.asked)
	srv.mu.Unlock()
	assert.LessOrEqual(t, asked, 2+4, "no more than the look-ahead was fetched")
	// No fetch outlives the loop. A fetch that was in flight still finishes its request and may
	// leave its connection idle in the pool: that is the pool's, not a leaked fetch.
	leakcheck.VerifyNone(t, before,
		goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreAnyFunction("net/http.(*conn).serve"))
}

func TestChangedCustomerWindowsReportsAFailedWindow(t *testing.T) {
	t.Parallel()
	f := setup(t, WithWindowConcurrency(3), WithRetryPolicy(NoRetries()))
	f.handle(changesPattern, func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("start") == "03312024_0000" {
			respond(w, 500, `{"Errors":[{"Error":"boom"}]}`)
			return
		}
		respond(w, 404, `{"Errors":[{"Error":"No customers changed within that date range."}]}`)
	})
	var errs []error
	n := 0
	for _, err := range f.client.ChangedCustomerWindows(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 12, 1, 0, 0)) {
		n++
		if err != nil {
			errs = append(errs, err)
		}
	}
	assert.Equal(t, 2, n, "the first window, then the failure, then nothing")
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrServer)
	assert.Contains(t, errs[0].Error(), "window 03312024_0000..06292024_0000")
}

func TestChangedCustomersHonoursCancellation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	f := setup(t, WithWindowConcurrency(2))
	f.handle(changesPattern, func(w http.ResponseWriter, r *http.Request) {
		cancel()
		<-r.Context().Done()
	})
	_, err := f.client.ChangedCustomers(ctx, chicago(2024, 1, 1, 0, 0), chicago(2024, 12, 1, 0, 0))
	require.ErrorIs(t, err, context.Canceled)
}
