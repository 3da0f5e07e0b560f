// Package conformance checks HTTP traffic against the omeda-go contract (openapi.yaml) with
// kin-openapi, and reports every way a request or an answer departs from it: the operation,
// the status, and the JSON pointer of each offending element.
//
// It has three uses:
//
//   - A Validator checks one exchange (a request and its answer), recorded or live.
//   - A Transport is an http.RoundTripper that checks every exchange passing through it, for
//     integration tests (yours or ours), and can record each one as a cassette with the
//     credentials removed.
//   - The package's own tests replay the cassettes under testdata/ (the vendor's documented
//     examples, the shapes the documentation implies, and negative cassettes that must be
//     refused) and, when OMEDA_* variables are set, run the five operations live against a
//     real environment such as Omeda's staging. See live_test.go and make conformance-live.
package conformance
