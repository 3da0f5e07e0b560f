package main

import (
	"bytes"
	"cmp"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVersions(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "1", "1.0", "v1.0.0", "01.0.0", "1.0.0.0", "1.0.0-"} {
		_, err := parseVersion(bad)
		assert.Error(t, err, bad)
	}
	ordered := []string{"0.9.9", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"}
	for i := range ordered {
		for j := range ordered {
			v, err := parseVersion(ordered[i])
			require.NoError(t, err)
			w, err := parseVersion(ordered[j])
			require.NoError(t, err)
			assert.Equal(t, cmp.Compare(i, j), v.compare(w), "%s vs %s", v, w)
		}
	}
	v := func(s string) version { x, err := parseVersion(s); require.NoError(t, err); return x }
	assert.True(t, v("1.0.0").breaks(v("2.0.0")))
	assert.False(t, v("1.0.0").breaks(v("1.9.0")))
	assert.True(t, v("0.3.1").breaks(v("0.4.0")), "below 1.0.0 a minor step may break")
	assert.False(t, v("0.3.1").breaks(v("0.3.2")))
	assert.Equal(t, 0, v("1.0.0+build.5").compare(v("1.0.0")), "build metadata does not count")
}

const changelog = "# Changelog\n\nText naming `response-property-type-changed` outside any section.\n\n" +
	"## [Unreleased]\n\n### Breaking\n\n" +
	"- `response-property-type-changed` `GET /brand/{brandAbbreviation}/customer/{customerId}/phone/*`: PhoneNumber is a number.\n" +
	"- `security-removed`: no more scheme.\n\n" +
	"## [1.0.0] - 2026-11-23\n\n- `api-path-removed-without-deprecation` `GET /a/*`: gone.\n"

func TestChangelogSections(t *testing.T) {
	t.Parallel()
	lines, ok := changelogSection(changelog, "unreleased")
	require.True(t, ok)
	assert.Len(t, lines, 6)
	lines, ok = changelogSection(changelog, "1.0.0")
	require.True(t, ok)
	assert.Contains(t, strings.Join(lines, "\n"), "`GET /a/*`")
	_, ok = changelogSection(changelog, "1.1.0")
	assert.False(t, ok)
}

func TestNamed(t *testing.T) {
	t.Parallel()
	lines, _ := changelogSection(changelog, "Unreleased")
	phone := "/brand/{brandAbbreviation}/customer/{customerId}/phone/*"
	assert.True(t, named(lines, change{ID: "response-property-type-changed", Operation: "GET", Path: phone}))
	assert.False(t, named(lines, change{ID: "response-property-type-changed", Operation: "POST", Path: phone}), "another operation")
	assert.False(t, named(lines, change{ID: "response-property-removed", Operation: "GET", Path: phone}), "another rule")
	assert.False(t, named(lines, change{ID: "response-property-type", Operation: "GET", Path: phone}), "a prefix of the rule")
	assert.True(t, named(lines, change{ID: "security-removed"}), "outside any operation, the rule alone")
	released, _ := changelogSection(changelog, "1.0.0")
	assert.False(t, named(lines, change{ID: "api-path-removed-without-deprecation", Operation: "GET", Path: "/a/*"}), "named only in a released section")
	assert.True(t, named(released, change{ID: "api-path-removed-without-deprecation", Operation: "GET", Path: "/a/*"}))
}

// fakeGate returns a gate whose oasdiff prints answer, with a changelog and two contracts.
func fakeGate(t *testing.T, answer, baseVersion, revisionVersion string) (gate, string, string) {
	t.Helper()
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		return path
	}
	answerFile := write("answer.json", answer)
	g := gate{oasdiff: []string{"sh", "-c", `cat "$0"`, answerFile}, changelog: write("CHANGELOG.md", changelog)}
	base := write("base.yaml", "openapi: 3.0.3\ninfo:\n  version: "+baseVersion+"\npaths: {}\n")
	revision := write("revision.yaml", "openapi: 3.0.3\ninfo:\n  version: "+revisionVersion+"\npaths: {}\n")
	return g, base, revision
}

const phoneTypeChanged = `{"id":"response-property-type-changed","text":"the type changed","level":3,"operation":"GET","path":"/brand/{brandAbbreviation}/customer/{customerId}/phone/*"}`

