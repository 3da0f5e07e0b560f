package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Drop closes the connection instead of finishing an answer.
type Drop int

const (
	// NoDrop answers completely.
	NoDrop Drop = iota
	// DropBeforeHeaders closes the connection without answering: the client sees a transport
	// error. Go's http.Transport replays a GET once on a new connection when a reused keep-alive
	// connection closes before any byte of the answer; queue two faults (or disable keep-alives)
	// to see the error from such a client.
	DropBeforeHeaders
	// DropAfterHeaders sends the status, the headers (with the Content-Length of the full body)
	// and part of the body, then closes the connection: the client sees the status, then an error
	// reading the body.
	DropAfterHeaders
)

// String names the drop, for logs.
func (d Drop) String() string {
	switch d {
	case NoDrop:
		return "none"
	case DropBeforeHeaders:
		return "before-headers"
	case DropAfterHeaders:
		return "after-headers"
	}
	return "Drop(" + strconv.Itoa(int(d)) + ")"
}

// Fault is a misbehaviour for a test of a client: the next request that matches Operation gets it
// instead of (or on top of) the normal answer. See [Server.Inject].
//
// Unless Status or Body is set, the request is still served normally (a store customer and order
// is applied) and the fault alters how the answer reaches the client.
type Fault struct {
	// Operation is the operationId to match: [PhoneLookupByCustomerID], [CustomerChangeLookup],
	// [CustomerMergeHistoryLookup], [StoreCustomerAndOrder] or [TransactionLookup]. "" matches
	// any request, even one to a path of no operation.
	Operation string
	// Status answers with this status instead; its body is the vendor's error envelope, with a
	// SubmissionId, unless Body is set. 0 answers normally (or with status 200 when Body is set).
	Status int
	// RetryAfter is a Retry-After header value to send, verbatim.
	RetryAfter string
	// Delay is a wait before answering. It ends early, without an answer, when the client goes
	// away or the sandbox closes.
	Delay time.Duration
	// Body is a raw body to send instead of the normal answer or the envelope.
	Body []byte
	// ContentType is the Content-Type of Body (default application/json).
	ContentType string
	// Truncate, when positive, sends only the first Truncate bytes of the body, with a
	// Content-Length that matches: a complete HTTP answer whose JSON is cut.
	Truncate int
	// Drop closes the connection before or during the answer.
	Drop Drop
	// Hang never answers: the request waits until the client gives up or the sandbox closes, and
	// the connection is then closed.
	Hang bool
}

// Inject queues faults. Each is used by the next request that matches its Operation, in the order
// given; faults that match no request stay queued. Inject panics if a fault names an unknown
// operation, has a Status outside 0 to 999, a negative Delay or Truncate, or a Drop that is not
// one of the three: such a fault could never do what a test meant.
func (s *Server) Inject(faults ...Fault) {
	for _, f := range faults {
		if f.Operation != "" && !slices.Contains(operations, f.Operation) {
			panic(fmt.Sprintf("sandbox: Inject: unknown operation %q (want one of %v)", f.Operation, operations))
		}
		if f.Status < 0 || f.Status > 999 || f.Delay < 0 || f.Truncate < 0 || f.Drop < NoDrop || f.Drop > DropAfterHeaders {
			panic(fmt.Sprintf("sandbox: Inject: invalid fault %+v", f))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, faults...)
}

// takeFault removes and returns the first queued fault that matches op.
func (s *Server) takeFault(op string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Operation == "" || f.Operation == op {
			s.faults = slices.Delete(s.faults, i, i+1)
			return f, true
		}
	}
	return Fault{}, false
}

// abort ends a handler without an answer: net/http closes the connection, and a client sees a
// transport error (or, when headers went out, an error reading the body).
func abort() {
	panic(http.ErrAbortHandler)
}

// sleep waits d; false when the request ended or the sandbox closed first.
func (s *Server) sleep(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-s.closing:
	}
	return false
}

// serveFault answers r as f says; normal writes the normal answer.
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, f Fault, normal http.HandlerFunc) {
	if f.Hang {
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
		abort()
	}
	if f.Delay > 0 && !s.sleep(r, f.Delay) {
		abort()
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	replaced := f.Status != 0 || f.Body != nil
	if !replaced && f.Truncate == 0 && f.Drop == NoDrop {
		normal(w, r)
		return
	}

	// Build the whole answer first, then send it whole, cut, or not at all.
	var ans capture
	if replaced {
		ans.status = f.Status
		if ans.status == 0 {
			ans.status = http.StatusOK
		}
		ans.header = http.Header{}
		if f.Body != nil {
			ct := f.ContentType
			if ct == "" {
				ct = jsonContentType
			}
			ans.header.Set("Content-Type", ct)
			ans.body.Write(f.Body)
		} else {
			ans.header.Set("Content-Type", jsonContentType)
			msg := fmt.Sprintf("The sandbox answered %d %s, as injected.", f.Status, http.StatusText(f.Status))
			_ = json.NewEncoder(&ans.body).Encode(envelope(msg))
			ans.body.Truncate(ans.body.Len() - 1) // the encoder's newline
		}
	} else {
		ans.header = http.Header{}
		normal(&ans, r)
		if ans.status == 0 {
			ans.status = http.StatusOK
		}
	}

	body := ans.body.Bytes()
	switch f.Drop {
	case DropBeforeHeaders:
		abort()
	case DropAfterHeaders:
		ans.send(w, len(body), body[:len(body)/2])
		if err := http.NewResponseController(w).Flush(); err != nil {
			abort()
		}
		abort()
	}
	if f.Truncate > 0 && f.Truncate < len(body) {
		body = body[:f.Truncate]
	}
	ans.send(w, len(body), body)
}

// capture is an answer held back, for a fault that sends it otherwise.
type capture struct {
	status int
	header http.Header
	body   bytes.Buffer
}

func (c *capture) Header() http.Header { return c.header }

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return c.body.Write(b)
}

func (c *capture) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
}

// send writes the held-back status and headers, a Content-Length of length, and body.
func (c *capture) send(w http.ResponseWriter, length int, body []byte) {
	h := w.Header()
	for k, v := range c.header {
		h[k] = v
	}
	h.Set("Content-Length", strconv.Itoa(length))
	w.WriteHeader(c.status)
	_, _ = w.Write(body)
}
