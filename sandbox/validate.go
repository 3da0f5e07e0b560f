package sandbox

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/omeda-go/omeda-go/internal/spec"
)

// The operationIds of the spec, as [Fault.Operation] and [Server.Requests] name them.
const (
	PhoneLookupByCustomerID    = "phoneLookupByCustomerId"
	CustomerChangeLookup       = "customerChangeLookup"
	CustomerMergeHistoryLookup = "customerMergeHistoryLookup"
	StoreCustomerAndOrder      = "storeCustomerAndOrder"
	TransactionLookup          = "transactionLookup"
)

var operations = []string{PhoneLookupByCustomerID, CustomerChangeLookup, CustomerMergeHistoryLookup, StoreCustomerAndOrder, TransactionLookup}

const (
	// basePath is where the vendor serves the API, and the sandbox too.
	basePath = "/webservices/rest"
	// maxBodyBytes bounds a store customer and order submission.
	maxBodyBytes = 1 << 20
)

// validator checks requests against the spec.
type validator struct {
	router   routers.Router
	contract *spec.Contract
	options  *openapi3filter.Options
}

func newValidator(cfg *config) (*validator, error) {
	contract, err := spec.Load()
	if err != nil {
		return nil, err
	}
	// No servers: the handler strips basePath itself, so that it answers on any host and port.
	router, _, err := spec.NewRouter("")
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	v := &validator{router: router, contract: contract}
	v.options = &openapi3filter.Options{
		MultiError:              true,
		SkipSettingDefaults:     true,
		AuthenticationFunc:      authenticator(cfg.appID, cfg.inputID),
		SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()},
	}
	return v, nil
}

// match is a request's place in the spec.
type match struct {
	route    *routers.Route    // nil: no path of the spec
	params   map[string]string // the path parameters, decoded
	op       string            // the operationId of the path; "" when none matched
	methodOK bool              // the path has an operation for the request's method
	req      *http.Request     // the request with basePath stripped, as the router sees it
}

func (v *validator) match(r *http.Request) match {
	rest, ok := strings.CutPrefix(r.URL.Path, basePath)
	if !ok || rest == "" {
		return match{}
	}
	stripped := r.WithContext(r.Context())
	u := *r.URL
	u.Path, u.RawPath = rest, ""
	stripped.URL = &u
	if route, params, err := v.router.FindRoute(stripped); err == nil {
		return match{route: route, params: params, op: route.Operation.OperationID, methodOK: true, req: stripped}
	}
	// The legacy router cannot tell a wrong method from a wrong path: ask with the other methods.
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		if method == r.Method {
			continue
		}
		probe := stripped.WithContext(r.Context())
		probe.Method = method
		if route, params, err := v.router.FindRoute(probe); err == nil {
			return match{route: route, params: params, op: route.Operation.OperationID, req: stripped}
		}
	}
	return match{}
}

// problem is a refused request: its status and messages.
type problem struct {
	status   int
	messages []string
}

// check validates a routed request, its body already read into body, against the spec.
func (v *validator) check(ctx context.Context, m match, body []byte) *problem {
	err := openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{
		Request:    m.req,
		PathParams: m.params,
		Route:      m.route,
		Options:    v.options,
	})
	if err == nil {
		return nil
	}
	errs := []error{err}
	if me, ok := err.(openapi3.MultiError); ok {
		errs = me
	}
	var forbidden, params, invalid, internal []string
	for _, e := range errs {
		var sec *openapi3filter.SecurityRequirementsError
		var re *openapi3filter.RequestError
		switch {
		case errors.As(e, &sec):
			forbidden = append(forbidden, authMessages(sec)...)
		case errors.As(e, &re) && re.Parameter != nil:
			params = append(params, parameterMessage(re.Parameter.Name, m.params[re.Parameter.Name]))
		case errors.As(e, &re) && re.RequestBody != nil:
			invalid = append(invalid, v.bodyMessages(re, m.req.Header.Get("Content-Type"), body)...)
		default:
			internal = append(internal, "The sandbox could not validate the request.")
		}
	}
	switch {
	case len(forbidden) > 0:
		return &problem{http.StatusForbidden, forbidden}
	case len(params) > 0 && m.op == StoreCustomerAndOrder:
		return &problem{http.StatusBadRequest, append(params, invalid...)}
	case len(params) > 0:
		// The lookups document no 400: the vendor answers a malformed URL with 404.
		return &problem{http.StatusNotFound, params}
	case len(invalid) > 0:
		return &problem{http.StatusBadRequest, invalid}
	default:
		return &problem{http.StatusInternalServerError, internal}
	}
}

// authError is a refused credential header. Its message never holds the header's value.
type authError struct {
	header  string
	missing bool
}

func (e *authError) Error() string {
	if e.missing {
		return fmt.Sprintf("The %s header is missing.", e.header)
	}
	return fmt.Sprintf("The %s header is not valid.", e.header)
}

