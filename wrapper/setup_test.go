package wrapper

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Recognizable credentials: no error, log line or output may ever contain them.
const (
	testAppID   = "APPID-7d1f0c9e-SECRET"
	testInputID = "INPUTID-51aa2b-SECRET"
	basePath    = "/api-v1/webservices/rest"
)

// fixture is a client wired to an httptest server mounted under a non-empty base path, so that
// a URL built wrongly fails the test, with waits recorded instead of slept.
type fixture struct {
	client   *Client
	mux      *http.ServeMux
	server   *httptest.Server
	requests atomic.Int32

	mu    sync.Mutex
	waits []time.Duration
}

func setup(t *testing.T, opts ...Option) *fixture {
	t.Helper()
	f := &fixture{mux: http.NewServeMux()}
	root := http.NewServeMux()
	root.Handle(basePath+"/", http.StripPrefix(basePath, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		f.mux.ServeHTTP(w, r)
	})))
	f.server = httptest.NewServer(root)
	t.Cleanup(f.server.Close)

	all := append([]Option{WithBaseURL(f.server.URL + basePath), WithInputID(testInputID)}, opts...)
	c, err := New("FOO", testAppID, all...)
	require.NoError(t, err)
	c.now = func() time.Time { return time.Date(2026, 11, 22, 12, 0, 30, 0, chicagoZone) }
	c.jitter = func() float64 { return 0.5 }
	c.sleep = func(ctx context.Context, d time.Duration) error {
		f.mu.Lock()
		f.waits = append(f.waits, d)
		f.mu.Unlock()
		return ctx.Err()
	}
	f.client = c
	return f
}

func (f *fixture) recordedWaits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

// handle registers a handler for a method and path below the base path.
func (f *fixture) handle(pattern string, h http.HandlerFunc) { f.mux.HandleFunc(pattern, h) }

// respond writes a JSON answer.
func respond(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// sequence answers with the given handlers in turn, repeating the last one.
func sequence(hs ...http.HandlerFunc) http.HandlerFunc {
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i >= len(hs) {
			i = len(hs) - 1
		}
		hs[i](w, r)
	}
}

// cycle answers with the given handlers in turn, starting over after the last one.
func cycle(hs ...http.HandlerFunc) http.HandlerFunc {
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		hs[int(n.Add(1)-1)%len(hs)](w, r)
	}
}

func status(code int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { respond(w, code, body) }
}

// assertNoSecrets fails if a text carries either credential.
func assertNoSecrets(t *testing.T, text string) {
	t.Helper()
	assert.False(t, strings.Contains(text, testAppID), "app id leaked: %s", text)
	assert.False(t, strings.Contains(text, testInputID), "input id leaked: %s", text)
}

const (
	phonesPath  = "GET /brand/FOO/customer/12345/phone/*"
	phonesBody  = `{"Customer":"https://ows.omedastaging.com/webservices/rest/brand/FOO/customer/12345/*","PhoneNumbers":[{"Id":472517,"PhoneContactType":200,"PhoneNumber":"8475648900","Extension":"999","StatusCode":1,"ChangedDate":"2015-03-08 21:23:34"},{"Id":472518,"PhoneContactType":210,"PhoneNumber":"8475648901","StatusCode":1,"ChangedDate":"2015-03-08 21:23:34"}],"SubmissionId":"24B9BF6F-0677-462B-942A-D87EEBD10F77"}`
	mergedBody  = `{"SubmissionId":"2da476ca-9ae6-4b4a-a77c-4aafbd275028","Errors":[{"MergedIntoCustomerId":99999,"Error":"Customer id 22 is valid but not active. Please use 99999."}]}`
	noPhoneBody = `{"SubmissionId":"ec0c2ba6-13f4-4934-8efa-74c2ccb33f1d","Errors":[{"Error":"No phone number found for customer 12345."}]}`
)

const receiptBody = `{"ResponseInfo":[{"TransactionId":8907512,"Url":"https://ows.omedastaging.com/webservices/rest/brand/FOO/transaction/8907512/*"}]}`

// countAttempts returns an option that gives the client a transport of its own (closed with
// the test) and the count of the requests the client hands it: its attempts, whether or not a
// request reached the server before a timeout ended it. A server's count misses an attempt
// whose timeout fired while it was still connecting, which a loaded machine makes possible.
func countAttempts(t *testing.T) (Option, *atomic.Int32) {
	var n atomic.Int32
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return WithHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		n.Add(1)
		return tr.RoundTrip(r)
	})}), &n
}

// expiringContext is a caller's context whose deadline passes when the test calls expire: at a
// moment the test chooses (once a request has arrived, say), not at a time a loaded machine may
// reach before the request is even sent. Its values are its parent's; its end is its own.
type expiringContext struct {
	context.Context
	done chan struct{}
	once sync.Once
}

// withExpiry returns a context of parent's values that ends, with context.DeadlineExceeded, when
// its expire is called, and at the latest when the test ends.
func withExpiry(t *testing.T, parent context.Context) *expiringContext {
	c := &expiringContext{Context: context.WithoutCancel(parent), done: make(chan struct{})}
	t.Cleanup(c.expire)
	return c
}

func (c *expiringContext) Done() <-chan struct{} { return c.done }

func (c *expiringContext) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

func (c *expiringContext) expire() { c.once.Do(func() { close(c.done) }) }

// expireOnArrival returns a context of parent's values whose deadline passes once arrived
// reports true (the sandbox has the request, say), and at the latest when the test ends.
func expireOnArrival(t *testing.T, parent context.Context, arrived func() bool) context.Context {
	dl := withExpiry(t, parent)
	go func() {
		for !arrived() && dl.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		dl.expire()
	}()
	return dl
}
