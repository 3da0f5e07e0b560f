package wrapper

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A hostile HTTP/2 server: a real TLS server (httptest, EnableHTTP2, StartTLS) whose "h2"
// connections are taken over by resetStreams, which reads every request whole (headers and
// body), counts it, and answers it with RST_STREAM PROTOCOL_ERROR, the reset after which Go's
// HTTP/2 transport replays a replayable request on its own (golang/go#47635).

// resetServer counts what reached it.
type resetServer struct {
	*httptest.Server
	requests atomic.Int32 // HEADERS frames: requests that reached the wire
	bodies   atomic.Int32 // requests whose body arrived whole (END_STREAM), non-empty
	wg       sync.WaitGroup
}

func newResetServer(t *testing.T) *resetServer {
	t.Helper()
	rs := &resetServer{}
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.EnableHTTP2 = true
	srv.Config.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){
		"h2": func(_ *http.Server, conn *tls.Conn, _ http.Handler) {
			rs.wg.Add(1)
			defer rs.wg.Done()
			rs.serve(conn)
		},
	}
	srv.StartTLS()
	rs.Server = srv
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
		rs.wg.Wait()
	})
	return rs
}

// HTTP/2 frame types and flags (RFC 9113, section 6).
const (
	frameData         = 0x0
	frameHeaders      = 0x1
	frameRSTStream    = 0x3
	frameSettings     = 0x4
	framePing         = 0x6
	flagEndStream     = 0x1
	flagAck           = 0x1
	errCodeProtocol   = 0x1
	clientPrefaceSize = 24
)

func writeFrame(w io.Writer, typ, flags byte, stream uint32, payload []byte) error {
	var h [9]byte
	h[0], h[1], h[2] = byte(len(payload)>>16), byte(len(payload)>>8), byte(len(payload))
	h[3], h[4] = typ, flags
	binary.BigEndian.PutUint32(h[5:], stream&0x7fffffff)
	if _, err := w.Write(h[:]); err != nil {
		return err
	}
	_, err := w.Write(payload)
	return err
}

func (rs *resetServer) serve(conn *tls.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	if _, err := io.ReadFull(r, make([]byte, clientPrefaceSize)); err != nil {
		return
	}
	if writeFrame(conn, frameSettings, 0, 0, nil) != nil {
		return
	}
	bodySize := map[uint32]int{}
	reset := func(stream uint32) error {
		code := make([]byte, 4)
		binary.BigEndian.PutUint32(code, errCodeProtocol)
		return writeFrame(conn, frameRSTStream, 0, stream, code)
	}
	for {
		var h [9]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return
		}
		size := int(h[0])<<16 | int(h[1])<<8 | int(h[2])
		typ, flags, stream := h[3], h[4], binary.BigEndian.Uint32(h[5:])&0x7fffffff
		payload := make([]byte, size)
		if _, err := io.ReadFull(r, payload); err != nil {
			return
		}
		var err error
		switch typ {
		case frameSettings:
			if flags&flagAck == 0 {
				err = writeFrame(conn, frameSettings, flagAck, 0, nil)
			}
		case framePing:
			if flags&flagAck == 0 {
				err = writeFrame(conn, framePing, flagAck, 0, payload)
			}
		case frameHeaders:
			rs.requests.Add(1)
			bodySize[stream] = 0
			if flags&flagEndStream != 0 {
				err = reset(stream)
			}
		case frameData:
			bodySize[stream] += size
			if flags&flagEndStream != 0 {
				if bodySize[stream] > 0 {
					rs.bodies.Add(1)
				}
				err = reset(stream)
			}
		}
		if err != nil {
			return
		}
	}
}

// h2Client is a client of rs over HTTP/2, as a caller's own *http.Client.
func h2Client(t *testing.T, rs *resetServer, opts ...Option) *Client {
	t.Helper()
	hc := rs.Client()
	tr := hc.Transport.(*http.Transport)
	require.True(t, tr.ForceAttemptHTTP2 || tr.TLSClientConfig != nil && len(tr.TLSClientConfig.NextProtos) > 0)
	c, err := New("FOO", testAppID, append([]Option{WithBaseURL(rs.URL + "/webservices/rest"), WithInputID(testInputID), WithTimeout(3 * time.Second),
		WithHTTPClient(hc)}, opts...)...)
	require.NoError(t, err)
	c.sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	return c
}

