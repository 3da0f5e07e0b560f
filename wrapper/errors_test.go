package wrapper

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorShapes(t *testing.T) {
	t.Parallel()
	html := "<html><head><title>502 Bad Gateway</title></head>\n<body>\n<h1>Bad Gateway</h1>" + strings.Repeat(" filler", 200) + "</body></html>"
	cases := []struct {
		name        string
		handler     http.HandlerFunc
		status      int
		is          []error
		isNot       []error
		messages    []string
		merged      int64
		submission  string
		bodyPrefix  string
		errContains []string
	}{
		{
			name:       "documented not found",
			handler:    status(404, noPhoneBody),
			status:     404,
			is:         []error{ErrNotFound},
			isNot:      []error{ErrMerged, ErrUnexpectedStatus, ErrMalformedResponse},
			messages:   []string{"No phone number found for customer 12345."},
			submission: "ec0c2ba6-13f4-4934-8efa-74c2ccb33f1d",
			errContains: []string{"HTTP 404", "No phone number found for customer 12345.",
				"SubmissionId ec0c2ba6-13f4-4934-8efa-74c2ccb33f1d"},
		},
		{
			name:        "merged customer",
			handler:     status(404, mergedBody),
			status:      404,
			is:          []error{ErrNotFound, ErrMerged},
			messages:    []string{"Customer id 22 is valid but not active. Please use 99999."},
			merged:      99999,
			submission:  "2da476ca-9ae6-4b4a-a77c-4aafbd275028",
			errContains: []string{"merged into customer 99999"},
		},
		{
			name:        "merged customer id as a string",
			handler:     status(404, `{"Errors":[{"MergedIntoCustomerId":"99999","Error":"Customer id 22 is valid but not active. Please use 99999."}]}`),
			status:      404,
			is:          []error{ErrMerged},
			merged:      99999,
			messages:    []string{"Customer id 22 is valid but not active. Please use 99999."},
			errContains: []string{"merged into customer 99999"},
		},
		{
			name:        "forbidden without a submission id",
			handler:     status(403, `{"Errors":[{"Error":"Invalid appid"}]}`),
			status:      403,
			is:          []error{ErrForbidden},
			isNot:       []error{ErrNotFound},
			messages:    []string{"Invalid appid"},
			errContains: []string{"HTTP 403 Forbidden: Invalid appid"},
		},
		{
			name:     "several messages",
			handler:  status(500, `{"SubmissionId":"s","Errors":[{"Error":"one"},{"Error":"two"}]}`),
			status:   500,
			is:       []error{ErrServer},
			messages: []string{"one", "two"}, submission: "s",
			errContains: []string{"one; two"},
		},
		{
			name:        "300 from the merge history page's copied text",
			handler:     status(300, `{"Customers":[{"Id":1},{"Id":2}]}`),
			status:      300,
			is:          []error{ErrUnexpectedStatus},
			isNot:       []error{ErrNotFound, ErrServer},
			bodyPrefix:  `{"Customers":[{"Id":1},{"Id":2}]}`,
			errContains: []string{"HTTP 300 Multiple Choices", `{"Customers"`},
		},
		{
			name: "HTML from a proxy",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(502)
				_, _ = w.Write([]byte(html))
			},
			status:      502,
			is:          []error{ErrServer, ErrUnexpectedStatus},
			bodyPrefix:  "<html><head><title>502 Bad Gateway</title></head> <body> <h1>Bad Gateway</h1>",
			errContains: []string{"HTTP 502 Bad Gateway: text/html answer: <html><head><title>502 Bad Gateway"},
		},
		{
			name:        "empty error body",
			handler:     func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(404) },
			status:      404,
			is:          []error{ErrNotFound},
			bodyPrefix:  "(empty body)",
			errContains: []string{"HTTP 404 Not Found"},
		},
		{
			name: "plain text",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(403)
				_, _ = w.Write([]byte("Forbidden\r\n"))
			},
			status:     403,
			is:         []error{ErrForbidden},
			bodyPrefix: "Forbidden",
		},
		{
			name:        "error envelope on a 200",
			handler:     status(200, noPhoneBody),
			status:      200,
			is:          []error{},
			isNot:       []error{ErrMalformedResponse, ErrUnexpectedStatus},
			messages:    []string{"No phone number found for customer 12345."},
			submission:  "ec0c2ba6-13f4-4934-8efa-74c2ccb33f1d",
			errContains: []string{"HTTP 200 OK: No phone number found"},
		},
		{
			name:        "truncated JSON on a 200",
			handler:     status(200, phonesBody[:120]),
			status:      200,
			is:          []error{ErrMalformedResponse},
			isNot:       []error{ErrUnexpectedStatus},
			errContains: []string{"not the documented JSON", "unexpected EOF"},
		},
		{
			name:        "empty 200",
			handler:     func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(200) },
			status:      200,
			is:          []error{ErrMalformedResponse},
			errContains: []string{"the body is empty"},
		},
		{
			name:        "null on a 200",
			handler:     status(200, "null"),
			status:      200,
			is:          []error{ErrMalformedResponse},
			errContains: []string{"the answer has no PhoneNumbers"},
		},
		{
			name:        "wrong shape on a 200",
			handler:     status(200, `{"PhoneNumbers":{"Id":1}}`),
			status:      200,
			is:          []error{ErrMalformedResponse},
			errContains: []string{"cannot unmarshal object"},
		},
		{
			name: "HTML on a 200",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_, _ = w.Write([]byte("<html>maintenance</html>"))
			},
			status:      200,
			is:          []error{ErrMalformedResponse},
			bodyPrefix:  "<html>maintenance</html>",
			errContains: []string{"the answer is text/html; charset=utf-8, not JSON"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, WithRetryPolicy(NoRetries()))
			f.handle(phonesPath, tc.handler)
			phones, err := f.client.PhoneNumbers(t.Context(), "12345")
			require.Error(t, err)
			assert.Nil(t, phones)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, "phoneLookupByCustomerId", apiErr.Operation)
			for _, target := range tc.is {
				assert.ErrorIs(t, err, target)
			}
			for _, target := range tc.isNot {
				assert.False(t, errors.Is(err, target), "is not %v", target)
			}
			assert.Equal(t, tc.messages, apiErr.Messages)
			assert.Equal(t, tc.merged, apiErr.MergedIntoCustomerID)
			assert.Equal(t, tc.submission, apiErr.SubmissionID)
			assert.True(t, strings.HasPrefix(apiErr.Body, tc.bodyPrefix), "body %q", apiErr.Body)
			assert.LessOrEqual(t, len(apiErr.Body), maxSnippet+len("…"))
			for _, want := range tc.errContains {
				assert.Contains(t, err.Error(), want)
			}
			assert.NotContains(t, err.Error(), "\n", "one line")
			assert.EqualValues(t, 1, f.requests.Load())
		})
	}
}

