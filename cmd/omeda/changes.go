package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/wrapper"
)

// ChangesOptions are the options of "omeda changes".
type ChangesOptions struct {
	APIOptions
	// From and To are the range as typed (--from, --to); see parseBound.
	From, To string
	// Concurrency is how many 90-day windows are fetched at once (--concurrency).
	Concurrency int
	// Format is json (one document, the default) or ndjson (one customer a line, as decoded).
	Format string
	// Dedupe yields each customer once (--dedupe, on by default).
	Dedupe bool
	// State is the file of a resumable sync (--state): the end of the last completed run.
	State string
	// Now is the time "now" and a missing --to stand for.
	Now func() time.Time
}

// NewCmdChanges is "omeda changes --from T [--to T]".
func NewCmdChanges(f *Factory, runF func(*ChangesOptions) error) *cobra.Command {
	opts := &ChangesOptions{APIOptions: newAPIOptions(f), Now: time.Now}
	cmd := &cobra.Command{
		Use:   "changes --from T [--to T] [--format json|ndjson] [--state FILE]",
		Short: "customers changed in a range of any length",
		Long: `T is YYYY-MM-DD (a whole day: --from starts at its first minute, --to ends at its last),
YYYY-MM-DDTHH:MM, both read in Omeda's time, America/Chicago, or an RFC 3339 time with an
offset, which is converted; "now" is now. A Chicago time that the change to daylight saving
time skips (2024-03-10T02:30) is refused, and one that the change back repeats
(2024-11-03T01:30) needs an offset to say which (2024-11-03T01:30-05:00 is the first).
--to defaults to now, and an end in the future is clamped to now. Ranges longer than 90 days
are split into windows of at most 90 days. A window in which nothing changed is empty, not an
error.

--format json (the default) prints one JSON object with one Customers array, each customer once
(with its latest DateChanged). --format ndjson prints one customer a line, with the vendor's
field names, as the answers are decoded: memory stays flat however many customers a window
holds, and a pipe gets the first customers at once. Each customer is printed once, at its first
occurrence (Omeda's DateChanged is the customer's last change, so occurrences agree);
--dedupe=false prints every occurrence (a customer changed in the minute two windows share is
then printed twice).

--state FILE makes a resumable sync. FILE holds the end of the last completed run, one RFC 3339
time. When FILE does not exist, the run needs --from and writes FILE; when it exists, the run
starts from FILE's end (--from is ignored) and runs to --to (now by default). FILE is replaced
(written beside, synced, renamed) only after every customer was written and flushed; an error,
an interrupt or a crash leaves it as it was, so the next run repeats the range: customers can
be printed twice, never missed. Consecutive runs share their boundary minute: each run asks
again for the minute the previous one ended with, because Omeda's ranges include both ends.`,
		Example: examples(
			"omeda changes --from 2024-01-01 --to 2024-03-31",
			"omeda changes --from 2024-06-01T08:30 --to now",
			"omeda changes --from 2019-01-01T00:00:00Z --to 2024-01-01T00:00:00Z --concurrency 4 > backfill.json",
			"omeda changes --from 2024-01-01 --format ndjson | jq -r .Id",
			"omeda changes --state sync.state --from 2024-01-01 --format ndjson >> changes.ndjson",
		),
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unexpected arguments %q: the range is given with --from and --to", args)
			}
			return nil
		},
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return changesRun(opts)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.From, "from", "", "start of the range, inclusive (`T`; required)")
	fs.StringVar(&opts.To, "to", "now", "end of the range, inclusive (`T`)")
	fs.IntVar(&opts.Concurrency, "concurrency", 1, "fetch up to `N` 90-day windows at once (1 to 16; json format; ndjson and --dedupe=false fetch one at a time)")
	fs.StringVar(&opts.Format, "format", "json", "`FORMAT` of the output: json (one document) or ndjson (one customer a line, streamed)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"json", "ndjson"}, cobra.ShellCompDirectiveNoFileComp))
	fs.BoolVar(&opts.Dedupe, "dedupe", true, "print each customer once (--dedupe=false: every occurrence)")
	fs.StringVar(&opts.State, "state", "", "resumable sync: start at the end `FILE` records, and record the new end on success")
	addConnectionFlags(cmd, &opts.Conn)
	return cmd
}

