package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChangesNDJSONResidentMemory runs the built tool over a window of 1,000,000 customers
// (about 190 MB of JSON, generated as it is sent) and samples the child's peak resident set size
// while it streams: streaming, the tool stays under 64 MiB whatever the window's size. It
// measures memory, not time.
//
// The peak comes from /proc/PID/status (VmHWM), not from the rusage that Wait returns. Go starts
// a child with vfork, so the child shares the test's memory until it execs, and Linux records
// that memory's high-water mark in the child's ru_maxrss: the rusage measures the test process
// (which passed 64 MiB when the test ran several times in one process).
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
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	if _, err := os.Stat(status); err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Skip("no /proc to read the child's peak resident set size from")
	}
	var maxRSS, samples int64
	lines, err := countLines(stdout, func() {
		// VmHWM is a high-water mark, so a sample taken late holds every earlier peak.
		if rss, ok := peakRSS(status); ok {
			maxRSS = max(maxRSS, rss)
			samples++
		}
	})
	require.NoError(t, err)
	require.NoError(t, cmd.Wait(), stderr.String())
	assert.Equal(t, n, lines, "one line per customer")

	require.Positive(t, samples, "the child's peak was sampled while it streamed")
	t.Logf("omeda changes --format ndjson over %d customers: peak RSS %.1f MiB (%d samples)", n, float64(maxRSS)/(1<<20), samples)
	assert.Less(t, maxRSS, int64(64<<20), "peak RSS")
}

// peakRSS reads a process's peak resident set size, in bytes, from its /proc status file; false
// once the process has exited.
func peakRSS(status string) (int64, bool) {
	data, err := os.ReadFile(status)
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024, err == nil
		}
	}
	return 0, false // a zombie has no memory left to report
}

// countLines counts the lines r holds, calling sample after every 1 MiB or so that it reads.
func countLines(r io.Reader, sample func()) (int, error) {
	buf := make([]byte, 64<<10)
	lines, read := 0, 0
	for {
		n, err := r.Read(buf)
		lines += bytes.Count(buf[:n], []byte{'\n'})
		if read += n; read >= 1<<20 {
			sample()
			read = 0
		}
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
