// Package leakcheck is goleak with patience: it calls a goroutine leaked only when it is still
// there after a generous wait, not after goleak's own retries (about 0.4 s in all in goleak
// v1.3.0: 20 tries, each pause at most 100 ms). Goroutines that a test has already ended, but
// that have not yet returned, are common: a connection's read loop returns only once it has
// seen the close, and a loaded machine may not run it for a while. A goroutine that leaks stays,
// so waiting costs nothing when there is no leak and finds every leak still. It is imported
// only by tests.
package leakcheck

import (
	"fmt"
	"os"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// Patience is how long Find waits for unexpected goroutines to return.
const Patience = 20 * time.Second

// Find returns goleak.Find's error once unexpected goroutines have stayed for Patience, and nil
// as soon as none is left.
func Find(opts ...goleak.Option) error { return find(Patience, opts...) }

func find(patience time.Duration, opts ...goleak.Option) error {
	deadline := time.Now().Add(patience)
	for {
		err := goleak.Find(opts...) // retries on its own for a moment
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// VerifyNone fails t when unexpected goroutines outlive Patience (goleak.VerifyNone, patient).
func VerifyNone(t testing.TB, opts ...goleak.Option) {
	t.Helper()
	if err := Find(opts...); err != nil {
		t.Error(err)
	}
}

// VerifyTestMain runs the package's tests and, when they pass, fails the run if goroutines
// outlive them by Patience (goleak.VerifyTestMain, patient). It calls cleanup, when not nil,
// with the exit code, and then exits with it.
func VerifyTestMain(m *testing.M, cleanup func(code int), opts ...goleak.Option) {
	code := m.Run()
	if code == 0 {
		if err := Find(opts...); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: Errors on successful test run: %v\n", err)
			code = 1
		}
	}
	if cleanup != nil {
		cleanup(code)
	}
	os.Exit(code)
}
