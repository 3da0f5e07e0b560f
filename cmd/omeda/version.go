package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/omeda-go/omeda-go/wrapper"
)

// VersionOptions are the options of "omeda version".
type VersionOptions struct {
	IO *IOStreams
}

// NewCmdVersion is "omeda version".
func NewCmdVersion(f *Factory, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: f.IOStreams}
	return &cobra.Command{
		Use:               "version",
		Short:             "print the version",
		Args:              noArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			_, err := fmt.Fprintf(opts.IO.Out, "omeda (omeda-go) %s\n", wrapper.Version())
			return err
		},
	}
}
