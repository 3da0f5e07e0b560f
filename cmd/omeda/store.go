package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/omeda-go/omeda-go/wrapper"
)

// StoreOptions are the options of "omeda store".
type StoreOptions struct {
	APIOptions
	// File holds the submission; "-" is standard input.
	File string
}

// NewCmdStore is "omeda store FILE|-".
func NewCmdStore(f *Factory, runF func(*StoreOptions) error) *cobra.Command {
	opts := &StoreOptions{APIOptions: newAPIOptions(f)}
	cmd := &cobra.Command{
		Use:   "store FILE|-",
		Short: "queue a customer and its orders (store customer and order)",
		Long: `FILE holds the submission as JSON (- reads standard input), in the vendor's shape. It is
checked against the contract first: every problem is named and nothing is sent. It is then
sent exactly once and never retried, because Omeda queues it without an idempotency key; the
receipt (a transaction id) is printed. Needs the input id (OMEDA_INPUT_ID).

If the receipt cannot be written to standard output (a full disk, a closed pipe), it is written
to standard error and the exit status is 3: the submission was queued, so do not send it again.`,
		Example: examples(
			"omeda store order.json",
			`echo '{"FirstName":"Ann","Emails":[{"EmailAddress":"ann@example.com"}]}' | omeda store -`,
		),
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("expected one FILE (or - for standard input), got %d arguments", len(args))
			}
			return nil
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return []cobra.Completion{"json"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			opts.File = args[0]
			if runF != nil {
				return runF(opts)
			}
			return storeRun(opts)
		},
	}
	addConnectionFlags(cmd, &opts.Conn)
	return cmd
}

func storeRun(opts *StoreOptions) error {
	payload, err := readPayload(opts.IO.In, opts.File)
	if err != nil {
		return err
	}
	var verr *wrapper.ValidationError
	if err := wrapper.ValidateStoreRequest(payload); errors.As(err, &verr) {
		fmt.Fprintf(opts.IO.ErrOut, "omeda store: the submission is invalid; nothing was sent:\n")
		for _, p := range verr.Problems {
			fmt.Fprintf(opts.IO.ErrOut, "  %s\n", opts.Redactor.Line(p))
		}
		return errAlreadyReported
	} else if err != nil {
		return err
	}
	conn, err := opts.Connect(opts.Conn)
	if err != nil {
		return err
	}
	defer conn.Close()
	receipt, err := conn.Client.StoreCustomerAndOrderJSON(opts.Ctx, payload)
	if err != nil {
		return err
	}
	return opts.printReceipt(receipt)
}

// printReceipt prints the receipt of a submission that was sent. The receipt is the only record
// of the transaction, and a submission must not be sent twice, so if standard output fails (a
// full disk, a closed pipe) the receipt goes to standard error instead and the command exits
// with its own status, exitReceiptOnStderr: a script that resends on status 1 does not resend
// this one.
func (o *APIOptions) printReceipt(receipt any) error {
	err := printJSON(o.IO.Out, o.Redactor, receipt)
	if err == nil {
		return nil
	}
	_ = printJSON(o.IO.ErrOut, o.Redactor, receipt)
	return &receiptNotPrintedError{err}
}

// receiptNotPrintedError is a submission that was queued but whose receipt could not be written
// to standard output: exit status exitReceiptOnStderr.
type receiptNotPrintedError struct{ err error }

func (e *receiptNotPrintedError) Error() string {
	return fmt.Sprintf("the submission was queued, but its receipt could not be written to standard output (%v); "+
		"the receipt is above, on standard error: do not send the submission again", e.err)
}

func (e *receiptNotPrintedError) Unwrap() error { return e.err }

// maxPayload bounds a submission read from a file or standard input.
const maxPayload = 10 << 20

func readPayload(stdin io.Reader, name string) ([]byte, error) {
	r := stdin
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
