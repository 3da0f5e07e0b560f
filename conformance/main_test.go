package conformance

import (
	"testing"

	"github.com/omeda-go/omeda-go/internal/leakcheck"
)

// TestMain fails the package's tests when a goroutine outlives them: a connection, a handler or
// a window fetch that nothing ended. It waits for goroutines that are ending (leakcheck).
func TestMain(m *testing.M) { leakcheck.VerifyTestMain(m, nil) }
