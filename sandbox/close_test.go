package sandbox

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/omeda-go/omeda-go/internal/leakcheck"
)

// TestCloseLeavesNoGoroutine: Close ends hung and delayed handlers and every connection, and
// leaves no goroutine of its own. It is not parallel, so that goleak sees only this test's
// goroutines (the parallel tests only start once the sequential ones are done).
func TestCloseLeavesNoGoroutine(t *testing.T) {
	before := goleak.IgnoreCurrent()

	s, err := Start("127.0.0.1:0", WithClock(fixedClock(testNow)))
	require.NoError(t, err)
	tr := &http.Transport{}
	c := &client{s: s, http: &http.Client{Transport: tr}}

	// Idle keep-alive connections, a streamed answer, a store.
	c.do(t, http.MethodGet, phonePath, "", nil)
	c.do(t, http.MethodGet, "/brand/FOO/customer/change/startdate/01012025/enddate/03012025/*", "", nil)
	c.do(t, http.MethodPost, storePath, `{"FirstName":"Ada"}`, nil)

	// A hang and a long delay in flight, which only Close ends.
	s.Inject(
		Fault{Operation: CustomerMergeHistoryLookup, Hang: true},
		Fault{Operation: PhoneLookupByCustomerID, Delay: time.Hour},
	)
	errs := make(chan error, 2)
	for _, path := range []string{"/brand/FOO/customer/99999/mergehistory/*", phonePath} {
		go func() {
			resp, err := c.http.Do(c.request(t, http.MethodGet, path, "", nil))
			if err == nil {
				resp.Body.Close()
			}
			errs <- err
		}()
	}
	waitFor(t, "both requests arrive", func() bool { return inflight(s) == 2 })
	require.Error(t, goleak.Find(before), "the check sees the sandbox's goroutines while it serves")

	// Nothing listens once hung handlers end: a transport that sees its reused connection close
	// without an answer sends the GET again on a new connection, which must find no sandbox.
	s.ending = func() {
		u, err := url.Parse(s.URL)
		require.NoError(t, err)
		conn, err := net.Dial("tcp", u.Host)
		if err == nil {
			conn.Close()
		}
		assert.Error(t, err, "the sandbox still listens as it ends the hung handlers")
	}
	served := s.Requests("")
	require.NoError(t, s.Close())
	assert.Equal(t, 0, inflight(s), "Close waited for the handlers")
	assert.Error(t, <-errs, "the client sees the connection close")
	assert.Error(t, <-errs, "the client sees the connection close")
	assert.Equal(t, served, s.Requests(""), "no request was served during Close")

	// The connection goroutines were done with their connections when Close returned; they
	// are given time to return before they count as leaked.
	tr.CloseIdleConnections()
	leakcheck.VerifyNone(t, before)

	// Closed is closed.
	assert.NoError(t, s.Close(), "closing twice")
	_, err = http.Get(s.URL + phonePath)
	assert.Error(t, err, "nothing listens any more")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, basePath+phonePath, nil))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Contains(t, rec.Body.String(), "The sandbox is closed.")
}

func TestRun(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan *Server, 1)
	done := make(chan error, 1)
	go func() { done <- Run(ctx, "127.0.0.1:0", func(s *Server) { started <- s }) }()
	s := <-started
	resp, err := http.Get(s.URL + "/nowhere")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	cancel()
	require.NoError(t, <-done)
	assert.Equal(t, 1, s.Requests(""))
}

func TestStartRefusesBadOptions(t *testing.T) {
	t.Parallel()
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, chicago)
	for name, opt := range map[string]Option{
		"negative population": WithPopulation(-1),
		"huge population":     WithPopulation(MaxPopulation + 1),
		"empty span":          WithPopulationSpan(day, day),
		"reversed span":       WithPopulationSpan(day, day.AddDate(0, 0, -1)),
		"nil clock":           WithClock(nil),
		"negative latency":    WithLatency(-time.Second),
		"nil logger":          WithLogger(nil),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, err := Start("127.0.0.1:0", opt)
			assert.Error(t, err)
			assert.Nil(t, s)
		})
	}
	_, err := Start("256.0.0.1:0")
	assert.Error(t, err, "an address that cannot be listened on")
}

func TestHandlerMountedElsewhere(t *testing.T) {
	t.Parallel()
	s := StartTest(t)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	req, err := http.NewRequest(http.MethodGet, ts.URL+basePath+phonePath, nil)
	require.NoError(t, err)
	req.Header.Set("x-omeda-appid", "x")
	resp, err := ts.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestLogNeverHoldsHeaderValues(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), nil))
	s := StartTest(t, WithLogger(logger), WithAppID("secret-app-id"))
	c := newClient(t, s)
	s.Inject(Fault{Operation: PhoneLookupByCustomerID, Status: 500}) // documented: the spec check accepts it
	c.do(t, http.MethodGet, phonePath, "", map[string]string{"x-omeda-appid": "secret-app-id"})
	c.do(t, http.MethodGet, phonePath, "", map[string]string{"x-omeda-appid": "secret-wrong-id"})
	c.do(t, http.MethodPost, storePath, `{"FirstName":"Ada"}`, map[string]string{"x-omeda-appid": "secret-app-id", "x-omeda-inputid": "secret-input-id"})

	mu.Lock()
	defer mu.Unlock()
	logged := buf.String()
	assert.NotContains(t, logged, "secret")
	assert.Equal(t, 3, strings.Count(logged, `"msg":"sandbox request"`))
	assert.Contains(t, logged, `"operation":"phoneLookupByCustomerId","status":500`)
	assert.Contains(t, logged, `"operation":"phoneLookupByCustomerId","status":403`)
	assert.Contains(t, logged, `"operation":"storeCustomerAndOrder","status":200`)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
