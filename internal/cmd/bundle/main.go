// Command bundle merges the multi-file OpenAPI documents under api/ into one self-contained
// document, keeping the authors' key order and the components' own names.
//
// Usage:
//
//	go run ./internal/cmd/bundle -o openapi.yaml api/openapi.yaml
//
// kin-openapi can internalize external references too, but it names the components after their
// files (components_ErrorEnvelope) and re-sorts every key; the contract other teams read and
// generate from should look like what we wrote. The tests hold this bundle equal to kin-openapi's
// own resolution of api/.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	out := flag.String("o", "", "write the bundle to this file (default: standard output)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: bundle [-o FILE] ROOT.yaml")
		os.Exit(2)
	}
	data, err := Bundle(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "bundle:", err)
		os.Exit(1)
	}
	if *out == "" {
		_, err = os.Stdout.Write(data)
	} else {
		err = writeIfChanged(*out, data)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bundle:", err)
		os.Exit(1)
	}
}

// writeIfChanged leaves an identical file untouched so that make does not see it as new.
func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && string(old) == string(data) {
		return nil
	}
	return os.WriteFile(path, data, 0o644)
}
