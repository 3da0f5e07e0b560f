// Package wrapper is the Go client for five endpoints of the Omeda REST API: phone lookup by
// customer id, customer change lookup, customer merge history lookup, store customer and order, and
// the transaction lookup that follows a stored submission to its outcome. It is a thin layer over
// the client generated from the omeda-go contract (package gen): it returns the generated models,
// and adds what a generated client cannot know.
//
//	client, err := wrapper.New("FOO", os.Getenv("OMEDA_APP_ID"),
//		wrapper.WithEnvironment(wrapper.Staging))
//	if err != nil {
//		return err
//	}
//	phones, err := client.PhoneNumbers(ctx, "12345")
//
// Every call takes a context first; cancelling it ends the call, waits included.
//
// # Authentication
//
// Every request carries the app id given to New in the x-omeda-appid header. Store customer
// and order also needs the input id (x-omeda-inputid), given with WithInputID; calling it
// without one is refused before anything is sent. The headers are set on the requests the
// client builds, never on a request of the caller's. Credentials never appear in errors or log
// records: text that comes back from the network is scrubbed of them too.
//
// # Output
//
// Every string the client lets out (an error, a field of *APIError, a log record, at every
// level) passes one door, Redactor: credentials are found however they are disguised (split by
// invisible characters or line breaks, in another case), replaced by [REDACTED], and control
// characters are escaped, so that a vendor message cannot rewrite a terminal. Clean (and
// Client.Clean) is the same door for a program's own output.
//
// # Environments
//
// New needs a destination: WithEnvironment(Production) or WithEnvironment(Staging), the two
// servers Omeda documents, or WithBaseURL for anything else (the sandbox in package sandbox, a
// test server, a proxy). There is no default, so that nothing reaches production by accident.
// Redirects are never followed, because they could carry the app id to another host.
//
// # Dates
//
// Omeda's dates are wall-clock times in America/Chicago (Chicago), without an offset. The
// change calls take time.Time values in any zone and send them as MMddyyyy_HHmm in Chicago
// (FormatDate and FormatDateTime give both path formats). The generated models keep the dates
// of the answers as the strings Omeda sent, yyyy-MM-dd HH:mm:ss or with milliseconds: that
// costs nothing while decoding large answers, loses nothing, and survives the " CST"/" CDT"
// suffix real answers sometimes carry. ParseTime turns such a string into a time.Time in
// Chicago. The Format...Submission helpers write the dates of a store submission.
//
// # Errors
//
// Anything but a success answer is an *APIError carrying the HTTP status, the vendor's
// messages, the SubmissionId, the surviving customer of a merged one (MergedIntoCustomerID),
// and the start of a body that was not JSON (a proxy's HTML page, say). Match it with
// errors.Is against ErrNotFound, ErrForbidden, ErrBadRequest, ErrMerged, ErrRateLimited,
// ErrServer, ErrUnexpectedStatus (a 300, a redirect, any status the contract does not list)
// and ErrMalformedResponse (a success whose body is not the documented JSON: truncated, HTML,
// empty, followed by more data, or an error envelope). A success is any 2xx status whose body
// is the documented answer: a 201 or a 202 that carries it is taken, not refused (the
// conformance suite reports the status the contract does not list); with any other body it
// matches ErrMalformedResponse. Input refused before sending matches
// ErrInvalidInput; an invalid submission is a *ValidationError listing every problem. A call
// that got no answer is a *TransportError whose Delivery says whether the request was sent
// (NotSent, Sent, MaybeSent), from what the connection saw (net/http/httptrace).
//
// # Bounds
//
// An answer the client holds in memory is bounded after decompression: a lookup, a receipt or a
// transaction by WithMaxAnswerSize (4 MiB), a change window held whole by WithMaxWindowSize (256
// MiB of bytes and of decoded customers in memory, shared by the windows fetched at once; any one
// customer or value in it by WithMaxAnswerSize). A larger one is an error matching
// ErrAnswerTooLarge. ChangedCustomerStream holds one customer at a time: a window has no bound
// there, each customer has WithMaxAnswerSize. What the client reads of an error answer is bounded
// too (64 KiB). Bytes left after an answer are never waited for: the connection is closed instead.
//
// # Submissions
//
// A store submission is refused before sending only for what the vendor's pages state as rules:
// wrong types and formats, missing required elements, malformed dates, both customer ids at once,
// the documented rules across elements. Elements the pages do not list and codes outside their
// lists are sent (the pages are not exhaustive; Omeda judges them) and reported as warnings:
// CheckStoreRequest returns them, and StoreCustomerAndOrder logs each at warn level with its JSON
// pointer and value. Codes, ids and amounts may be given as numbers or as the strings the
// vendor's examples use; the models carry them as flex.Int and flex.Decimal. Card data (the card
// number, security code and expiry) never appears in an error, a warning or a log.
//
// # Retries
//
// One policy, RetryPolicy, applies to the four lookups (transaction lookup included): transport
// failures (not a cancelled context, not TLS failures), 429, 502, 503 and 504 are retried, up to 3
// attempts by default, after the wait Retry-After asks for (capped) or an exponential backoff with
// jitter. A 500 is not retried, as Omeda advises. Store customer and order is never retried: Omeda
// queues it without an idempotency key, and a repeat can create a duplicate customer. No transport
// underneath can replay a request on its own either (Go's HTTP/2 transport does so after a stream
// reset): the submission's body can be read once, a GET over https carries an empty body that makes
// it non-replayable, and every request a transport puts on the wire counts as an attempt.
// WithTimeout bounds each attempt (DefaultTimeout unless set). For the change lookups it is an idle
// timeout: it bounds the wait for the headers and every wait for more of the body, not the whole
// transfer, because an answer of millions of customers can take minutes to arrive without ever
// stalling.
//
// # Change windows
//
// Omeda answers change lookups for at most 90 days at a time. ChangedCustomers takes a range
// of any length, splits it (SplitRange), and returns one list with each customer once, keeping
// the latest DateChanged. A window in which nothing changed, which Omeda answers with a 404, is
// empty rather than an error. An end in the future is clamped to now; a reversed range is
// refused before sending. ChangedCustomerWindows yields the same data window by window, so a
// backfill over years holds one window at a time; WithWindowConcurrency lets it fetch a few
// windows at once, still in order.
//
// A single window has no paging and can hold millions of customers. ChangedCustomerStream yields
// them one at a time as they are decoded from the connection, over a range of any length, so memory
// stays flat however large a window is: measured on loopback (make bench), about 22 KB of live heap
// for a window of 100,000, 1,000,000 or 5,000,000 customers, where decoding the whole answer with
// encoding/json holds 58 MB, 497 MB and 2.2 GB. It de-duplicates across windows by default,
// yielding each customer at its first occurrence (Omeda's DateChanged is the customer's last
// change, so all its occurrences agree), and remembers the customers seen in a compressed bitmap of
// their ids: about 2 bytes per customer for ids scattered at random, and well under a byte for a
// brand's dense ids (0.003 bytes each for 5 million consecutive ids). A window that fails before
// its first customer was yielded is retried; once a customer was yielded, a failure ends the stream
// with an error rather than repeating or skipping customers. All three calls share one decoder: a
// null customer, one without an Id, or data after the answer's JSON is a malformed answer.
//
// # Waiting for a submission
//
// Store customer and order only queues a submission; its receipt names a transaction.
// Transaction looks it up once; WaitForTransaction (or WaitForReceipt) looks it up until the
// outcome is known, with a capped exponential backoff, and classifies it with one table of the
// vendor's statuses (ClassifyTransactionStatus): processed (with the customer's id), failed
// (with the transaction's errors), held for a person at Omeda, or still pending when the wait's
// time (WithWaitTimeout) runs out. A status the vendor's table does not list keeps the wait going
// and is logged.
//
// # Merged customers
//
// A customer merged into another answers 404 with the surviving customer's id. By default that
// is an error matching ErrMerged; WithFollowMerges makes PhoneNumbers and MergeHistory ask for
// the surviving customer instead, up to a number of hops.
package wrapper
