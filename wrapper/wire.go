package wrapper

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
)

// What reaches the wire is decided here, not by the transport underneath.
//
// Go's transports replay a request on their own when it looks replayable: the HTTP/2 transport
// after a stream reset (PROTOCOL_ERROR, REFUSED_STREAM) or a GOAWAY, up to seven times per
// RoundTrip, and the HTTP/1 transport after a kept-alive connection dies. A request is
// replayable when it has no body or when it can make its body again (Request.GetBody, which
// http.NewRequest sets for a *bytes.Reader). Such replays happen below the client's retry
// loop, so that a submission could reach Omeda many times and a lookup far more often than
// RetryPolicy allows. Every request therefore carries a body that cannot be made again: the
// submission's bytes behind a reader that refuses to be read twice, and an empty body for a
// GET. A transport that replays anyway (a caller's own RoundTripper) is caught by the
// connection trace of the attempt: a second connection taken after a request was written ends
// the attempt, and every write counts against the retry policy.

// errSentOnce is what a submission's body answers a second reading with.
var errSentOnce = errors.New("omeda: the submission was already sent once on this request; it is never sent again")

// onceBody is a request body that can be read through once. Once it has reported the end of
// its bytes (or been closed), every read fails, so that no layer below the client can send
// the same bytes again on its own.
type onceBody struct {
	r    io.Reader
	done atomic.Bool
}

func (b *onceBody) Read(p []byte) (int, error) {
	if b.done.Load() {
		return 0, errSentOnce
	}
	n, err := b.r.Read(p)
	if err == io.EOF {
		b.done.Store(true)
	}
	return n, err
}

func (b *onceBody) Close() error {
	b.done.Store(true)
	return nil
}

// emptyBody is the body of a GET: empty, and not http.NoBody, so that the request does not
// count as replayable. The HTTP/1 transport sends it as no body at all; HTTP/2 ends the stream
// with an empty DATA frame.
type emptyBody struct{}

func (emptyBody) Read([]byte) (int, error) { return 0, io.EOF }
func (emptyBody) Close() error             { return nil }

// unreplayable is the request editor of every call: it leaves no way for the transport to
// send the request again. A GET over plain http keeps its empty body: only HTTP/1 is spoken
// there (Go's HTTP/2 needs TLS unless told otherwise), whose transport replays a GET only on a
// kept-alive connection that closed before any answer, and at most once, which the attempt's
// trace then catches; an empty body there would cost a goroutine per request.
func unreplayable(_ context.Context, req *http.Request) error {
	req.GetBody = nil
	switch b := req.Body.(type) {
	case nil:
		if req.URL.Scheme == "https" {
			req.Body = emptyBody{}
		}
	default:
		req.Body = &onceBody{r: b}
	}
	return nil
}

// Delivery says how much of a request reached the connection before a call failed.
type Delivery int

// The three answers a failure can give about a request.
const (
	// NotSent: nothing of the request was written; sending it again cannot duplicate it.
	NotSent Delivery = iota
	// Sent: the whole request was written; Omeda may have received and acted on it.
	Sent
	// MaybeSent: part of the request was written, or the transport cannot tell; Omeda may have
	// received it.
	MaybeSent
)

// String names the delivery as the error messages do.
func (d Delivery) String() string {
	switch d {
	case NotSent:
		return "nothing was sent"
	case Sent:
		return "the request was sent"
	default:
		return "the request may have been sent"
	}
}

// wire follows one attempt on the connection through net/http/httptrace, and holds what the
// attempt reads (one allocation for both). Each attempt has its own: a transport can call a
// hook after RoundTrip has returned (HTTP/2 writes from a goroutine of its own), and such a
// late call must not count against the next attempt. The first attempt of a lookup uses one
// allocated with the call.
type wire struct {
	hooks   httptrace.ClientTrace
	body    trackingReader
	conns   atomic.Int32 // connections taken for the attempt
	headers atomic.Int32 // requests whose headers were written
	whole   atomic.Int32 // requests written whole, body included
	failed  atomic.Int32 // requests whose writing failed part way
	get     bool         // only connections are counted
	budget  int32        // requests a GET may still put on the wire
	aborted atomic.Bool  // the attempt was ended to stop a replay
	abort   context.CancelFunc
}

// trace returns ctx with the attempt's hooks. post asks for the finer hooks a submission needs
// to say what was sent; a GET only counts the connections it takes, each one a request on the
// wire (a GET is written as soon as it has a connection).
func (w *wire) trace(ctx context.Context, post bool) context.Context {
	if post {
		w.hooks = httptrace.ClientTrace{GotConn: w.gotConn, WroteHeaders: w.wroteHeaders, WroteRequest: w.wroteRequest}
	} else {
		w.hooks = httptrace.ClientTrace{GotConn: w.gotConn}
		w.get = true
	}
	return httptrace.WithClientTrace(ctx, &w.hooks)
}

func (w *wire) gotConn(httptrace.GotConnInfo) {
	// A second connection taken within one attempt is a replay by the transport. A GET may be
	// replayed while the retry policy has attempts left (each counts as one); past them, and
	// for a submission as soon as something of it was written, the attempt ends rather than
	// let the request reach the wire again. (A transport may take another connection for a
	// submission when the first turned out unusable before anything was sent.)
	n := w.conns.Add(1)
	if n == 1 {
		return
	}
	if w.get && n > w.budget || !w.get && w.whole.Load()+w.failed.Load()+w.headers.Load() > 0 {
		w.aborted.Store(true)
		w.abort()
	}
}

func (w *wire) wroteHeaders() { w.headers.Add(1) }

func (w *wire) wroteRequest(info httptrace.WroteRequestInfo) {
	if info.Err != nil {
		w.failed.Add(1)
		return
	}
	w.whole.Add(1)
}

// writes is how many requests of the attempt reached the wire, at least in part (for a GET,
// how many connections it took).
func (w *wire) writes() int {
	if w.get {
		return int(w.conns.Load())
	}
	return int(max(w.headers.Load(), w.whole.Load()+w.failed.Load()))
}

// stopped reports whether the attempt was ended to stop the transport replaying it.
func (w *wire) stopped() bool { return w.aborted.Load() }

// delivery says what the attempt sent, for a failure to get an answer.
func (w *wire) delivery() Delivery {
	switch {
	case w.get && w.conns.Load() > 0:
		return MaybeSent
	case w.get:
		return NotSent
	case w.whole.Load() > 0:
		return Sent
	case w.headers.Load() == 0 && w.failed.Load() == 0:
		return NotSent
	default:
		return MaybeSent
	}
}
