package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/omeda-go/omeda-go/wrapper"
)

// The state file of a resumable sync (omeda changes --state FILE) holds one line: the end of the
// last completed run, an RFC 3339 time in America/Chicago, such as 2024-06-30T23:59:00-05:00.

// readState returns the end a state file records, and false when the file does not exist (a
// first run).
func readState(path string) (time.Time, bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read the state file: %w", err)
	}
	text := strings.TrimSpace(string(data))
	t, err := time.Parse(time.RFC3339, text)
	if err != nil || strings.ContainsAny(text, "\n\r") {
		return time.Time{}, false, usagef("state file %s does not hold one RFC 3339 time (the end of the last run); fix or remove it", path)
	}
	return t, true, nil
}

func formatState(t time.Time) string { return t.In(wrapper.Chicago()).Format(time.RFC3339) }

// writeState replaces the state file atomically: the new content goes to a temporary file in
// the same directory, which is synced and renamed over the old one, and the directory is synced,
// so that a crash leaves either the old end or the new one, never a torn file.
func writeState(path string, end time.Time) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write the state file: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
			err = fmt.Errorf("write the state file %s (the output is complete; the next run repeats this range): %w", path, err)
		}
	}()
	if _, err = tmp.WriteString(formatState(end) + "\n"); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync() // best effort: some file systems cannot sync a directory
		_ = d.Close()
	}
	return nil
}
