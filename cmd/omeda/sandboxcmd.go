package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/omeda-go/omeda-go/sandbox"
	"github.com/omeda-go/omeda-go/wrapper"
)

type sandboxFlags struct {
	addr, appID, inputID string
	verbose              bool
}

var sandboxCmd = &command{
	name:    "sandbox",
	summary: "serve the sandbox, a local stand-in for the API, until interrupted",
	details: `The sandbox answers the four endpoints under http://ADDR/webservices/rest from sample data:
the vendor's documented examples (customer 12345's phones, customer 22 merged into 99999, ...)
and a generated population of customers changed over several years. Stored customers are
applied, so they then show up in the lookups. It accepts any non-empty app id and input id
unless told which to require. The first line of output is its base URL.`,
	examples: []string{
		"omeda sandbox",
		"omeda sandbox --addr 127.0.0.1:9090 --require-app-id secret",
		"OMEDA_BASE_URL=http://127.0.0.1:8080/webservices/rest OMEDA_BRAND=FOO OMEDA_APP_ID=x omeda phones 12345",
	},
	flags: func(fs *flag.FlagSet) any {
		f := &sandboxFlags{}
		fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT` (port 0 picks a free one)")
		fs.StringVar(&f.appID, "require-app-id", "", "accept only this x-omeda-appid (`ID`)")
		fs.StringVar(&f.inputID, "require-input-id", "", "accept only this x-omeda-inputid (`ID`)")
		fs.BoolVar(&f.verbose, "verbose", false, "log each request to stderr")
		return f
	},
	run: func(a *app, _ *config, opts any, args []string) error {
		f := opts.(*sandboxFlags)
		if len(args) > 0 {
			return usagef("unexpected arguments %q", args)
		}
		host, _, err := net.SplitHostPort(f.addr)
		if err != nil {
			return usagef("--addr %q: %v", f.addr, err)
		}
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			fmt.Fprintf(a.stderr, "omeda sandbox: warning: %s is not a loopback address; the sandbox will be reachable from other machines\n", host)
		}
		var sopts []sandbox.Option
		if f.appID != "" {
			sopts = append(sopts, sandbox.WithAppID(f.appID))
		}
		if f.inputID != "" {
			sopts = append(sopts, sandbox.WithInputID(f.inputID))
		}
		if f.verbose {
			sopts = append(sopts, sandbox.WithLogger(slog.New(slog.NewTextHandler(a.stderr, nil))))
		}
		sb, err := sandbox.Start(f.addr, sopts...)
		if err != nil {
			return fmt.Errorf("start the sandbox: %w", err)
		}
		fmt.Fprintln(a.stdout, sb.URL)
		fmt.Fprintf(a.stderr, "omeda sandbox: serving at %s until interrupted\n", sb.URL)
		<-a.ctx.Done()
		fmt.Fprintln(a.stderr, "omeda sandbox: stopping")
		return sb.Close()
	},
}

var demoCmd = &command{
	name:    "demo",
	summary: "walk the four endpoints against an in-process sandbox (make run)",
	details: `Starts the sandbox in this process and runs the other commands against it: stores a new
customer, finds it among the customers changed since the start of the day, lists its phone
numbers, and shows a merge history, printing each command and what it returned.`,
	run: func(a *app, _ *config, _ any, args []string) error {
		if len(args) > 0 {
			return usagef("unexpected arguments %q", args)
		}
		sb, err := sandbox.Start("127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("start the sandbox: %w", err)
		}
		defer sb.Close()
		d := &demo{a: a, env: map[string]string{
			"OMEDA_BASE_URL": sb.URL, "OMEDA_BRAND": sandboxBrand,
			"OMEDA_APP_ID": sandboxAppID, "OMEDA_INPUT_ID": sandboxInputID,
		}}
		fmt.Fprintf(a.stdout, "Sandbox at %s (brand %s). Each step runs the omeda command shown.\n", sb.URL, sandboxBrand)

		submission := `{
  "FirstName": "Ann",
  "LastName": "Example",
  "Emails": [{"EmailAddress": "ann.example@example.com"}],
  "Phones": [{"PhoneContactType": 230, "Number": "312-555-0100"}, {"PhoneContactType": 200, "Number": "312-555-0199", "Extension": "42"}]
}`
		started := time.Now().In(wrapper.Chicago).Add(-time.Minute)
		if _, err := d.step("Store a new customer (the submission is read from standard input)", submission, "store", "-"); err != nil {
			return err
		}
		out, err := d.step("Find it among the customers changed in the last minutes", "",
			"changes", "--from", started.Format("2006-01-02T15:04"), "--to", "now")
		if err != nil {
			return err
		}
		var changes struct {
			Customers []struct {
				ID int64 `json:"Id"`
			}
		}
		if err := json.Unmarshal(out, &changes); err != nil || len(changes.Customers) == 0 {
			return fmt.Errorf("demo: the stored customer is not among the changed customers")
		}
		newest := changes.Customers[0].ID
		for _, c := range changes.Customers {
			newest = max(newest, c.ID)
		}
		if _, err := d.step("List its phone numbers", "", "phones", fmt.Sprint(newest)); err != nil {
			return err
		}
		if _, err := d.step("Show the merge history of customer 99999, into which customer 22 was merged", "", "merges", "99999"); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, "\nDone. Point the same commands at Omeda with OMEDA_ENV (or OMEDA_BASE_URL), OMEDA_BRAND and OMEDA_APP_ID.")
		return nil
	},
}

// demo runs commands of this tool against the sandbox and shows them.
type demo struct {
	a   *app
	env map[string]string
	n   int
}

func (d *demo) step(title, stdin string, args ...string) ([]byte, error) {
	d.n++
	fmt.Fprintf(d.a.stdout, "\n%d. %s\n$ omeda %s\n", d.n, title, strings.Join(args, " "))
	var out bytes.Buffer
	code := run(d.a.ctx, args, strings.NewReader(stdin), io.MultiWriter(d.a.stdout, &out), d.a.stderr,
		func(k string) string { return d.env[k] })
	if code != exitOK {
		return nil, fmt.Errorf("demo: omeda %s exited with status %d", args[0], code)
	}
	return out.Bytes(), nil
}
