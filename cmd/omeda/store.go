package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/internal/spec"
	"github.com/omeda-go/omeda-go/wrapper"
)

// StoreOptions are the options of "omeda store".
type StoreOptions struct {
	APIOptions
	// File holds the submission; "-" is standard input.
	File string
	// Wait waits for the outcome of the submission after printing the receipt (--wait), for
	// at most WaitTimeout (--wait-timeout; 0 waits until interrupted).
	Wait        bool
	WaitTimeout time.Duration
}

// NewCmdStore is "omeda store FILE|-".
func NewCmdStore(f *Factory, runF func(*StoreOptions) error) *cobra.Command {
	opts := &StoreOptions{APIOptions: newAPIOptions(f)}
	opts.Conn.NeedInputID = true
	cmd := &cobra.Command{
		Use:   "store FILE|-",
		Short: "queue a customer and its orders (store customer and order)",
		Long: `FILE holds the submission as JSON (- reads standard input), in the vendor's shape. It is
checked against the contract first: every problem is named and nothing is sent; elements and
codes the contract does not document are sent, each with a warning on standard error. It is then
sent exactly once and never retried, because Omeda queues it without an idempotency key; the
receipt (a transaction id) is printed. Needs the input id (OMEDA_INPUT_ID).

If the receipt cannot be written to standard output (a full disk, a closed pipe), it is written
to standard error and the exit status is 3: the submission was queued, so do not send it again.
If Omeda answers with a success status but not with a receipt the tool can read (not JSON, cut
short, no ResponseInfo, an error list), that answer is printed in the receipt's place, as it
came (redacted, a JSON string when it is not JSON), and the exit status is 1: the submission was
sent and may be queued, so do not send it again.

With --wait, the receipt is printed at once, on one line, so that it is not lost if the wait
fails; then each transaction the receipt names is looked up until Omeda has processed it (or
failed it, or held it for a person), for at most --wait-timeout in all, and the last lookup
answer of each is printed on a line of its own. The exit status is 0 when every transaction was
processed, 1 when one failed, was held, or was still pending when the time ran out, or when the
receipt names no usable transaction; stderr names each transaction, to look up later with
'omeda transaction ID'. Once the submission is sent the status is never 2: it was sent, do not
send it again. --wait-timeout bounds the wait, not the submission.`,
		Example: examples(
			"omeda store order.json",
			"omeda store --wait --wait-timeout 2m order.json",
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
			if opts.WaitTimeout < 0 {
				return usagef("--wait-timeout %v is negative", opts.WaitTimeout)
			}
			opts.Wait = opts.Wait || cmd.Flags().Changed("wait-timeout")
			if runF != nil {
				return runF(opts)
			}
			return storeRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Wait, "wait", false, "after the receipt, wait for the outcome of the submission")
	cmd.Flags().DurationVar(&opts.WaitTimeout, "wait-timeout", wrapper.DefaultWaitTimeout, "wait at most `DURATION` for the outcome (0: until interrupted); implies --wait")
	addConnectionFlags(cmd, &opts.Conn)
	return cmd
}

func storeRun(opts *StoreOptions) error {
	payload, err := readPayload(opts.IO.In, opts.File)
	if err != nil {
		return err
	}
	// Whatever is printed from here on (warnings, errors, the receipt, the transaction) may
	// echo the card the submission carries: its values go to the door with the credentials,
	// under the same bound (wrapper.MinSecretLength), so that the card number is looked for
	// in all that is printed. A security code or an expiry is shorter: three or four digits
	// that a date or an id holds by chance, which redacting everywhere would garble; they are
	// redacted by field name (wrapper.Redactor.JSON) and in the wrapper's own errors
	// (wrapper.Redactor.WithCard) instead.
	opts.Redactor.Add(spec.SecretValues(payload)...)
	var verr *wrapper.ValidationError
	warnings, err := wrapper.CheckStoreRequest(payload)
	// What the vendor's pages do not document is sent anyway: one line per warning.
	for _, w := range warnings {
		fmt.Fprintf(opts.IO.ErrOut, "omeda store: warning: %s\n", opts.Redactor.Line(w.String()))
	}
	if errors.As(err, &verr) {
		fmt.Fprintf(opts.IO.ErrOut, "omeda store: the submission is invalid; nothing was sent:\n")
		for _, p := range verr.Problems {
			fmt.Fprintf(opts.IO.ErrOut, "  %s\n", opts.Redactor.Line(p))
		}
		return errAlreadyReported
	} else if err != nil {
		return err
	}
	if opts.Wait {
		return storeAndWait(opts, payload)
	}
	conn, err := opts.Connect(opts.Conn)
	if err != nil {
		return err
	}
	defer conn.Close()
	receipt, err := conn.Client.StoreCustomerAndOrderJSON(opts.Ctx, payload)
	if err != nil {
		return opts.printUnreadReceipt(err, printJSON)
	}
	return opts.printReceipt(receipt, printJSON)
}

// printReceipt prints the receipt of a submission that was sent. The receipt is the only record
// of the transaction, and a submission must not be sent twice, so if standard output fails (a
// full disk, a closed pipe) the receipt goes to standard error instead and the command exits
// with its own status, exitReceiptOnStderr: a script that resends on status 1 does not resend
// this one.
// print is printJSON, or printJSONLine for a receipt followed by more documents.
func (o *APIOptions) printReceipt(receipt any, print func(io.Writer, *Redactor, any) error) error {
	err := print(o.IO.Out, o.Redactor, receipt)
	if err == nil {
		return nil
	}
	_ = print(o.IO.ErrOut, o.Redactor, receipt)
	return &receiptNotPrintedError{err: err}
}

// printUnreadReceipt prints, like a receipt, the answer of a submission that Omeda answered
// with a success status but whose receipt the SDK could not read (wrapper.UnreadReceiptError):
// the submission was sent and may be queued, and that answer is the only record of it. The
// command then exits with 1 (err says the submission was sent: do not send it again), or with
// exitReceiptOnStderr when standard output could not take the answer. Any other err is returned
// as it is.
func (o *APIOptions) printUnreadReceipt(err error, print func(io.Writer, *Redactor, any) error) error {
	var unread *wrapper.UnreadReceiptError
	if !errors.As(err, &unread) || unread.Raw == "" {
		return err
	}
	var answer any = unread.Raw // not JSON: the wrapper cleaned it on one line
	if json.Valid([]byte(unread.Raw)) {
		answer = json.RawMessage(unread.Raw)
	}
	if perr := o.printReceipt(answer, print); perr != nil {
		var rp *receiptNotPrintedError
		if errors.As(perr, &rp) {
			rp.also = err
		}
		return perr
	}
	return err
}

// receiptNotPrintedError is a submission that was queued but whose receipt could not be written
// to standard output: exit status exitReceiptOnStderr.
type receiptNotPrintedError struct {
	err  error
	also error // why the receipt is only the answer as it came (printUnreadReceipt), or nil
}

func (e *receiptNotPrintedError) Error() string {
	msg := fmt.Sprintf("the submission was queued, but its receipt could not be written to standard output (%v); "+
		"the receipt is above, on standard error: do not send the submission again", e.err)
	if e.also != nil {
		msg += "; " + e.also.Error()
	}
	return msg
}

func (e *receiptNotPrintedError) Unwrap() error { return e.err }

// storeAndWait stores, prints the receipt, waits for the outcome of every transaction the
// receipt names and prints the last transaction lookup answer of each, each as one line of JSON.
// Once the submission is sent, no error may say otherwise: whatever goes wrong after (a receipt
// without a usable transaction id, a failed wait) exits with 1 and says the submission was sent,
// never with the pre-send status 2, which tells a script it may send again.
func storeAndWait(opts *StoreOptions, payload []byte) error {
	var extra []wrapper.Option
	if !opts.Conn.Verbose {
		// The wait's warnings (a status Omeda's table lacks, a lookup that failed for a while).
		extra = append(extra, wrapper.WithLogger(slog.New(withoutSubmissionWarnings{
			slog.NewTextHandler(opts.Redactor.Writer(opts.IO.ErrOut), &slog.HandlerOptions{Level: slog.LevelWarn})})))
	}
	conn, err := opts.Connect(opts.Conn, extra...)
	if err != nil {
		return err
	}
	defer conn.Close()
	c := conn.Client
	receipt, err := c.StoreCustomerAndOrderJSON(opts.Ctx, payload)
	if err != nil {
		return opts.printUnreadReceipt(err, printJSONLine) // nothing to wait for without a receipt
	}
	if err := opts.printReceipt(receipt, printJSONLine); err != nil {
		return err // the receipt went to stderr: do not wait, say so
	}
	if len(receipt.ResponseInfo) == 0 {
		return &sentError{msg: "its receipt names no transaction to wait for (the receipt is printed above)"}
	}
	for i, t := range receipt.ResponseInfo {
		if t.TransactionID < 1 && (t.CustomerID == nil || *t.CustomerID < 1) {
			return &sentError{msg: fmt.Sprintf("its receipt has no usable transaction id (ResponseInfo[%d].TransactionId is %d; the receipt is printed above)", i, t.TransactionID)}
		}
	}
	// One deadline for all the transactions of the receipt: --wait-timeout bounds the wait.
	start := time.Now()
	var failed error
	for _, t := range receipt.ResponseInfo {
		timeout := opts.WaitTimeout
		if timeout > 0 {
			// Whatever is left; at least a moment, so that every transaction is looked up once.
			timeout = max(timeout-time.Since(start), time.Millisecond)
		}
		err := waitForOne(opts, c, t, timeout)
		if err != nil && failed == nil {
			failed = err
		}
	}
	return failed
}

// waitForOne waits for one transaction of a receipt, prints its last lookup answer, and says on
// stderr how it ended: nil when processed.
func waitForOne(opts *StoreOptions, c *wrapper.Client, t gen.Transaction, timeout time.Duration) error {
	id := t.TransactionID
	receipt := &gen.StoreReceipt{ResponseInfo: []gen.Transaction{t}}
	outcome, werr := c.WaitForReceipt(opts.Ctx, receipt, wrapper.WithWaitTimeout(timeout))
	var last *gen.TransactionStatus
	if outcome != nil {
		last = outcome.Last
		if last == nil && werr == nil && outcome.Lookups == 0 && id > 0 {
			// The receipt told the outcome (RunProcessor); one lookup shows Omeda's own record.
			last, _ = c.Transaction(opts.Ctx, id)
		}
	}
	if last != nil {
		if err := printJSONLine(opts.IO.Out, opts.Redactor, last); err != nil {
			return &sentError{msg: fmt.Sprintf("transaction %d: its lookup answer could not be written (%v)", id, err)}
		}
	}
	var msg string
	switch {
	case werr != nil:
		msg = werr.Error()
		if !strings.Contains(msg, fmt.Sprintf("transaction %d", id)) {
			msg = fmt.Sprintf("waiting for transaction %d: %s", id, msg)
		}
		msg += fmt.Sprintf("; look it up later with 'omeda transaction %d'", id)
	case outcome.State == wrapper.TransactionProcessed:
		fmt.Fprintf(opts.IO.ErrOut, "omeda store: %s\n", opts.Redactor.Line(outcome.String()))
		return nil
	case outcome.State == wrapper.TransactionPending:
		msg = fmt.Sprintf("%s after %v; look it up later with 'omeda transaction %d'", outcome, timeout, id)
	case outcome.State == wrapper.TransactionHeld:
		msg = fmt.Sprintf("%s: it waits for a person at Omeda; look it up later with 'omeda transaction %d'", outcome, id)
	default:
		msg = outcome.String()
	}
	fmt.Fprintf(opts.IO.ErrOut, "omeda store: %s\n", opts.Redactor.Line(msg))
	return &sentError{msg: msg, reported: true}
}

// sentError is a problem after the submission was sent: exit status 1, and the words say it was
// sent, whatever the cause (a wrapper error of the wait that wraps wrapper.ErrInvalidInput
// would otherwise read as "nothing was sent").
type sentError struct {
	msg      string
	reported bool // msg is on stderr already, with its transaction
}

func (e *sentError) Error() string {
	if e.reported {
		return "the submission was sent; the outcome above is not processed"
	}
	return "the submission was sent, but " + e.msg + "; do not send it again"
}

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

// withoutSubmissionWarnings drops the wrapper's log records of a submission's warnings, and of
// a base URL in clear text: the tool prints each of them itself, once, as a warning line.
type withoutSubmissionWarnings struct{ slog.Handler }

func (h withoutSubmissionWarnings) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == wrapper.SubmissionWarningMessage || r.Message == wrapper.CleartextMessage {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h withoutSubmissionWarnings) WithAttrs(attrs []slog.Attr) slog.Handler {
	return withoutSubmissionWarnings{h.Handler.WithAttrs(attrs)}
}

func (h withoutSubmissionWarnings) WithGroup(name string) slog.Handler {
	return withoutSubmissionWarnings{h.Handler.WithGroup(name)}
}
