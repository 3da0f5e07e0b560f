package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/internal/spec"
)

// testNow is the clock of most tests: a Wednesday after the default population span.
var testNow = time.Date(2026, time.July, 15, 10, 30, 0, 0, chicago)

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// specChecker validates answers against openapi.yaml, independently of the sandbox's own copy.
type specChecker struct {
	router   routers.Router
	envelope *openapi3.Schema
	doc      *openapi3.T
}

var loadChecker = sync.OnceValues(func() (*specChecker, error) {
	router, doc, err := spec.NewRouter("")
	if err != nil {
		return nil, err
	}
	return &specChecker{router: router, envelope: doc.Components.Schemas["ErrorEnvelope"].Value, doc: doc}, nil
})

// exchange is one request and its answer, read whole.
type exchange struct {
	req    *http.Request
	status int
	header http.Header
	body   []byte
}

// envelope decodes an error answer.
func (ex exchange) envelope(t *testing.T) gen.ErrorEnvelope {
	t.Helper()
	var env gen.ErrorEnvelope
	require.NoError(t, json.Unmarshal(ex.body, &env), "body: %s", ex.body)
	return env
}

// messages lists the Error fields of an error answer.
func (ex exchange) messages(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, e := range ex.envelope(t).Errors {
		out = append(out, e.Error)
	}
	return out
}

// client talks to one sandbox with its own transport, closed at the end of the test.
type client struct {
	s    *Server
	http *http.Client
}

func newClient(t testing.TB, s *Server) *client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &client{s: s, http: &http.Client{Transport: tr}}
}

// request builds a request with the usual credentials; a header given as "" is removed.
func (c *client) request(t testing.TB, method, path, body string, headers map[string]string) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, c.s.URL+path, rd)
	require.NoError(t, err)
	req.Header.Set("x-omeda-appid", "test-app-id")
	if method == http.MethodPost {
		req.Header.Set("x-omeda-inputid", "test-input-id")
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	return req
}

// do sends a request and validates its answer against the spec.
func (c *client) do(t *testing.T, method, path, body string, headers map[string]string) exchange {
	t.Helper()
	req := c.request(t, method, path, body, headers)
	resp, err := c.http.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	ex := exchange{req: req, status: resp.StatusCode, header: resp.Header, body: data}
	checkAgainstSpec(t, ex)
	return ex
}

// checkAgainstSpec validates an answer with kin-openapi, undocumented statuses included.
func checkAgainstSpec(t *testing.T, ex exchange) {
	t.Helper()
	require.NoError(t, specError(ex), "%s %s answered %d %s", ex.req.Method, ex.req.URL.Path, ex.status, ex.body)
}

// specError validates an answer against the spec. An answer to a path of no operation must be a
// 404 with the error envelope.
func specError(ex exchange) error {
	c, err := loadChecker()
	if err != nil {
		return err
	}
	if ct := ex.header.Get("Content-Type"); ct != jsonContentType {
		return fmt.Errorf("Content-Type %q", ct)
	}
	rest, ok := strings.CutPrefix(ex.req.URL.Path, basePath)
	if !ok {
		return fmt.Errorf("path %q outside %s", ex.req.URL.Path, basePath)
	}
	stripped := ex.req.Clone(context.Background())
	stripped.URL.Path, stripped.URL.RawPath = rest, ""
	route, params, err := c.router.FindRoute(stripped)
	if err != nil {
		// A wrong method: the operation of the path is the one whose answers apply.
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			probe := stripped.Clone(context.Background())
			probe.Method = method
			if route, params, err = c.router.FindRoute(probe); err == nil {
				break
			}
		}
	}
	if err != nil {
		if ex.status != http.StatusNotFound {
			return fmt.Errorf("status %d for a path of no operation", ex.status)
		}
		var v any
		if err := json.Unmarshal(ex.body, &v); err != nil {
			return err
		}
		return c.envelope.VisitJSON(v)
	}
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: stripped, PathParams: params, Route: route},
		Status:                 ex.status,
		Header:                 ex.header,
		Body:                   io.NopCloser(bytes.NewReader(ex.body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
}

// TestSpecErrorRefuses checks the checker: what the spec does not document must fail.
func TestSpecErrorRefuses(t *testing.T) {
	t.Parallel()
	req := httptest.NewRequest(http.MethodGet, basePath+"/brand/FOO/customer/12345/phone/*", nil)
	jsonHeader := http.Header{"Content-Type": {jsonContentType}}
	envelope := []byte(`{"Errors":[{"Error":"x"}]}`)
	for name, ex := range map[string]exchange{
		"an undocumented status":  {req: req, status: 400, header: jsonHeader, body: envelope},
		"another content type":    {req: req, status: 404, header: http.Header{"Content-Type": {"text/plain"}}, body: envelope},
		"a body out of schema":    {req: req, status: 200, header: jsonHeader, body: []byte(`{"PhoneNumbers":[]}`)},
		"an envelope without one": {req: req, status: 404, header: jsonHeader, body: []byte(`{"Errors":[]}`)},
		"no operation, not 404":   {req: httptest.NewRequest(http.MethodGet, basePath+"/nowhere", nil), status: 400, header: jsonHeader, body: envelope},
	} {
		assert.Error(t, specError(ex), name)
	}
	assert.NoError(t, specError(exchange{req: req, status: 404, header: jsonHeader, body: envelope}))
}
