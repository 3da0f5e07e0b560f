package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
)

// headingPattern matches a release heading of a Keep a Changelog file: "## [1.2.0] - 2026-11-30"
// or "## [Unreleased]"; the brackets are optional.
var headingPattern = regexp.MustCompile(`^##\s+\[?([^\]\s]+)\]?`)

// changelogSection returns the lines of the section whose heading names name (case-insensitive),
// up to the next section, and whether it exists.
func changelogSection(text, name string) ([]string, bool) {
	var lines []string
	in, found := false, false
	for _, line := range strings.Split(text, "\n") {
		if m := headingPattern.FindStringSubmatch(line); m != nil {
			in = strings.EqualFold(m[1], name)
			found = found || in
			continue
		}
		if in {
			lines = append(lines, line)
		}
	}
	return lines, found
}

// named reports whether one of the lines names the change: its rule id and, for a change inside
// an operation, "METHOD path", each in backticks.
func named(lines []string, c change) bool {
	for _, line := range lines {
		if strings.Contains(line, "`"+c.ID+"`") && (c.operation() == "" || strings.Contains(line, "`"+c.operation()+"`")) {
			return true
		}
	}
	return false
}

// entry is the changelog line that names c, for the message of a failing gate.
func (c change) entry() string {
	if c.operation() == "" {
		return fmt.Sprintf("- `%s`: %s", c.ID, c.Text)
	}
	return fmt.Sprintf("- `%s` `%s`: %s", c.ID, c.operation(), c.Text)
}

func readChangelogSection(path, name string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines, ok := changelogSection(string(data), name)
	if !ok {
		return nil, fmt.Errorf("%s has no \"## [%s]\" section", path, name)
	}
	return lines, nil
}
