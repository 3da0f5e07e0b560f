package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/omeda-go/omeda-go/internal/bulk"
	"github.com/omeda-go/omeda-go/wrapper"
)

const bulkHelp = `

With --ids-from FILE (or - for stdin), it looks up every customer id of FILE, one a line (blank
lines skipped), up to --concurrency at once (4 by default, at most 32), and prints one JSON line
per id, in FILE's order:

  {"customerId":"12345","result":{...the answer, with the vendor's field names...}}
  {"customerId":"22","error":{"status":404,"message":"...","mergedIntoCustomerId":99999}}

status is the HTTP status, 0 when no answer came (a network failure); mergedIntoCustomerId is
there only for a merged customer. An id that cannot be valid (or a line longer than 64 KiB) is
an error line without a status: nothing was sent for it. Input holding a NUL byte is not a list
of ids: a usage error. A one-line summary goes to stderr, with a progress bar while stderr is a
terminal. Exit status: 0 when every id succeeded, 1 when any failed, 2 for a usage error.`

// maxIDLine bounds a line of an --ids-from file; a longer one is an error line of its own.
const maxIDLine = 64 << 10

// bulkLine is one line of a bulk lookup's output.
type bulkLine struct {
	CustomerID string     `json:"customerId"`
	Result     any        `json:"result,omitempty"`
	Error      *bulkError `json:"error,omitempty"`
}

// bulkError is the failure of one id: absent keys are unknown.
type bulkError struct {
	Status               *int   `json:"status,omitempty"`
	Message              string `json:"message"`
	MergedIntoCustomerID int64  `json:"mergedIntoCustomerId,omitempty"`
}

// lineError describes err for a bulk line, its text through the door.
func lineError(r *Redactor, err error) *bulkError {
	e := &bulkError{Message: r.Line(err.Error())}
	var apiErr *wrapper.APIError
	switch {
	case errors.Is(err, wrapper.ErrInvalidInput):
		e.Message += " (nothing was sent)"
	case errors.As(err, &apiErr):
		status := apiErr.StatusCode
		e.Status = &status
		e.MergedIntoCustomerID = apiErr.MergedIntoCustomerID
		if len(apiErr.Messages) > 0 {
			e.Message = r.Line(strings.Join(apiErr.Messages, "; "))
		}
	default:
		zero := 0 // no answer: a network failure, a timeout
		e.Status = &zero
	}
	return e
}

