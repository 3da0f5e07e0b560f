package main

import (
	"context"
	"encoding/json"
	"io"

	"github.com/omeda-go/omeda-go/wrapper"
)

// APIOptions are the fields every command that calls the API shares; the options struct of such
// a command embeds it, and its constructor calls addConnectionFlags(cmd, &opts.Conn).
type APIOptions struct {
	IO      *IOStreams
	Connect Connector
	Conn    ConnectionOptions
	// Ctx ends when the user interrupts the command; set by RunE from cmd.Context().
	Ctx context.Context
}

func newAPIOptions(f *Factory) APIOptions {
	return APIOptions{IO: f.IOStreams, Connect: f.Connect, Ctx: context.Background()}
}

// printResult connects, runs call and prints what it returned as JSON on stdout.
func (o *APIOptions) printResult(extra []wrapper.Option, call func(ctx context.Context, c *wrapper.Client) (any, error)) error {
	conn, err := o.Connect(o.Conn, extra...)
	if err != nil {
		return err
	}
	defer conn.Close()
	v, err := call(o.Ctx, conn.Client)
	if err != nil {
		return err
	}
	return printJSON(o.IO.Out, v)
}

// printJSON writes v as indented JSON with the vendor's field names.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
