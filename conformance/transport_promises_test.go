package conformance

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const promisesBase = "http://127.0.0.1:1/webservices/rest"

// roundTripFunc is a base transport that never touches the network.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// failingBody yields data, then fails as a connection cut mid-answer would.
type failingBody struct {
	r   io.Reader
	err error
}

func (b *failingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		return n, b.err
	}
	return n, err
}

func (b *failingBody) Close() error { return nil }

// TestTransportLeavesTheCallersRequestAsItWas holds RoundTrip's promise: the request sent is a
// clone carrying a copy of the body, so the caller's request keeps its own body, length and
// headers, and the base transport still gets every byte.
func TestTransportLeavesTheCallersRequestAsItWas(t *testing.T) {
	t.Parallel()
	v, err := NewValidator(promisesBase)
	require.NoError(t, err)
	const payload = `{"FirstName":"Ann"}`
	var sent *http.Request
	var sentBody []byte
	tr := &Transport{Validator: v, Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent = r
		sentBody, _ = io.ReadAll(r.Body)
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Request: r,
			Body: io.NopCloser(strings.NewReader(`{"ResponseInfo":[{"TransactionId":5,"Url":"https://x.example/webservices/rest/brand/FOO/transaction/5/*"}]}`))}, nil
	})}

	body := io.NopCloser(strings.NewReader(payload))
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, promisesBase+"/brand/FOO/storecustomerandorder/*", body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-omeda-appid", secretApp)
	req.Header.Set("x-omeda-inputid", secretInput)
	header, length := req.Header.Clone(), req.ContentLength

	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	t.Cleanup(func() { _ = resp.Body.Close() })

	require.NotNil(t, sent)
	assert.NotSame(t, req, sent, "the request sent must be a clone")
	assert.Equal(t, payload, string(sentBody), "the base transport gets the whole body")
	assert.True(t, req.Body == body, "the caller's request keeps its own body")
	assert.Nil(t, req.GetBody, "the caller's request gains no GetBody")
	assert.Equal(t, length, req.ContentLength, "the caller's length is unchanged")
	assert.Equal(t, header, req.Header)
	assert.Equal(t, 1, tr.Exchanges())
	assert.Empty(t, tr.Violations(), Summary(tr.Violations()))
}

// TestTransportWithoutValidatorSendsNothing: the Validator is required; a Transport without one
// refuses the request rather than send it unchecked.
func TestTransportWithoutValidatorSendsNothing(t *testing.T) {
	t.Parallel()
	sent := false
	tr := &Transport{Base: roundTripFunc(func(*http.Request) (*http.Response, error) {
		sent = true
		return nil, errors.New("unreachable")
	})}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, promisesBase+"/brand/FOO/customer/12345/phone/*", nil)
	require.NoError(t, err)
	resp, err := tr.RoundTrip(req)
	if resp != nil {
		_ = resp.Body.Close()
	}
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no Validator")
	assert.False(t, sent)
}

// TestTransportHandsOnAnAnswerCutShortUnjudged: when the connection fails mid-answer, the client
// gets what arrived and then the failure, as the network would have given them, and the
// transport neither judges nor records a body that is not all there.
func TestTransportHandsOnAnAnswerCutShortUnjudged(t *testing.T) {
	t.Parallel()
	v, err := NewValidator(promisesBase)
	require.NoError(t, err)
	cut := errors.New("connection reset mid-answer")
	dir := t.TempDir()
	tr := &Transport{Validator: v, Recorder: &Recorder{Dir: dir, BaseURL: promisesBase},
		OnViolation: func(Exchange, []Violation) { t.Error("a cut answer must not be judged") },
		Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Request: r,
				Body: &failingBody{r: strings.NewReader(`{"PhoneNumbers":[{"Id":`), err: cut}}, nil
		})}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, promisesBase+"/brand/FOO/customer/12345/phone/*", nil)
	require.NoError(t, err)
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	got, readErr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Equal(t, `{"PhoneNumbers":[{"Id":`, string(got), "what arrived is handed on")
	assert.ErrorIs(t, readErr, cut, "then the failure")
	assert.Zero(t, tr.Exchanges(), "only complete exchanges count")
	assert.Empty(t, tr.Violations())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing is recorded")
}

