package wrapper

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/sandbox"
)

// Omeda's change lookup takes wall-clock minutes in America/Chicago, without an offset, and its
// dates are stored the same way. When clocks fall back, 01:00 to 01:59 happens twice, so the
// wall-clock image of a range of instants is not an interval from the wall clock of its start
// to the wall clock of its end. These tests hold the windows to what the vendor can be asked:
// every wall-clock minute of the range falls inside a window as sent, and no window is sent
// with its end before its start.

// fallBack returns the instant clocks fall back in Chicago in year (02:00 CDT, the first Sunday
// of November since 2007).
func fallBack(year int) time.Time {
	day := time.Date(year, time.November, 1, 12, 0, 0, 0, chicagoZone)
	for day.Weekday() != time.Sunday {
		day = day.AddDate(0, 0, 1)
	}
	return time.Date(year, time.November, day.Day(), 7, 0, 0, 0, time.UTC)
}

// springForward returns the instant clocks spring forward in Chicago in year (02:00 CST, the
// second Sunday of March since 2007).
func springForward(year int) time.Time {
	day := time.Date(year, time.March, 8, 12, 0, 0, 0, chicagoZone)
	for day.Weekday() != time.Sunday {
		day = day.AddDate(0, 0, 1)
	}
	return time.Date(year, time.March, day.Day(), 8, 0, 0, 0, time.UTC)
}

// wallMinute reads a formatted change-lookup minute as a wall-clock time (in UTC, only to
// compare wall clocks).
func wallMinute(t *testing.T, s string) time.Time {
	t.Helper()
	w, err := time.Parse(LayoutDateTime, s)
	require.NoError(t, err)
	return w
}

// wallClockProblems lists what the windows, as sent, miss of [from, to]: reversed windows and
// wall-clock minutes of the range that no window asks for. Only for ranges of a few days.
func wallClockProblems(t *testing.T, windows []Window, from, to time.Time) []string {
	t.Helper()
	var problems []string
	type span struct{ from, to time.Time }
	spans := make([]span, len(windows))
	for i, w := range windows {
		spans[i] = span{wallMinute(t, FormatDateTime(w.From)), wallMinute(t, FormatDateTime(w.To))}
		if spans[i].to.Before(spans[i].from) {
			problems = append(problems, fmt.Sprintf("window %s is sent reversed", w))
		}
	}
	var missed []string
	for m := floorMinute(from); !m.After(ceilMinute(to)); m = m.Add(time.Minute) {
		wall := wallMinute(t, FormatDateTime(m))
		covered := false
		for _, s := range spans {
			if !wall.Before(s.from) && !wall.After(s.to) {
				covered = true
				break
			}
		}
		if !covered {
			missed = append(missed, m.In(chicagoZone).Format("15:04 MST"))
		}
	}
	if len(missed) > 0 {
		problems = append(problems, fmt.Sprintf("%d minutes of the range are in no window as sent: %s", len(missed), strings.Join(missed, " ")))
	}
	return problems
}

// TestChangeWindowsCoverTheRepeatedHourOfFallBack: ranges that start or end within the hour
// that happens twice.
//
// Written failing, against a defect since fixed: wrapper/windows.go SplitRange sends each window as
// the wall clock of its two instants. A range from 01:50 CDT to 01:10 CST (20 minutes) is sent as
// 11032024_0150..11032024_0110, which Omeda (and the sandbox) refuse as reversed; an hourly job
// asking for 01:30 CDT to 01:30 CST sends 0130..0130 and never asks for the changes made at 01:00
// to 01:29 CST (nor 01:31 to 01:59 CDT); a range ending at 01:20 CST leaves out 01:21 to 01:59 CDT.
// The fix suggested then: in SplitRange, when a window contains a fall-back transition, widen its
// wall-clock span to the smallest and largest wall clock it contains: move From back to the first
// occurrence of 01:00 (the earlier instant) and To to the last minute of the repeated hour (the
// first instant whose wall clock is 02:00, or now's minute if that is earlier, since the end is
// clamped to now), then split; ChangedCustomers already removes the duplicates.
func TestChangeWindowsCoverTheRepeatedHourOfFallBack(t *testing.T) {
	t.Parallel()
	fb := fallBack(2024) // 2024-11-03 02:00 CDT = 01:00 CST
	now := fb.AddDate(1, 0, 0)
	cases := []struct {
		name     string
		from, to time.Time
	}{
		{"01:50 CDT to 01:10 CST", fb.Add(-10 * time.Minute), fb.Add(10 * time.Minute)},
		{"an hourly run, 01:30 CDT to 01:30 CST", fb.Add(-30 * time.Minute), fb.Add(30 * time.Minute)},
		{"00:50 CDT to 01:10 CST", fb.Add(-70 * time.Minute), fb.Add(10 * time.Minute)},
		{"two days ending at 01:20 CST", fb.Add(-48 * time.Hour), fb.Add(20 * time.Minute)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			windows, err := SplitRange(tc.from, tc.to, now)
			require.NoError(t, err)
			assert.Empty(t, wallClockProblems(t, windows, tc.from, tc.to), "windows %v", windows)
		})
	}

	// Against the sandbox, the first range fails outright.
	t.Run("the sandbox accepts a 20-minute range", func(t *testing.T) {
		t.Parallel()
		sb := sandbox.StartTest(t, sandbox.WithPopulation(0))
		c, err := New("FOO", testAppID, WithBaseURL(sb.URL))
		require.NoError(t, err)
		_, err = c.ChangedCustomers(t.Context(), cases[0].from, cases[0].to)
		assert.NoError(t, err, "a forward range of 20 minutes")
	})
}

// The same check passes where the wall clock only moves forward: around spring forward, and
// across the repeated hour when the range runs past it.
func TestChangeWindowsCoverSpringForwardAndWholeFallBacks(t *testing.T) {
	t.Parallel()
	sf, fb := springForward(2025), fallBack(2025)
	now := fb.AddDate(1, 0, 0)
	for _, r := range [][2]time.Time{
		{sf.Add(-30 * time.Minute), sf.Add(30 * time.Minute)},
		{sf.Add(-59*time.Minute - 30*time.Second), sf.Add(time.Second)},
		{sf.Add(-48 * time.Hour), sf.Add(48 * time.Hour)},
		{fb.Add(-90 * time.Minute), fb.Add(61 * time.Minute)},
		{fb.Add(-2 * time.Hour), fb.Add(48 * time.Hour)},
		{fb.Add(time.Hour), fb.Add(2 * time.Hour)},
	} {
		windows, err := SplitRange(r[0], r[1], now)
		require.NoError(t, err)
		assert.Empty(t, wallClockProblems(t, windows, r[0], r[1]), "%v..%v: windows %v", r[0].In(chicagoZone), r[1].In(chicagoZone), windows)
	}
}
