package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/omeda-go/omeda-go/sandbox"
)

// SandboxOptions are the options of "omeda sandbox".
type SandboxOptions struct {
	IO       *IOStreams
	Redactor *Redactor
	// Ctx ends when the user interrupts the command; the sandbox then stops.
	Ctx context.Context
	// Addr is where to listen (--addr).
	Addr string
	// RequireAppID and RequireInputID are the only credentials the sandbox accepts, when set.
	RequireAppID, RequireInputID string
	// Verbose logs each request to stderr.
	Verbose bool
	// ProcessAfter is how long a stored submission takes to be processed (--process-after).
	ProcessAfter time.Duration
}

// NewCmdSandbox is "omeda sandbox": serve the sandbox until interrupted.
func NewCmdSandbox(f *Factory, runF func(*SandboxOptions) error) *cobra.Command {
	opts := &SandboxOptions{IO: f.IOStreams, Redactor: f.Redactor}
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "serve the sandbox, a local stand-in for the API, until interrupted",
		Long: `The sandbox answers the five endpoints under http://ADDR/webservices/rest from sample data:
the vendor's documented examples (customer 12345's phones, customer 22 merged into 99999, ...)
and a generated population of customers changed over several years. A stored submission is
processed after --process-after, as Omeda processes its queue: its transaction lookup moves
through the vendor's statuses (0, 7, 10, 28, 30 or 31) to 100 or 101, and only then does the
customer show up in the lookups. An email address at reject.invalid (any .invalid domain) makes
processing fail with status 9 instead. It accepts any non-empty app id and input id unless
told which to require. The first line of output is its base URL.`,
		Example: examples(
			"omeda sandbox",
			"omeda sandbox --addr 127.0.0.1:9090 --require-app-id secret",
			"omeda sandbox --process-after 10s",
			"OMEDA_BASE_URL=http://127.0.0.1:8080/webservices/rest OMEDA_BRAND=FOO OMEDA_APP_ID=x omeda phones 12345",
		),
		Args:              noArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return sandboxRun(opts)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT` (port 0 picks a free one)")
	fs.StringVar(&opts.RequireAppID, "require-app-id", "", "accept only this x-omeda-appid (`ID`)")
	fs.StringVar(&opts.RequireInputID, "require-input-id", "", "accept only this x-omeda-inputid (`ID`)")
	fs.BoolVar(&opts.Verbose, "verbose", false, "log each request to stderr")
	_ = fs.SetAnnotation("require-app-id", secretAnnotation, nil)
	_ = fs.SetAnnotation("require-input-id", secretAnnotation, nil)
	fs.DurationVar(&opts.ProcessAfter, "process-after", sandbox.DefaultProcessAfter, "process a stored submission after `DURATION` (0: at once)")
	return cmd
}

// noArgs refuses positional arguments.
func noArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unexpected arguments %q", args)
	}
	return nil
}

func sandboxRun(opts *SandboxOptions) error {
	host, _, err := net.SplitHostPort(opts.Addr)
	if err != nil {
		return usagef("--addr %q: %v", opts.Addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		fmt.Fprintf(opts.IO.ErrOut, "omeda sandbox: warning: %s is not a loopback address; the sandbox will be reachable from other machines\n", opts.Redactor.Line(host))
	}
	if opts.ProcessAfter < 0 {
		return usagef("--process-after %v is negative", opts.ProcessAfter)
	}
	sopts := []sandbox.Option{sandbox.WithProcessAfter(opts.ProcessAfter)}
	if opts.RequireAppID != "" {
		sopts = append(sopts, sandbox.WithAppID(opts.RequireAppID))
	}
	if opts.RequireInputID != "" {
		sopts = append(sopts, sandbox.WithInputID(opts.RequireInputID))
	}
	if opts.Verbose {
		sopts = append(sopts, sandbox.WithLogger(slog.New(slog.NewTextHandler(opts.Redactor.Writer(opts.IO.ErrOut), nil))))
	}
	sb, err := sandbox.Start(opts.Addr, sopts...)
	if err != nil {
		return fmt.Errorf("start the sandbox: %w", err)
	}
	fmt.Fprintln(opts.IO.Out, sb.URL)
	fmt.Fprintf(opts.IO.ErrOut, "omeda sandbox: serving at %s until interrupted\n", sb.URL)
	<-opts.Ctx.Done()
	fmt.Fprintln(opts.IO.ErrOut, "omeda sandbox: stopping")
	return sb.Close()
}
