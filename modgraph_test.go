package omeda_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// devToolModules are the modules of the development tools, pinned in tools/go.mod. None of them
// may reach the module graph of a program that imports the SDK: they would move its versions
// (oasdiff moves kin-openapi, for one) and cost it downloads for nothing.
var devToolModules = []string{
	"github.com/oapi-codegen/oapi-codegen/v2", // the generator of gen/
	"github.com/speakeasy-api/openapi",        // the generator's own dependencies
	"github.com/speakeasy-api/jsonpath",
	"golang.org/x/tools",
	"honnef.co/go/tools", // staticcheck
	"github.com/oasdiff/oasdiff",
	"golang.org/x/perf", // the benchmark summary
}

// inheritedToolEdges are requirements of the SDK's runtime dependencies on a tool's module,
// which the SDK cannot remove: golang.org/x/text (used by kin-openapi's JSON Schema validator)
// requires golang.org/x/tools for its own code generators. Such an edge brings no tool code into
// a build; what the check guards against is the SDK (or its tools) requiring the tools.
var inheritedToolEdges = map[[2]string]bool{
	{"golang.org/x/text", "golang.org/x/tools"}: true,
}

// toolModulesIn returns the edges "requirer -> tool@version" of a `go mod graph` output that
// bring a development tool's module into the graph, other than the inherited ones.
func toolModulesIn(graph string) []string {
	var found []string
	for _, line := range strings.Split(graph, "\n") {
		fields := strings.Fields(line)
		if len(fields) != 2 {
			continue
		}
		from, _, _ := strings.Cut(fields[0], "@")
		to, _, _ := strings.Cut(fields[1], "@")
		if slices.Contains(devToolModules, to) && !inheritedToolEdges[[2]string{from, to}] {
			found = append(found, fields[0]+" -> "+fields[1])
		}
	}
	return found
}

func TestToolModulesInFindsTools(t *testing.T) {
	t.Parallel()
	graph := "example.com/consumer github.com/omeda-go/omeda-go@v0.0.0\n" +
		"github.com/omeda-go/omeda-go@v0.0.0 github.com/oapi-codegen/oapi-codegen/v2@v2.8.2\n" +
		"github.com/getkin/kin-openapi@v0.152.0 github.com/oasdiff/yaml@v0.1.1\n" +
		"golang.org/x/text@v0.40.0 golang.org/x/tools@v0.47.0\n" +
		"github.com/omeda-go/omeda-go@v0.0.0 golang.org/x/tools@v0.48.0\n" +
		"github.com/x/y@v1.0.0 honnef.co/go/tools@v0.8.2\n"
	assert.Equal(t, []string{
		"github.com/omeda-go/omeda-go@v0.0.0 -> github.com/oapi-codegen/oapi-codegen/v2@v2.8.2",
		"github.com/omeda-go/omeda-go@v0.0.0 -> golang.org/x/tools@v0.48.0",
		"github.com/x/y@v1.0.0 -> honnef.co/go/tools@v0.8.2",
	}, toolModulesIn(graph), "oasdiff/yaml is kin-openapi's runtime dependency, not the oasdiff tool")
}

// TestConsumerModuleGraph builds a throwaway module that imports only wrapper, with a replace
// directive pointing at this checkout, and fails if a development tool's module is in its graph,
// or if importing the SDK moves the module's go line past the oldest Go release the SDK supports
// (go.mod's go line: Go 1.25, which the Go team still supports).
func TestConsumerModuleGraph(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command; skipped with -short")
	}
	t.Parallel()
	goCmd, err := exec.LookPath("go")
	require.NoError(t, err, "the go command is needed to build a consumer module")
	repo, err := filepath.Abs(".")
	require.NoError(t, err)

	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/consumer\n\n"+oldestGo+"\n\n"+
		"require github.com/omeda-go/omeda-go v0.0.0\n\n"+
		"replace github.com/omeda-go/omeda-go => "+repo+"\n")
	writeFile(t, filepath.Join(dir, "main.go"), `package main

import (
	"fmt"

	"github.com/omeda-go/omeda-go/wrapper"
)

func main() {
	_, err := wrapper.New("FOO", "app-id")
	fmt.Println(err)
}
`)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	run := func(args ...string) string {
		cmd := exec.CommandContext(ctx, goCmd, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %s:\n%s", strings.Join(args, " "), out)
		return string(out)
	}
	run("mod", "tidy")
	run("build", "-o", os.DevNull, ".")
	graph := run("mod", "graph")
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	require.NoError(t, err)
	assert.Contains(t, strings.Split(string(mod), "\n"), oldestGo,
		"importing the SDK must not require a newer Go than %q: a dependency of the SDK asks for more "+
			"(see `go mod graph | grep go@`); take an older version of it", oldestGo)

	require.Contains(t, graph, "example.com/consumer github.com/omeda-go/omeda-go@v0.0.0",
		"the consumer must depend on this checkout")
	assert.Empty(t, toolModulesIn(graph),
		"a module that imports only wrapper must not see the development tools; pin them in tools/go.mod")
}

// oldestGo is the go line of a module on the oldest Go release the SDK supports.
const oldestGo = "go 1.25.0"

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
}
