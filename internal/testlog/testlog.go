// Package testlog holds what the tests of several packages need to read what a logger, a
// server's goroutines or a command wrote while the test ran: a buffer that many goroutines may
// write at once, and a logger that records every level into one. It is imported only by tests.
package testlog

import (
	"bytes"
	"log/slog"
	"sync"
)

// Buffer is a bytes.Buffer that is safe for concurrent use: a logger shared by a client's
// retries, a server's handlers or a command's concurrent windows writes into it while the test
// reads it. The zero value is an empty buffer ready to use.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p to the buffer.
func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// JSON returns a logger that writes every record, from slog.LevelDebug up, as one JSON line
// into the returned Buffer.
func JSON() (*slog.Logger, *Buffer) {
	b := new(Buffer)
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}