// authenticator checks the spec's two apiKey schemes: any non-empty value, or exactly the one
// configured.
func authenticator(appID, inputID string) openapi3filter.AuthenticationFunc {
	return func(_ context.Context, in *openapi3filter.AuthenticationInput) error {
		scheme := in.SecurityScheme
		if scheme.Type != "apiKey" || scheme.In != "header" {
			return fmt.Errorf("sandbox: unsupported security scheme %q", in.SecuritySchemeName)
		}
		header := strings.ToLower(scheme.Name)
		got := in.RequestValidationInput.Request.Header.Get(header)
		if got == "" {
			return &authError{header: header, missing: true}
		}
		want := ""
		switch header {
		case "x-omeda-appid":
			want = appID
		case "x-omeda-inputid":
			want = inputID
		}
		if want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			return &authError{header: header}
		}
		return nil
	}
}

func authMessages(sec *openapi3filter.SecurityRequirementsError) []string {
	var out []string
	for _, e := range sec.Errors {
		var ae *authError
		if errors.As(e, &ae) {
			out = append(out, ae.Error())
		} else {
			out = append(out, "Access denied.")
		}
	}
	if len(out) == 0 {
		out = append(out, "Access denied.")
	}
	return out
}

func parameterMessage(name, value string) string {
	switch name {
	case "customerId":
		return fmt.Sprintf("Customer id %q is not valid: use a customer id or an encrypted customer id.", value)
	case "transactionId":
		return fmt.Sprintf("No status found for transaction %s.", value)
	case "brandAbbreviation":
		return fmt.Sprintf("Brand abbreviation %q is not valid.", value)
	case "startDate":
		return fmt.Sprintf("Start date %q is not valid: use MMddyyyy or MMddyyyy_HHmm.", value)
	case "endDate":
		return fmt.Sprintf("End date %q is not valid: use MMddyyyy or MMddyyyy_HHmm.", value)
	}
	return fmt.Sprintf("Parameter %s %q is not valid.", name, value)
}

// bodyMessages turns a refused submission into the vendor's style of messages, one per
// violation, each naming the field.
func (v *validator) bodyMessages(re *openapi3filter.RequestError, contentType string, body []byte) []string {
	var parseErr *openapi3filter.ParseError
	switch {
	case re.Err == nil && strings.HasPrefix(re.Reason, "header Content-Type"):
		return []string{fmt.Sprintf("Content-Type %q is not supported: send application/json.", contentType)}
	case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		return []string{"The submission is empty: send a JSON object."}
	case errors.As(re.Err, &parseErr):
		var value any
		if err := json.Unmarshal(body, &value); err != nil {
			return []string{"The submission is not valid JSON: " + err.Error() + "."}
		}
		return []string{"The submission could not be read as JSON."}
	}

	// The body breaks its schema: list every problem of the submission, as the shared check
	// finds them, in the vendor's words where its pages give them.
	doc, err := spec.DecodeJSON(body)
	if err != nil {
		return []string{"The submission is not valid JSON: " + err.Error() + "."}
	}
	out := refusalMessages(v.contract.CheckStore(doc))
	if len(out) == 0 {
		out = append(out, "The submission does not follow the specification.")
	}
	return out
}

// refusalMessages words the refusals among problems, one message each: the vendor's own
// wording where its pages give one, else "Field.Path[0].Name: reason". Warnings about elements
// and codes the pages do not document are no refusal: Omeda accepts them. A rule the SDK only
// warns about because the pages leave its edges open, but words as Omeda's refusal (AmountPaid
// above the total), is refused here: the sandbox plays Omeda.
func refusalMessages(problems []spec.Problem) []string {
	var out []string
	for _, p := range problems {
		if p.Severity != spec.Refusal && (p.Kind != spec.KindRule || p.Vendor == "") {
			continue
		}
		out = append(out, problemMessage(p))
	}
	return unique(out)
}

func problemMessage(p spec.Problem) string {
	if p.Vendor != "" {
		return p.Vendor
	}
	path := dottedPath(p.Pointer)
	switch {
	case path == "":
		return p.Reason
	case strings.HasPrefix(p.Reason, "property ") && strings.HasSuffix(p.Reason, " is missing"):
		return path + " must be set." // the vendor's words for a missing Number
	}
	return path + ": " + p.Reason
}

// dottedPath writes a JSON pointer the way the vendor names fields: Phones[0].Number.
func dottedPath(pointer string) string {
	var path strings.Builder
	for _, seg := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		if seg == "" {
			continue
		}
		seg = strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~")
		if _, err := strconv.Atoi(seg); err == nil {
			path.WriteString("[" + seg + "]")
			continue
		}
		if path.Len() > 0 {
			path.WriteByte('.')
		}
		path.WriteString(seg)
	}
	return path.String()
}

// unique drops repeated messages, keeping the first of each.
func unique(messages []string) []string {
	out := messages[:0]
	for _, m := range messages {
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}