// TestRecorderSecretsAreRemovedFromEveryCassette holds Recorder.Secrets on its own (no
// Transport): a lookup, whose request carries no input id, answered with the input id echoed is
// recorded without it.
func TestRecorderSecretsAreRemovedFromEveryCassette(t *testing.T) {
	t.Parallel()
	v, err := NewValidator(promisesBase)
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, promisesBase+"/brand/FOO/customer/99999/mergehistory/*", nil)
	require.NoError(t, err)
	req.Header.Set("x-omeda-appid", secretApp)
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Request: req, Body: http.NoBody}
	body := []byte(`{"CustomerMergeHistory":[{"Id":22}],"SubmissionId":"` + strings.ToLower(secretInput) + `"}`)
	ex := Exchange{Request: req, Response: resp, ResponseBody: body}

	dir := t.TempDir()
	rec := &Recorder{Dir: dir, BaseURL: promisesBase, Secrets: []string{secretApp, secretInput}}
	require.NoError(t, rec.Record(ex, v.Check(t.Context(), req, nil, resp, body)))
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	data, err := os.ReadFile(files[0])
	require.NoError(t, err)
	assert.NotContains(t, strings.ToLower(string(data)), strings.ToLower(secretInput))
	assert.Contains(t, string(data), `"SubmissionId": "[REDACTED]"`)
}

// TestTransportCallsOnDriftWithEachExchangesDrift: OnDrift hears the drift of each exchange that
// has some, as Drift() later lists it, and nothing for an exchange without.
func TestTransportCallsOnDriftWithEachExchangesDrift(t *testing.T) {
	t.Parallel()
	v, err := NewValidator(promisesBase)
	require.NoError(t, err)
	answers := []string{
		`{"CustomerMergeHistory":[{"Id":22}],"Note":"not in the contract"}`,
		`{"CustomerMergeHistory":[{"Id":22}]}`,
	}
	var heard [][]Drift
	tr := &Transport{Validator: v,
		OnDrift: func(_ Exchange, ds []Drift) { heard = append(heard, ds) },
		Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			body := answers[0]
			answers = answers[1:]
			return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Request: r,
				Body: io.NopCloser(strings.NewReader(body))}, nil
		})}
	for range 2 {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, promisesBase+"/brand/FOO/customer/99999/mergehistory/*", nil)
		require.NoError(t, err)
		req.Header.Set("x-omeda-appid", secretApp)
		resp, err := tr.RoundTrip(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
	}
	require.Len(t, heard, 1, "one exchange had drift")
	require.Len(t, heard[0], 1)
	assert.Equal(t, "/Note", heard[0][0].Pointer)
	assert.Equal(t, heard[0], tr.Drift())
}

// TestTransportPassesBodiesTooLargeToCheckWhole: a body past what the transport buffers (256 MiB;
// a few bytes here) is neither cut nor judged: the server gets the whole request, the client the
// whole answer, and the exchange is not counted as checked. Not parallel: it lowers the bound.
func TestTransportPassesBodiesTooLargeToCheckWhole(t *testing.T) {
	saved := maxBody
	maxBody = 8
	t.Cleanup(func() { maxBody = saved })

	v, err := NewValidator(promisesBase)
	require.NoError(t, err)
	const submission = `{"FirstName":"Ann","LastName":"Longer than the bound"}`
	const receipt = `{"ResponseInfo":[{"TransactionId":5,"Url":"https://x.example/webservices/rest/brand/FOO/transaction/5/*"}]}`
	var got []byte
	tr := &Transport{Validator: v, Recorder: &Recorder{Dir: t.TempDir(), BaseURL: promisesBase},
		Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			got, _ = io.ReadAll(r.Body)
			_ = r.Body.Close()
			return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Request: r,
				Body: io.NopCloser(strings.NewReader(receipt))}, nil
		})}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, promisesBase+"/brand/FOO/storecustomerandorder/*", strings.NewReader(submission))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-omeda-appid", secretApp)
	req.Header.Set("x-omeda-inputid", secretInput)
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	answer, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, submission, string(got), "the server gets the whole request")
	assert.Equal(t, receipt, string(answer), "the client gets the whole answer")
	assert.Zero(t, tr.Exchanges(), "an exchange too large to check is not counted as checked")
	assert.Empty(t, tr.Violations())

	// The answer alone too large: the request was checked, the answer passes whole.
	maxBody = int64(len(submission))
	req, err = http.NewRequestWithContext(t.Context(), http.MethodPost, promisesBase+"/brand/FOO/storecustomerandorder/*", strings.NewReader(submission))
	require.NoError(t, err)
	req.Header = http.Header{"Content-Type": {"application/json"}, "X-Omeda-Appid": {secretApp}, "X-Omeda-Inputid": {secretInput}}
	resp, err = tr.RoundTrip(req)
	require.NoError(t, err)
	answer, err = io.ReadAll(resp.Body)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, submission, string(got))
	assert.Equal(t, receipt, string(answer))
	assert.Zero(t, tr.Exchanges())
}
