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

	"github.com/omeda-go/omeda-go/internal/spec"
	"github.com/omeda-go/omeda-go/wrapper"
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

// Drift is something an exchange carries that the contract does not document: an element it
// does not list, or a code outside a field's documented list. The vendor's pages are not
// exhaustive, so drift is not a violation; it is reported on its own, for the contract to catch
// up with the vendor.
type Drift struct {
	// Operation is the operationId.
	Operation string `json:"operation"`
	// Status is the answer's HTTP status (0 for drift found in the request).
	Status int `json:"status"`
	// In says where: "request" or "response".
	In string `json:"in"`
	// Pointer locates the element in the body as a JSON pointer.
	Pointer string `json:"pointer"`
	// Value is the element's value as JSON, for a scalar; "" otherwise and for card data.
	Value string `json:"value,omitempty"`
	// Message says what the contract does not know.
	Message string `json:"message"`
}

// String renders the drift on one line: operation, place, pointer, value and message.
func (d Drift) String() string {
	where := d.In
	if d.Status != 0 {
		where = fmt.Sprintf("%s %d", where, d.Status)
	}
	s := fmt.Sprintf("%s: %s %s: %s", d.Operation, where, d.Pointer, d.Message)
	if d.Value != "" {
		s += " (value " + d.Value + ")"
	}
	return s
}

// DriftSummary renders drift one per line, for logs and reports.
func DriftSummary(ds []Drift) string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// Report is what checking one exchange found.
type Report struct {
	// Violations are departures from the contract.
	Violations []Violation
	// Drift lists what the exchange carries that the contract does not document.
	Drift []Drift
}

// storeOperation is the operationId of store customer and order.
const storeOperation = "storeCustomerAndOrder"

// Validator checks exchanges against the contract, for one server under test.
type Validator struct {
	doc    *openapi3.T
	router routers.Router
}

// NewValidator returns a validator for the server at baseURL, the root of the API up to
// /webservices/rest (for instance https://ows.omedastaging.com/webservices/rest or a
// sandbox's URL): the contract's servers are replaced by it.
func NewValidator(baseURL string) (*Validator, error) {
	router, doc, err := spec.NewRouter(baseURL)
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	return &Validator{doc: doc, router: router}, nil
}

// Check validates a request (with its body) and the answer to it (with its body; resp may be
// nil to check a request alone). It returns every violation found, none when the exchange
// conforms. The bodies are given as bytes because both may already have been read. Drift is not
// a violation: Inspect returns it too.
func (v *Validator) Check(ctx context.Context, req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) []Violation {
	return v.Inspect(ctx, req, reqBody, resp, respBody).Violations
}

// Inspect is Check that also returns the exchange's drift: the elements and codes of its JSON
// bodies that the contract does not document.
//
// Every string of the report passes the SDK's one door (wrapper.Redactor): the request's
// credentials and card data are redacted wherever the exchange echoes them, however disguised,
// and control characters are escaped, so that a report can be printed as it is.
func (v *Validator) Inspect(ctx context.Context, req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) Report {
	return v.inspect(ctx, req, reqBody, resp, respBody, exchangeRedactor(req, reqBody))
}

// inspect is Inspect with the redactor its report passes through.
func (v *Validator) inspect(ctx context.Context, req *http.Request, reqBody []byte, resp *http.Response, respBody []byte, red *wrapper.Redactor) Report {
	report := v.check(ctx, req, reqBody, resp, respBody, red)
	for i, x := range report.Violations {
		report.Violations[i].Path, report.Violations[i].Pointer, report.Violations[i].Message = red.Clean(x.Path), red.Clean(x.Pointer), red.Clean(x.Message)
	}
	for i, d := range report.Drift {
		report.Drift[i].Pointer, report.Drift[i].Value, report.Drift[i].Message = red.Clean(d.Pointer), red.Clean(d.Value), red.Clean(d.Message)
	}
	return report
}

// exchangeRedactor returns a redactor for the credentials a request carries and the card data
// of its body; card values are looked for whatever their length (wrapper.Redactor.WithCard).
// A Transport, which knows more secrets than one exchange carries, builds its own.
func exchangeRedactor(req *http.Request, reqBody []byte) *wrapper.Redactor {
	return wrapper.NewRedactor(credentialValues(req.Header)...).WithCard(spec.SecretValues(reqBody)...)
}

