// Package sandbox is a local stand-in for the Omeda REST API: the five endpoints of openapi.yaml
// (phone lookup by customer id, customer change lookup, customer merge history lookup, store
// customer and order, transaction lookup), served over real HTTP from in-memory data, without
// credentials. The CLI, the examples, our tests and users' own tests use it as their peer.
//
//	s := sandbox.StartTest(t) // or sandbox.Start("127.0.0.1:0"), then s.Close()
//	client, err := wrapper.New("FOO", "any-app-id", wrapper.WithBaseURL(s.URL))
//
// [Server.URL] is the sandbox's counterpart of https://ows.omeda.com/webservices/rest; the paths
// under it are the spec's, ending with the literal "/*".
//
// # The spec decides
//
// Every request is validated against the embedded openapi.yaml with kin-openapi before it is
// answered, and every answer is one the spec documents for its operation (the package's tests
// validate them with kin-openapi's ValidateResponse). Refusals use the vendor's error envelope,
// {"SubmissionId": "...", "Errors": [{"Error": "..."}]}, as application/json:
//
//   - a missing x-omeda-appid header (or x-omeda-inputid, on store customer and order): 403. By
//     default any non-empty id is accepted; [WithAppID] and [WithInputID] require one value.
//   - a path of no operation, or a malformed path parameter on a lookup (a customer id such as
//     "abc" or "0", a date such as "13012020"): 404, which is how the vendor answers a malformed
//     URL, and the only client error the lookups document.
//   - another method than GET on a lookup: 404; another method than POST on store customer and
//     order: 405.
//   - a submission that breaks the schema or a rule the vendor's pages state (missing fields,
//     wrong types, malformed dates, a paid product without a term, incomplete billing data,
//     malformed JSON, another content type than application/json, a bad brand): 400, with one
//     Errors entry per violation, in the vendor's words where its pages give them ("Number must
//     be set.", "Your submission contained an invalid date"), else naming the field, such as
//     "Phones[0].Number: ...".
//
// What the contract accepts, the sandbox accepts: elements the vendor's pages do not list, codes
// outside their lists, numbers sent as strings ("100", "65.00"), paid orders with billing data
// (kept in memory with the customer, never logged). A submission with RunProcessor 1 is
// processed at once, and its receipt names the customer and the order.
//
// # Data
//
// The customers of the vendor's pages are there with the pages' values: 12345 with phones 472517
// and 472518 (and the encrypted id 9130C2719701F5S); 122234562 (no phones) and 23456789 with the
// change page's dates; 99999, into which 22, 111 and 2222 were merged; 1234, the customer the store
// pages' examples update (no phones until one is stored), so that the examples are accepted as
// the pages print them. Lookups of a merged customer
// answer 404 with MergedIntoCustomerId. Every customer also has a 15-character encrypted id
// ([Server.EncryptedID]) that the lookups accept.
//
// Beside them, a generated population: [DefaultPopulation] customers (see [WithPopulation]) with
// ids from 300000000, 0 to 3 phones each, and DateChanged spread over 2021-01-01 to 2026-06-30
// ([WithPopulationSpan]), the same on every run for the same [WithSeed]. It is built in well under
// a second for 100,000 customers, and a change lookup streams its answer however many customers
// it lists. Any brand abbreviation sees the same data.
//
// # Dates
//
// All dates are America/Chicago local time, as Omeda's. A change lookup's MMddyyyy bound is a
// day, MMddyyyy_HHmm a minute; both ends are inclusive (an end day runs through 23:59:59.999). As
// the vendor documents, a range longer than 90 days is refused; the range is measured between the
// two bounds as written, so 01012025 to 04012025, or 01012025_0000 to 04012025_0000, is accepted
// and one minute more is not. A start after the end, an MMddyyyy end that is not before today and
// an MMddyyyy_HHmm end after now are refused too (all with 404), "now" being [WithClock]'s. A
// window without changes is the vendor's 404 "No customers changed within that date range.".
//
// # Store customer and order
//
// A valid submission is checked against the vendor's documented rules (an OmedaCustomerId that does
// not exist or was merged, ShippingAddressId or EmailAddressId without OmedaCustomerId, a product
// twice, AmountPaid above the products' Amount + SalesTax + Postage, a card whose expiry month is
// over on [WithClock]'s clock, both demographic ids), refused at once with the vendor's 400 or 404
// if it breaks one, and otherwise queued, as the vendor queues it: the answer is the vendor's
// receipt, with increasing transaction ids from 8907512 and the URL of the transaction lookup.
//
// Processing takes [WithProcessAfter] (default [DefaultProcessAfter]) on [WithClock]'s clock,
// computed from the time elapsed, so no goroutine waits per submission. Meanwhile the
// transaction lookup shows the vendor's statuses 0, 7, 10, 28, then 30 (a new customer) or 31 (an
// existing one), each for a fifth of the delay; then 100 or 101 with OmedaCustomerId. Only then
// is the submission applied: it updates the customer named by OmedaCustomerId, or the one an
// earlier submission's ExternalCustomerId or ClientCustomerId created, or creates a customer; its
// DateChanged becomes the moment processing ended, and its Phones become phone records (a number
// it already has is updated rather than added), so that the change and phone lookups show it.
//
// Processing refuses an email address in the reserved .invalid domain, such as
// ann@reject.invalid: the transaction goes 0, 7, then 9 (Failed Validation Rules) with one
// Errors entry per address, and no customer changes. An unknown transaction id is the vendor's
// 404, "No status found for transaction N.". [Server.Reset] forgets what was stored.
//
// # Faults
//
// [Server.Inject] queues misbehaviours for tests of clients: another status (with Retry-After), a
// delay, a hang, a raw body, a body cut short, a connection dropped before or after the headers.
// [Server.Requests] counts what reached the sandbox, faulted requests included, per operation.
//
// # Closing
//
// [Server.Close] ends hung and delayed requests and returns once every goroutine serving the
// sandbox has ended; [StartTest] calls it when the test ends. [Run] serves until a context ends,
// for a command-line tool.
package sandbox
