package wrapper

import (
	"fmt"
	"time"
)

// MaxWindow is the longest range one change lookup may cover: 90 days.
const MaxWindow = 90 * 24 * time.Hour

// Window is one change-lookup call's range, both ends inclusive, in America/Chicago, at minute
// precision.
type Window struct {
	From time.Time
	To   time.Time
}

// String renders the window as the two path values the call sends.
func (w Window) String() string { return FormatDateTime(w.From) + ".." + FormatDateTime(w.To) }

// SplitRange normalizes [from, to] the way the change calls do and splits it into consecutive
// windows of at most 90 days:
//
//   - both ends move to America/Chicago; from is rounded down and to up to the minute, because
//     the API works in whole minutes and a change must not be missed;
//   - an end after now (as of the now given) is clamped to now's minute, because Omeda refuses
//     end dates in the future;
//   - a range that ends before it starts is an error (nothing is sent).
//
// Each window starts at the minute where the previous one ended. Omeda's ends are inclusive,
// so the shared minute is asked for twice rather than risk a gap whatever Omeda makes of a
// minute's seconds; the change calls de-duplicate what that yields. A window lasts at most 90
// calendar days and at most 90×24 hours, whichever is shorter across a daylight-saving change,
// so it is within the limit however Omeda counts.
//
// Omeda reads a window as two wall-clock minutes in Chicago. When clocks fall back, 01:00 to
// 01:59 happens twice, so a window that holds the change is widened to every wall-clock minute
// it holds: its start moves back to the first 01:00 when it starts within the hour that repeats,
// and its end forward to the second 01:59 (or now, if earlier) when it ends within it. Otherwise
// a range of 01:50 CDT to 01:10 CST would be sent reversed, and an hourly run from 01:30 CDT to
// 01:30 CST would miss the changes Omeda stamped 01:00 to 01:29 (the second time) and 01:31 to
// 01:59 (the first).
func SplitRange(from, to, now time.Time) ([]Window, error) {
	if from.IsZero() || to.IsZero() {
		return nil, fmt.Errorf("%w: change range: both ends are required", ErrInvalidInput)
	}
	if to.Before(from) {
		return nil, fmt.Errorf("%w: change range is reversed: from %s is after to %s", ErrInvalidInput,
			from.In(chicagoZone).Format(LayoutTimestamp), to.In(chicagoZone).Format(LayoutTimestamp))
	}
	start := floorMinute(from.In(chicagoZone))
	end := ceilMinute(to.In(chicagoZone))
	limit := floorMinute(now.In(chicagoZone))
	if end.After(limit) {
		end = limit
	}
	if start.After(end) {
		return nil, fmt.Errorf("%w: change range starts at %s, after now: Omeda has no changes from the future",
			ErrInvalidInput, from.In(chicagoZone).Format(LayoutSubmissionMinute))
	}
	var windows []Window
	for {
		w := Window{From: start, To: windowEnd(start)}
		last := !w.To.Before(end)
		if last {
			w.To = end
		}
		windows = append(windows, w.coverRepeatedHour(limit))
		if last {
			return windows, nil
		}
		start = w.To
	}
}

// coverRepeatedHour widens w, when clocks fall back within it, to every wall-clock minute it
// holds, its end no later than limit.
func (w Window) coverRepeatedHour(limit time.Time) Window {
	change, _ := w.To.ZoneBounds() // the start of the zone period w ends in
	if change.IsZero() || !change.After(w.From) {
		return w
	}
	_, before := change.Add(-time.Second).Zone()
	_, after := change.Zone()
	repeat := time.Duration(before-after) * time.Second
	if repeat <= 0 { // clocks went forward: the wall clock only moves on
		return w
	}
	if w.From.After(change.Add(-repeat)) {
		w.From = change.Add(-repeat).In(chicagoZone)
	}
	if w.To.Before(change.Add(repeat)) {
		w.To = change.Add(repeat - time.Minute).In(chicagoZone)
		if w.To.After(limit) {
			w.To = limit
		}
		if w.To.Before(w.From) {
			w.To = w.From
		}
	}
	return w
}

// windowEnd is the latest end of a window that starts at start.
func windowEnd(start time.Time) time.Time {
	calendar := start.AddDate(0, 0, 90)
	elapsed := start.Add(MaxWindow)
	if elapsed.Before(calendar) {
		return floorMinute(elapsed)
	}
	return calendar
}

func floorMinute(t time.Time) time.Time { return t.Truncate(time.Minute) }

func ceilMinute(t time.Time) time.Time {
	if f := t.Truncate(time.Minute); !f.Equal(t) {
		return f.Add(time.Minute)
	}
	return t
}
