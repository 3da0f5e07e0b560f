package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/omeda-go/omeda-go/internal/spec"
	"github.com/omeda-go/omeda-go/wrapper"
)

// Cassette is one recorded exchange, as stored under testdata/cassettes: the request (its path
// relative to the API root), the answer, and, for a negative cassette, the violations it must
// produce.
type Cassette struct {
	// Name and Description say what the exchange shows.
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Source says where it comes from: a vendor page, NOTES.md, a recording.
	Source   string           `json:"source,omitempty"`
	Request  CassetteRequest  `json:"request"`
	Response CassetteResponse `json:"response"`
	// Expect lists the violations a negative cassette must produce; empty means the exchange
	// must conform.
	Expect []ExpectedViolation `json:"expect,omitempty"`
	// ExpectDrift lists the drift the exchange must show (elements and codes the contract does
	// not document); empty means none. Drift is not a violation.
	ExpectDrift []ExpectedDrift `json:"expectDrift,omitempty"`
}

// ExpectedDrift describes drift a cassette must show, with the fields of an ExpectedViolation
// and the same rule: each set field must match (In and Pointer exactly, Message as a substring).
type ExpectedDrift ExpectedViolation

// Matches reports whether d is the drift described.
func (e ExpectedDrift) Matches(d Drift) bool {
	return ExpectedViolation(e).matches(d.In, d.Pointer, d.Message)
}

// CassetteRequest is a recorded request.
type CassetteRequest struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"` // below the API root, e.g. /brand/FOO/customer/12345/phone/*
	Headers map[string]string `json:"headers,omitempty"`
	Body    json.RawMessage   `json:"body,omitempty"`
}

// CassetteResponse is a recorded answer. A JSON body is kept as JSON; any other as text.
type CassetteResponse struct {
	Status   int               `json:"status"`
	Headers  map[string]string `json:"headers,omitempty"`
	Body     json.RawMessage   `json:"body,omitempty"`
	BodyText string            `json:"bodyText,omitempty"`
}

// ExpectedViolation describes a violation a negative cassette must produce: each set field must
// match (In and Pointer exactly, Message as a substring).
type ExpectedViolation struct {
	In      string `json:"in,omitempty"`
	Pointer string `json:"pointer,omitempty"`
	Message string `json:"message,omitempty"`
}

// Matches reports whether v is the violation described.
func (e ExpectedViolation) Matches(v Violation) bool { return e.matches(v.In, v.Pointer, v.Message) }

func (e ExpectedViolation) matches(in, pointer, message string) bool {
	return (e.In == "" || e.In == in) &&
		(e.Pointer == "" || e.Pointer == pointer) &&
		strings.Contains(message, e.Message)
}

// secretHeaders are removed from recordings; the contract's credentials and anything
// resembling one.
var secretHeaders = regexp.MustCompile(`(?i)^(x-omeda-appid|x-omeda-inputid|authorization|proxy-authorization|cookie|set-cookie|x-api-key)$`)

