package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/internal/testlog"
	"github.com/omeda-go/omeda-go/wrapper"
)

// parse runs args through the real root with the command that build makes in place of the one
// of the same name, so that its runF sees what the command line and the environment parse into.
func parse(t *testing.T, env map[string]string, build func(*Factory) *cobra.Command, args ...string) result {
	t.Helper()
	var out, errOut testlog.Buffer
	f := NewFactory(strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
	root := NewCmdRoot(f)
	cmd := build(f)
	old, _, err := root.Find([]string{cmd.Name()})
	require.NoError(t, err)
	cmd.GroupID = old.GroupID
	root.RemoveCommand(old)
	root.AddCommand(cmd)
	root.SetArgs(legacyFlags(root, args))
	c, err := root.ExecuteC()
	return result{report(f.IOStreams.ErrOut, f.Redactor, root, c, err), out.String(), errOut.String()}
}

func TestFlagsAndVariablesReachTheOptions(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"OMEDA_BASE_URL": " http://127.0.0.1:1/webservices/rest ", "OMEDA_BRAND": "BAR",
		"OMEDA_APP_ID": "from-env", "OMEDA_TIMEOUT": "5s", "OMEDA_ENV": "staging",
	}
	var got *LookupOptions
	phones := func(f *Factory) *cobra.Command {
		return NewCmdPhones(f, func(o *LookupOptions) error { got = o; return nil })
	}
	for _, args := range [][]string{
		{"phones", "--brand", "FOO", "--follow-merges", "3", "12345"},
		{"phones", "12345", "--brand=FOO", "--follow-merges=3"},
		{"phones", "-brand", "FOO", "-follow-merges=3", "12345"}, // one dash, as before cobra
	} {
		got = nil
		r := parse(t, env, phones, args...)
		require.Equal(t, 0, r.code, "%v: %s", args, r.stderr)
		require.NotNil(t, got, "%v", args)
		assert.Equal(t, "12345", got.CustomerID, "%v", args)
		assert.Equal(t, 3, got.FollowMerges, "%v", args)
		assert.Equal(t, ConnectionOptions{
			BaseURL: "http://127.0.0.1:1/webservices/rest", Env: "staging", Brand: "FOO",
			AppID: "from-env", Timeout: "5s",
		}, got.Conn, "a flag wins over its variable; a variable fills an unset flag: %v", args)
		assert.NotNil(t, got.Ctx)
	}

	// "--" ends the flags: what follows is an argument even if it looks like one.
	r := parse(t, nil, phones, "phones", "--", "-brand")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "-brand", got.CustomerID)

	var changes *ChangesOptions
	r = parse(t, nil, func(f *Factory) *cobra.Command {
		return NewCmdChanges(f, func(o *ChangesOptions) error { changes = o; return nil })
	}, "changes", "--from", "2024-01-01", "--sandbox")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "2024-01-01", changes.From)
	assert.Equal(t, "now", changes.To, "the default end")
	assert.Equal(t, 1, changes.Concurrency)
	assert.True(t, changes.Conn.Sandbox)

	var store *StoreOptions
	r = parse(t, map[string]string{"OMEDA_INPUT_ID": "in"}, func(f *Factory) *cobra.Command {
		return NewCmdStore(f, func(o *StoreOptions) error { store = o; return nil })
	}, "store", "-", "--input-id", "flag-in", "--verbose")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "-", store.File)
	assert.Equal(t, "flag-in", store.Conn.InputID)
	assert.True(t, store.Conn.Verbose)
	assert.False(t, store.Wait)
	assert.Equal(t, 5*time.Minute, store.WaitTimeout, "the wrapper's default")

	r = parse(t, nil, func(f *Factory) *cobra.Command {
		return NewCmdStore(f, func(o *StoreOptions) error { store = o; return nil })
	}, "store", "--wait", "--wait-timeout", "90s", "order.json")
	require.Equal(t, 0, r.code, r.stderr)
	assert.True(t, store.Wait)
	assert.Equal(t, 90*time.Second, store.WaitTimeout)

	var txn *TransactionOptions
	r = parse(t, nil, func(f *Factory) *cobra.Command {
		return NewCmdTransaction(f, func(o *TransactionOptions) error { txn = o; return nil })
	}, "transaction", "8907512", "--sandbox")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, int64(8907512), txn.TransactionID)
	assert.True(t, txn.Conn.Sandbox)

	var sb *SandboxOptions
	r = parse(t, map[string]string{"OMEDA_APP_ID": "not-for-the-sandbox"}, func(f *Factory) *cobra.Command {
		return NewCmdSandbox(f, func(o *SandboxOptions) error { sb = o; return nil })
	}, "sandbox", "--addr", "127.0.0.1:0", "--require-input-id", "x", "--process-after", "250ms")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, SandboxOptions{IO: sb.IO, Redactor: sb.Redactor, Ctx: sb.Ctx, Addr: "127.0.0.1:0", RequireInputID: "x", ProcessAfter: 250 * time.Millisecond}, *sb,
		"the sandbox's own flags have no variable behind them")

	var comp *CompletionOptions
	r = parse(t, nil, func(f *Factory) *cobra.Command {
		return NewCmdCompletion(f, func(o *CompletionOptions) error { comp = o; return nil })
	}, "completion", "fish", "--no-descriptions")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "fish", comp.Shell)
	assert.True(t, comp.NoDescriptions)
	assert.Equal(t, "omeda", comp.Root.Name())
}

func TestArgumentMistakesAreUsageErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"phones"}, "omeda phones: expected one CUSTOMER_ID (or --ids-from FILE), got 0 arguments\nrun 'omeda help phones' for usage\n"},
		{[]string{"changes", "--from", "2024-01-01", "extra"}, `omeda changes: unexpected arguments ["extra"]: the range is given with --from and --to`},
		{[]string{"changes", "--concurrency", "many"}, `omeda changes: invalid argument "many" for "--concurrency" flag`},
		{[]string{"changes", "--from", "2024-01-01", "--concurrency", "17"}, "--concurrency 17: must be between 1 and 16"},
		{[]string{"sandbox", "x"}, `omeda sandbox: unexpected arguments ["x"]`},
		{[]string{"version", "x"}, `omeda version: unexpected arguments ["x"]`},
		{[]string{"completion"}, "omeda completion: expected one SHELL (bash, zsh, fish or powershell), got 0 arguments"},
		{[]string{"completion", "tcsh"}, `omeda completion: unknown shell "tcsh"`},
		{[]string{"help", "frobnicate"}, `omeda help: unknown help topic "frobnicate"`},
		{[]string{"--colour"}, "omeda: flag provided but not defined: --colour\nrun 'omeda help' for usage\n"},
		{[]string{"phones", "-x", "1"}, "omeda phones: unknown shorthand flag: 'x' in -x"},
	} {
		r := omeda(t, nil, "", tc.args...)
		assert.Equal(t, 2, r.code, "%v: %s", tc.args, r.stderr)
		assert.Contains(t, r.stderr, tc.want, "%v", tc.args)
		assert.Empty(t, r.stdout, "%v", tc.args)
	}
}

// TestCommandsReachTheAPIThroughTheFactory: a command gets its client from Factory.Connect only,
// so a test (or a future caller) can hand it one.
func TestCommandsReachTheAPIThroughTheFactory(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("GET /brand/FOO/customer/12345/phone/*", reply(200, `{"Customer":"x","PhoneNumbers":[{"Id":7,"PhoneContactType":200,"PhoneNumber":"1","ChangedDate":"2015-03-08 21:23:34"}]}`))
	var out, errOut testlog.Buffer
	f := NewFactory(strings.NewReader(""), &out, &errOut, func(string) string { return "" })
	var seen ConnectionOptions
	f.Connect = func(c ConnectionOptions, extra ...wrapper.Option) (*Connection, error) {
		seen = c
		client, err := wrapper.New("FOO", appID, append(extra, wrapper.WithBaseURL(s.URL+"/webservices/rest"))...)
		return &Connection{Client: client}, err
	}
	code := Execute(t.Context(), f, []string{"phones", "--brand", "ignored-by-this-connector", "12345"})
	require.Equal(t, 0, code, errOut.String())
	assert.Equal(t, "ignored-by-this-connector", seen.Brand)
	assert.Contains(t, out.String(), `"Id": 7`)
	assert.Empty(t, errOut.String(), "no sandbox note: the factory's connector decides")
}

