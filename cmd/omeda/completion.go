package main

import (
	"slices"

	"github.com/spf13/cobra"
)

// CompletionOptions are the options of "omeda completion".
type CompletionOptions struct {
	IO *IOStreams
	// Shell is bash, zsh, fish or powershell.
	Shell string
	// NoDescriptions leaves the commands' descriptions out of the completions.
	NoDescriptions bool
	// Root is the command tree the script completes.
	Root *cobra.Command
}

var completionShells = []string{"bash", "zsh", "fish", "powershell"}

// NewCmdCompletion is "omeda completion SHELL": print the shell's completion script.
func NewCmdCompletion(f *Factory, runF func(*CompletionOptions) error) *cobra.Command {
	opts := &CompletionOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "completion SHELL",
		Short: "print the completion script for bash, zsh, fish or powershell",
		Long: `SHELL is bash, zsh, fish or powershell. The script completes commands, flags, the values of
--env and --format, and file names for store. Load it in the current shell, or install it once
for every new shell; the bash script needs the bash-completion package.`,
		Example: examples(
			"source <(omeda completion bash)                        # bash, this shell",
			"omeda completion bash > /etc/bash_completion.d/omeda   # bash, every shell",
			`omeda completion zsh > "${fpath[1]}/_omeda"             # zsh (with compinit enabled)`,
			"omeda completion fish > ~/.config/fish/completions/omeda.fish",
			"omeda completion powershell | Out-String | Invoke-Expression",
		),
		ValidArgs: completionShells,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("expected one SHELL (bash, zsh, fish or powershell), got %d arguments", len(args))
			}
			if !slices.Contains(completionShells, args[0]) {
				return usagef("unknown shell %q: use bash, zsh, fish or powershell", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Shell = args[0]
			opts.Root = cmd.Root()
			if runF != nil {
				return runF(opts)
			}
			return completionRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.NoDescriptions, "no-descriptions", false, "leave the commands' descriptions out of the completions")
	return cmd
}

func completionRun(opts *CompletionOptions) error {
	w, desc := opts.IO.Out, !opts.NoDescriptions
	switch opts.Shell {
	case "bash":
		return opts.Root.GenBashCompletionV2(w, desc)
	case "zsh":
		if desc {
			return opts.Root.GenZshCompletion(w)
		}
		return opts.Root.GenZshCompletionNoDesc(w)
	case "fish":
		return opts.Root.GenFishCompletion(w, desc)
	default:
		if desc {
			return opts.Root.GenPowerShellCompletionWithDesc(w)
		}
		return opts.Root.GenPowerShellCompletion(w)
	}
}
