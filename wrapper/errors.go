package wrapper

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Sentinels to match with errors.Is.
var (
	// ErrInvalidInput marks input refused before anything was sent: an option, a customer id,
	// a date range or a submission that cannot be valid.
	ErrInvalidInput = errors.New("omeda: invalid input")
	// ErrBadRequest matches an *APIError with status 400.
	ErrBadRequest = errors.New("omeda: bad request")
	// ErrForbidden matches an *APIError with status 403: the app id (or input id) was refused.
	ErrForbidden = errors.New("omeda: forbidden")
	// ErrNotFound matches an *APIError with status 404, merged customers included.
	ErrNotFound = errors.New("omeda: not found")
	// ErrMerged matches an *APIError whose customer was merged into another; the error's
	// MergedIntoCustomerID names the surviving customer.
	ErrMerged = errors.New("omeda: customer merged into another")
	// ErrRateLimited matches an *APIError with status 429.
	ErrRateLimited = errors.New("omeda: rate limited")
	// ErrServer matches an *APIError with a 5xx status.
	ErrServer = errors.New("omeda: server error")
	// ErrUnexpectedStatus matches an *APIError with a status the contract does not document for
	// the operation, such as a 300 or a redirect. An undocumented 2xx whose body is not the
	// documented answer matches ErrMalformedResponse instead.
	ErrUnexpectedStatus = errors.New("omeda: unexpected status")
	// ErrAnswerTooLarge matches an *APIError for a success answer larger, once decompressed,
	// than the client holds (WithMaxAnswerSize, WithMaxWindowSize). It also matches
	// ErrMalformedResponse.
	ErrAnswerTooLarge = errors.New("omeda: answer too large")
	// ErrMalformedResponse matches an *APIError for an answer that claimed success but whose
	// body could not be read as the documented JSON.
	ErrMalformedResponse = errors.New("omeda: malformed response")
)

// maxErrorBody bounds how much of an error answer is read; maxSnippet how much of a non-JSON
// one is kept.
const (
	maxErrorBody = 64 << 10
	maxSnippet   = 512
)

// APIError is an answer from Omeda (or from something in front of it) that is not the success
// the operation documents. It carries what the answer said, never the request's credentials.
type APIError struct {
	// Operation is the contract's operationId, such as phoneLookupByCustomerId.
	Operation string
	// StatusCode is the HTTP status.
	StatusCode int
	// Messages are the Error texts of the vendor's error envelope, in order.
	Messages []string
	// SubmissionID identifies the answer at Omeda, when it carried one.
	SubmissionID string
	// MergedIntoCustomerID is the surviving customer when the one asked for was merged into
	// another; 0 otherwise.
	MergedIntoCustomerID int64
	// Body is the start of an answer that was not the JSON envelope (an HTML page from a proxy,
	// plain text), at most 512 bytes. Like every string field here it is cleaned (see Clean):
	// credentials redacted, control characters escaped, on one line.
	Body string
	// ContentType is the answer's Content-Type.
	ContentType string
	// Attempts is the number of requests made, retries included.
	Attempts int
	// Err is the underlying cause of a malformed response.
	Err error

	documented bool // the status is one the contract lists for the operation
}

// Error renders the status, the vendor's messages and identifiers on one line.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "omeda: %s: HTTP %d", e.Operation, e.StatusCode)
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	switch {
	case e.Err != nil:
		fmt.Fprintf(&b, ": the answer is not the documented JSON: %s", snippet(e.Err.Error(), 1<<10))
	case len(e.Messages) > 0:
		b.WriteString(": " + snippet(strings.Join(e.Messages, "; "), 2<<10))
	case e.Body != "":
		fmt.Fprintf(&b, ": %s answer: %s", snippet(orUnknown(e.ContentType), 100), snippet(e.Body, 200))
	}
	var notes []string
	if e.MergedIntoCustomerID != 0 {
		notes = append(notes, fmt.Sprintf("merged into customer %d", e.MergedIntoCustomerID))
	}
	if e.SubmissionID != "" {
		notes = append(notes, "SubmissionId "+snippet(e.SubmissionID, 100))
	}
	if e.Attempts > 1 {
		notes = append(notes, fmt.Sprintf("after %d attempts", e.Attempts))
	}
	if len(notes) > 0 {
		b.WriteString(" (" + strings.Join(notes, ", ") + ")")
	}
	return b.String()
}

// Is matches the sentinels above.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrMerged:
		return e.MergedIntoCustomerID != 0
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	case ErrUnexpectedStatus:
		return !e.documented && e.Err == nil
	case ErrMalformedResponse:
		return e.Err != nil
	case ErrAnswerTooLarge:
		return errors.Is(e.Err, ErrAnswerTooLarge)
	}
	return false
}

// Unwrap returns the cause of a malformed response.
func (e *APIError) Unwrap() error { return e.Err }

func orUnknown(contentType string) string {
	if contentType == "" {
		return "untyped"
	}
	return contentType
}

// snippet cleans s (see Redactor) without secrets, as one line of at most n bytes.
func snippet(s string, n int) string { return (*Redactor)(nil).snippet(s, n) }

// quoted is snippet between double quotes, for a value that a message quotes: the snippet has
// escaped what cannot be printed already, so only the quotes inside are escaped (%q would escape
// the snippet's own backslashes a second time: "\\x1b").
func quoted(s string, n int) string {
	return `"` + strings.ReplaceAll(snippet(s, n), `"`, `\"`) + `"`
}
