package wrapper

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // Omeda's zone must resolve on machines without a zone database.
)

// Chicago returns Omeda's time zone, America/Chicago. Every date the API reads or writes is
// wall-clock time there, without an offset. It is a function, not a variable, so that no package
// can point every other package's dates at another zone.
func Chicago() *time.Location { return chicagoZone }

// chicagoZone is Chicago's zone, loaded once (from the embedded zone database if need be).
var chicagoZone = mustLoadChicago()

func mustLoadChicago() *time.Location {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		// time/tzdata is linked in, so this cannot happen short of a broken toolchain.
		panic("omeda: load America/Chicago: " + err.Error())
	}
	return loc
}

// Layouts of the dates Omeda uses, in Go's reference-time notation.
const (
	// LayoutDate is a change-lookup day, MMddyyyy.
	LayoutDate = "01022006"
	// LayoutDateTime is a change-lookup minute, MMddyyyy_HHmm.
	LayoutDateTime = "01022006_1504"
	// LayoutTimestamp is a response date, yyyy-MM-dd HH:mm:ss (phone lookup's ChangedDate).
	LayoutTimestamp = "2006-01-02 15:04:05"
	// LayoutTimestampMillis is a response date with milliseconds, yyyy-MM-dd HH:mm:ss.SSS (change
	// lookup's DateChanged and CreatedDate).
	LayoutTimestampMillis = "2006-01-02 15:04:05.000"
	// LayoutSubmissionDate is a day in a submission, yyyy-MM-dd (SignupDate, OrderDate, ...).
	LayoutSubmissionDate = "2006-01-02"
	// LayoutSubmissionMinute is a minute in a submission, yyyy-MM-dd HH:mm.
	LayoutSubmissionMinute = "2006-01-02 15:04"
)

// FormatDate formats t as a change-lookup day, MMddyyyy, in America/Chicago whatever t's zone.
func FormatDate(t time.Time) string { return t.In(chicagoZone).Format(LayoutDate) }

// FormatDateTime formats t as a change-lookup minute, MMddyyyy_HHmm, in America/Chicago
// whatever t's zone. Seconds are dropped.
func FormatDateTime(t time.Time) string { return t.In(chicagoZone).Format(LayoutDateTime) }

// FormatSubmissionDate formats t as yyyy-MM-dd in America/Chicago, for the day fields of a
// store submission (SignupDate, OrderDate, TimeOfCall, EndOfCall, date product fields).
func FormatSubmissionDate(t time.Time) string { return t.In(chicagoZone).Format(LayoutSubmissionDate) }

// FormatSubmissionMinute formats t as yyyy-MM-dd HH:mm in America/Chicago, the minute form of
// the same fields.
func FormatSubmissionMinute(t time.Time) string {
	return t.In(chicagoZone).Format(LayoutSubmissionMinute)
}

// FormatBehaviorDate formats t as yyyy-MM-dd HH:mm:ss in America/Chicago, for BehaviorDate.
func FormatBehaviorDate(t time.Time) string { return t.In(chicagoZone).Format(LayoutTimestamp) }

// ParseTime reads a date as Omeda answers it, yyyy-MM-dd HH:mm:ss or yyyy-MM-dd HH:mm:ss.SSS,
// as wall-clock time in America/Chicago. A trailing " CST" or " CDT", which real answers
// sometimes carry, is accepted; in the hour that happens twice in November it says which of the
// two instants is meant, and anywhere else it only confirms the zone. The
// generated models keep these dates as the strings Omeda sent (see the package documentation);
// this turns one into a time.Time:
//
//	changed, err := wrapper.ParseTime(customer.DateChanged)
func ParseTime(s string) (time.Time, error) {
	v := strings.TrimSpace(s)
	// The zone's abbreviation, when the answer carries one, tells apart the two instants of the
	// hour that happens twice in November ("01:30:00 CDT" comes an hour before "01:30:00 CST").
	var named *time.Location
	if rest, ok := strings.CutSuffix(v, " CST"); ok {
		v, named = rest, centralStandard
	} else if rest, ok := strings.CutSuffix(v, " CDT"); ok {
		v, named = rest, centralDaylight
	}
	var layout string
	switch len(v) { // time.Parse would also take one-digit hours; Omeda's dates have two
	case len(LayoutTimestamp):
		layout = LayoutTimestamp
	case len(LayoutTimestampMillis):
		layout = LayoutTimestampMillis
	}
	t, err := time.ParseInLocation(layout, v, chicagoZone)
	if err != nil || layout == "" {
		return time.Time{}, fmt.Errorf("omeda: %q is not a date of the form yyyy-MM-dd HH:mm:ss[.SSS]", s)
	}
	if named != nil {
		// The named offset wins when it gives the same wall-clock time in Chicago: in the
		// repeated hour it picks the instant; anywhere else it is the one time.ParseInLocation
		// chose already. An abbreviation that does not fit the date is ignored.
		if alt, err := time.ParseInLocation(layout, v, named); err == nil && alt.In(chicagoZone).Format(layout) == v {
			t = alt.In(chicagoZone)
		}
	}
	return t, nil
}

