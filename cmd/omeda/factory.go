package main

import (
	"io"
	"os"

	"github.com/omeda-go/omeda-go/wrapper"
)

// IOStreams are the standard streams of one invocation. Commands write only here, never to
// os.Stdout or os.Stderr, so that a test can run them in process and read what they printed.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// Factory is what every command is built from: the streams, the environment, and the way to
// reach the API. main builds the real one (NewFactory); tests build their own with buffers, a map
// for the environment, or a Connect of their own.
type Factory struct {
	IOStreams *IOStreams
	// Getenv reads an OMEDA_* variable; bindEnvironment is its only caller.
	Getenv func(string) string
	// Connect turns a command's resolved connection settings into a client.
	Connect Connector
	// Redactor collects the invocation's credentials and cleans what the tool prints.
	Redactor *Redactor
}

// NewFactory returns the factory of a real invocation.
func NewFactory(in io.Reader, out, errOut io.Writer, getenv func(string) string) *Factory {
	f := &Factory{
		IOStreams: &IOStreams{In: in, Out: out, ErrOut: errOut},
		Getenv:    getenv,
		Redactor:  &Redactor{},
	}
	for _, s := range connectionSettings {
		if s.secret {
			f.Redactor.Add(getenv(s.env))
		}
	}
	f.Connect = func(s ConnectionOptions, extra ...wrapper.Option) (*Connection, error) {
		return connect(f.IOStreams, f.Redactor, s, extra...)
	}
	return f
}

// defaultFactory is the factory of the process itself.
func defaultFactory() *Factory {
	return NewFactory(os.Stdin, os.Stdout, os.Stderr, os.Getenv)
}
