package leakcheck

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestFindWaitsForAGoroutineThatIsEnding: a goroutine that returns a second after the check
// begins (past goleak's own retries) is not a leak; one that stays is.
func TestFindWaitsForAGoroutineThatIsEnding(t *testing.T) {
	before := goleak.IgnoreCurrent()
	release := make(chan struct{})
	go func() { <-release }()
	require.Error(t, goleak.Find(before), "the goroutine is seen while it runs")
	assert.Error(t, find(300*time.Millisecond, before), "a goroutine that stays is reported")

	time.AfterFunc(time.Second, func() { close(release) })
	assert.NoError(t, Find(before), "a goroutine that returns within the patience is not a leak")
}
