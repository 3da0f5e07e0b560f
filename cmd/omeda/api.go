package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/wrapper"
)

// APIOptions are the fields every command that calls the API shares; the options struct of such
// a command embeds it, and its constructor calls addConnectionFlags(cmd, &opts.Conn).
type APIOptions struct {
	IO      *IOStreams
	Connect Connector
	// Redactor cleans what the command prints.
	Redactor *Redactor
	Conn     ConnectionOptions
	// Ctx ends when the user interrupts the command; set by RunE from cmd.Context().
	Ctx context.Context
}

func newAPIOptions(f *Factory) APIOptions {
	return APIOptions{IO: f.IOStreams, Connect: f.Connect, Redactor: f.Redactor, Ctx: context.Background()}
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
	return printJSON(o.IO.Out, o.Redactor, v)
}

// printJSON writes v as indented JSON with the vendor's field names, through the door.
func printJSON(w io.Writer, r *Redactor, v any) error {
	data, err := encodeJSON(v)
	if err != nil {
		return err
	}
	_, err = w.Write(r.JSON(data))
	return err
}

// printJSONLine writes v as one line of JSON, through the door: for output that is one JSON
// document per line.
func printJSONLine(w io.Writer, r *Redactor, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(r.JSON(b.Bytes()))
	return err
}

func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return b.Bytes(), err
}

// printChanges is printJSON for a change answer, byte for byte, written customer by customer:
// the answer can hold a million customers, and printJSON would hold its whole encoding (and
// the door's copy of it) beside them, several times the memory of the customers themselves.
func printChanges(w io.Writer, r *Redactor, v *gen.CustomerChanges) error {
	shell := *v
	shell.Customers = []gen.ChangedCustomer{}
	data, err := encodeJSON(&shell)
	if err != nil {
		return err
	}
	const empty = `"Customers": []`
	head, tail, ok := bytes.Cut(data, []byte(empty))
	if !ok || len(v.Customers) == 0 {
		return printJSON(w, r, v)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("    ", "  ")
	enc.SetEscapeHTML(false)
	_, _ = bw.Write(r.JSON(head))
	_, _ = bw.WriteString(`"Customers": [` + "\n")
	for i := range v.Customers {
		b.Reset()
		b.WriteString("    ")
		if err := enc.Encode(&v.Customers[i]); err != nil {
			return err
		}
		elem := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
		if i < len(v.Customers)-1 {
			elem = append(elem, ',')
		}
		elem = append(elem, '\n')
		if _, err := bw.Write(r.JSON(elem)); err != nil {
			return err
		}
	}
	_, _ = bw.WriteString("  ]")
	_, _ = bw.Write(r.JSON(tail))
	return bw.Flush()
}
