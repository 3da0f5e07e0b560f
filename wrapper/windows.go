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
func SplitRange(from, to, now time.Time) ([]Window, error) {
	if from.IsZero() || to.IsZero() {
		return nil, fmt.Errorf("%w: change range: both ends are required", ErrInvalidInput)
	}
	if to.Before(from) {
		return nil, fmt.Errorf("%w: change range is reversed: from %s is after to %s", ErrInvalidInput,
			from.In(Chicago).Format(LayoutTimestamp), to.In(Chicago).Format(LayoutTimestamp))
	}
	start := floorMinute(from.In(Chicago))
	end := ceilMinute(to.In(Chicago))
	if limit := floorMinute(now.In(Chicago)); end.After(limit) {
		end = limit
	}
	if start.After(end) {
		return nil, fmt.Errorf("%w: change range starts at %s, after now: Omeda has no changes from the future",
			ErrInvalidInput, from.In(Chicago).Format(LayoutSubmissionMinute))
	}
	var windows []Window
	for {
		w := Window{From: start, To: windowEnd(start)}
		if !w.To.Before(end) {
			w.To = end
			return append(windows, w), nil
		}
		windows = append(windows, w)
		start = w.To
	}
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
