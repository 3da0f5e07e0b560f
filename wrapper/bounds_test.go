package wrapper

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// How much the client reads, measured where it reads: the answers below come from a transport
// whose body is generated as it is read, so a 50 MB answer costs no memory in the test, and the
// body counts every byte the client takes and the largest single read it asks for. A client
// that buffered a whole answer (io.ReadAll, or json.Decoder.Decode of one huge value) would ask
// for reads as large as the answer; one that streams asks for a few KiB at a time.

const fiftyMB = 50 << 20

// generatedBody yields head, then unit repeated until size bytes (cut short if need be), then
// tail, counting what is read.
type generatedBody struct {
	head, unit, tail []byte
	size             int64 // of the whole body

	mu      sync.Mutex
	read    int64
	maxRead int
	closed  bool
}

func newGeneratedBody(head, unit, tail string, size int64) *generatedBody {
	return &generatedBody{head: []byte(head), unit: []byte(unit), tail: []byte(tail), size: size}
}

func (b *generatedBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.maxRead = max(b.maxRead, len(p))
	n := 0
	for n < len(p) && b.read < b.size {
		m := copy(p[n:], b.at(b.read, len(p)-n))
		n += m
		b.read += int64(m)
	}
	if b.read >= b.size {
		return n, io.EOF
	}
	return n, nil
}

// at returns the bytes of the body from off, at most n of them.
func (b *generatedBody) at(off int64, n int) []byte {
	headEnd := int64(len(b.head))
	tailStart := b.size - int64(len(b.tail))
	var chunk []byte
	switch {
	case off < headEnd:
		chunk = b.head[off:]
	case off >= tailStart:
		chunk = b.tail[off-tailStart:]
	default:
		i := (off - headEnd) % int64(len(b.unit))
		chunk = b.unit[i:]
		if rest := tailStart - off; int64(len(chunk)) > rest {
			chunk = chunk[:rest]
		}
	}
	if len(chunk) > n {
		chunk = chunk[:n]
	}
	return chunk
}

func (b *generatedBody) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	return nil
}

func (b *generatedBody) stats() (read int64, maxRead int, closed bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.read, b.maxRead, b.closed
}

// generatedTransport answers every request with one generated body.
type generatedTransport struct {
	status        int
	contentType   string
	contentLength int64 // sent as the answer's length; -1 for unknown
	body          *generatedBody
	requests      int
}

func (g *generatedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	g.requests++
	h := http.Header{}
	if g.contentType != "" {
		h.Set("Content-Type", g.contentType)
	}
	return &http.Response{StatusCode: g.status, Header: h, Body: g.body, ContentLength: g.contentLength, Request: r}, nil
}

func generatedClient(t *testing.T, g *generatedTransport) *Client {
	t.Helper()
	c, err := New("FOO", testAppID, WithBaseURL("https://omeda.example/webservices/rest"), WithInputID(testInputID),
		WithRetryPolicy(NoRetries()), WithHTTPClient(&http.Client{Transport: g}))
	require.NoError(t, err)
	c.now = func() time.Time { return time.Date(2026, 11, 22, 12, 0, 30, 0, chicagoZone) }
	return c
}

// callOp runs one of the five operations; the change lookup asks for a single window, the
// transaction lookup for the transaction of receiptBody and txnBody.
func callOp(ctx context.Context, c *Client, op string) error {
	var err error
	switch op {
	case "phones":
		_, err = c.PhoneNumbers(ctx, "12345")
	case "merges":
		_, err = c.MergeHistory(ctx, "99999")
	case "changes":
		_, err = c.ChangedCustomers(ctx, time.Date(2024, 1, 1, 0, 0, 0, 0, chicagoZone), time.Date(2024, 1, 31, 0, 0, 0, 0, chicagoZone))
	case "store":
		_, err = c.StoreCustomerAndOrderJSON(ctx, []byte(`{"FirstName":"Ann"}`))
	case "transaction":
		_, err = c.Transaction(ctx, 8907512)
	}
	return err
}

var boundOps = []string{"phones", "merges", "changes", "store", "transaction"}

