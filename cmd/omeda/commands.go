package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/omeda-go/omeda-go/wrapper"
)

func newEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc
}

type lookupFlags struct{ follow int }

// customerCommand is a command that looks up one customer by id.
func customerCommand(name, summary, details string, examples []string,
	call func(a *app, c *wrapper.Client, id string) (any, error)) *command {
	return &command{
		name:     name,
		args:     "CUSTOMER_ID",
		summary:  summary,
		details:  details,
		examples: examples,
		api:      true,
		flags: func(fs *flag.FlagSet) any {
			f := &lookupFlags{}
			fs.IntVar(&f.follow, "follow-merges", 0, "follow a merged customer to the one it was merged into, up to `N` times")
			return f
		},
		run: func(a *app, cfg *config, opts any, args []string) error {
			id, err := oneCustomerID(args)
			if err != nil {
				return err
			}
			follow := wrapper.WithFollowMerges(opts.(*lookupFlags).follow)
			return withClient(a, cfg, []wrapper.Option{follow}, func(c *wrapper.Client) (any, error) {
				return call(a, c, id)
			})
		},
	}
}

var phonesCmd = customerCommand("phones", "phone numbers of a customer",
	`CUSTOMER_ID is Omeda's numeric customer id or an encrypted customer id. A merged customer
is an error naming the customer it was merged into, unless --follow-merges is given.`,
	[]string{"omeda phones 12345", "omeda phones 9130C2719701F5S", "omeda phones --follow-merges 3 22"},
	func(a *app, c *wrapper.Client, id string) (any, error) { return c.PhoneNumbers(a.ctx, id) })

var mergesCmd = customerCommand("merges", "merge history of a customer: the customers merged into it",
	`CUSTOMER_ID is Omeda's numeric customer id or an encrypted customer id. A customer that was
itself merged into another is an error naming the survivor, unless --follow-merges is given.`,
	[]string{"omeda merges 99999", "omeda merges --follow-merges 3 22"},
	func(a *app, c *wrapper.Client, id string) (any, error) { return c.MergeHistory(a.ctx, id) })

func oneCustomerID(args []string) (string, error) {
	if len(args) != 1 {
		return "", usagef("expected one CUSTOMER_ID, got %d arguments", len(args))
	}
	if err := wrapper.CheckCustomerID(args[0]); err != nil {
		return "", err
	}
	return args[0], nil
}

// withClient connects, runs call, and prints its result as JSON.
func withClient(a *app, cfg *config, extra []wrapper.Option, call func(*wrapper.Client) (any, error)) error {
	conn, err := cfg.connect(a, extra...)
	if err != nil {
		return err
	}
	defer conn.close()
	v, err := call(conn.client)
	if err != nil {
		return err
	}
	return printJSON(a.stdout, v)
}

type changesFlags struct {
	from, to string
	workers  int
}

var changesCmd = &command{
	name:    "changes",
	args:    "--from T [--to T]",
	summary: "customers changed in a range of any length",
	details: `T is YYYY-MM-DD (a whole day: --from starts at its first minute, --to ends at its last),
YYYY-MM-DDTHH:MM, both read in Omeda's time, America/Chicago, or an RFC 3339 time with an
offset, which is converted; "now" is now. --to defaults to now, and an end in the future is
clamped to now. Ranges longer than 90 days are split into windows of at most 90 days; the
output is one JSON object with one Customers array, each customer once (with its latest
DateChanged). A window in which nothing changed is empty, not an error.`,
	examples: []string{
		"omeda changes --from 2024-01-01 --to 2024-03-31",
		"omeda changes --from 2024-06-01T08:30 --to now",
		"omeda changes --from 2019-01-01T00:00:00Z --to 2024-01-01T00:00:00Z --concurrency 4 > backfill.json",
	},
	api: true,
	flags: func(fs *flag.FlagSet) any {
		f := &changesFlags{}
		fs.StringVar(&f.from, "from", "", "start of the range, inclusive (`T`; required)")
		fs.StringVar(&f.to, "to", "now", "end of the range, inclusive (`T`)")
		fs.IntVar(&f.workers, "concurrency", 1, "fetch up to `N` 90-day windows at once (1 to 16)")
		return f
	},
	run: func(a *app, cfg *config, opts any, args []string) error {
		f := opts.(*changesFlags)
		if len(args) > 0 {
			return usagef("unexpected arguments %q: the range is given with --from and --to", args)
		}
		if f.from == "" {
			return usagef("--from is required")
		}
		now := time.Now()
		from, err := parseBound(f.from, false, now)
		if err != nil {
			return usagef("--from: %v", err)
		}
		to, err := parseBound(f.to, true, now)
		if err != nil {
			return usagef("--to: %v", err)
		}
		if to.Before(from) {
			return usagef("--to %s is before --from %s", f.to, f.from)
		}
		if f.workers < 1 || f.workers > 16 {
			return usagef("--concurrency %d: must be between 1 and 16", f.workers)
		}
		return withClient(a, cfg, []wrapper.Option{wrapper.WithWindowConcurrency(f.workers)}, func(c *wrapper.Client) (any, error) {
			return c.ChangedCustomers(a.ctx, from, to)
		})
	},
}

