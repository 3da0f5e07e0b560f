package testlog

import (
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Concurrent writers lose nothing, and each write stays whole.
func TestBufferKeepsConcurrentWrites(t *testing.T) {
	t.Parallel()
	var b Buffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				n, err := b.Write([]byte("line\n"))
				assert.NoError(t, err)
				assert.Equal(t, 5, n)
				_ = b.String() // a reader while the others write
			}
		})
	}
	wg.Wait()
	assert.Equal(t, strings.Repeat("line\n", 800), b.String())
}

func TestJSONRecordsEveryLevel(t *testing.T) {
	t.Parallel()
	logger, b := JSON()
	logger.Debug("first", "k", "v")
	logger.Error("second")
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], `"level":"DEBUG","msg":"first","k":"v"`)
	assert.Contains(t, lines[1], `"level":"ERROR","msg":"second"`)
}
