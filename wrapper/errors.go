package wrapper

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
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
	// the operation, such as a 300 or a redirect.
	ErrUnexpectedStatus = errors.New("omeda: unexpected status")
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
	// plain text), at most 512 bytes, cleaned of control characters.
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
		fmt.Fprintf(&b, ": the answer is not the documented JSON: %v", e.Err)
	case len(e.Messages) > 0:
		b.WriteString(": " + strings.Join(e.Messages, "; "))
	case e.Body != "":
		fmt.Fprintf(&b, ": %s answer: %s", orUnknown(e.ContentType), snippet(e.Body, 200))
	}
	var notes []string
	if e.MergedIntoCustomerID != 0 {
		notes = append(notes, fmt.Sprintf("merged into customer %d", e.MergedIntoCustomerID))
	}
	if e.SubmissionID != "" {
		notes = append(notes, "SubmissionId "+e.SubmissionID)
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

// snippet collapses whitespace, drops control characters and cuts s to at most n bytes on a
// rune boundary, then marks the cut with "…".
func snippet(s string, n int) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case !unicode.IsPrint(r):
			continue
		}
		sep := space && b.Len() > 0
		space = false
		need := utf8.RuneLen(r)
		if sep {
			need++
		}
		if b.Len()+need > n {
			b.WriteString("…")
			break
		}
		if sep {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
