package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/omeda-go/omeda-go/wrapper"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailed  = 1 // the API or the network failed
	exitRefused = 2 // a usage error, or input refused before anything was sent
)

// env reads an environment variable; tests pass their own.
type env func(string) string

// app is one invocation of the tool.
type app struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv env
}

// command is one subcommand.
type command struct {
	name     string
	args     string // the positional arguments, for the usage line
	summary  string
	details  string
	examples []string
	api      bool // takes the connection flags
	flags    func(fs *flag.FlagSet) any
	run      func(a *app, cfg *config, opts any, args []string) error
}

var commands []*command

func init() {
	commands = []*command{phonesCmd, mergesCmd, changesCmd, storeCmd, sandboxCmd, demoCmd, versionCmd}
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// usageError is a mistake in the command line or the configuration: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// run executes the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv env) int {
	a := &app{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 {
		mainUsage(stderr)
		return exitRefused
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if c := lookup(args[1]); c != nil {
				c.usage(stdout)
				return exitOK
			}
		}
		mainUsage(stdout)
		return exitOK
	}
	c := lookup(args[0])
	if c == nil {
		fmt.Fprintf(stderr, "omeda: unknown command %q\n\n", args[0])
		mainUsage(stderr)
		return exitRefused
	}
	return a.report(c, c.execute(a, args[1:]))
}

// report prints err on one line and maps it to an exit status.
func (a *app) report(c *command, err error) int {
	var ue *usageError
	var help helpRequested
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &help):
		c.usage(a.stdout)
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(a.stderr, "omeda %s: %s\n", c.name, oneLine(err.Error()))
		fmt.Fprintf(a.stderr, "run 'omeda help %s' for usage\n", c.name)
		return exitRefused
	case errors.Is(err, errAlreadyReported):
		return exitRefused
	case errors.Is(err, wrapper.ErrInvalidInput):
		fmt.Fprintf(a.stderr, "omeda %s: %s (nothing was sent)\n", c.name, oneLine(err.Error()))
		return exitRefused
	default:
		fmt.Fprintf(a.stderr, "omeda %s: %s\n", c.name, oneLine(err.Error()))
		return exitFailed
	}
}

type helpRequested struct{}

func (helpRequested) Error() string { return "help requested" }

// execute parses the command's flags (anywhere among its arguments) and runs it.
func (c *command) execute(a *app, args []string) error {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var cfg *config
	if c.api {
		cfg = connectionFlags(fs)
	}
	var opts any
	if c.flags != nil {
		opts = c.flags(fs)
	}
	positional, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return helpRequested{}
	}
	if err != nil {
		return usagef("%v", err)
	}
	if cfg != nil {
		cfg.setByFlag = map[string]bool{}
		fs.Visit(func(f *flag.Flag) { cfg.setByFlag[f.Name] = true })
	}
	return c.run(a, cfg, opts, positional)
}

// parseInterspersed parses flags that come before, between or after the positional arguments;
// "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func (c *command) usage(w io.Writer) {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	if c.api {
		connectionFlags(fs)
	}
	if c.flags != nil {
		c.flags(fs)
	}
	fmt.Fprintf(w, "Usage: omeda %s [flags] %s\n\n%s\n", c.name, c.args, c.summary)
	if c.details != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.details))
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	if len(c.examples) > 0 {
		fmt.Fprintln(w, "\nExamples:")
		for _, e := range c.examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
	if c.api {
		fmt.Fprint(w, environmentHelp)
	}
}

func mainUsage(w io.Writer) {
	fmt.Fprint(w, `omeda calls four endpoints of the Omeda REST API and prints the answers as JSON.

Usage: omeda <command> [flags] [arguments]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'omeda help <command>' (or 'omeda <command> --help') for its flags and examples.

Examples:
  omeda phones 12345                                  # from the built-in sandbox
  OMEDA_ENV=staging OMEDA_BRAND=FOO omeda merges 12345  # with OMEDA_APP_ID exported
  omeda changes --from 2024-01-01 --to 2024-12-31 > changes.json
  omeda store order.json
`)
	fmt.Fprint(w, environmentHelp)
	fmt.Fprint(w, `
Exit status: 0 success; 1 the API or the network failed; 2 a usage error or input refused
before anything was sent.
`)
}

const environmentHelp = `
Configuration (a flag wins over its variable):
  OMEDA_BASE_URL   --base-url   API root up to /webservices/rest; overrides OMEDA_ENV
  OMEDA_ENV        --env        production or staging
  OMEDA_BRAND      --brand      brand abbreviation
  OMEDA_APP_ID     --app-id     app id (prefer the variable: flags show in process lists)
  OMEDA_INPUT_ID   --input-id   input id, needed by store
  OMEDA_TIMEOUT    --timeout    per-attempt timeout, a Go duration such as 30s
With no OMEDA_BASE_URL, OMEDA_ENV or credentials, commands answer from the built-in sandbox
(sample data that never leaves this machine); --sandbox forces it.
`

// oneLine keeps an error message to one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