// The two offsets of America/Chicago, for dates that name theirs.
var (
	centralStandard = time.FixedZone("CST", -6*60*60)
	centralDaylight = time.FixedZone("CDT", -5*60*60)
)

// Errors of ParseChicagoTime for a wall-clock time that daylight saving time makes name no
// instant or two. Both also match ErrInvalidInput.
var (
	// ErrSkippedTime is a time inside the spring-forward gap: the clocks jumped over it.
	ErrSkippedTime = errors.New("omeda: time skipped by the change to daylight saving time")
	// ErrAmbiguousTime is a time in the fall-back hour, which happens twice, given without an
	// offset to say which.
	ErrAmbiguousTime = errors.New("omeda: ambiguous time")
)

type wallClockError struct {
	kind error
	msg  string
}

func (e *wallClockError) Error() string   { return e.msg }
func (e *wallClockError) Unwrap() []error { return []error{e.kind, ErrInvalidInput} }

// Layouts ParseChicagoTime reads as wall-clock time in America/Chicago.
var chicagoWallClockLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05"}

// ParseChicagoTime reads a time a person typed: wall-clock time in America/Chicago, Omeda's
// time, as yyyy-MM-ddTHH:mm or yyyy-MM-ddTHH:mm:ss (a space may replace the T), or either with
// an offset (RFC 3339, seconds optional), which is taken as it is.
//
// Daylight saving time makes two kinds of wall-clock time unsafe to guess: a time inside the
// spring-forward gap (2024-03-10T02:30) never happened, and a time in the fall-back hour
// (2024-11-03T01:30) happened twice. Rather than pick an instant an hour away from what was
// meant, ParseChicagoTime refuses the first with ErrSkippedTime, naming the gap, and the second
// with ErrAmbiguousTime unless it carries an offset (2024-11-03T01:30-05:00 is the first,
// daylight-saving occurrence, 2024-11-03T01:30-06:00 the second).
func ParseChicagoTime(s string) (time.Time, error) {
	v := strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	for _, layout := range chicagoWallClockLayouts {
		wall, err := time.Parse(layout, v) // the wall clock, read as if it were UTC
		if err != nil {
			continue
		}
		return chicagoInstant(v, wall)
	}
	return time.Time{}, fmt.Errorf("%w: %q is not yyyy-MM-ddTHH:mm[:ss] or an RFC 3339 time", ErrInvalidInput, s)
}

// chicagoInstant returns the one instant at which Chicago's clocks showed wall (a wall-clock
// time carried in a UTC time.Time), or an error when there is none or more than one.
func chicagoInstant(input string, wall time.Time) (time.Time, error) {
	// The offsets in force a day either side bound every offset the wall clock can have.
	_, before := wall.Add(-48 * time.Hour).In(chicagoZone).Zone()
	_, after := wall.Add(48 * time.Hour).In(chicagoZone).Zone()
	var found []time.Time
	for _, off := range []int{before, after} {
		t := wall.Add(-time.Duration(off) * time.Second).In(chicagoZone)
		if _, o := t.Zone(); o == off && !slices.ContainsFunc(found, t.Equal) {
			found = append(found, t)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		// The wall clock read as standard time lands after the jump; the zone that starts there
		// starts at the jump.
		jump, _ := wall.Add(-time.Duration(before) * time.Second).In(chicagoZone).ZoneBounds()
		from := jump.In(time.FixedZone("", before))
		name, _ := jump.Add(-time.Second).In(chicagoZone).Zone()
		newName, _ := jump.In(chicagoZone).Zone()
		return time.Time{}, &wallClockError{ErrSkippedTime, fmt.Sprintf(
			"%s does not exist in America/Chicago: on %s the clocks jumped from %s %s to %s %s, skipping the times between",
			input, from.Format(time.DateOnly), from.Format("15:04"), name, jump.In(chicagoZone).Format("15:04"), newName)}
	default:
		first, second := found[0], found[1]
		if second.Before(first) {
			first, second = second, first
		}
		n1, _ := first.Zone()
		n2, _ := second.Zone()
		return time.Time{}, &wallClockError{ErrAmbiguousTime, fmt.Sprintf(
			"%s is ambiguous in America/Chicago: the clocks showed it twice on %s, first in %s (%s), then in %s (%s); add the offset of the one you mean",
			input, first.Format(time.DateOnly), n1, first.Format(time.RFC3339), n2, second.Format(time.RFC3339))}
	}
}
