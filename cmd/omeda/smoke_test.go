package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuiltBinary is the one test of the built program, for what only a process has: main's
// wiring of the real streams and environment, its exit status, and SIGINT. Everything else runs
// in process through Execute.
func TestBuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	binary := builtBinary(t)

	run := func(env []string, args ...string) (int, string, string) {
		cmd := exec.CommandContext(t.Context(), binary, args...)
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, env...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), stdout.String(), stderr.String()
		}
		require.NoError(t, err)
		return 0, stdout.String(), stderr.String()
	}

	code, _, stderr := run(nil)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "Usage: omeda <command>")
	code, stdout, _ := run(nil, "completion", "bash")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "# bash completion V2 for omeda")

	sandbox := exec.Command(binary, "sandbox", "--addr", "127.0.0.1:0", "--require-app-id", appID)
	sandbox.Env = []string{"PATH=" + os.Getenv("PATH")}
	pipe, err := sandbox.StdoutPipe()
	require.NoError(t, err)
	var sandboxErr bytes.Buffer
	sandbox.Stderr = &sandboxErr
	require.NoError(t, sandbox.Start())
	t.Cleanup(func() { _ = sandbox.Process.Kill() })
	line, err := bufio.NewReader(pipe).ReadString('\n')
	require.NoError(t, err)
	env := []string{"OMEDA_BASE_URL=" + strings.TrimSpace(line), "OMEDA_BRAND=FOO", "OMEDA_APP_ID=" + appID}

	code, stdout, stderr = run(env, "phones", "12345")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, `"PhoneNumbers"`)
	code, _, stderr = run(env, "phones", "--app-id", "someone-else", "12345")
	assert.Equal(t, 1, code, "the API refused")
	assert.Contains(t, stderr, "HTTP 403")
	code, _, _ = run(env, "phones", "../1")
	assert.Equal(t, 2, code, "refused before sending")

	// A receipt that cannot be written to stdout, a full disk or a closed pipe, goes to stderr
	// with status 3. A closed pipe would kill a program that does not ignore SIGPIPE.
	env = append(env, "OMEDA_INPUT_ID="+inputID)
	order := `{"FirstName":"Ann","Emails":[{"EmailAddress":"ann@example.com"}]}`
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err == nil {
		defer full.Close()
	}
	readEnd, closedPipe, err := os.Pipe()
	require.NoError(t, err)
	require.NoError(t, readEnd.Close())
	defer closedPipe.Close()
	for name, stdout := range map[string]*os.File{"/dev/full": full, "a closed pipe": closedPipe} {
		if stdout == nil {
			continue
		}
		cmd := exec.CommandContext(t.Context(), binary, "store", "-")
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
		cmd.Stdin = strings.NewReader(order)
		cmd.Stdout = stdout
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee, "%s: %s", name, stderr.String())
		assert.Equal(t, 3, ee.ExitCode(), "%s: %s", name, stderr.String())
		assert.Contains(t, stderr.String(), `"TransactionId": `, name)
		assert.Contains(t, stderr.String(), "do not send the submission again", name)
	}

	require.NoError(t, sandbox.Process.Signal(syscall.SIGINT))
	assert.NoError(t, sandbox.Wait(), "stops cleanly on SIGINT: %s", sandboxErr.String())
	assert.NotContains(t, sandboxErr.String(), appID)
}
