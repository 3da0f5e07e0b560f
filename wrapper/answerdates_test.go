package wrapper

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/internal/testlog"
)

func TestIsMillisDateFollowsTheContractsPattern(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"2018-07-04 00:00:00.000": true, "2018-12-17 16:49:35.573 CST": true, "2018-03-14 15:25:43.210 CDT": true,
		"2018-12-31 23:59:59.999": true, "yesterday": false, "": false, "2018-07-04 00:00:00": false,
		"2018-07-04T00:00:00.000": false, "2018-13-04 00:00:00.000": false, "2018-00-04 00:00:00.000": false,
		"2018-07-32 00:00:00.000": false, "2018-07-00 00:00:00.000": false, "2018-07-04 24:00:00.000": false,
		"2018-07-04 00:60:00.000": false, "2018-07-04 00:00:00.000 EST": false, "2018-07-04 00:00:00.000 CST ": false,
		"2018-07-04 00:00:00.0000": false, "2018-07-04 00:00:00,000": false, "２018-07-04 00:00:00.000": false,
	} {
		assert.Equal(t, want, isMillisDate(s), "%q", s)
	}
}

// TestAChangeWindowWithABadDateIsDeliveredAndReported: a DateChanged of "yesterday" breaks the
// contract's pattern; the window is delivered as it is (a sync does not stop on it), ParseTime
// fails on the value, and one warning names the first such customer and how many there were.
func TestAChangeWindowWithABadDateIsDeliveredAndReported(t *testing.T) {
	t.Parallel()
	var logs testlog.Buffer
	f := setup(t, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	f.handle(changesPattern, status(200, `{"Customers":[`+
		`{"Id":1,"Url":"u","DateChanged":"2024-01-01 10:00:00.000","CreatedDate":"2024-01-01 10:00:00.000","CustomerStatusId":1},`+
		`{"Id":2,"Url":"u","DateChanged":"yesterday","CreatedDate":"2024-01-01 10:00:00.000","CustomerStatusId":1},`+
		`{"Id":3,"Url":"u","DateChanged":"2024-01-01 10:00:00.000","CreatedDate":"2024-01-01T10:00:00Z","CustomerStatusId":1}]}`))
	got, err := f.client.ChangedCustomers(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0))
	require.NoError(t, err)
	require.Len(t, got.Customers, 3)
	assert.Equal(t, "yesterday", got.Customers[1].DateChanged)
	_, err = ParseTime(got.Customers[1].DateChanged)
	assert.Error(t, err)

	out := logs.String()
	assert.Equal(t, 1, strings.Count(out, AnswerWarningMessage), out)
	assert.Contains(t, out, "operation=customerChangeLookup pointer=/Customers/1/DateChanged")
	assert.Contains(t, out, `value="\"yesterday\"" count=2`)
}

// TestTheBadDateWarningIsBounded: the value a warning quotes comes from the answer, where one
// customer may take up to WithMaxAnswerSize (4 MiB): the warning quotes its start, cleaned, as
// an error quotes a vendor's message, never the whole of it.
func TestTheBadDateWarningIsBounded(t *testing.T) {
	t.Parallel()
	var logs testlog.Buffer
	f := setup(t, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	huge := "\x1b[2J" + testAppID + strings.Repeat("y", 1<<20)
	f.handle(changesPattern, status(200, `{"Customers":[`+
		`{"Id":2,"Url":"u","DateChanged":"`+strings.ReplaceAll(huge, "\x1b", `\u001b`)+`","CreatedDate":"2024-01-01 10:00:00.000","CustomerStatusId":1}]}`))
	got, err := f.client.ChangedCustomers(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0))
	require.NoError(t, err)
	require.Len(t, got.Customers, 1)
	assert.Equal(t, huge, got.Customers[0].DateChanged, "delivered as it came")

	out := logs.String()
	assert.Equal(t, 1, strings.Count(out, AnswerWarningMessage), out)
	assert.Less(t, len(out), 2<<10, "the warning quotes the start of the value")
	assert.Contains(t, out, `value="\"\\x1b[2J[REDACTED]yyy`)
	assert.Contains(t, out, "…")
	assertNoSecrets(t, out)
}
