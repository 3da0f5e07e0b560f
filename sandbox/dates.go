package sandbox

import (
	"fmt"
	"strconv"
	"time"
	_ "time/tzdata" // America/Chicago must load on hosts without a zone database.
)

// chicago is Omeda's time zone: every date the API reads or writes is local time there.
var chicago = mustLoadLocation("America/Chicago")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// Unreachable: time/tzdata embeds the zone.
		panic(fmt.Sprintf("sandbox: load %s: %v", name, err))
	}
	return loc
}

const (
	// layoutMillis is the change lookup's yyyy-MM-dd HH:mm:ss.SSS.
	layoutMillis = "2006-01-02 15:04:05.000"
	// layoutSeconds is the phone lookup's yyyy-MM-dd HH:mm:ss.
	layoutSeconds = "2006-01-02 15:04:05"
)

// lookupDate is one bound of a change lookup: MMddyyyy (a day) or MMddyyyy_HHmm (a minute).
type lookupDate struct {
	at     time.Time // the first instant of the day or minute, in Chicago
	minute bool      // MMddyyyy_HHmm
}

// through is the first instant after the day or minute: the exclusive end of the window that
// the bound, read as an inclusive end, closes.
func (d lookupDate) through() time.Time {
	if d.minute {
		return d.at.Add(time.Minute)
	}
	return time.Date(d.at.Year(), d.at.Month(), d.at.Day()+1, 0, 0, 0, 0, chicago)
}

// parseLookupDate reads MMddyyyy or MMddyyyy_HHmm in Chicago. The spec's pattern has already
// checked the shape; this refuses what the pattern cannot see, such as February 30.
func parseLookupDate(s string) (lookupDate, bool) {
	if len(s) != 8 && (len(s) != 13 || s[8] != '_') {
		return lookupDate{}, false
	}
	num := func(from, to int) int {
		n, err := strconv.Atoi(s[from:to])
		if err != nil {
			return -1
		}
		return n
	}
	month, day, year := num(0, 2), num(2, 4), num(4, 8)
	hour, minute := 0, 0
	if len(s) == 13 {
		hour, minute = num(9, 11), num(11, 13)
	}
	if month < 1 || month > 12 || day < 1 || year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 {
		return lookupDate{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, 0, 0, chicago)
	// time.Date normalises February 30 to March 1 (or 2): a changed day means no such date. The
	// hour is not compared, so a minute skipped by daylight saving time is still accepted.
	if t.Day() != day || int(t.Month()) != month {
		return lookupDate{}, false
	}
	return lookupDate{at: t, minute: len(s) == 13}, true
}

// appendMillis appends a Unix millisecond time as yyyy-MM-dd HH:mm:ss.SSS in Chicago.
func appendMillis(b []byte, ms int64) []byte {
	return time.UnixMilli(ms).In(chicago).AppendFormat(b, layoutMillis)
}

// formatSeconds formats a Unix millisecond time as yyyy-MM-dd HH:mm:ss in Chicago.
func formatSeconds(ms int64) string {
	return time.UnixMilli(ms).In(chicago).Format(layoutSeconds)
}

// chicagoMillis is a wall-clock time in Chicago as Unix milliseconds, for the seeded examples.
func chicagoMillis(year int, month time.Month, day, hour, min, sec, milli int) int64 {
	return time.Date(year, month, day, hour, min, sec, milli*int(time.Millisecond), chicago).UnixMilli()
}