// TestASubmissionReachesAnHTTP2ServerOnceWhateverItResets: a server that reads the whole
// submission and resets the stream with PROTOCOL_ERROR receives it exactly once, and the error
// says it was sent and not resent.
func TestASubmissionReachesAnHTTP2ServerOnceWhateverItResets(t *testing.T) {
	t.Parallel()
	rs := newResetServer(t)
	c := h2Client(t, rs)
	_, err := c.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
	require.Error(t, err)
	assert.EqualValues(t, 1, rs.requests.Load(), "requests that reached the server")
	assert.EqualValues(t, 1, rs.bodies.Load(), "submissions that reached the server")
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, Sent, te.Delivery)
	assert.Contains(t, err.Error(), "not resent because Omeda may already have queued it")
	// Go's advice to define Request.GetBody would undo the rule: the message leaves it out.
	assert.NotContains(t, err.Error(), "GetBody")
	assertNoSecrets(t, err.Error())
}

// TestLookupsReachAnHTTP2ServerAsOftenAsTheRetryPolicySays: the same server draws exactly
// MaxAttempts requests from a lookup, however often the transport would replay them.
func TestLookupsReachAnHTTP2ServerAsOftenAsTheRetryPolicySays(t *testing.T) {
	t.Parallel()
	for _, attempts := range []int{1, 3} {
		rs := newResetServer(t)
		c := h2Client(t, rs, WithRetryPolicy(RetryPolicy{MaxAttempts: attempts, BaseDelay: time.Millisecond, MaxWait: time.Millisecond}))
		_, err := c.PhoneNumbers(t.Context(), "12345")
		require.Error(t, err)
		assert.EqualValues(t, attempts, rs.requests.Load(), "GETs that reached the server with MaxAttempts %d", attempts)
		from := time.Date(2024, 1, 1, 0, 0, 0, 0, chicagoZone)
		before := rs.requests.Load()
		_, err = c.ChangedCustomers(t.Context(), from, from.Add(time.Hour))
		require.Error(t, err)
		assert.EqualValues(t, attempts, rs.requests.Load()-before, "change lookups that reached the server")
	}
}

// TestHTTP2AnswersAreRead: against a well-behaved HTTP/2 server (Go's own), every operation
// works, GETs included, whose empty body ends the stream with an empty DATA frame.
func TestHTTP2AnswersAreRead(t *testing.T) {
	t.Parallel()
	var bodies atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor != 2 {
			respond(w, 500, `{"Errors":[{"Error":"not HTTP/2"}]}`)
			return
		}
		data, _ := io.ReadAll(r.Body)
		if len(data) > 0 {
			bodies.Add(1)
		}
		switch r.Method {
		case http.MethodPost:
			respond(w, 200, receiptBody)
		default:
			respond(w, 200, phonesBody)
		}
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c, err := New("FOO", testAppID, WithBaseURL(srv.URL+"/webservices/rest"), WithInputID(testInputID), WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	_, err = c.PhoneNumbers(t.Context(), "12345")
	require.NoError(t, err)
	_, err = c.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
	require.NoError(t, err)
	assert.EqualValues(t, 1, bodies.Load(), "only the submission has a body")
}

// replayingTransport is a caller's transport that sends a request again after a failure, the
// way naive retrying RoundTrippers do.
type replayingTransport struct{ base http.RoundTripper }

func (r replayingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err == nil && resp.StatusCode < 500 {
		return resp, nil
	}
	if err == nil {
		_ = resp.Body.Close()
	}
	return r.base.RoundTrip(req)
}

// TestACallersReplayingTransportCannotResendASubmission: the body of a submission can be read
// once, so a caller's transport that replays the request cannot send it a second time.
// TestATransportsReplayCountsInTheAttemptNumber: Go's HTTP/1 transport sends a GET again on a
// new connection when a kept-alive one closes after taking it. The server below answers the
// first request with a retryable 503, then closes every connection after reading its request:
// the client's second attempt reaches the wire twice (the transport's replay), which spends the
// retry policy's three requests, and the error numbers the last one 3, as many as the server saw.
func TestATransportsReplayCountsInTheAttemptNumber(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	var requests atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				r := bufio.NewReader(conn)
				for {
					req, err := http.ReadRequest(r)
					if err != nil {
						return
					}
					_ = req.Body.Close()
					if requests.Add(1) > 1 {
						return // closes the connection after taking the request
					}
					body := `{"Errors":[{"Error":"busy"}]}`
					_, _ = fmt.Fprintf(conn, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
				}
			}()
		}
	}()
	c, err := New("FOO", testAppID, WithBaseURL("http://"+ln.Addr().String()+"/webservices/rest"),
		WithRetryPolicy(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxWait: time.Millisecond}))
	require.NoError(t, err)
	c.sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	_, err = c.PhoneNumbers(t.Context(), "12345")
	require.Error(t, err)
	assert.EqualValues(t, 3, requests.Load(), "requests that reached the server")
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 3, te.Attempts)
	assert.Contains(t, err.Error(), "attempt 3:")
}

