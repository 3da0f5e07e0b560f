package conformance

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	omeda "github.com/omeda-go/omeda-go"
	"github.com/omeda-go/omeda-go/wrapper"
)

const stagingURL = "https://ows.omedastaging.com/webservices/rest"

func loadCassettes(t *testing.T) map[string]Cassette {
	t.Helper()
	files, err := filepath.Glob("testdata/cassettes/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := map[string]Cassette{}
	for _, f := range files {
		c, err := LoadCassette(f)
		require.NoError(t, err)
		out[filepath.Base(f)] = c
	}
	return out
}

// TestCassettes replays every recorded exchange: the conforming ones must raise nothing, and
// each negative one exactly the violations it expects, so the suite proves it can fail. Drift
// (what the contract does not document) is no violation: each cassette lists exactly the drift
// it shows.
func TestCassettes(t *testing.T) {
	t.Parallel()
	v, err := NewValidator(stagingURL)
	require.NoError(t, err)
	negatives := 0
	for name, c := range loadCassettes(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			report, err := v.ReplayReport(t.Context(), c, stagingURL)
			require.NoError(t, err)
			vs := report.Violations
			for _, e := range c.ExpectDrift {
				assert.True(t, slices.ContainsFunc(report.Drift, e.Matches), "expected drift %+v among:\n%s", e, DriftSummary(report.Drift))
			}
			for _, got := range report.Drift {
				assert.True(t, slices.ContainsFunc(c.ExpectDrift, func(e ExpectedDrift) bool { return e.Matches(got) }),
					"unexpected drift: %s", got)
			}
			if strings.HasPrefix(name, "neg-") {
				require.NotEmpty(t, c.Expect, "a negative cassette says what it must raise")
			} else {
				require.Empty(t, c.Expect, "only files named neg-* expect violations")
			}
			for _, e := range c.Expect {
				assert.True(t, slices.ContainsFunc(vs, e.Matches), "expected %+v among:\n%s", e, Summary(vs))
			}
			for _, got := range vs {
				assert.True(t, slices.ContainsFunc(c.Expect, func(e ExpectedViolation) bool { return e.Matches(got) }),
					"unexpected violation: %s", got)
				assert.NotEmpty(t, got.Operation+got.Method, "violations name the operation")
			}
		})
		if strings.HasPrefix(name, "neg-") {
			negatives++
		}
	}
	assert.GreaterOrEqual(t, negatives, 15)
}

// TestCassettesCoverEveryDocumentedExample holds the conforming cassettes to every example the
// contract carries (each one the vendor documented, mended), request and answer alike.
func TestCassettesCoverEveryDocumentedExample(t *testing.T) {
	t.Parallel()
	doc, err := omeda.LoadSpec()
	require.NoError(t, err)
	recorded := map[string]bool{}
	for name, c := range loadCassettes(t) {
		if strings.HasPrefix(name, "neg-") {
			continue
		}
		if len(c.Request.Body) > 0 {
			recorded[canonicalJSON(t, wrapper.NewRedactor().JSON(c.Request.Body))] = true
		}
		if len(c.Response.Body) > 0 {
			recorded[fmt.Sprintf("%d %s", c.Response.Status, canonicalJSON(t, c.Response.Body))] = true
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody != nil {
				for name, ex := range op.RequestBody.Value.Content.Get("application/json").Examples {
					// A recording holds card data redacted; so does the comparison.
					key := canonicalJSON(t, wrapper.NewRedactor().JSON(mustJSON(t, ex.Value.Value)))
					assert.True(t, recorded[key], "%s request example %q has no cassette", op.OperationID, name)
				}
			}
			for status, resp := range op.Responses.Map() {
				media := resp.Value.Content.Get("application/json")
				if media == nil {
					continue
				}
				for name, ex := range media.Examples {
					key := status + " " + canonicalJSON(t, mustJSON(t, ex.Value.Value))
					assert.True(t, recorded[key], "%s %s example %q has no cassette", op.OperationID, status, name)
				}
			}
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func canonicalJSON(t *testing.T, b []byte) string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(b, &v))
	return string(mustJSON(t, v))
}

// TestExpectationsMatchViolationsAndDriftAlike: a cassette's expected violations and expected
// drift follow one rule: each set field matches, In and Pointer exactly, Message as a substring.
func TestExpectationsMatchViolationsAndDriftAlike(t *testing.T) {
	t.Parallel()
	v := Violation{In: "response", Pointer: "/Customer", Message: "property \"Customer\" is missing"}
	d := Drift{In: v.In, Pointer: v.Pointer, Message: v.Message}
	for _, c := range []struct {
		e    ExpectedViolation
		want bool
	}{
		{ExpectedViolation{}, true},
		{ExpectedViolation{In: "response", Pointer: "/Customer", Message: "is missing"}, true},
		{ExpectedViolation{In: "request"}, false},
		{ExpectedViolation{Pointer: "/Customer/Id"}, false},
		{ExpectedViolation{Message: "is not documented"}, false},
	} {
		assert.Equal(t, c.want, c.e.Matches(v), "%+v", c.e)
		assert.Equal(t, c.want, ExpectedDrift(c.e).Matches(d), "%+v", c.e)
	}
}
