package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/internal/leakcheck"
)

// TestMain fails the package's tests when a goroutine outlives them: a sandbox, a connection or a
// window fetch that a command left running (waiting for goroutines that are ending: leakcheck).
// It then removes the tool that builtBinary built.
func TestMain(m *testing.M) {
	leakcheck.VerifyTestMain(m, func(int) {
		if built.dir != "" {
			_ = os.RemoveAll(built.dir)
		}
	})
}

// built is the tool, built once for the tests that need a process of their own (main's wiring,
// signals, a kill, the resident set size).
var built struct {
	once      sync.Once
	dir, path string
	out       []byte
	err       error
}

// builtBinary builds the tool on first use and returns its path.
func builtBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "omeda-cli-test-"); built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "omeda")
		built.out, built.err = exec.Command("go", "build", "-o", built.path, ".").CombinedOutput()
	})
	require.NoError(t, built.err, "building the tool: %s", built.out)
	return built.path
}