func TestErrorBodiesAreReadUpToABound(t *testing.T) {
	t.Parallel()
	f := setup(t, WithRetryPolicy(NoRetries()))
	written := make(chan int64, 1)
	f.handle(phonesPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(500)
		var n int64
		chunk := []byte(strings.Repeat("x", 32<<10))
		for range 1024 { // 32 MiB unless the client stops reading
			m, err := w.Write(chunk)
			n += int64(m)
			if err != nil {
				break
			}
		}
		written <- n
	})
	_, err := f.client.PhoneNumbers(t.Context(), "12345")
	require.ErrorIs(t, err, ErrServer)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.LessOrEqual(t, len(apiErr.Body), maxSnippet+len("…"))
	f.server.CloseClientConnections()
	assert.Less(t, <-written, int64(32<<20), "the client stopped reading at its bound")
}

func TestSecretsEchoedByTheServerAreRedacted(t *testing.T) {
	t.Parallel()
	f := setup(t, WithRetryPolicy(NoRetries()))
	f.handle(phonesPath, func(w http.ResponseWriter, r *http.Request) {
		respond(w, 403, `{"SubmissionId":"`+r.Header.Get("x-omeda-appid")+`","Errors":[{"Error":"Unknown app id `+r.Header.Get("x-omeda-appid")+`"}]}`)
	})
	f.handle("GET /brand/FOO/customer/22/phone/*", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		_, _ = w.Write([]byte("<pre>x-omeda-appid: " + r.Header.Get("x-omeda-appid") + "</pre>"))
	})
	_, err := f.client.PhoneNumbers(t.Context(), "12345")
	require.ErrorIs(t, err, ErrForbidden)
	assert.Contains(t, err.Error(), "Unknown app id [REDACTED]")
	assertNoSecrets(t, err.Error())
	_, err = f.client.PhoneNumbers(t.Context(), "22")
	require.ErrorIs(t, err, ErrServer)
	assert.Contains(t, err.Error(), "[REDACTED]")
	assertNoSecrets(t, err.Error())
}

// TestUndocumentedSuccessStatus: a success is any 2xx whose body is the documented answer, as
// the package doc says. A 202 carrying the phones is taken; a 201 with another body is a
// malformed response, not an unexpected status.
func TestUndocumentedSuccessStatus(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle("GET /brand/FOO/customer/12345/phone/*", status(http.StatusAccepted, phonesBody))
	phones, err := f.client.PhoneNumbers(t.Context(), "12345")
	require.NoError(t, err)
	assert.Len(t, phones.PhoneNumbers, 2)

	f = setup(t)
	f.handle("GET /brand/FOO/customer/12345/phone/*", status(http.StatusCreated, `{"Id":1}`))
	_, err = f.client.PhoneNumbers(t.Context(), "12345")
	assert.ErrorIs(t, err, ErrMalformedResponse)
	assert.NotErrorIs(t, err, ErrUnexpectedStatus)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusCreated, apiErr.StatusCode)
}
