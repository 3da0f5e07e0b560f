package main

// The layout of this command, after cli/cli's:
//
//   - Each command lives in a file of its own (phones.go, changes.go, ...) with a typed options
//     struct XOptions, a constructor NewCmdX(f *Factory, runF func(*XOptions) error) and a run
//     function xRun(*XOptions) error. The constructor declares the flags into the options and
//     RunE fills in the arguments; runF, when not nil, replaces xRun so that a test can check what
//     a command line parses into without running it.
//   - A command that calls the API embeds APIOptions in its options, calls
//     addConnectionFlags(cmd, &opts.Conn) and reaches the API through opts.printResult or
//     opts.Connect. The connection flags and their OMEDA_* variables are bound in one place
//     (connectionSettings, applied by bindEnvironment before any command runs).
//   - Errors are returned, never printed: usagef (and cobra's flag errors) exit with 2, an error
//     wrapping wrapper.ErrInvalidInput exits with 2 and says nothing was sent, a receipt that
//     stdout could not take exits with 3 (opts.printReceipt), any other exits with 1. report
//     prints the one line.
//   - Whatever the tool prints that it did not write itself goes through the door in outward.go:
//     answers through opts.printResult or printJSON, single strings through
//     opts.Redactor.Line, loggers through opts.Redactor.Writer(opts.IO.ErrOut). A vendor string
//     never goes to a stream directly.
//
// To add a command: write newcommand.go with NewCmdNewCommand, add it to the list in NewCmdRoot
// with its group, and test it in process with run() (cli_test.go) or through runF.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/omeda-go/omeda-go/wrapper"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailed  = 1 // the API or the network failed
	exitRefused = 2 // a usage error, or input refused before anything was sent
	// exitReceiptOnStderr: store queued the submission but could not write the receipt to
	// stdout; it is on stderr. Not 1, so that a script that resends on 1 does not duplicate it.
	exitReceiptOnStderr = 3
)

// Command groups of the root help.
const (
	groupAPI   = "api"
	groupLocal = "local"
)

// NewCmdRoot returns the omeda command with every subcommand.
func NewCmdRoot(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "omeda",
		Short: "omeda calls the Omeda REST API and prints the answers as JSON.",
		Example: examples(
			"omeda phones 12345                                  # from the built-in sandbox",
			"OMEDA_ENV=staging OMEDA_BRAND=FOO omeda merges 12345  # with OMEDA_APP_ID exported",
			"omeda changes --from 2024-01-01 --to 2024-12-31 > changes.json",
			"omeda store order.json",
			"omeda store --wait order.json                        # then wait for its outcome",
		),
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return &unknownCommandError{args[0]}
			}
			return nil
		},
		RunE: func(*cobra.Command, []string) error { return errNoCommand },
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			err := bindEnvironment(cmd, f.Getenv)
			addSecretFlags(f.Redactor, cmd)
			return err
		},
	}
	root.SetIn(f.IOStreams.In)
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	root.SetHelpFunc(func(c *cobra.Command, _ []string) { writeHelp(c.OutOrStdout(), c) })
	root.SetUsageFunc(func(c *cobra.Command) error { writeHelp(c.OutOrStderr(), c); return nil })
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return flagError(err) })
	root.AddGroup(
		&cobra.Group{ID: groupAPI, Title: "Commands that call the API:"},
		&cobra.Group{ID: groupLocal, Title: "Other commands:"},
	)
	help := newCmdHelp()
	root.SetHelpCommand(help)

	add := func(group string, cmds ...*cobra.Command) {
		for _, c := range cmds {
			c.GroupID = group
			root.AddCommand(c)
		}
	}
	add(groupAPI,
		NewCmdPhones(f, nil),
		NewCmdMerges(f, nil),
		NewCmdChanges(f, nil),
		NewCmdStore(f, nil),
		NewCmdTransaction(f, nil),
	)
	add(groupLocal,
		NewCmdSandbox(f, nil),
		NewCmdDemo(f, nil),
		NewCmdCompletion(f, nil),
		NewCmdVersion(f, nil),
		help,
	)
	usageErrorsFromArgs(root)
	return root
}