func TestACallersReplayingTransportCannotResendASubmission(t *testing.T) {
	t.Parallel()
	var requests, bodies atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if data, _ := io.ReadAll(r.Body); len(data) > 0 {
			bodies.Add(1)
		}
		respond(w, 503, `{"Errors":[{"Error":"busy"}]}`)
	}))
	t.Cleanup(srv.Close)
	hc := &http.Client{Transport: replayingTransport{base: srv.Client().Transport}}
	c, err := New("FOO", testAppID, WithBaseURL(srv.URL+"/webservices/rest"), WithInputID(testInputID), WithHTTPClient(hc))
	require.NoError(t, err)
	_, err = c.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
	require.Error(t, err)
	assert.EqualValues(t, 1, bodies.Load(), "submissions that reached the server")
	assert.Contains(t, err.Error(), "not resent")
}

// TestStoreSaysNothingWasSentWhenNothingWas: failures before any byte of the submission left
// (a certificate the client refuses, a timeout already past) say nothing was sent; a caller's
// context that ends while the server holds the submission says it may already be queued.
func TestStoreSaysNothingWasSentWhenNothingWas(t *testing.T) {
	t.Parallel()
	var bodies atomic.Int32
	hold := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if data, _ := io.ReadAll(r.Body); len(data) > 0 {
			bodies.Add(1)
		}
		select {
		case <-hold:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(hold); srv.Close() })
	submit := func(c *Client, ctx context.Context) error {
		_, err := c.StoreCustomerAndOrderJSON(ctx, []byte(`{"FirstName":"Ann"}`))
		return err
	}

	t.Run("a certificate the client refuses", func(t *testing.T) {
		c, err := New("FOO", testAppID, WithBaseURL(srv.URL+"/webservices/rest"), WithInputID(testInputID))
		require.NoError(t, err)
		err = submit(c, t.Context())
		var te *TransportError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, NotSent, te.Delivery)
		assert.Contains(t, err.Error(), "nothing was sent")
		assert.NotContains(t, err.Error(), "may already")
	})
	t.Run("a timeout of one nanosecond", func(t *testing.T) {
		c, err := New("FOO", testAppID, WithBaseURL(srv.URL+"/webservices/rest"), WithInputID(testInputID),
			WithHTTPClient(srv.Client()), WithTimeout(time.Nanosecond))
		require.NoError(t, err)
		err = submit(c, t.Context())
		var te *TransportError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, NotSent, te.Delivery)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), "nothing was sent")
	})
	t.Run("the caller's context ends while the server holds it", func(t *testing.T) {
		c, err := New("FOO", testAppID, WithBaseURL(srv.URL+"/webservices/rest"), WithInputID(testInputID),
			WithHTTPClient(srv.Client()))
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		go func() {
			for bodies.Load() == 0 && ctx.Err() == nil {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
		err = submit(c, ctx)
		var te *TransportError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, Sent, te.Delivery)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Contains(t, err.Error(), "may already have queued it")
	})
	assert.EqualValues(t, 1, bodies.Load())
}
