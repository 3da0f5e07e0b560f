package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"sync"
	"time"

	"github.com/omeda-go/omeda-go/wrapper"
)

// flushInterval bounds how long a decoded customer can wait in the output buffer: the buffer is
// written out when it fills, and otherwise at least this often, so that a consumer at the end of
// a pipe sees customers as they are decoded without a write per customer.
const flushInterval = 100 * time.Millisecond

// flushingWriter is a buffered writer that a ticker also flushes, safe for that one other
// goroutine.
type flushingWriter struct {
	mu   sync.Mutex
	w    *bufio.Writer
	err  error
	stop chan struct{}
	done chan struct{}
}

func newFlushingWriter(w io.Writer) *flushingWriter {
	f := &flushingWriter{w: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(f.done)
		t := time.NewTicker(flushInterval)
		defer t.Stop()
		for {
			select {
			case <-f.stop:
				return
			case <-t.C:
				f.mu.Lock()
				if f.err == nil && f.w.Buffered() > 0 {
					f.err = f.w.Flush()
				}
				f.mu.Unlock()
			}
		}
	}()
	return f
}

func (f *flushingWriter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return 0, f.err
	}
	n, err := f.w.Write(p)
	f.err = err
	return n, err
}

// Close stops the ticker and flushes what is left; it returns the first write error.
func (f *flushingWriter) Close() error {
	close(f.stop)
	<-f.done
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil {
		f.err = f.w.Flush()
	}
	return f.err
}

// writeNDJSON streams the customers changed between from and to to out, one JSON object a line
// with the vendor's field names, as they are decoded, each line through the door.
func writeNDJSON(ctx context.Context, out io.Writer, r *Redactor, c *wrapper.Client, from, to time.Time, dedupe bool) error {
	fw := newFlushingWriter(out)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	var err error
	for cust, serr := range c.ChangedCustomerStream(ctx, from, to, wrapper.WithDeduplication(dedupe)) {
		if serr != nil {
			err = serr
			break
		}
		buf.Reset()
		if err = enc.Encode(cust); err != nil {
			break
		}
		if _, err = fw.Write(r.JSON(buf.Bytes())); err != nil {
			break
		}
	}
	if cerr := fw.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncFile(out)
	}
	return err
}

// writeJSONStream writes the document of --format json, {"Customers":[...]}, customer by
// customer: --dedupe=false keeps every occurrence, which needs no memory of what was printed.
func writeJSONStream(ctx context.Context, out io.Writer, r *Redactor, c *wrapper.Client, from, to time.Time) error {
	fw := newFlushingWriter(out)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_, err := io.WriteString(fw, "{\n  \"Customers\": [")
	first := true
	for cust, serr := range c.ChangedCustomerStream(ctx, from, to, wrapper.WithDeduplication(false)) {
		if err == nil {
			err = serr
		}
		if err != nil {
			break
		}
		sep := ",\n    "
		if first {
			sep, first = "\n    ", false
		}
		buf.Reset()
		buf.WriteString(sep)
		if err = enc.Encode(cust); err == nil {
			_, err = fw.Write(r.JSON(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))))
		}
	}
	if err == nil {
		closing := "\n  ]\n}\n"
		if first {
			closing = "]\n}\n"
		}
		_, err = io.WriteString(fw, closing)
	}
	if cerr := fw.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncFile(out)
	}
	return err
}

// syncFile makes output written to a regular file durable before a state file says it was
// written; pipes and terminals have nothing to sync.
func syncFile(w io.Writer) error {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil
	}
	return f.Sync()
}
