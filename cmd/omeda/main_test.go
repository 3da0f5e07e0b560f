package main

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when a goroutine outlives them: a sandbox, a connection or a
// window fetch that a command left running.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