func TestCompletion(t *testing.T) {
	t.Parallel()
	for shell, marker := range map[string]string{
		"bash":       "# bash completion V2 for omeda",
		"zsh":        "#compdef omeda",
		"fish":       "complete -c omeda",
		"powershell": "Register-ArgumentCompleter",
	} {
		for _, args := range [][]string{{"completion", shell}, {"completion", shell, "--no-descriptions"}} {
			r := omeda(t, nil, "", args...)
			require.Equal(t, 0, r.code, "%v: %s", args, r.stderr)
			assert.Contains(t, r.stdout, marker, "%v", args)
			assert.Empty(t, r.stderr, "%v", args)
		}
	}

	// What the scripts ask the tool at each TAB.
	complete := func(args ...string) string {
		r := omeda(t, nil, "", append([]string{cobra.ShellCompNoDescRequestCmd}, args...)...)
		require.Equal(t, 0, r.code, r.stderr)
		return r.stdout
	}
	commands := complete("")
	for _, c := range []string{"phones", "merges", "changes", "store", "sandbox", "demo", "version", "completion", "help"} {
		assert.Contains(t, commands, c+"\n")
	}
	assert.Equal(t, "production\nstaging\n:4\n", complete("phones", "--env", ""))
	assert.Equal(t, "json\nndjson\n:4\n", complete("changes", "--format", ""))
	assert.Equal(t, "bash\nzsh\nfish\npowershell\n:4\n", complete("completion", ""))
	assert.Contains(t, complete("phones", "--"), "--app-id\n")
	assert.Equal(t, ":4\n", complete("phones", ""), "a customer id is no file name")
	assert.Equal(t, "json\n:8\n", complete("store", ""), "store completes .json files")
}

// singleDashLongFlag is a flag spelled the way the standard library's flag package prints it.
var singleDashLongFlag = regexp.MustCompile(`(^|[\s(])-[a-z][a-z0-9-]+`)

func TestHelpSpellsEveryFlagAsItIsTyped(t *testing.T) {
	t.Parallel()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		args := append(strings.Fields(strings.TrimPrefix(c.CommandPath(), "omeda")), "--help")
		r := omeda(t, nil, "", args...)
		require.Equal(t, 0, r.code, "%v: %s", args, r.stderr)
		assert.Empty(t, r.stderr)
		assert.False(t, singleDashLongFlag.MatchString(r.stdout), "%v: a flag with one dash in %s", args, r.stdout)
		if c.HasParent() {
			assert.Contains(t, r.stdout, "Usage: "+c.CommandPath(), "%v", args)
			assert.Contains(t, r.stdout, "Flags:\n", "%v", args)
			c.Flags().VisitAll(func(f *pflag.Flag) {
				assert.Contains(t, r.stdout, "--"+f.Name+" ", "%v: the flag is listed", args)
			})
			if c.Annotations[apiAnnotation] != "" {
				for _, s := range connectionSettings {
					assert.Contains(t, r.stdout, "$"+s.env, "%v: the flag names its variable", args)
				}
			}
			h := omeda(t, nil, "", append([]string{"help"}, args[:len(args)-1]...)...)
			assert.Equal(t, r, h, "'omeda help %s' is '%s --help'", args[:len(args)-1], args)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	root := NewCmdRoot(NewFactory(strings.NewReader(""), &testlog.Buffer{}, &testlog.Buffer{}, func(string) string { return "" }))
	walk(root)

	// The one-dash spellings the tool took before cobra still work.
	for _, args := range [][]string{{"-help"}, {"phones", "-help"}, {"-h"}} {
		r := omeda(t, nil, "", args...)
		assert.Equal(t, 0, r.code, "%v", args)
		assert.Contains(t, r.stdout, "Usage: omeda", "%v", args)
	}
}