// successBody is a small valid answer of each operation.
var successBody = map[string]string{
	"phones":      phonesBody,
	"merges":      `{"CustomerMergeHistory":[{"MergedCustomerId":22,"MergedDate":"2015-03-08 21:23:34"}],"SubmissionId":"s"}`,
	"changes":     `{"Customers":[{"Id":1,"Url":"u","DateChanged":"2024-01-02 00:00:00.000","CreatedDate":"2024-01-01 00:00:00.000","CustomerStatusId":1}],"SubmissionId":"s"}`,
	"store":       receiptBody,
	"transaction": txnBody(100, `"OmedaCustomerId":100221802`),
}

// TestOversizedAnswersAreReadUpToABound: a 50 MB error answer, a 50 MB page on a 200 and 50 MB
// after a valid answer are each read only up to the client's bound (64 KiB for an error or a
// page that is not JSON, a few KiB past the end of a valid answer), and a 50 MB answer never
// makes the error longer than its snippet.
func TestOversizedAnswersAreReadUpToABound(t *testing.T) {
	t.Parallel()
	rows := []struct {
		name      string
		status    int
		ct        string
		body      func(op string) *generatedBody
		ok        bool
		is        []error
		maxRead   int64 // bytes the client may take at most
		wantError string
		wantBody  string // prefix of the *APIError's Body
	}{
		{"50 MB text error", 500, "text/plain",
			func(string) *generatedBody { return newGeneratedBody("", "overflow ", "", fiftyMB) },
			false, []error{ErrServer}, maxErrorBody, "text/plain answer: overflow overflow", "overflow overflow"},
		{"50 MB JSON error envelope", 404, "application/json",
			func(string) *generatedBody {
				return newGeneratedBody(`{"SubmissionId":"s","Errors":[{"Error":"`, "long ", `"}]}`, fiftyMB)
			},
			false, []error{ErrNotFound}, maxErrorBody, `application/json answer: {"SubmissionId":"s","Errors":[{"Error":"long long`,
			`{"SubmissionId":"s","Errors":[{"Error":"long long`},
		{"50 MB HTML page on a 200", 200, "text/html",
			func(string) *generatedBody {
				return newGeneratedBody("<html>", "<p>maintenance</p>", "</html>", fiftyMB)
			},
			false, []error{ErrMalformedResponse}, maxErrorBody, "the answer is text/html, not JSON", "<html><p>maintenance</p>"},
		{"valid answer followed by 50 MB of blanks", 200, "application/json",
			func(op string) *generatedBody { return newGeneratedBody(successBody[op], " ", "", fiftyMB) },
			true, nil, 64 << 10, "", ""},
	}
	for _, row := range rows {
		for _, op := range boundOps {
			t.Run(row.name+"/"+op, func(t *testing.T) {
				t.Parallel()
				body := row.body(op)
				g := &generatedTransport{status: row.status, contentType: row.ct, contentLength: body.size, body: body}
				err := callOp(t.Context(), generatedClient(t, g), op)
				read, _, closed := body.stats()
				assert.LessOrEqual(t, read, row.maxRead, "bytes read of a 50 MB answer")
				assert.True(t, closed, "the body is closed")
				assert.Equal(t, 1, g.requests)
				if row.ok {
					require.NoError(t, err)
					return
				}
				require.Error(t, err)
				for _, target := range row.is {
					assert.ErrorIs(t, err, target)
				}
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.True(t, strings.HasPrefix(apiErr.Body, row.wantBody), "body %q", apiErr.Body)
				assert.LessOrEqual(t, len(apiErr.Body), maxSnippet+len("…"), "snippet bound")
				assert.Less(t, len(err.Error()), 1<<10, "the error stays short")
				assert.Contains(t, err.Error(), row.wantError)
				assertNoSecrets(t, err.Error())
			})
		}
	}
}

// customerStream is a change-lookup answer of n customers, each about 1 KiB (a long Url),
// generated as it is read; it counts the bytes read and the largest read asked for.
type customerStream struct {
	n, next int
	url     string
	pending []byte
	done    bool
	read    int64
	maxRead int
}

