package wrapper

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when a goroutine outlives them: a connection, a handler or
// a window fetch that nothing ended.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
