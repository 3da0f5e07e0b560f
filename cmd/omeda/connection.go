package main

import (
	"cmp"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/omeda-go/omeda-go/sandbox"
	"github.com/omeda-go/omeda-go/wrapper"
)

// ConnectionOptions are the connection settings of a command that calls the API, after the
// environment has been applied (bindEnvironment): a flag wins over its variable.
type ConnectionOptions struct {
	BaseURL, Env, Brand, AppID, InputID, Timeout string
	// Sandbox answers from an in-process sandbox whatever else is set.
	Sandbox bool
	// Verbose logs each attempt and retry to stderr.
	Verbose bool
	// NeedInputID is set by the commands that send the input id (store): without one they are
	// refused with the variable to set, before anything is sent.
	NeedInputID bool
}

// connectionSetting is one connection flag and the variable behind it. This table is the one
// place that binds flags to variables: the flags, their help, the configuration block of the
// help and bindEnvironment are all made from it.
type connectionSetting struct {
	flag, env, placeholder, meaning string
	field                           func(*ConnectionOptions) *string
	secret                          bool // a credential: never printed
}

var connectionSettings = []connectionSetting{
	{"base-url", "OMEDA_BASE_URL", "URL", "API root up to /webservices/rest; overrides OMEDA_ENV",
		func(o *ConnectionOptions) *string { return &o.BaseURL }, false},
	{"env", "OMEDA_ENV", "ENV", "production or staging",
		func(o *ConnectionOptions) *string { return &o.Env }, false},
	{"brand", "OMEDA_BRAND", "BRAND", "brand abbreviation",
		func(o *ConnectionOptions) *string { return &o.Brand }, false},
	{"app-id", "OMEDA_APP_ID", "ID", "app id; prefer the variable, flags show in process lists",
		func(o *ConnectionOptions) *string { return &o.AppID }, true},
	{"input-id", "OMEDA_INPUT_ID", "ID", "input id, needed by store",
		func(o *ConnectionOptions) *string { return &o.InputID }, true},
	{"timeout", "OMEDA_TIMEOUT", "DURATION", "per-attempt timeout, a Go duration such as 30s",
		func(o *ConnectionOptions) *string { return &o.Timeout }, false},
}

// Annotations on commands and flags.
const (
	// envAnnotation on a flag names the variable behind it.
	envAnnotation = "omeda_env"
	// connAnnotation marks a connection flag, listed apart in the help.
	connAnnotation = "omeda_connection"
	// apiAnnotation on a command says it takes the connection flags (its help shows the
	// configuration block).
	apiAnnotation = "omeda_api"
)

// addConnectionFlags gives cmd the connection flags, bound to o.
func addConnectionFlags(cmd *cobra.Command, o *ConnectionOptions) {
	fs := cmd.Flags()
	for _, s := range connectionSettings {
		fs.Var(&stringFlag{s.field(o), s.placeholder}, s.flag, fmt.Sprintf("%s ($%s)", s.meaning, s.env))
		_ = fs.SetAnnotation(s.flag, envAnnotation, []string{s.env})
		if s.secret {
			_ = fs.SetAnnotation(s.flag, secretAnnotation, nil)
		}
		_ = fs.SetAnnotation(s.flag, connAnnotation, nil)
	}
	fs.BoolVar(&o.Sandbox, "sandbox", false, "answer from an in-process sandbox; no credentials needed")
	fs.BoolVar(&o.Verbose, "verbose", false, "log each attempt and retry to stderr (never a credential)")
	_ = fs.SetAnnotation("sandbox", connAnnotation, nil)
	_ = fs.SetAnnotation("verbose", connAnnotation, nil)
	_ = cmd.RegisterFlagCompletionFunc("env", cobra.FixedCompletions([]string{"production", "staging"}, cobra.ShellCompDirectiveNoFileComp))
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[apiAnnotation] = "true"
}

// stringFlag is a string flag whose value is shown in the help as placeholder (pflag names it
// after the value's type).
type stringFlag struct {
	p           *string
	placeholder string
}

func (s *stringFlag) String() string     { return *s.p }
func (s *stringFlag) Set(v string) error { *s.p = v; return nil }
func (s *stringFlag) Type() string       { return s.placeholder }

// bindEnvironment gives every flag of cmd that has a variable behind it and was not set on the
// command line the variable's value. The root command runs it before any command.
func bindEnvironment(cmd *cobra.Command, getenv func(string) string) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		names := f.Annotations[envAnnotation]
		if err != nil || f.Changed || len(names) == 0 {
			return
		}
		v := strings.TrimSpace(getenv(names[0]))
		if v == "" {
			return
		}
		if f.Value.Set(v) != nil {
			// The value is not repeated: it may be a secret.
			err = usagef("%s is not a valid value for --%s", names[0], f.Name)
		}
	})
	return err
}

// environmentHelp is the configuration block of the help of the root and of each API command.
func environmentHelp() string {
	var b strings.Builder
	b.WriteString("\nConfiguration (a flag wins over its variable):\n")
	for _, s := range connectionSettings {
		fmt.Fprintf(&b, "  %-16s --%-10s %s\n", s.env, s.flag, s.meaning)
	}
	b.WriteString(`With no OMEDA_BASE_URL, OMEDA_ENV or credentials, commands answer from the built-in sandbox
(sample data that never leaves this machine), a new one for each command; --sandbox forces it.
To keep one between commands (store, then transaction), run 'omeda sandbox' and set
OMEDA_BASE_URL to the URL it prints, with OMEDA_BRAND, OMEDA_APP_ID and, for store,
OMEDA_INPUT_ID (any values).
`)
	return b.String()
}

