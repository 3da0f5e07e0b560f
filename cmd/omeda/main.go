// Command omeda calls the Omeda REST API from the command line: phone numbers, merge history
// and changed customers of a brand, store customer and order, and the transaction lookup that
// follows a stored submission (store --wait waits for its outcome). It prints the API's answers
// as JSON with the vendor's field names, and serves the sandbox (omeda sandbox).
//
// Run it with no destination configured and it answers from the built-in sandbox, sample data
// that never leaves the machine; set OMEDA_ENV or OMEDA_BASE_URL (and the credentials) to call
// Omeda. See "omeda help"; "omeda completion bash" (zsh, fish, powershell) prints a completion
// script.
//
// Exit status: 0 on success; 1 when the API or the network failed; 2 for a usage error or input
// refused before anything was sent; 3 when store queued the submission but could not write the
// receipt to standard output (it is then on standard error).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// A closed pipe on stdout is an error to handle (store's receipt then goes to stderr), not a
	// signal that kills the process.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Execute(ctx, defaultFactory(), os.Args[1:])
	stop()
	os.Exit(code)
}
