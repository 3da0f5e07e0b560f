package omeda_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMakeFuzzRunsEveryFuzzTarget holds SECURITY.md's promise that make fuzz runs the fuzzers:
// every Fuzz function of the module is in the Makefile's FUZZ_TARGETS, which make fuzz runs in
// ./wrapper/, so a new target cannot be left to its seed corpus alone.
func TestMakeFuzzRunsEveryFuzzTarget(t *testing.T) {
	t.Parallel()
	makefile, err := os.ReadFile("Makefile")
	require.NoError(t, err)
	joined := strings.ReplaceAll(string(makefile), "\\\n", " ") // make's line continuations
	m := regexp.MustCompile(`(?m)^FUZZ_TARGETS\s*:=\s*(.*)$`).FindStringSubmatch(joined)
	require.NotNil(t, m, "the Makefile has no FUZZ_TARGETS line")
	listed := strings.Fields(m[1])

	fuzzFunc := regexp.MustCompile(`(?m)^func (Fuzz\w+)\(`)
	var found []string
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "tools" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, f := range fuzzFunc.FindAllSubmatch(src, -1) {
			assert.Equal(t, "wrapper", filepath.Dir(path), "%s (%s): make fuzz runs ./wrapper/ only", f[1], path)
			found = append(found, string(f[1]))
		}
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, found)
	slices.Sort(found)
	slices.Sort(listed)
	assert.Equal(t, found, listed, "FUZZ_TARGETS in the Makefile must list every fuzz target")
}