// Execute runs the command line args and returns the exit status.
func Execute(ctx context.Context, f *Factory, args []string) int {
	root := NewCmdRoot(f)
	root.SetArgs(legacyFlags(root, args))
	cmd, err := root.ExecuteContextC(ctx)
	return report(f.IOStreams.ErrOut, f.Redactor, root, cmd, err)
}

// usageError is a mistake in the command line or the configuration: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// unknownCommandError is a first argument that names no command.
type unknownCommandError struct{ name string }

func (e *unknownCommandError) Error() string { return fmt.Sprintf("unknown command %q", e.name) }

// errNoCommand is omeda run without a command: the help on stderr, exit status 2.
var errNoCommand = errors.New("no command")

// errAlreadyReported is a refusal whose details were printed already: exit status 2, no line.
var errAlreadyReported = fmt.Errorf("%w: reported above", wrapper.ErrInvalidInput)

// report prints err on one line, through the door, and maps it to an exit status.
func report(w io.Writer, r *Redactor, root, cmd *cobra.Command, err error) int {
	if err == nil {
		return exitOK
	}
	if cmd != nil {
		addSecretFlags(r, cmd) // when the command line was refused before the command ran
	}
	name, topic := "omeda", ""
	if cmd != nil && cmd != root {
		name = cmd.CommandPath()
		topic = " " + strings.TrimPrefix(name, root.Name()+" ")
	}
	var ue *usageError
	var uc *unknownCommandError
	var rp *receiptNotPrintedError
	switch {
	case errors.As(err, &rp):
		fmt.Fprintf(w, "%s: %s\n", name, r.Line(err.Error()))
		return exitReceiptOnStderr
	case errors.Is(err, errNoCommand):
		writeHelp(w, root)
		return exitRefused
	case errors.As(err, &uc):
		fmt.Fprintf(w, "omeda: %s\n\n", r.Line(uc.Error()))
		writeHelp(w, root)
		return exitRefused
	case errors.As(err, &ue):
		fmt.Fprintf(w, "%s: %s\n", name, r.Line(err.Error()))
		fmt.Fprintf(w, "run 'omeda help%s' for usage\n", topic)
		return exitRefused
	case errors.Is(err, errAlreadyReported):
		return exitRefused
	case errors.Is(err, wrapper.ErrInvalidInput):
		fmt.Fprintf(w, "%s: %s (nothing was sent)\n", name, r.Line(err.Error()))
		return exitRefused
	default:
		fmt.Fprintf(w, "%s: %s\n", name, r.Line(err.Error()))
		return exitFailed
	}
}

// flagError turns pflag's complaint into a usage error, in the words the tool used before cobra.
func flagError(err error) error {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "unknown flag: "); ok {
		msg = "flag provided but not defined: " + rest
	}
	return &usageError{msg}
}

// usageErrorsFromArgs makes the argument checks of every command usage errors (exit status 2),
// whoever wrote them.
func usageErrorsFromArgs(c *cobra.Command) {
	if check := c.Args; check != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			err := check(cmd, args)
			var ue *usageError
			var uc *unknownCommandError
			if err == nil || errors.As(err, &ue) || errors.As(err, &uc) {
				return err
			}
			return &usageError{err.Error()}
		}
	}
	for _, sub := range c.Commands() {
		usageErrorsFromArgs(sub)
	}
}

var singleDashLong = regexp.MustCompile(`^-([a-z][a-z0-9-]+)(=.*)?$`)

// legacyFlags rewrites -name and -name=value to --name and --name=value when name is a long flag
// of some command: the tool parsed its flags with the standard library before cobra, which took
// one dash as well as two, and scripts written then keep working. "--" ends the flags.
func legacyFlags(root *cobra.Command, args []string) []string {
	long := map[string]bool{"help": true}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) { long[f.Name] = true })
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		if m := singleDashLong.FindStringSubmatch(a); m != nil && long[m[1]] {
			a = "-" + a
		}
		out = append(out, a)
	}
	return out
}
