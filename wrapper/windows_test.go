package wrapper

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func chicago(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, chicagoZone)
}

var farFuture = chicago(2030, 1, 1, 0, 0)

func TestSplitRangeBoundaries(t *testing.T) {
	t.Parallel()
	start := chicago(2024, 1, 1, 0, 0)
	cases := []struct {
		name string
		from time.Time
		to   time.Time
		want []string
	}{
		{"one minute", start, start, []string{"01012024_0000..01012024_0000"}},
		{"one day", start, chicago(2024, 1, 1, 23, 59), []string{"01012024_0000..01012024_2359"}},
		{"exactly 90 days", start, start.AddDate(0, 0, 90), []string{"01012024_0000..03312024_0000"}},
		{"90 days and one minute", start, start.AddDate(0, 0, 90).Add(time.Minute), []string{
			"01012024_0000..03312024_0000", "03312024_0000..03312024_0001"}},
		{"seconds round outward", start.Add(59 * time.Second), start.Add(61 * time.Second), []string{"01012024_0000..01012024_0002"}},
		{"a year", start, chicago(2024, 12, 31, 23, 59), []string{
			"01012024_0000..03312024_0000", "03312024_0000..06292024_0000",
			"06292024_0000..09272024_0000", "09272024_0000..12252024_2300", "12252024_2300..12312024_2359"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			windows, err := SplitRange(tc.from, tc.to, farFuture)
			require.NoError(t, err)
			var got []string
			for _, w := range windows {
				got = append(got, w.String())
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestSplitRangeAcrossDaylightSaving(t *testing.T) {
	t.Parallel()
	// Fall back on 2024-11-03: 90 calendar days from 2024-09-01 are 90×24 h plus one hour, so
	// the window stops at 90×24 h; spring forward on 2025-03-09 makes calendar days the shorter.
	fall, err := SplitRange(chicago(2024, 9, 1, 12, 0), chicago(2025, 1, 1, 0, 0), farFuture)
	require.NoError(t, err)
	assert.Equal(t, "09012024_1200..11302024_1100", fall[0].String())
	spring, err := SplitRange(chicago(2025, 1, 1, 12, 0), chicago(2025, 6, 1, 0, 0), farFuture)
	require.NoError(t, err)
	assert.Equal(t, "01012025_1200..04012025_1200", spring[0].String())
	for _, w := range append(fall, spring...) {
		assert.LessOrEqual(t, w.To.Sub(w.From), MaxWindow)
		assert.False(t, w.To.After(w.From.AddDate(0, 0, 90)))
	}
	assertCovers(t, fall, chicago(2024, 9, 1, 12, 0), chicago(2025, 1, 1, 0, 0))
	assertCovers(t, spring, chicago(2025, 1, 1, 12, 0), chicago(2025, 6, 1, 0, 0))
}

func TestSplitRangeClampsAndRefuses(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 12, 0, 30, 0, chicagoZone)
	windows, err := SplitRange(now.Add(-time.Hour), now.Add(24*time.Hour), now)
	require.NoError(t, err)
	require.Len(t, windows, 1)
	assert.Equal(t, "11222026_1100..11222026_1200", windows[0].String(), "an end in the future is clamped to now's minute")

	_, err = SplitRange(now, now.Add(-time.Minute), now)
	require.ErrorIs(t, err, ErrInvalidInput)
	assert.Contains(t, err.Error(), "reversed")

	_, err = SplitRange(now.Add(time.Hour), now.Add(2*time.Hour), now)
	require.ErrorIs(t, err, ErrInvalidInput)
	assert.Contains(t, err.Error(), "after now")

	_, err = SplitRange(time.Time{}, now, now)
	require.ErrorIs(t, err, ErrInvalidInput)

	// Zones do not matter: the same instants give the same windows.
	utc, err := SplitRange(chicago(2024, 1, 1, 0, 0).UTC(), chicago(2024, 5, 1, 0, 0).UTC(), farFuture)
	require.NoError(t, err)
	local, err := SplitRange(chicago(2024, 1, 1, 0, 0), chicago(2024, 5, 1, 0, 0), farFuture)
	require.NoError(t, err)
	assert.Equal(t, local, utc)
}

func TestSplitRangeCoversLongRanges(t *testing.T) {
	t.Parallel()
	from, to := chicago(2020, 2, 29, 7, 13), chicago(2025, 11, 2, 1, 30)
	windows, err := SplitRange(from, to, farFuture)
	require.NoError(t, err)
	assert.Len(t, windows, 24)
	assertCovers(t, windows, from, to)
}

// assertCovers checks that windows start at from, end at to, share their boundaries and stay
// within 90 days.
func assertCovers(t *testing.T, windows []Window, from, to time.Time) {
	t.Helper()
	require.NotEmpty(t, windows)
	assert.True(t, windows[0].From.Equal(floorMinute(from)))
	assert.True(t, windows[len(windows)-1].To.Equal(ceilMinute(to)))
	for i, w := range windows {
		assert.False(t, w.To.Before(w.From), "window %d is ordered", i)
		assert.LessOrEqual(t, w.To.Sub(w.From), MaxWindow, "window %d", i)
		if i > 0 {
			assert.True(t, windows[i-1].To.Equal(w.From), "window %d starts where %d ended", i, i-1)
		}
	}
}
