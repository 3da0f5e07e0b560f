package wrapper

import (
	"context"
	"fmt"
	"io"
	"time"
)

// errIdleTimeout is the cause of an attempt ended by its idle timeout. It wraps
// context.DeadlineExceeded, so that a caller matching timeouts matches this one too.
var errIdleTimeout = fmt.Errorf("nothing arrived within the per-attempt idle timeout: %w", context.DeadlineExceeded)

// idleWatch fires when the attempt waits for the network longer than its timeout in one go. It
// is armed only while the client waits (for the headers, inside a body read), never while the
// caller handles what arrived: a slow consumer is not a stalled server.
type idleWatch struct {
	d time.Duration
	t *time.Timer
}

// newIdleWatch returns a watch that is already armed: the wait for the headers starts now.
func newIdleWatch(d time.Duration, fire func()) *idleWatch {
	return &idleWatch{d: d, t: time.AfterFunc(d, fire)}
}

func (w *idleWatch) arm() {
	if w != nil {
		w.t.Reset(w.d)
	}
}

func (w *idleWatch) disarm() {
	if w != nil {
		w.t.Stop()
	}
}

// idleReader arms its watch around every read of the body.
type idleReader struct {
	r io.Reader
	w *idleWatch
}

func (r *idleReader) Read(p []byte) (int, error) {
	r.w.arm()
	n, err := r.r.Read(p)
	r.w.disarm()
	return n, err
}