func (v *Validator) check(ctx context.Context, req *http.Request, reqBody []byte, resp *http.Response, respBody []byte, red *wrapper.Redactor) Report {
	base := Violation{Method: req.Method, Path: req.URL.EscapedPath()}
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		base.In, base.Message = "route", "no operation of the contract matches: "+err.Error()
		return Report{Violations: []Violation{base}}
	}
	base.Operation = route.Operation.OperationID
	var drift []Drift
	if route.Operation.RequestBody != nil {
		drift = append(drift, bodyDrift(route.Operation.RequestBody.Value.Content, req.Header.Get("Content-Type"), reqBody, base.Operation, 0, red)...)
	}

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
		out = append(out, withoutPlaceholders(violations(base, "request", err, red), reqBody)...)
	}
	if base.Operation == storeOperation && mediaType(req.Header.Get("Content-Type")) == "application/json" {
		// The rules across elements that the vendor's pages state and a schema cannot say.
		if doc, err := spec.DecodeJSON(reqBody); err == nil {
			for _, p := range spec.StoreRules(doc) {
				if p.Severity != spec.Refusal {
					continue // a rule whose edges the pages leave open: Omeda's to judge
				}
				v := base
				v.In, v.Pointer, v.Message = "request", p.Pointer, "body: "+p.Reason
				out = append(out, v)
			}
		}
	}
	if resp == nil {
		return Report{Violations: out, Drift: drift}
	}

	base.Status = resp.StatusCode
	if !documented(route.Operation, resp.StatusCode) {
		// kin-openapi lets redirects and 304s pass unchecked; the contract documents none.
		v := base
		v.In, v.Message = "response", fmt.Sprintf("status %d is not one the contract documents for %s (%s)",
			resp.StatusCode, base.Operation, strings.Join(documentedStatuses(route.Operation), ", "))
		return Report{Violations: append(out, v), Drift: drift}
	}
	content := route.Operation.Responses.Status(resp.StatusCode).Value.Content
	// No body decoder of our own: a gateway's HTML page validates as a binary string, the way it
	// does for anyone using kin-openapi as it comes.
	err = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(respBody)),
		Options:                input.Options,
	})
	if err != nil {
		out = append(out, violations(base, "response", err, red)...)
	}
	drift = append(drift, bodyDrift(content, resp.Header.Get("Content-Type"), respBody, base.Operation, resp.StatusCode, red)...)
	return Report{Violations: out, Drift: drift}
}

// withoutPlaceholders drops the violations of secret fields whose value is the placeholder a
// recording put in place of card data ("REDACTED" in older cassettes, "[REDACTED]" since they
// pass wrapper.Redactor): a replayed cassette cannot carry the real value.
func withoutPlaceholders(vs []Violation, body []byte) []Violation {
	var doc any
	out := vs[:0]
	for _, v := range vs {
		tokens := strings.Split(v.Pointer, "/")
		if v.Pointer != "" && spec.IsSecret(tokens[len(tokens)-1]) {
			if doc == nil {
				doc, _ = spec.DecodeJSON(body)
			}
			if value := spec.ValueAt(doc, v.Pointer); value == spec.Redacted || value == wrapper.Redacted {
				continue
			}
		}
		out = append(out, v)
	}
	return out
}

// mediaType is a Content-Type without its parameters, in lower case.
func mediaType(contentType string) string {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// bodyDrift finds what a JSON body carries that its schema does not document.
func bodyDrift(content openapi3.Content, contentType string, body []byte, op string, status int, red *wrapper.Redactor) []Drift {
	if mediaType(contentType) != "application/json" || len(body) == 0 {
		return nil
	}
	media := content.Get("application/json")
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		return nil
	}
	doc, err := spec.DecodeJSON(body)
	if err != nil {
		return nil // a violation already says so
	}
	in := "response"
	if status == 0 {
		in = "request"
	}
	// The strings and keys are redacted as they decode, before the drift quotes, encodes or
	// cuts them: an echo split by "\u0001" is a control character there, and no part of a
	// secret survives a cut.
	redactDecoded(&doc, red)
	var out []Drift
	for _, p := range spec.Unknowns(media.Schema.Value, doc, "") {
		out = append(out, Drift{Operation: op, Status: status, In: in, Pointer: p.Pointer, Value: p.Value, Message: p.Reason})
	}
	return out
}

// redactDecoded redacts every string (keys included) of a decoded JSON value, in place.
func redactDecoded(v *any, red *wrapper.Redactor) {
	switch x := (*v).(type) {
	case string, json.Number:
		*v = redactScalar(x, red)
	case map[string]any:
		for k, child := range x {
			redactDecoded(&child, red)
			if r := red.Redact(k); r != k {
				delete(x, k)
				k = r
			}
			x[k] = child
		}
	case []any:
		for i := range x {
			redactDecoded(&x[i], red)
		}
	}
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
func violations(base Violation, in string, err error, red *wrapper.Redactor) []Violation {
	base.In = in
	var out []Violation
	leaf := func(pointer []string, msg string) {
		v := base
		v.Pointer = spec.Pointer(pointer...)
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
			ptr := e.JSONPointer()
			value := ""
			if len(ptr) == 0 || !spec.IsSecret(ptr[len(ptr)-1]) { // card data never reaches a report
				if value = shown(e.Value, red); value != "" {
					value = " (got " + value + ")"
				}
			}
			leaf(ptr, prefix+e.Reason+value)
		default:
			leaf(nil, prefix+err.Error())
		}
	}
	walk(err, "")
	return out
}

// shown is a scalar value as bounded JSON for a report, so that it reads as a diff, with the
// secrets redacted from the value itself (before it is encoded and cut); "" for objects and arrays.
func shown(v any, red *wrapper.Redactor) string {
	return spec.ScalarJSON(redactScalar(v, red))
}

// redactScalar is a decoded string or number with the secrets redacted (a number that holds
// one becomes a string); any other value as it is.
func redactScalar(v any, red *wrapper.Redactor) any {
	switch x := v.(type) {
	case string:
		return red.Redact(x)
	case json.Number:
		if r := red.Redact(x.String()); r != x.String() {
			return r
		}
	}
	return v
}

// Summary renders violations one per line, for test failures and reports.
func Summary(vs []Violation) string {
	lines := make([]string, len(vs))
	for i, v := range vs {
		lines[i] = v.String()
	}
	return strings.Join(lines, "\n")
}
