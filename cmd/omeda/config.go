package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/omeda-go/omeda-go/sandbox"
	"github.com/omeda-go/omeda-go/wrapper"
)

// config is the connection configuration: flags, each with an environment variable behind it.
type config struct {
	baseURL, env, brand, appID, inputID, timeout string
	sandbox                                      bool
	verbose                                      bool
	setByFlag                                    map[string]bool
}

// The variable behind each connection flag.
var flagEnv = map[string]string{
	"base-url": "OMEDA_BASE_URL",
	"env":      "OMEDA_ENV",
	"brand":    "OMEDA_BRAND",
	"app-id":   "OMEDA_APP_ID",
	"input-id": "OMEDA_INPUT_ID",
	"timeout":  "OMEDA_TIMEOUT",
}

func connectionFlags(fs *flag.FlagSet) *config {
	c := &config{}
	fs.StringVar(&c.baseURL, "base-url", "", "API root up to /webservices/rest (`URL`; $OMEDA_BASE_URL)")
	fs.StringVar(&c.env, "env", "", "production or staging (`ENV`; $OMEDA_ENV)")
	fs.StringVar(&c.brand, "brand", "", "brand abbreviation (`BRAND`; $OMEDA_BRAND)")
	fs.StringVar(&c.appID, "app-id", "", "app id (`ID`; prefer $OMEDA_APP_ID: flags show in process lists)")
	fs.StringVar(&c.inputID, "input-id", "", "input id, for store (`ID`; $OMEDA_INPUT_ID)")
	fs.StringVar(&c.timeout, "timeout", "", "per-attempt timeout such as 30s (`DURATION`; $OMEDA_TIMEOUT)")
	fs.BoolVar(&c.sandbox, "sandbox", false, "answer from an in-process sandbox; no credentials needed")
	fs.BoolVar(&c.verbose, "verbose", false, "log each attempt and retry to stderr (never a credential)")
	return c
}

// value returns a flag's value if it was given, else its variable's.
func (c *config) value(a *app, name string, flagValue string) string {
	if c.setByFlag[name] {
		return strings.TrimSpace(flagValue)
	}
	return strings.TrimSpace(a.getenv(flagEnv[name]))
}

// connection is a ready client and whatever must be closed after it.
type connection struct {
	client  *wrapper.Client
	closers []func()
}

func (c *connection) close() {
	for i := len(c.closers) - 1; i >= 0; i-- {
		c.closers[i]()
	}
}

// Credentials the in-process sandbox is reached with when none are configured.
const (
	sandboxBrand   = "FOO"
	sandboxAppID   = "sandbox-app-id"
	sandboxInputID = "sandbox-input-id"
)

// connect resolves the configuration into a client, refusing what cannot work before anything
// is sent. extra options come from the command.
func (c *config) connect(a *app, extra ...wrapper.Option) (*connection, error) {
	baseURL := c.value(a, "base-url", c.baseURL)
	envName := strings.ToLower(c.value(a, "env", c.env))
	brand := c.value(a, "brand", c.brand)
	appID := c.value(a, "app-id", c.appID)
	inputID := c.value(a, "input-id", c.inputID)
	timeout := c.value(a, "timeout", c.timeout)

	opts := []wrapper.Option{wrapper.WithUserAgent("omeda-cli")}
	if timeout != "" {
		d, err := time.ParseDuration(timeout)
		if err != nil || d <= 0 {
			return nil, usagef("timeout %q is not a positive Go duration such as 30s (OMEDA_TIMEOUT or --timeout)", timeout)
		}
		opts = append(opts, wrapper.WithTimeout(d))
	}
	if c.verbose {
		opts = append(opts, wrapper.WithLogger(slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}

	conn := &connection{}
	useSandbox := c.sandbox
	if !useSandbox && baseURL == "" && envName == "" {
		if appID != "" || inputID != "" {
			return nil, usagef("credentials are set but no destination: set OMEDA_ENV (production or staging) or OMEDA_BASE_URL, or pass --sandbox")
		}
		useSandbox = true
		fmt.Fprintln(a.stderr, "omeda: no OMEDA_ENV or OMEDA_BASE_URL set: answering from the built-in sandbox (sample data; nothing leaves this machine)")
	}
	switch {
	case useSandbox:
		sb, err := sandbox.Start("127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("start the sandbox: %w", err)
		}
		conn.closers = append(conn.closers, func() { _ = sb.Close() })
		opts = append(opts, wrapper.WithBaseURL(sb.URL))
		brand, appID, inputID = orDefault(brand, sandboxBrand), orDefault(appID, sandboxAppID), orDefault(inputID, sandboxInputID)
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
		conn.close()
		return nil, usagef("no brand: set OMEDA_BRAND or pass --brand")
	}
	if appID == "" {
		conn.close()
		return nil, usagef("no app id: set OMEDA_APP_ID")
	}
	if inputID != "" {
		opts = append(opts, wrapper.WithInputID(inputID))
	}
	client, err := wrapper.New(brand, appID, append(opts, extra...)...)
	if err != nil {
		conn.close()
		return nil, err
	}
	conn.client = client
	return conn, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// printJSON writes v as indented JSON.
func printJSON(w io.Writer, v any) error {
	enc := newEncoder(w)
	return enc.Encode(v)
}
