package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// dataset is the current data; Reset replaces it.
func (s *Server) dataset() *dataset { return s.data.Load() }

// enter registers a handler; false once the sandbox is closed.
func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.running++
	s.inflight.Add(1)
	return true
}

func (s *Server) leave() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.running--
	s.inflight.Done()
}

func (s *Server) count(op string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total++
	if op != "" {
		s.counts[op]++
	}
}

// serveHTTP is the sandbox: count, apply latency and faults, check against the spec, answer.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.enter() {
		writeError(w, http.StatusInternalServerError, "The sandbox is closed.")
		return
	}
	defer s.leave()

	started := time.Now()
	lw := &loggingWriter{ResponseWriter: w}
	m := s.validator.match(r)
	s.count(m.op)
	f, faulted := s.takeFault(m.op)
	defer s.logRequest(r, m.op, lw, f, faulted, started) // runs when a handler aborts, too

	if s.cfg.latency > 0 && !s.sleep(r, s.cfg.latency) {
		abort()
	}
	if faulted {
		s.serveFault(lw, r, f, func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, m) })
		return
	}
	s.serve(lw, r, m)
}

// serve gives the normal answer.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, m match) {
	switch {
	case m.route == nil:
		writeError(w, http.StatusNotFound, fmt.Sprintf("No resource matches %s.", r.URL.EscapedPath()))
		return
	case !m.methodOK && m.op == StoreCustomerAndOrder:
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("The method %s is not allowed for this resource: use POST.", r.Method))
		return
	case !m.methodOK:
		// The lookups document no 405.
		writeError(w, http.StatusNotFound, fmt.Sprintf("The method %s is not supported for this resource: use GET.", r.Method))
		return
	}

	var body []byte
	if m.op == StoreCustomerAndOrder {
		var err error
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				writeError(w, http.StatusBadRequest, fmt.Sprintf("The submission is larger than %d bytes.", maxBodyBytes))
				return
			}
			abort() // the client went away
		}
		m.req.Body = io.NopCloser(bytes.NewReader(body))
		m.req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		m.req.ContentLength = int64(len(body))
	}
	if p := s.validator.check(r.Context(), m, body); p != nil {
		writeError(w, p.status, p.messages...)
		return
	}
	// Submissions whose processing has ended by now are applied before anything is answered.
	s.dataset().settle(s.cfg.now().UnixMilli())
	switch m.op {
	case TransactionLookup:
		s.transactionLookup(w, r, m)
	case PhoneLookupByCustomerID:
		s.phoneLookup(w, r, m)
	case CustomerChangeLookup:
		s.changeLookup(w, r, m)
	case CustomerMergeHistoryLookup:
		s.mergeHistoryLookup(w, r, m)
	case StoreCustomerAndOrder:
		s.storeCustomerAndOrder(w, r, m, body)
	default:
		writeError(w, http.StatusInternalServerError, fmt.Sprintf("The sandbox does not implement %s.", m.op))
	}
}