// Connector turns resolved connection settings into a client. Factory.Connect is the real one;
// a test may put its own in the factory. extra options come from the command.
type Connector func(s ConnectionOptions, extra ...wrapper.Option) (*Connection, error)

// Connection is a ready client and whatever must be released after it.
type Connection struct {
	Client  *wrapper.Client
	closers []func()
}

// Close releases what the connection started (the in-process sandbox).
func (c *Connection) Close() {
	for i := len(c.closers) - 1; i >= 0; i-- {
		c.closers[i]()
	}
	c.closers = nil
}

// plainTimeout is a timeout value worth repeating in its error: short, and shaped like a
// duration (a few digits, then a unit or a typo of one: "30", "1.5x", "10 mins" is not). Anything
// else, such as a URL, a password or a card number pasted in the wrong variable ("S3cr3tPw",
// "4111111111111111"), is not repeated.
var plainTimeout = regexp.MustCompile(`^[+-]?[0-9.]{1,6}[a-zµ]{0,4}$`)

// Credentials the in-process sandbox is reached with when none are configured.
const (
	sandboxBrand   = "FOO"
	sandboxAppID   = "sandbox-app-id"
	sandboxInputID = "sandbox-input-id"
)

// connect resolves the settings into a client, refusing what cannot work before anything is
// sent. With no destination and no credentials it starts an in-process sandbox and says so on
// stderr; credentials without a destination are a usage error, so that a job that lost its
// OMEDA_ENV cannot quietly read sample data.
func connect(io *IOStreams, r *Redactor, s ConnectionOptions, extra ...wrapper.Option) (*Connection, error) {
	baseURL := strings.TrimSpace(s.BaseURL)
	envName := strings.ToLower(strings.TrimSpace(s.Env))
	brand := strings.TrimSpace(s.Brand)
	appID := strings.TrimSpace(s.AppID)
	inputID := strings.TrimSpace(s.InputID)
	timeout := strings.TrimSpace(s.Timeout)

	opts := []wrapper.Option{wrapper.WithUserAgent("omeda-cli")}
	if timeout != "" {
		d, err := time.ParseDuration(timeout)
		if err != nil || d <= 0 {
			shown := ""
			if plainTimeout.MatchString(timeout) {
				shown = fmt.Sprintf(" %q", timeout)
			}
			return nil, usagef("timeout%s is not a positive Go duration such as 30s (OMEDA_TIMEOUT or --timeout)", shown)
		}
		opts = append(opts, wrapper.WithTimeout(d))
	}
	if s.Verbose {
		opts = append(opts, wrapper.WithLogger(slog.New(withoutSubmissionWarnings{
			slog.NewTextHandler(r.Writer(io.ErrOut), &slog.HandlerOptions{Level: slog.LevelDebug})})))
	}

	conn := &Connection{}
	useSandbox := s.Sandbox
	if !useSandbox && baseURL == "" && envName == "" {
		if appID != "" || inputID != "" {
			return nil, usagef("credentials are set but no destination: set OMEDA_ENV (production or staging) or OMEDA_BASE_URL, or pass --sandbox")
		}
		useSandbox = true
		fmt.Fprintln(io.ErrOut, "omeda: no OMEDA_ENV or OMEDA_BASE_URL set: answering from the built-in sandbox (sample data; nothing leaves this machine)")
	}
	switch {
	case useSandbox:
		sb, err := sandbox.Start("127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("start the sandbox: %w", err)
		}
		conn.closers = append(conn.closers, func() { _ = sb.Close() })
		opts = append(opts, wrapper.WithBaseURL(sb.URL))
		brand, appID, inputID = cmp.Or(brand, sandboxBrand), cmp.Or(appID, sandboxAppID), cmp.Or(inputID, sandboxInputID)
	case baseURL != "":
		opts = append(opts, wrapper.WithBaseURL(baseURL))
	default:
		switch envName {
		case "production":
			opts = append(opts, wrapper.WithEnvironment(wrapper.Production))
		case "staging":
			opts = append(opts, wrapper.WithEnvironment(wrapper.Staging))
		default:
			return nil, usagef("environment %q: use production or staging (OMEDA_ENV or --env)", envName)
		}
	}
	if brand == "" {
		conn.Close()
		return nil, usagef("no brand: set OMEDA_BRAND or pass --brand")
	}
	if appID == "" {
		conn.Close()
		return nil, usagef("no app id: set OMEDA_APP_ID")
	}
	if s.NeedInputID && inputID == "" {
		conn.Close()
		return nil, usagef("no input id, which store needs: set OMEDA_INPUT_ID (nothing was sent)")
	}
	if inputID != "" {
		opts = append(opts, wrapper.WithInputID(inputID))
	}
	client, err := wrapper.New(brand, appID, append(opts, extra...)...)
	if err != nil {
		conn.Close()
		return nil, err
	}
	conn.Client = client
	if client.Cleartext() {
		fmt.Fprintf(io.ErrOut, "omeda: warning: the base URL %s is plain http to another machine: the app id, the input id and card data travel unencrypted; use https\n",
			r.Line(hostOf(baseURL)))
	}
	return conn, nil
}

// hostOf is what a warning shows of a base URL: its scheme and host.
func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil {
		return u.Scheme + "://" + u.Host
	}
	return "(unparsed)"
}