func TestCheck(t *testing.T) {
	t.Parallel()
	unnamed := `{"id":"response-property-removed","text":"the field went","level":3,"operation":"GET","path":"/x/*"}`
	warning := `{"id":"response-property-enum-value-added","text":"a new value","level":2,"operation":"GET","path":"/x/*"}`
	for _, tc := range []struct {
		name, answer, base, revision string
		release                      bool
		problems                     []string
	}{
		{name: "no change", answer: `[]`, base: "1.0.0", revision: "1.0.0"},
		{name: "a named breaking change", answer: "[" + phoneTypeChanged + "]", base: "1.0.0", revision: "1.0.0"},
		{name: "a warning does not fail", answer: "[" + warning + "]", base: "1.0.0", revision: "1.0.0"},
		{name: "an unnamed breaking change", answer: "[" + phoneTypeChanged + "," + unnamed + "]", base: "1.0.0", revision: "1.0.0",
			problems: []string{"1 breaking change(s)", "- `response-property-removed` `GET /x/*`: the field went"}},
		{name: "a version going back", answer: `[]`, base: "1.2.0", revision: "1.1.0", problems: []string{"lower than the released 1.2.0"}},
		{name: "a minor version with a breaking change", answer: "[" + phoneTypeChanged + "]", base: "1.0.0", revision: "1.1.0",
			problems: []string{"needs a new major version"}},
		{name: "a major version with a breaking change", answer: "[" + phoneTypeChanged + "]", base: "1.0.0", revision: "2.0.0"},
		{name: "a release without a new version", answer: `[]`, base: "1.0.0", revision: "1.0.0", release: true,
			problems: []string{"is the released version"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g, base, revision := fakeGate(t, tc.answer, tc.base, tc.revision)
			if tc.release {
				g.release = true
				require.NoError(t, os.WriteFile(g.changelog, []byte(strings.Replace(changelog, "## [Unreleased]", "## [1.0.0] - today", 1)), 0o600))
			}
			r, err := g.check(base, revision)
			require.NoError(t, err)
			out := r.String()
			if len(tc.problems) == 0 {
				assert.True(t, r.ok(), out)
				assert.Contains(t, out, "spec-diff: ok")
				return
			}
			assert.False(t, r.ok())
			for _, p := range tc.problems {
				assert.Contains(t, out, p)
			}
		})
	}
}

func TestCheckRefusesWhatItCannotRead(t *testing.T) {
	t.Parallel()
	g, base, revision := fakeGate(t, `{"not":"a list"}`, "1.0.0", "1.0.0")
	_, err := g.check(base, revision)
	assert.ErrorContains(t, err, "not the JSON list expected")

	g, base, revision = fakeGate(t, `[{"text":"no id"}]`, "1.0.0", "1.0.0")
	_, err = g.check(base, revision)
	assert.ErrorContains(t, err, "without an id")

	g, base, revision = fakeGate(t, `[]`, "1.0.0", "one")
	_, err = g.check(base, revision)
	assert.ErrorContains(t, err, "not a semantic version")

	g, base, revision = fakeGate(t, `[]`, "1.0.0", "1.0.0")
	g.changelog = filepath.Join(t.TempDir(), "CHANGELOG.md")
	require.NoError(t, os.WriteFile(g.changelog, []byte("# Changelog\n## [1.0.0]\n"), 0o600))
	_, err = g.check(base, revision)
	assert.ErrorContains(t, err, `no "## [Unreleased]" section`)
}

func TestWithoutFirstOperation(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "openapi.yaml")
	require.NoError(t, os.WriteFile(path, []byte("openapi: 3.0.3\ninfo:\n  version: 1.0.0\npaths:\n  /a/*:\n    parameters: []\n    get:\n      responses: {}\n    post:\n      responses: {}\n  /b/*:\n    get:\n      responses: {}\n"), 0o600))
	out, removed, err := withoutFirstOperation(path)
	require.NoError(t, err)
	assert.Equal(t, "GET /a/*", removed)
	assert.Contains(t, string(out), "post:")
	assert.NotContains(t, string(out), "    get:\n      responses: {}\n    post:")
	assert.Equal(t, 1, strings.Count(string(out), "get:"))
}

func TestRunUsage(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, run([]string{"only-one.yaml"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "usage: specdiff")
}
