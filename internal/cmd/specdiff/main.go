// Command specdiff is the change gate of the shared contract: it runs oasdiff's breaking-change
// detection between the last released contract and the current one, and fails on a breaking
// change that CHANGELOG.md does not name.
//
// Usage (what `make spec-diff` and `make release-spec` run):
//
//	go run ./internal/cmd/specdiff [-prove] api/released/openapi.yaml openapi.yaml
//	go run ./internal/cmd/specdiff -release api/released/openapi.yaml openapi.yaml
//
// A breaking change is one oasdiff reports at level ERR; its WARN level (changes that may break
// some clients) is printed but does not fail. A breaking change is named when one line of the
// changelog's section (Unreleased, or with -release the section of the new version) holds, each
// in backticks, oasdiff's rule id and the operation as METHOD and path:
//
//   - `response-property-type-changed` `GET /brand/{brandAbbreviation}/customer/{customerId}/phone/*`: ...
//
// (a change outside any operation is named by its rule id alone). When the gate fails it prints
// the lines to add. The rule id and the operation are stable across oasdiff's versions and
// wordings, and one line covers every change of that rule in that operation.
//
// The version in info.version is semantic: never lower than the released one, and when a breaking
// change is present and the version has moved, its major part must have moved too. With -release
// the version must have moved and CHANGELOG.md must have its section; -prove also checks that the
// gate can fail, by removing an operation from a copy of the current contract.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("specdiff", flag.ContinueOnError)
	flags.SetOutput(stderr)
	oasdiffCmd := flags.String("oasdiff", "go tool -modfile=tools/go.mod oasdiff", "the command that runs oasdiff, split on spaces")
	changelog := flags.String("changelog", "CHANGELOG.md", "the changelog that names breaking changes")
	release := flags.Bool("release", false, "check a release: the version moved and CHANGELOG.md has its section")
	prove := flags.Bool("prove", false, "also check that the gate fails on a removed operation")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() != 2 {
		fmt.Fprintln(stderr, "usage: specdiff [-oasdiff CMD] [-changelog FILE] [-release] [-prove] BASE.yaml REVISION.yaml")
		return 2
	}
	g := gate{
		oasdiff:   strings.Fields(*oasdiffCmd),
		changelog: *changelog,
		release:   *release,
	}
	base, revision := flags.Arg(0), flags.Arg(1)
	report, err := g.check(base, revision)
	if err != nil {
		fmt.Fprintln(stderr, "spec-diff:", err)
		return 1
	}
	fmt.Fprint(stdout, report.String())
	if !report.ok() {
		return 1
	}
	if *prove {
		if err := g.prove(revision); err != nil {
			fmt.Fprintln(stderr, "spec-diff:", err)
			return 1
		}
		fmt.Fprintln(stdout, "spec-diff: proved: removing an operation from a copy of", revision, "fails the gate")
	}
	return 0
}
