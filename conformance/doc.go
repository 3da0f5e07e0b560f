// Package conformance checks HTTP traffic against the omeda-go contract (openapi.yaml) with
// kin-openapi, and reports every way a request or an answer departs from it: the operation,
// the status, and the JSON pointer of each offending element. It also reports, in a list of its
// own, the drift: what an exchange carries that the contract does not document (an element it
// does not list, a code outside a documented list). The vendor's pages are not exhaustive, so
// drift is not a violation (Validator.Inspect, Transport.Drift); the live suite prints it and
// fails on it only with OMEDA_STRICT_DRIFT=1.
//
// It has three uses:
//
//   - A Validator checks one exchange (a request and its answer), recorded or live.
//   - A Transport is an http.RoundTripper that checks every exchange passing through it, for
//     integration tests (yours or ours), and can record each one as a cassette with the
//     credentials and card data removed. Its doc shows the few lines a test needs.
//   - The package's own tests replay the cassettes under testdata/ (the vendor's documented
//     examples, the shapes the documentation implies, and negative cassettes that must be
//     refused) and, when OMEDA_* variables are set, run the five operations live against a
//     real environment such as Omeda's staging: make conformance-live, with OMEDA_BASE_URL,
//     OMEDA_BRAND, OMEDA_APP_ID and OMEDA_TEST_CUSTOMER_ID set (live_test.go lists the optional
//     ones), or make conformance-sandbox, against omeda sandbox with no account.
package conformance
