package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/sandbox"
	"github.com/omeda-go/omeda-go/wrapper"
)

// DemoOptions are the options of "omeda demo".
type DemoOptions struct {
	IO  *IOStreams
	Ctx context.Context
}

// NewCmdDemo is "omeda demo": the five endpoints through this tool, against an in-process
// sandbox.
func NewCmdDemo(f *Factory, runF func(*DemoOptions) error) *cobra.Command {
	opts := &DemoOptions{IO: f.IOStreams}
	return &cobra.Command{
		Use:   "demo",
		Short: "walk the five endpoints against an in-process sandbox (make run)",
		Long: `Starts the sandbox in this process and runs the other commands against it: stores a new
customer and waits until the sandbox has processed it (about a second, as Omeda processes its
queue), finds it among the customers changed in the last minutes, lists its phone numbers,
and shows a merge history, printing each command and what it returned.`,
		Args:              noArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return demoRun(opts)
		},
	}
}

func demoRun(opts *DemoOptions) error {
	sb, err := sandbox.Start("127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("start the sandbox: %w", err)
	}
	defer sb.Close()
	d := &demo{opts: opts, env: map[string]string{
		"OMEDA_BASE_URL": sb.URL, "OMEDA_BRAND": sandboxBrand,
		"OMEDA_APP_ID": sandboxAppID, "OMEDA_INPUT_ID": sandboxInputID,
	}}
	out := opts.IO.Out
	fmt.Fprintf(out, "Sandbox at %s (brand %s). Each step runs the omeda command shown.\n", sb.URL, sandboxBrand)

	submission := `{
  "FirstName": "Ann",
  "LastName": "Example",
  "Emails": [{"EmailAddress": "ann.example@example.com"}],
  "Phones": [{"PhoneContactType": 230, "Number": "312-555-0100"}, {"PhoneContactType": 200, "Number": "312-555-0199", "Extension": "42"}]
}`
	started := time.Now().In(wrapper.Chicago()).Add(-time.Minute)
	stored, err := d.step("Store a new customer (read from standard input) and wait until Omeda has processed it", submission,
		"store", "--wait", "--wait-timeout", "1m", "-")
	if err != nil {
		return err
	}
	// Two lines: the receipt, then the last transaction lookup, which names the customer.
	lines := bytes.Split(bytes.TrimSpace(stored), []byte("\n"))
	var txn gen.TransactionStatus
	if len(lines) != 2 || json.Unmarshal(lines[1], &txn) != nil || txn.OmedaCustomerID == nil || *txn.OmedaCustomerID == 0 {
		return fmt.Errorf("demo: the processed transaction names no customer")
	}
	customerID := *txn.OmedaCustomerID
	customer := fmt.Sprint(customerID)
	found, err := d.step("Find it among the customers changed in the last minutes", "",
		"changes", "--from", started.Format("2006-01-02T15:04"), "--to", "now")
	if err != nil {
		return err
	}
	var changes gen.CustomerChanges
	if err := json.Unmarshal(found, &changes); err != nil ||
		!slices.ContainsFunc(changes.Customers, func(c gen.ChangedCustomer) bool { return c.ID == customerID }) {
		return fmt.Errorf("demo: the stored customer is not among the changed customers")
	}
	if _, err := d.step("List its phone numbers", "", "phones", customer); err != nil {
		return err
	}
	if _, err := d.step("Show the merge history of customer 99999, into which customer 22 was merged", "", "merges", "99999"); err != nil {
		return err
	}
	fmt.Fprintln(out, "\nDone. Point the same commands at Omeda with OMEDA_ENV (or OMEDA_BASE_URL), OMEDA_BRAND and OMEDA_APP_ID, and OMEDA_INPUT_ID for store.")
	return nil
}

// demo runs commands of this tool against the sandbox and shows them.
type demo struct {
	opts *DemoOptions
	env  map[string]string
	n    int
}

func (d *demo) step(title, stdin string, args ...string) ([]byte, error) {
	d.n++
	fmt.Fprintf(d.opts.IO.Out, "\n%d. %s\n$ omeda %s\n", d.n, title, strings.Join(args, " "))
	var out bytes.Buffer
	f := NewFactory(strings.NewReader(stdin), io.MultiWriter(d.opts.IO.Out, &out), d.opts.IO.ErrOut,
		func(k string) string { return d.env[k] })
	if code := Execute(d.opts.Ctx, f, args); code != exitOK {
		return nil, fmt.Errorf("demo: omeda %s exited with status %d", args[0], code)
	}
	return out.Bytes(), nil
}
