package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	omeda "github.com/omeda-go/omeda-go"
)

// Violation is one departure from the contract.
type Violation struct {
	// Operation is the operationId, or "" when no operation matches the request.
	Operation string `json:"operation"`
	// Method and Path are the request's.
	Method string `json:"method"`
	Path   string `json:"path"`
	// Status is the answer's HTTP status (0 for a violation found in the request).
	Status int `json:"status"`
	// In says where: "request", "response" or "route".
	In string `json:"in"`
	// Pointer locates the element in the body as a JSON pointer ("" for the body as a whole or
	// for something outside it, such as a header or a path parameter).
	Pointer string `json:"pointer"`
	// Message says what is wrong.
	Message string `json:"message"`
}

// String renders the violation on one line: operation, status, place and message.
func (v Violation) String() string {
	op := v.Operation
	if op == "" {
		op = v.Method + " " + v.Path
	}
	where := v.In
	if v.Status != 0 {
		where = fmt.Sprintf("%s %d", where, v.Status)
	}
	if v.Pointer != "" {
		where += " " + v.Pointer
	}
	return fmt.Sprintf("%s: %s: %s", op, where, v.Message)
}

// Validator checks exchanges against the contract, for one server under test.
type Validator struct {
	doc    *openapi3.T
	router routers.Router
}

// NewValidator returns a validator for the server at baseURL, the root of the API up to
// /webservices/rest (for instance https://ows.omedastaging.com/webservices/rest or a
// sandbox's URL): the contract's servers are replaced by it.
func NewValidator(baseURL string) (*Validator, error) {
	doc, err := omeda.LoadSpec()
	if err != nil {
		return nil, err
	}
	doc.Servers = openapi3.Servers{{URL: strings.TrimRight(baseURL, "/")}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	return &Validator{doc: doc, router: router}, nil
}

// Check validates a request (with its body) and the answer to it (with its body; resp may be
// nil to check a request alone). It returns every violation found, none when the exchange
// conforms. The bodies are given as bytes because both may already have been read.
func (v *Validator) Check(ctx context.Context, req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) []Violation {
	base := Violation{Method: req.Method, Path: req.URL.EscapedPath()}
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		base.In, base.Message = "route", "no operation of the contract matches: "+err.Error()
		return []Violation{base}
	}
	base.Operation = route.Operation.OperationID

	// Validate a copy, so that neither the caller's request nor its body is touched.
	r := req.Clone(ctx)
	r.Body = io.NopCloser(bytes.NewReader(reqBody))
	input := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			MultiError:            true,
			IncludeResponseStatus: true,
			AuthenticationFunc:    requireHeader,
		},
	}
	var out []Violation
	if err := openapi3filter.ValidateRequest(ctx, input); err != nil {
		out = append(out, violations(base, "request", err)...)
	}
	if resp == nil {
		return out
	}

	base.Status = resp.StatusCode
	if !documented(route.Operation, resp.StatusCode) {
		// kin-openapi lets redirects and 304s pass unchecked; the contract documents none.
		v := base
		v.In, v.Message = "response", fmt.Sprintf("status %d is not one the contract documents for %s (%s)",
			resp.StatusCode, base.Operation, strings.Join(documentedStatuses(route.Operation), ", "))
		return append(out, v)
	}
	err = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(respBody)),
		Options:                input.Options,
	})
	if err != nil {
		out = append(out, violations(base, "response", err)...)
	}
	return out
}

// requireHeader accepts any non-empty credential: the contract says which headers are needed,
// not which values are right.
func requireHeader(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	scheme := in.SecurityScheme
	if scheme.Type != "apiKey" || scheme.In != "header" {
		return fmt.Errorf("unsupported security scheme %s", in.SecuritySchemeName)
	}
	if strings.TrimSpace(in.RequestValidationInput.Request.Header.Get(scheme.Name)) == "" {
		return fmt.Errorf("header %s is missing", scheme.Name)
	}
	return nil
}

func documentedStatuses(op *openapi3.Operation) []string {
	var out []string
	for code := range op.Responses.Map() {
		out = append(out, code)
	}
	slices.Sort(out)
	return out
}

func documented(op *openapi3.Operation, status int) bool {
	return op.Responses.Status(status) != nil || op.Responses.Default() != nil
}

// violations flattens kin-openapi's nested errors into violations.
func violations(base Violation, in string, err error) []Violation {
	base.In = in
	var out []Violation
	leaf := func(pointer []string, msg string) {
		v := base
		if len(pointer) > 0 {
			v.Pointer = "/" + strings.Join(escapePointer(pointer), "/")
		}
		v.Message = msg
		out = append(out, v)
	}
	var walk func(err error, prefix string)
	// walkCause reports a request or response error: its schema errors one by one, anything
	// else (a body that does not decode, a wrong Content-Type) with the reason kin-openapi gave.
	walkCause := func(reason string, cause error, prefix string) {
		switch cause.(type) {
		case nil:
			leaf(nil, prefix+reason)
		case openapi3.MultiError, *openapi3.SchemaError, *openapi3filter.SecurityRequirementsError:
			walk(cause, prefix)
		default:
			if reason != "" {
				prefix += reason + ": "
			}
			leaf(nil, prefix+cause.Error())
		}
	}
	walk = func(err error, prefix string) {
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, inner := range e {
				walk(inner, prefix)
			}
		case *openapi3filter.SecurityRequirementsError:
			msgs := make([]string, 0, len(e.Errors))
			for _, inner := range e.Errors {
				msgs = append(msgs, inner.Error())
			}
			leaf(nil, prefix+"credentials: "+strings.Join(msgs, "; "))
		case *openapi3filter.RequestError:
			switch {
			case e.Parameter != nil:
				prefix += fmt.Sprintf("%s parameter %s: ", e.Parameter.In, e.Parameter.Name)
			case e.RequestBody != nil:
				prefix += "body: "
			}
			walkCause(e.Reason, e.Err, prefix)
		case *openapi3filter.ResponseError:
			walkCause(e.Reason, e.Err, prefix)
		case *openapi3.SchemaError:
			leaf(e.JSONPointer(), prefix+e.Reason+got(e.Value))
		default:
			leaf(nil, prefix+err.Error())
		}
	}
	walk(err, "")
	return out
}

// got shows a scalar value that failed its schema, so that a report reads as a diff.
func got(v any) string {
	switch v.(type) {
	case string, float64, bool, nil, json.Number, int, int64:
		b, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		if len(b) > 80 {
			b = append(b[:77], "..."...)
		}
		return " (got " + string(b) + ")"
	}
	return ""
}

func escapePointer(tokens []string) []string {
	out := make([]string, len(tokens))
	for i, t := range tokens {
		out[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
	}
	return out
}

// Summary renders violations one per line, for test failures and reports.
func Summary(vs []Violation) string {
	lines := make([]string, len(vs))
	for i, v := range vs {
		lines[i] = v.String()
	}
	return strings.Join(lines, "\n")
}