// LoadCassette reads a cassette file.
func LoadCassette(path string) (Cassette, error) {
	var c Cassette
	data, err := os.ReadFile(path)
	if err != nil {
		return c, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Exchange rebuilds the cassette's request and answer against the API root baseURL.
func (c Cassette) Exchange(ctx context.Context, baseURL string) (Exchange, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/") + c.Request.Path)
	if err != nil {
		return Exchange{}, fmt.Errorf("cassette %s: %w", c.Name, err)
	}
	req, err := http.NewRequestWithContext(ctx, c.Request.Method, u.String(), bytes.NewReader(c.Request.Body))
	if err != nil {
		return Exchange{}, fmt.Errorf("cassette %s: %w", c.Name, err)
	}
	for k, v := range c.Request.Headers {
		req.Header.Set(k, v)
	}
	body := []byte(c.Response.Body)
	if c.Response.BodyText != "" {
		body = []byte(c.Response.BodyText)
	}
	resp := &http.Response{StatusCode: c.Response.Status, Header: http.Header{}, Request: req,
		Body: io.NopCloser(bytes.NewReader(body))}
	for k, v := range c.Response.Headers {
		resp.Header.Set(k, v)
	}
	return Exchange{Request: req, RequestBody: c.Request.Body, Response: resp, ResponseBody: body}, nil
}

// Replay checks the cassette's exchange with v (whose base URL is baseURL).
func (v *Validator) Replay(ctx context.Context, c Cassette, baseURL string) ([]Violation, error) {
	report, err := v.ReplayReport(ctx, c, baseURL)
	return report.Violations, err
}

// ReplayReport is Replay that also returns the exchange's drift.
func (v *Validator) ReplayReport(ctx context.Context, c Cassette, baseURL string) (Report, error) {
	ex, err := c.Exchange(ctx, baseURL)
	if err != nil {
		return Report{}, err
	}
	return v.Inspect(ctx, ex.Request, ex.RequestBody, ex.Response, ex.ResponseBody), nil
}

// Recorder saves exchanges as cassette files in Dir, credentials and card data removed (the
// values of the fields the contract marks x-omeda-secret). It is safe for concurrent use.
type Recorder struct {
	// Dir receives the files, named after the operation, status and a sequence number.
	Dir string
	// BaseURL is the API root the paths are recorded relative to.
	BaseURL string
	// Secrets are removed from every cassette besides the credentials and card data of the
	// exchange's own request: give it the client's app id and input id, so that an answer that
	// echoes one is scrubbed even when its request did not carry it (a lookup sends no input id).
	Secrets []string

	mu sync.Mutex
	n  int
}

// Record writes one exchange; its violations, if any, become the cassette's expectations.
func (r *Recorder) Record(ex Exchange, vs []Violation) error {
	return r.RecordReport(ex, Report{Violations: vs})
}

// RecordReport writes one exchange; its violations and drift become the cassette's
// expectations.
func (r *Recorder) RecordReport(ex Exchange, report Report) error {
	return r.record(ex, report, exchangeRedactor(ex.Request, ex.RequestBody))
}

// record is RecordReport with the redactor of the exchange (a Transport's knows more secrets
// and card values than the exchange carries).
func (r *Recorder) record(ex Exchange, report Report, red *wrapper.Redactor) error {
	vs := report.Violations
	// Card data and credentials leave no trace: neither in the request nor in an answer that
	// quotes them, however disguised (case, separators, control or invisible characters, JSON
	// escapes): the SDK's one door, wrapper.Redactor, on the decoded strings of a JSON body.
	red = red.With(r.Secrets...)
	c := Cassette{
		Name:    red.Clean(ex.Request.Method + " " + ex.Request.URL.EscapedPath()),
		Source:  "recorded from " + hostOf(r.BaseURL),
		Request: CassetteRequest{Method: ex.Request.Method, Path: red.Clean(relativePath(ex.Request.URL, r.BaseURL)), Headers: recordHeaders(ex.Request.Header, red)},
		Response: CassetteResponse{
			Status:  ex.Response.StatusCode,
			Headers: recordHeaders(ex.Response.Header, red),
		},
	}
	scrub := func(b []byte) []byte {
		if json.Valid(b) {
			return red.JSON(b)
		}
		return []byte(red.Redact(string(b)))
	}
	if len(ex.RequestBody) > 0 {
		c.Request.Body = jsonOrNil(scrub(ex.RequestBody))
	}
	scrubbed := scrub(ex.ResponseBody)
	if body := jsonOrNil(scrubbed); body != nil {
		c.Response.Body = body
	} else {
		c.Response.BodyText = string(scrubbed)
	}
	for _, d := range report.Drift {
		c.ExpectDrift = append(c.ExpectDrift, ExpectedDrift{In: d.In, Pointer: red.Clean(d.Pointer), Message: red.Clean(d.Message)})
	}
	op := "unknown"
	for _, v := range vs {
		c.Expect = append(c.Expect, ExpectedViolation{In: v.In, Pointer: red.Clean(v.Pointer), Message: red.Clean(v.Message)})
		if v.Operation != "" {
			op = v.Operation
		}
	}
	if len(vs) == 0 {
		if o := operationOf(ex.Request); o != "" {
			op = o
		}
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.n++
	name := fmt.Sprintf("%03d-%s-%d.json", r.n, op, ex.Response.StatusCode)
	r.mu.Unlock()
	if err := os.MkdirAll(r.Dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(r.Dir, name), append(data, '\n'), 0o644)
}

// credentialValues are the values of the request's credential headers.
func credentialValues(h http.Header) []string {
	var out []string
	for k, vs := range h {
		if secretHeaders.MatchString(k) {
			out = append(out, vs...)
		}
	}
	return out
}

// recordHeaders keeps the headers worth keeping, one value each, with credentials replaced and
// any secret echoed in a kept value redacted, named in lower case as the contract names them.
func recordHeaders(h http.Header, red *wrapper.Redactor) map[string]string {
	out := map[string]string{}
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		name := strings.ToLower(k)
		switch {
		case secretHeaders.MatchString(k):
			out[name] = spec.Redacted // a replayed request still carries one
		case name == "content-type", name == "retry-after", name == "accept":
			out[name] = red.Clean(h.Get(k))
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func jsonOrNil(b []byte) json.RawMessage {
	if !json.Valid(b) {
		return nil
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, b, "", "  "); err != nil {
		return nil
	}
	return buf.Bytes()
}

func relativePath(u *url.URL, baseURL string) string {
	p := u.EscapedPath()
	if b, err := url.Parse(baseURL); err == nil {
		p = strings.TrimPrefix(p, strings.TrimRight(b.EscapedPath(), "/"))
	}
	return p
}

func hostOf(baseURL string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		return u.Host
	}
	return "an unnamed server"
}

// operationOf names the operation of a request from its path, for file names only.
func operationOf(r *http.Request) string {
	p := r.URL.Path
	switch {
	case strings.HasSuffix(p, "/phone/*"):
		return "phoneLookupByCustomerId"
	case strings.HasSuffix(p, "/mergehistory/*"):
		return "customerMergeHistoryLookup"
	case strings.Contains(p, "/customer/change/"):
		return "customerChangeLookup"
	case strings.HasSuffix(p, "/storecustomerandorder/*"):
		return "storeCustomerAndOrder"
	}
	return ""
}