func (s *customerStream) Read(p []byte) (int, error) {
	s.maxRead = max(s.maxRead, len(p))
	n := 0
	for n < len(p) {
		if len(s.pending) == 0 {
			switch {
			case s.done:
				s.read += int64(n)
				return n, io.EOF
			case s.next == 0:
				s.pending = append(s.pending, `{"Customers":[`...)
			case s.next > s.n:
				s.pending = append(s.pending, `],"SubmissionId":"s-50mb"}`...)
				s.done = true
			default:
				if s.next > 1 {
					s.pending = append(s.pending, ',')
				}
				s.pending = append(s.pending, `{"Id":`...)
				s.pending = strconv.AppendInt(s.pending, int64(s.next), 10)
				s.pending = append(s.pending, `,"Url":"`+s.url+`","DateChanged":"2024-01-02 00:00:00.000","CreatedDate":"2024-01-01 00:00:00.000","CustomerStatusId":1}`...)
			}
			s.next++
		}
		m := copy(p[n:], s.pending)
		n += m
		s.pending = s.pending[m:]
	}
	s.read += int64(n)
	return n, nil
}

// TestFiftyMegabyteWindowIsStreamed: a change window of 50 MB is decoded customer by customer
// as it is read: every byte is read exactly once, no read asks for more than 64 KiB (a client
// holding the whole answer as bytes would ask for reads as large as the answer), and every
// customer arrives, in order.
func TestFiftyMegabyteWindowIsStreamed(t *testing.T) {
	t.Parallel()
	const n = fiftyMB / 1024
	url := "https://ows.omedastaging.com/webservices/rest/brand/FOO/customer/" + strings.Repeat("0", 900) + "/*"
	stream := &customerStream{n: n, url: url}
	tr := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(stream), ContentLength: -1, Request: r}, nil
	})
	c, err := New("FOO", testAppID, WithBaseURL("https://omeda.example/webservices/rest"), WithHTTPClient(&http.Client{Transport: tr}))
	require.NoError(t, err)
	c.now = func() time.Time { return time.Date(2026, 11, 22, 12, 0, 30, 0, chicagoZone) }

	windows := 0
	for w, err := range c.ChangedCustomerWindows(t.Context(), time.Date(2024, 1, 1, 0, 0, 0, 0, chicagoZone), time.Date(2024, 1, 31, 0, 0, 0, 0, chicagoZone)) {
		require.NoError(t, err)
		windows++
		require.Len(t, w.Customers, n)
		for i := range w.Customers {
			if w.Customers[i].ID != int64(i+1) {
				require.Failf(t, "out of order", "customer %d has id %d", i, w.Customers[i].ID)
			}
		}
		assert.Equal(t, url, w.Customers[n-1].URL)
		assert.Equal(t, "s-50mb", w.SubmissionID)
	}
	assert.Equal(t, 1, windows)
	assert.True(t, stream.done && len(stream.pending) == 0, "the whole answer was read")
	assert.Greater(t, stream.read, int64(fiftyMB), "a 50 MB answer")
	assert.LessOrEqual(t, stream.maxRead, 64<<10, "no read as large as the answer: it is streamed")
}

// TestAContentLengthAloneAllocatesLittle: an answer that claims a terabyte but carries one
// customer makes the client allocate a bounded list up front (the documented 16 MiB of
// structs), not memory in proportion to the claim. Not parallel, so that the allocation count
// is the call's own.
func TestAContentLengthAloneAllocatesLittle(t *testing.T) {
	body := successBody["changes"]
	g := &generatedTransport{status: 200, contentType: "application/json", contentLength: 1 << 40,
		body: newGeneratedBody(body, " ", "", int64(len(body)))}
	c := generatedClient(t, g)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got, err := c.ChangedCustomers(t.Context(), time.Date(2024, 1, 1, 0, 0, 0, 0, chicagoZone), time.Date(2024, 1, 31, 0, 0, 0, 0, chicagoZone))
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	assert.Len(t, got.Customers, 1)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(24<<20), "allocated for a claimed terabyte")
}