// isTerminal reports whether w is a terminal; a variable so that tests can pretend.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// bulkRun looks up every id of opts.IDsFrom and prints one line per id.
func bulkRun(name string, opts *LookupOptions) error {
	if opts.Concurrency < 1 || opts.Concurrency > 32 {
		return usagef("--concurrency %d: must be between 1 and 32", opts.Concurrency)
	}
	in, total, closeIn, err := openIDs(opts.IDsFrom, opts.IO.In)
	if err != nil {
		return err
	}
	defer closeIn()

	extra := []wrapper.Option{wrapper.WithFollowMerges(opts.FollowMerges), wrapper.WithConcurrentCalls(opts.Concurrency)}
	conn, err := opts.Connect(opts.Conn, extra...)
	if err != nil {
		return err
	}
	defer conn.Close()

	var bar *progressbar.ProgressBar
	if isTerminal(opts.IO.ErrOut) {
		bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(opts.IO.ErrOut),
			progressbar.OptionSetDescription(name),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("ids"),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}

	out := newFlushingWriter(opts.IO.Out)
	ids, readErr := readIDs(in)
	var done, failed int
	err = bulk.Run(opts.Ctx, ids, opts.Concurrency,
		func(ctx context.Context, in idLine) bulkLine {
			line := bulkLine{CustomerID: in.ID}
			if in.Long {
				line.Error = &bulkError{Message: opts.Redactor.Line(fmt.Sprintf(
					"the line is longer than %d KiB: not a customer id (nothing was sent)", maxIDLine>>10))}
				return line
			}
			if err := wrapper.CheckCustomerID(in.ID); err != nil {
				line.Error = lineError(opts.Redactor, err)
				return line
			}
			v, err := opts.Lookup(ctx, conn.Client, in.ID)
			if err != nil {
				line.Error = lineError(opts.Redactor, err)
			} else {
				line.Result = v
			}
			return line
		},
		func(_ idLine, line bulkLine) error {
			done++
			if line.Error != nil {
				failed++
			}
			if bar != nil {
				_ = bar.Add(1)
			}
			return printJSONLine(out, opts.Redactor, line)
		})
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if bar != nil {
		_ = bar.Finish()
	}
	if err == nil {
		err = *readErr
	}
	if err != nil {
		return fmt.Errorf("after %s (%d failed): %w", idCount(done), failed, err)
	}
	if failed > 0 {
		return fmt.Errorf("%s: %d succeeded, %d failed", idCount(done), done-failed, failed)
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s: %s: all succeeded\n", name, idCount(done))
	return nil
}

// idCount counts ids for the summary: "1 id", "3 ids".
func idCount(n int) string {
	if n == 1 {
		return "1 id"
	}
	return fmt.Sprintf("%d ids", n)
}

// openIDs opens the ids of --ids-from and counts them when it can (a file: read twice; stdin:
// -1, unknown).
func openIDs(path string, stdin io.Reader) (io.Reader, int64, func(), error) {
	if path == "-" {
		return stdin, -1, func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, nil, usagef("--ids-from: %v", err)
	}
	var total int64
	next, errp := readIDs(f)
	for range next {
		total++
	}
	if *errp != nil {
		_ = f.Close()
		var usage *usageError
		if errors.As(*errp, &usage) {
			return nil, 0, nil, *errp // refused before anything is sent
		}
		return nil, 0, nil, fmt.Errorf("--ids-from %s: %w", path, *errp)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		total = -1
		_ = f.Close()
		if f, err = os.Open(path); err != nil {
			return nil, 0, nil, usagef("--ids-from: %v", err)
		}
	}
	return f, total, func() { _ = f.Close() }, nil
}

// idLine is one line of the ids: a customer id as written, trimmed, or the start of a line
// longer than maxIDLine.
type idLine struct {
	ID   string // the id, or the first 64 bytes of an over-long line (see shownPrefix)
	Long bool   // the line was longer than maxIDLine: no customer id, nothing to send
}

// readIDs yields the lines of r, one id a line, trimmed, blank lines skipped. A line longer than
// maxIDLine is yielded marked Long, its rest read and dropped, so that one bad line is one error
// line and the run goes on with memory bounded by maxIDLine. A read error, or a NUL byte (the
// input is not text: /dev/zero, a binary file), ends the sequence and is left in *err.
func readIDs(r io.Reader) (iter.Seq[idLine], *error) {
	var err error
	return func(yield func(idLine) bool) {
		br := bufio.NewReaderSize(r, maxIDLine)
		for n := 1; ; n++ {
			line, rerr := br.ReadSlice('\n')
			if bytes.IndexByte(line, 0) >= 0 {
				err = usagef("--ids-from: line %d holds a NUL byte: the input must be text, one customer id a line", n)
				return
			}
			in := idLine{ID: strings.TrimSpace(string(line))}
			if rerr == bufio.ErrBufferFull {
				in = idLine{ID: shownPrefix(line), Long: true}
				for rerr == bufio.ErrBufferFull {
					_, rerr = br.ReadSlice('\n')
				}
			}
			if (in.ID != "" || in.Long) && !yield(in) {
				return
			}
			switch {
			case rerr == io.EOF:
				return
			case rerr != nil:
				err = fmt.Errorf("reading the ids: %w", rerr)
				return
			}
		}
	}, &err
}

// shownPrefix is the start of an over-long line, for its error line: 64 bytes, cut at a rune.
func shownPrefix(line []byte) string {
	line = bytes.TrimLeft(line, " \t\r")
	n := min(len(line), 64)
	for n > 0 && n < len(line) && !utf8.RuneStart(line[n]) {
		n--
	}
	return string(line[:n]) + "…"
}
