package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// examples formats command lines for a command's Example field.
func examples(lines ...string) string {
	return "  " + strings.Join(lines, "\n  ")
}

// writeHelp prints the help of c: its usage line, what it does, its flags (spelled as they are
// typed, --app-id), examples and, for a command that calls the API, the configuration block.
func writeHelp(w io.Writer, c *cobra.Command) {
	if !c.HasParent() {
		writeRootHelp(w, c)
		return
	}
	c.InitDefaultHelpFlag()
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", usageLine(c), c.Short)
	if long := strings.TrimSpace(c.Long); long != "" {
		fmt.Fprintf(w, "\n%s\n", long)
	}
	if c.HasAvailableSubCommands() {
		fmt.Fprintln(w, "\nCommands:")
		writeCommandList(w, c.Commands(), "")
	}
	own, conn := pflag.NewFlagSet("own", pflag.ContinueOnError), pflag.NewFlagSet("conn", pflag.ContinueOnError)
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		if isConnectionFlag(f) {
			conn.AddFlag(f)
		} else {
			own.AddFlag(f)
		}
	})
	fmt.Fprintf(w, "\nFlags:\n%s", own.FlagUsages())
	if conn.HasFlags() {
		fmt.Fprintf(w, "\nConnection flags:\n%s", conn.FlagUsages())
	}
	if c.Example != "" {
		fmt.Fprintf(w, "\nExamples:\n%s\n", c.Example)
	}
	if c.Annotations[apiAnnotation] != "" {
		fmt.Fprint(w, environmentHelp())
	}
}

func isConnectionFlag(f *pflag.Flag) bool {
	_, ok := f.Annotations[connAnnotation]
	return ok
}

// usageLine is "omeda phones [flags] CUSTOMER_ID": the command's path, then the arguments of
// its Use field.
func usageLine(c *cobra.Command) string {
	line := c.CommandPath()
	if c.HasAvailableSubCommands() && !c.Runnable() {
		return line + " <command>"
	}
	line += " [flags]"
	if _, args, ok := strings.Cut(c.Use, " "); ok {
		line += " " + args
	}
	return line
}

func writeCommandList(w io.Writer, cmds []*cobra.Command, group string) {
	for _, sub := range cmds {
		if sub.IsAvailableCommand() || sub.Name() == "help" {
			if group == "" || sub.GroupID == group {
				fmt.Fprintf(w, "  %-11s %s\n", sub.Name(), sub.Short)
			}
		}
	}
}

func writeRootHelp(w io.Writer, root *cobra.Command) {
	fmt.Fprintf(w, "%s\n\nUsage: omeda <command> [flags] [arguments]\n", root.Short)
	for _, g := range root.Groups() {
		fmt.Fprintf(w, "\n%s\n", g.Title)
		writeCommandList(w, root.Commands(), g.ID)
	}
	fmt.Fprintf(w, `
Run 'omeda help <command>' (or 'omeda <command> --help') for its flags and examples.

Examples:
%s
`, root.Example)
	fmt.Fprint(w, environmentHelp())
	fmt.Fprint(w, exitStatusHelp)
}

const exitStatusHelp = `
Exit status: 0 success; 1 the API or the network failed; 2 a usage error or input refused
before anything was sent; 3 store queued the submission but could not write its receipt to
standard output, so it wrote it to standard error (do not send it again).
`

// newCmdHelp is "omeda help [command]": a command's help on stdout; an unknown topic is a usage
// error.
func newCmdHelp() *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]",
		Short: "help about a command",
		ValidArgsFunction: func(c *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			target, _, err := c.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, sub := range target.Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return usagef("unknown help topic %q", strings.Join(args, " "))
			}
			return target.Help()
		},
	}
}
