package conformance

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"

	"github.com/omeda-go/omeda-go/internal/spec"
	"github.com/omeda-go/omeda-go/wrapper"
)

// maxBody bounds how much of a body the transport buffers to check it.
var maxBody int64 = 256 << 20 // a variable, so that a test can lower it

// Transport is an http.RoundTripper that checks every exchange passing through it against the
// contract. Give it to the client under test:
//
//	v, _ := conformance.NewValidator(baseURL)
//	tr := &conformance.Transport{Validator: v, Secrets: []string{appID, inputID}}
//	client, _ := wrapper.New(brand, appID, wrapper.WithBaseURL(baseURL),
//		wrapper.WithHTTPClient(&http.Client{Transport: tr}))
//	... calls ...
//	if vs := tr.Violations(); len(vs) > 0 { t.Error(conformance.Summary(vs)) }
//	if ds := tr.Drift(); len(ds) > 0 { t.Log(conformance.DriftSummary(ds)) }
//
// Every violation and drift it reports, and every cassette it records, passes the SDK's one door
// (wrapper.Redactor) with Secrets, the credentials and the card data of the requests it carried.
// It buffers each body to check it, so it suits tests rather than production; a body larger
// than 256 MiB is passed on whole and the exchange is not checked (nor counted, nor recorded).
// A transport failure is passed on untouched and checked no further.
type Transport struct {
	// Base sends the requests; http.DefaultTransport when nil.
	Base http.RoundTripper
	// Validator checks the exchanges. Required.
	Validator *Validator
	// Recorder, when set, saves every exchange as a cassette.
	Recorder *Recorder
	// OnViolation, when set, is called with the violations of each exchange that has some.
	OnViolation func(Exchange, []Violation)
	// OnDrift, when set, is called with the drift of each exchange that has some.
	OnDrift func(Exchange, []Drift)
	// Secrets are redacted from every violation and drift the transport reports and from every
	// cassette it records, besides what it learns on its own: the credentials and card data of
	// every request it has carried so far. Give it the client's app id and input id, so that an
	// answer echoing the input id is scrubbed even before the first submission.
	Secrets []string

	mu         sync.Mutex
	violations []Violation
	drift      []Drift
	exchanges  int
	learned    []string // credentials of the requests carried so far
	cards      []string // card data of the requests carried so far (looked for whatever its length)
}

// Exchange is a request and its answer, with both bodies.
type Exchange struct {
	Request      *http.Request
	RequestBody  []byte
	Response     *http.Response
	ResponseBody []byte
}

// RoundTrip sends the request through Base and checks the exchange. The caller's request is
// never modified: the request sent is a clone carrying a copy of the body.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.Validator == nil {
		return nil, fmt.Errorf("conformance: Transport has no Validator")
	}
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	var reqBody []byte
	out := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		reqBody, err = io.ReadAll(io.LimitReader(req.Body, maxBody+1))
		if err != nil {
			_ = req.Body.Close()
			return nil, fmt.Errorf("conformance: read request body: %w", err)
		}
		if int64(len(reqBody)) > maxBody {
			// Too large to check: send it whole (what was read, then the rest), unjudged.
			out.Body = readCloser{io.MultiReader(bytes.NewReader(reqBody), req.Body), req.Body}
			out.GetBody = nil
			return base.RoundTrip(out)
		}
		_ = req.Body.Close()
		out.Body = io.NopCloser(bytes.NewReader(reqBody))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(reqBody)), nil }
		out.ContentLength = int64(len(reqBody))
	}

	resp, err := base.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	respBody, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if readErr == nil && int64(len(respBody)) > maxBody {
		// Too large to check: the client reads it whole (what was read, then the rest), unjudged.
		resp.Body = readCloser{io.MultiReader(bytes.NewReader(respBody), resp.Body), resp.Body}
		return resp, nil
	}
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if readErr != nil {
		// The connection failed mid-answer: hand the client what arrived and the failure, as
		// the network would have, and do not judge a body that is not all there.
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(respBody), errReader{readErr}))
		return resp, nil
	}

	ex := Exchange{Request: out, RequestBody: reqBody, Response: resp, ResponseBody: respBody}
	// What the transport knows includes this request's credentials and card values (learn).
	secrets, cards := t.learn(out, reqBody)
	red := wrapper.NewRedactor(secrets...).WithCard(cards...)
	report := t.Validator.inspect(context.WithoutCancel(req.Context()), out, reqBody, resp, respBody, red)
	vs := report.Violations
	t.mu.Lock()
	t.exchanges++
	t.violations = append(t.violations, vs...)
	t.drift = append(t.drift, report.Drift...)
	t.mu.Unlock()
	if len(vs) > 0 && t.OnViolation != nil {
		t.OnViolation(ex, vs)
	}
	if len(report.Drift) > 0 && t.OnDrift != nil {
		t.OnDrift(ex, report.Drift)
	}
	if t.Recorder != nil {
		if err := t.Recorder.record(ex, report, red); err != nil {
			return nil, err
		}
	}
	return resp, nil
}

// learn adds the credentials and card data of a request to what the transport redacts, and
// returns every secret it knows: Secrets and what it has learned.
func (t *Transport) learn(req *http.Request, body []byte) (secrets, cards []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, s := range credentialValues(req.Header) {
		if s != "" && !slices.Contains(t.learned, s) {
			t.learned = append(t.learned, s)
		}
	}
	for _, s := range spec.SecretValues(body) {
		if s != "" && !slices.Contains(t.cards, s) {
			t.cards = append(t.cards, s)
		}
	}
	return append(slices.Clone(t.Secrets), t.learned...), slices.Clone(t.cards)
}

// Violations returns every violation seen so far.
func (t *Transport) Violations() []Violation {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Violation(nil), t.violations...)
}

// Drift returns the drift seen so far: what the exchanges carried that the contract does not
// document.
func (t *Transport) Drift() []Drift {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Drift(nil), t.drift...)
}

// Exchanges returns how many complete exchanges were checked.
func (t *Transport) Exchanges() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.exchanges
}

// readCloser reads from one reader and closes another: a body passed on whole, after the part
// the transport read of it.
type readCloser struct {
	io.Reader
	io.Closer
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
