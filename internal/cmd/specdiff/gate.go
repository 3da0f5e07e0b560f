package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// change is one item of `oasdiff breaking --format json`.
type change struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Level     int    `json:"level"`
	Operation string `json:"operation"`
	Path      string `json:"path"`
}

// oasdiff's levels.
const (
	levelWarn = 2
	levelErr  = 3
)

// operation is "METHOD path", or "" for a change outside any operation.
func (c change) operation() string {
	if c.Operation == "" || c.Path == "" {
		return ""
	}
	return c.Operation + " " + c.Path
}

type gate struct {
	oasdiff   []string
	changelog string
	release   bool
}

// report is what the gate found.
type report struct {
	base, revision    version
	revisionPath      string
	section           string
	breaking, missing []change
	warnings          []change
	problems          []string
}

func (r report) ok() bool { return len(r.problems) == 0 }

func (r report) String() string {
	var b strings.Builder
	for _, w := range r.warnings {
		fmt.Fprintf(&b, "spec-diff: warning (may break some clients): `%s` `%s`: %s\n", w.ID, w.operation(), w.Text)
	}
	if r.ok() {
		fmt.Fprintf(&b, "spec-diff: ok, %s (info.version %s) against the released %s: %d breaking change(s), all named in the changelog's %s section\n",
			r.revisionPath, r.revision, r.base, len(r.breaking), r.section)
		return b.String()
	}
	for _, p := range r.problems {
		fmt.Fprintf(&b, "spec-diff: FAILED: %s\n", p)
	}
	return b.String()
}

// check compares revision against the released base.
func (g gate) check(base, revision string) (report, error) {
	r := report{revisionPath: revision}
	var err error
	if r.base, err = contractVersion(base); err != nil {
		return r, err
	}
	if r.revision, err = contractVersion(revision); err != nil {
		return r, err
	}
	changes, err := g.diff(base, revision)
	if err != nil {
		return r, err
	}
	r.section = "Unreleased"
	if g.release {
		r.section = r.revision.text
	}
	lines, err := readChangelogSection(g.changelog, r.section)
	if err != nil {
		return r, err
	}
	for _, c := range changes {
		switch {
		case c.Level >= levelErr:
			r.breaking = append(r.breaking, c)
			if !named(lines, c) {
				r.missing = append(r.missing, c)
			}
		case c.Level == levelWarn:
			r.warnings = append(r.warnings, c)
		}
	}
	if missing := r.missing; len(missing) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "%d breaking change(s) against the released contract (%s) that %s's %q section does not name; "+
			"if a change is intended, add its line under \"### Breaking\" in that section (see CHANGELOG.md), otherwise undo it:",
			len(missing), r.base, g.changelog, r.section)
		for _, c := range missing {
			b.WriteString("\n  " + c.entry())
		}
		r.problems = append(r.problems, b.String())
	}
	switch cmp := r.revision.compare(r.base); {
	case cmp < 0:
		r.problems = append(r.problems, fmt.Sprintf("info.version %s is lower than the released %s", r.revision, r.base))
	case cmp == 0 && g.release:
		r.problems = append(r.problems, fmt.Sprintf("info.version %s is the released version; set the new version in api/openapi.yaml and run make generate", r.revision))
	case cmp > 0 && len(r.breaking) > 0 && !r.base.breaks(r.revision):
		r.problems = append(r.problems, fmt.Sprintf("info.version %s after %s with %d breaking change(s): a breaking change needs a new major version", r.revision, r.base, len(r.breaking)))
	}
	return r, nil
}

// diff runs oasdiff's breaking-change detection.
func (g gate) diff(base, revision string) ([]change, error) {
	if len(g.oasdiff) == 0 {
		return nil, errors.New("no oasdiff command")
	}
	args := append(g.oasdiff[1:len(g.oasdiff):len(g.oasdiff)], "breaking", base, revision, "--format", "json")
	cmd := exec.Command(g.oasdiff[0], args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, stderr.String())
	}
	var changes []change
	if err := json.Unmarshal(stdout.Bytes(), &changes); err != nil {
		return nil, fmt.Errorf("oasdiff's answer is not the JSON list expected: %w\n%s", err, stdout.String())
	}
	for _, c := range changes {
		if c.ID == "" || c.Level == 0 {
			return nil, fmt.Errorf("oasdiff's answer has a change without an id or a level: %+v", c)
		}
	}
	return changes, nil
}

// prove checks that the gate fails when an operation is removed from a copy of revision, so that
// a gate that passes everything cannot go unnoticed.
func (g gate) prove(revision string) error {
	broken, removed, err := withoutFirstOperation(revision)
	if err != nil {
		return fmt.Errorf("prove: %w", err)
	}
	dir, err := os.MkdirTemp("", "specdiff-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "openapi.yaml")
	if err := os.WriteFile(path, broken, 0o600); err != nil {
		return err
	}
	r, err := g.check(revision, path)
	if err != nil {
		return fmt.Errorf("prove: %w", err)
	}
	for _, c := range r.missing {
		if c.operation() == removed {
			return nil
		}
	}
	return fmt.Errorf("prove: removing %s from a copy of %s was not reported as a breaking change; the gate would let it through", removed, revision)
}

// withoutFirstOperation returns revision without the first operation of its first path, and that
// operation as "METHOD path".
func withoutFirstOperation(revision string) ([]byte, string, error) {
	data, err := os.ReadFile(revision)
	if err != nil {
		return nil, "", err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, "", err
	}
	paths := mappingValue(doc.Content[0], "paths")
	if paths == nil || len(paths.Content) < 2 {
		return nil, "", fmt.Errorf("%s has no paths", revision)
	}
	path, item := paths.Content[0].Value, paths.Content[1]
	for i := 0; i+1 < len(item.Content); i += 2 {
		method := strings.ToUpper(item.Content[i].Value)
		switch method {
		case "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE":
			item.Content = append(item.Content[:i:i], item.Content[i+2:]...)
			out, err := yaml.Marshal(&doc)
			return out, method + " " + path, err
		}
	}
	return nil, "", fmt.Errorf("%s: the path %s has no operation", revision, path)
}

func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