func changesRun(opts *ChangesOptions) error {
	if opts.Format != "json" && opts.Format != "ndjson" {
		return usagef("--format %q: use json or ndjson", opts.Format)
	}
	if opts.Concurrency < 1 || opts.Concurrency > 16 {
		return usagef("--concurrency %d: must be between 1 and 16", opts.Concurrency)
	}
	if opts.Concurrency > 1 && (opts.Format == "ndjson" || !opts.Dedupe) {
		// The stream holds one customer at a time, so it fetches one window at a time: the flag
		// is accepted, as before, and the user learns that it does nothing here.
		with := "--dedupe=false"
		if opts.Format == "ndjson" {
			with = "--format ndjson"
		}
		fmt.Fprintf(opts.IO.ErrOut, "omeda changes: warning: --concurrency %d has no effect with %s: windows are fetched one at a time\n",
			opts.Concurrency, with)
	}
	now := opts.Now()
	var (
		from time.Time
		err  error
	)
	resumed := false
	if opts.State != "" {
		from, resumed, err = readState(opts.State)
		if err != nil {
			return err
		}
	}
	if !resumed {
		if opts.From == "" {
			if opts.State != "" {
				return usagef("--from is required for the first run of --state %s (the file does not exist yet)", opts.State)
			}
			return usagef("--from is required")
		}
		if from, err = parseBound(opts.From, false, now); err != nil {
			return usagef("--from: %v", err)
		}
	}
	to, err := parseBound(opts.To, true, now)
	if err != nil {
		return usagef("--to: %v", err)
	}
	if to.Before(from) {
		if resumed {
			return usagef("--to %s is before the end of the last run, %s (from %s)", opts.To, formatState(from), opts.State)
		}
		return usagef("--to %s is before --from %s", opts.To, opts.From)
	}
	// The range the calls will cover, as the client normalizes it: its end is what the state
	// file records, and passing it on keeps the client from clamping to a later now.
	windows, err := wrapper.SplitRange(from, to, now)
	if err != nil {
		return err
	}
	end := windows[len(windows)-1].To

	extra := []wrapper.Option{wrapper.WithWindowConcurrency(opts.Concurrency)}
	conn, err := opts.Connect(opts.Conn, extra...)
	if err != nil {
		return err
	}
	defer conn.Close()
	switch {
	case opts.Format == "ndjson":
		err = writeNDJSON(opts.Ctx, opts.IO.Out, opts.Redactor, conn.Client, from, end, opts.Dedupe)
	case opts.Dedupe:
		var v *gen.CustomerChanges
		if v, err = conn.Client.ChangedCustomers(opts.Ctx, from, end); err == nil {
			err = printChanges(opts.IO.Out, opts.Redactor, v)
		} else if errors.Is(err, wrapper.ErrAnswerTooLarge) {
			err = fmt.Errorf("%w; --format ndjson streams a window of any size", err)
		}
	default:
		err = writeJSONStream(opts.Ctx, opts.IO.Out, opts.Redactor, conn.Client, from, end)
	}
	if err != nil {
		return err
	}
	if opts.State != "" {
		return writeState(opts.State, end)
	}
	return nil
}

// parseBound reads a --from or --to value. A day means its first minute as a start and its last
// minute as an end.
func parseBound(s string, end bool, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "now") {
		return now, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, wrapper.Chicago()); err == nil {
		if end {
			return t.AddDate(0, 0, 1).Add(-time.Minute), nil
		}
		return t, nil
	}
	t, err := wrapper.ParseChicagoTime(s)
	if errors.Is(err, wrapper.ErrSkippedTime) || errors.Is(err, wrapper.ErrAmbiguousTime) {
		return time.Time{}, err
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not YYYY-MM-DD, YYYY-MM-DDTHH:MM, an RFC 3339 time or now", s)
	}
	return t, nil
}
