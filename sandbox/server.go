package sandbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Server is a running sandbox: an HTTP server on a local address that answers the five endpoints
// of the spec under /webservices/rest.
type Server struct {
	// URL is the base URL of the API, such as http://127.0.0.1:43215/webservices/rest: where a
	// client would otherwise use https://ows.omeda.com/webservices/rest.
	URL string

	cfg       config
	validator *validator
	data      atomic.Pointer[dataset]

	mu       sync.Mutex
	faults   []Fault
	counts   map[string]int
	total    int
	closed   bool
	running  int            // handlers running
	inflight sync.WaitGroup // the same, to wait for

	closing   chan struct{} // closed by Close: ends hangs and delays
	ending    func()        // a test's hook, called by Close just before it closes closing
	closeOnce sync.Once
	closeErr  error

	srv       *http.Server
	serveDone chan struct{}
	conns     sync.WaitGroup // connections the server has not finished with
}

func newServer(opts []Option) (*Server, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	v, err := newValidator(&cfg)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, validator: v, counts: make(map[string]int), closing: make(chan struct{})}
	s.data.Store(newDataset(cfg.population, cfg.from, cfg.to, cfg.seed))
	return s, nil
}

// Start listens on addr ("127.0.0.1:0" for a free loopback port) and serves the sandbox in the
// background until [Server.Close].
func Start(addr string, opts ...Option) (*Server, error) {
	s, err := newServer(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	s.URL = "http://" + dialAddr(ln.Addr()) + basePath
	s.srv = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.cfg.logger.Handler(), slog.LevelWarn),
		ConnState:         s.trackConn,
	}
	s.serveDone = make(chan struct{})
	go func() {
		defer close(s.serveDone)
		_ = s.srv.Serve(ln) // returns http.ErrServerClosed after Close
	}()
	return s, nil
}

// dialAddr is the address a client reaches a listener at: loopback for an unspecified address.
func dialAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// trackConn counts the server's connections, so that Close can wait for their goroutines.
func (s *Server) trackConn(_ net.Conn, state http.ConnState) {
	switch state {
	case http.StateNew:
		s.conns.Add(1)
	case http.StateHijacked, http.StateClosed:
		s.conns.Done()
	}
}

// StartTest starts a sandbox on a free loopback port for a test or benchmark, fails tb if it
// cannot, and closes it when tb ends.
func StartTest(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := Start("127.0.0.1:0", opts...)
	if err != nil {
		tb.Fatalf("sandbox: start: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("sandbox: close: %v", err)
		}
	})
	return s
}

// Run is [Start] for a command-line tool: it starts a sandbox on addr, calls started (if not nil)
// with it, serves until ctx ends (signal.NotifyContext turns SIGINT into that), then closes it.
func Run(ctx context.Context, addr string, started func(*Server), opts ...Option) error {
	s, err := Start(addr, opts...)
	if err != nil {
		return err
	}
	if started != nil {
		started(s)
	}
	<-ctx.Done()
	return s.Close()
}

// Close stops the sandbox: it stops listening, ends hung and delayed requests, closes every
// connection, and returns once every handler and connection goroutine of the sandbox has ended.
// Closing twice is harmless.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		// Stop listening before ending hung and delayed handlers. The other way round, a client's
		// transport that sees its reused connection close without an answer resends an idempotent
		// request on a new connection, and the sandbox, still listening, would answer it.
		var err error
		if s.srv != nil {
			err = s.srv.Close()
		}
		if s.ending != nil {
			s.ending()
		}
		close(s.closing)
		if s.srv != nil {
			<-s.serveDone
			// Serve has returned, so no connection can be added any more.
			s.conns.Wait()
			if err != nil && !errors.Is(err, net.ErrClosed) {
				s.closeErr = fmt.Errorf("sandbox: close: %w", err)
			}
		}
		s.inflight.Wait()
	})
	return s.closeErr
}

// Handler returns the sandbox's handler, which serves the paths under /webservices/rest. It lets a
// test mount the sandbox elsewhere, such as in an httptest.Server; a dropped or hung answer ends
// the handler with panic(http.ErrAbortHandler), which an http.Server turns into a closed connection.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

// Requests returns how many requests for an operationId the sandbox received, faulted and refused
// ones included; "" counts every request, even those to paths of no operation. A request counts
// for the operation whose path it used, whatever its method.
func (s *Server) Requests(operation string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if operation == "" {
		return s.total
	}
	return s.counts[operation]
}

// Reset brings the sandbox back to its state at Start: the generated population without what was
// stored since, no queued faults, and request counts at zero. Requests in flight may see either
// state.
func (s *Server) Reset() {
	d := newDataset(s.cfg.population, s.cfg.from, s.cfg.to, s.cfg.seed)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data.Store(d)
	s.faults = nil
	s.total = 0
	clear(s.counts)
}

// EncryptedID returns the encrypted customer id that the sandbox's lookups accept for a customer
// id: 15 upper-case letters and digits, the same for the same id on every run. Customer 12345's is
// the vendor's example, 9130C2719701F5S.
func (s *Server) EncryptedID(customerID int64) string {
	return encryptID(customerID)
}