// parseBound reads a --from or --to value. A day means its first minute as a start and its last
// minute as an end.
func parseBound(s string, end bool, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "now") {
		return now, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, wrapper.Chicago); err == nil {
		if end {
			return t.AddDate(0, 0, 1).Add(-time.Minute), nil
		}
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04", s, wrapper.Chicago); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not YYYY-MM-DD, YYYY-MM-DDTHH:MM, an RFC 3339 time or now", s)
}

var storeCmd = &command{
	name:    "store",
	args:    "FILE|-",
	summary: "queue a customer and its orders (store customer and order)",
	details: `FILE holds the submission as JSON (- reads standard input), in the vendor's shape. It is
checked against the contract first: every problem is named and nothing is sent. It is then
sent exactly once and never retried, because Omeda queues it without an idempotency key; the
receipt (a transaction id) is printed. Needs the input id (OMEDA_INPUT_ID).`,
	examples: []string{
		"omeda store order.json",
		`echo '{"FirstName":"Ann","Emails":[{"EmailAddress":"ann@example.com"}]}' | omeda store -`,
	},
	api: true,
	run: func(a *app, cfg *config, _ any, args []string) error {
		if len(args) != 1 {
			return usagef("expected one FILE (or - for standard input), got %d arguments", len(args))
		}
		payload, err := readPayload(a, args[0])
		if err != nil {
			return err
		}
		var verr *wrapper.ValidationError
		if err := wrapper.ValidateStoreRequest(payload); errors.As(err, &verr) {
			fmt.Fprintf(a.stderr, "omeda store: the submission is invalid; nothing was sent:\n")
			for _, p := range verr.Problems {
				fmt.Fprintf(a.stderr, "  %s\n", p)
			}
			return errAlreadyReported
		} else if err != nil {
			return err
		}
		return withClient(a, cfg, nil, func(c *wrapper.Client) (any, error) {
			return c.StoreCustomerAndOrderJSON(a.ctx, payload)
		})
	},
}

// maxPayload bounds a submission read from a file or standard input.
const maxPayload = 10 << 20

func readPayload(a *app, name string) ([]byte, error) {
	var r io.Reader = a.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, usagef("%v", err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxPayload+1))
	if err != nil {
		return nil, usagef("read %s: %v", name, err)
	}
	if len(data) > maxPayload {
		return nil, usagef("%s is larger than %d MiB", name, maxPayload>>20)
	}
	return data, nil
}

// errAlreadyReported is a refusal whose details were printed already: exit status 2, no line.
var errAlreadyReported = fmt.Errorf("%w: reported above", wrapper.ErrInvalidInput)

var versionCmd = &command{
	name:    "version",
	summary: "print the version",
	run: func(a *app, _ *config, _ any, _ []string) error {
		_, err := fmt.Fprintf(a.stdout, "omeda (omeda-go) %s\n", wrapper.Version)
		return err
	},
}
