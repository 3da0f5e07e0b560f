package wrapper

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // Omeda's zone must resolve on machines without a zone database.
)

// Chicago is Omeda's time zone, America/Chicago. Every date the API reads or writes is wall-clock
// time there, without an offset.
var Chicago = mustLoadChicago()

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
func FormatDate(t time.Time) string { return t.In(Chicago).Format(LayoutDate) }

// FormatDateTime formats t as a change-lookup minute, MMddyyyy_HHmm, in America/Chicago
// whatever t's zone. Seconds are dropped.
func FormatDateTime(t time.Time) string { return t.In(Chicago).Format(LayoutDateTime) }

// FormatSubmissionDate formats t as yyyy-MM-dd in America/Chicago, for the day fields of a
// store submission (SignupDate, OrderDate, TimeOfCall, EndOfCall, date product fields).
func FormatSubmissionDate(t time.Time) string { return t.In(Chicago).Format(LayoutSubmissionDate) }

// FormatSubmissionMinute formats t as yyyy-MM-dd HH:mm in America/Chicago, the minute form of
// the same fields.
func FormatSubmissionMinute(t time.Time) string {
	return t.In(Chicago).Format(LayoutSubmissionMinute)
}

// FormatBehaviorDate formats t as yyyy-MM-dd HH:mm:ss in America/Chicago, for BehaviorDate.
func FormatBehaviorDate(t time.Time) string { return t.In(Chicago).Format(LayoutTimestamp) }

// ParseTime reads a date as Omeda answers it, yyyy-MM-dd HH:mm:ss or yyyy-MM-dd HH:mm:ss.SSS,
// as wall-clock time in America/Chicago. A trailing " CST" or " CDT", which real answers
// sometimes carry, is accepted; it only confirms the zone and is otherwise ignored. The
// generated models keep these dates as the strings Omeda sent (see the package documentation);
// this turns one into a time.Time:
//
//	changed, err := wrapper.ParseTime(customer.DateChanged)
func ParseTime(s string) (time.Time, error) {
	v := strings.TrimSpace(s)
	v = strings.TrimSuffix(strings.TrimSuffix(v, " CST"), " CDT")
	var layout string
	switch len(v) { // time.Parse would also take one-digit hours; Omeda's dates have two
	case len(LayoutTimestamp):
		layout = LayoutTimestamp
	case len(LayoutTimestampMillis):
		layout = LayoutTimestampMillis
	}
	t, err := time.ParseInLocation(layout, v, Chicago)
	if err != nil || layout == "" {
		return time.Time{}, fmt.Errorf("omeda: %q is not a date of the form yyyy-MM-dd HH:mm:ss[.SSS]", s)
	}
	return t, nil
}
