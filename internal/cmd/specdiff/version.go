package main

import (
	"cmp"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// version is a semantic version, MAJOR.MINOR.PATCH with an optional pre-release; build metadata
// is ignored, as semantic versioning says.
type version struct {
	major, minor, patch int
	pre                 string
	text                string
}

var semverPattern = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$`)

func parseVersion(s string) (version, error) {
	m := semverPattern.FindStringSubmatch(s)
	if m == nil {
		return version{}, fmt.Errorf("%q is not a semantic version (MAJOR.MINOR.PATCH)", s)
	}
	v := version{pre: m[4], text: s}
	v.major, _ = strconv.Atoi(m[1])
	v.minor, _ = strconv.Atoi(m[2])
	v.patch, _ = strconv.Atoi(m[3])
	return v, nil
}

// compare returns -1, 0 or 1 as v is lower than, equal to or higher than w. Pre-releases compare
// below their release and, between themselves, by their identifiers in order.
func (v version) compare(w version) int {
	for _, d := range [][2]int{{v.major, w.major}, {v.minor, w.minor}, {v.patch, w.patch}} {
		if c := cmp.Compare(d[0], d[1]); c != 0 {
			return c
		}
	}
	switch {
	case v.pre == w.pre:
		return 0
	case v.pre == "":
		return 1
	case w.pre == "":
		return -1
	}
	a, b := strings.Split(v.pre, "."), strings.Split(w.pre, ".")
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := compareIdentifier(a[i], b[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

func compareIdentifier(a, b string) int {
	na, errA := strconv.Atoi(a)
	nb, errB := strconv.Atoi(b)
	switch {
	case errA == nil && errB == nil:
		return cmp.Compare(na, nb)
	case errA == nil:
		return -1 // numeric identifiers have lower precedence
	case errB == nil:
		return 1
	}
	return strings.Compare(a, b)
}

// breaks reports whether going from v to w is a major step: the major part moved, or, below
// 1.0.0 where anything may change, the minor part.
func (v version) breaks(w version) bool {
	if v.major == 0 && w.major == 0 {
		return w.minor > v.minor
	}
	return w.major > v.major
}

func (v version) String() string { return v.text }

// contractVersion reads info.version of an OpenAPI document.
func contractVersion(path string) (version, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return version{}, err
	}
	var doc struct {
		Info struct {
			Version string `yaml:"version"`
		} `yaml:"info"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return version{}, fmt.Errorf("%s: %w", path, err)
	}
	v, err := parseVersion(doc.Info.Version)
	if err != nil {
		return version{}, fmt.Errorf("%s: info.version: %w", path, err)
	}
	return v, nil
}
