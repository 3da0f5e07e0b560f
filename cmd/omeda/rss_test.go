package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChangesNDJSONResidentMemory runs the built tool over a window of 1,000,000 customers
// (about 190 MB of JSON, generated as it is sent) and reads the child's maximum resident set
// size from its rusage: streaming, the tool stays under 64 MiB whatever the window's size. It
// measures memory, not time.
func TestChangesNDJSONResidentMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and streams a million customers")
	}
	const n = 1_000_000
	binary := builtBinary(t)

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		bw := bufio.NewWriterSize(w, 32<<10)
		_, _ = bw.WriteString(`{"Customers":[`)
		var b []byte
		for i := range n {
			b = b[:0]
			if i > 0 {
				b = append(b, ',')
			}
			id := strconv.Itoa(100000000 + 3*i)
			b = append(b, `{"CreatedDate":"2023-01-01 00:00:00.000","CustomerStatusId":1,"DateChanged":"2024-05-01 12:00:00.000","Id":`...)
			b = append(b, id...)
			b = append(b, `,"Url":"https://ows.omeda.com/webservices/rest/brand/FOO/customer/`...)
			b = append(b, id...)
			b = append(b, `/*"}`...)
			if _, err := bw.Write(b); err != nil {
				return
			}
		}
		_, _ = bw.WriteString(`],"SubmissionId":"s"}`)
		_ = bw.Flush()
	}))
	t.Cleanup(srv.Close)

	cmd := exec.CommandContext(t.Context(), binary, "changes", "--from", "2024-05-01", "--to", "2024-05-01", "--format", "ndjson")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
		"OMEDA_BASE_URL=" + srv.URL + "/webservices/rest", "OMEDA_BRAND=FOO", "OMEDA_APP_ID=" + appID}
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	lines, err := countLines(stdout)
	require.NoError(t, err)
	require.NoError(t, cmd.Wait(), stderr.String())
	assert.Equal(t, n, lines, "one line per customer")

	usage, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	require.True(t, ok)
	maxRSS := usage.Maxrss * 1024 // kilobytes on Linux
	t.Logf("omeda changes --format ndjson over %d customers: max RSS %.1f MiB", n, float64(maxRSS)/(1<<20))
	assert.Less(t, maxRSS, int64(64<<20), "max RSS")
}

func countLines(r io.Reader) (int, error) {
	buf := make([]byte, 64<<10)
	lines := 0
	for {
		n, err := r.Read(buf)
		lines += bytes.Count(buf[:n], []byte{'\n'})
		if err == io.EOF {
			return lines, nil
		}
		if err != nil {
			return lines, err
		}
	}
}

// TestKilledSyncLeavesTheStateFile: a sync killed while it streams (SIGKILL, no chance to
// clean up) has already printed the customers decoded so far, and leaves the state file as it
// was, so that the next run repeats the range.
func TestKilledSyncLeavesTheStateFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	binary := builtBinary(t)

	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"Customers":[{"Id":1,"Url":"u","DateChanged":"2024-05-01 12:00:00.000","CreatedDate":"2024-05-01 12:00:00.000","CustomerStatusId":1},`)
		w.(http.Flusher).Flush()
		select { // the rest never comes while the test looks
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })

	dir := t.TempDir()
	state := filepath.Join(dir, "sync.state")
	require.NoError(t, os.WriteFile(state, []byte("2024-05-01T00:00:00-05:00\n"), 0o644))
	cmd := exec.Command(binary, "changes", "--state", state, "--to", "2024-05-02", "--format", "ndjson")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
		"OMEDA_BASE_URL=" + srv.URL + "/webservices/rest", "OMEDA_BRAND=FOO", "OMEDA_APP_ID=" + appID}
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err, "the first customer is printed while the answer is still arriving")
	assert.Contains(t, line, `"Id":1`)
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()

	data, err := os.ReadFile(state)
	require.NoError(t, err)
	assert.Equal(t, "2024-05-01T00:00:00-05:00\n", string(data), "the state file is untouched")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "and nothing beside it")
}
