package wrapper

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormatsUseChicagoWhateverTheZone(t *testing.T) {
	t.Parallel()
	// 2013-01-02 19:23 UTC is 13:23 in Chicago (CST, UTC-6).
	utc := time.Date(2013, 1, 2, 19, 23, 59, 0, time.UTC)
	assert.Equal(t, "01022013", FormatDate(utc))
	assert.Equal(t, "01022013_1323", FormatDateTime(utc))
	// 2024-07-04 04:30 UTC is 23:30 the day before in Chicago (CDT, UTC-5).
	summer := time.Date(2024, 7, 4, 4, 30, 0, 0, time.UTC)
	assert.Equal(t, "07032024", FormatDate(summer))
	assert.Equal(t, "07032024_2330", FormatDateTime(summer))
	tokyo := time.FixedZone("JST", 9*3600)
	assert.Equal(t, "07032024_2330", FormatDateTime(summer.In(tokyo)))
	assert.Equal(t, "2024-07-03", FormatSubmissionDate(summer))
	assert.Equal(t, "2024-07-03 23:30", FormatSubmissionMinute(summer))
	assert.Equal(t, "2024-07-03 23:30:00", FormatBehaviorDate(summer))
}

func TestParseTime(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want time.Time
	}{
		{"2015-03-08 21:23:34", time.Date(2015, 3, 8, 21, 23, 34, 0, chicagoZone)},
		{"2018-07-04 00:00:00.000", time.Date(2018, 7, 4, 0, 0, 0, 0, chicagoZone)},
		{"2018-03-14 15:25:43.210", time.Date(2018, 3, 14, 15, 25, 43, 210e6, chicagoZone)},
		{"2018-12-17 16:49:35.573 CST", time.Date(2018, 12, 17, 16, 49, 35, 573e6, chicagoZone)},
		{"2018-07-04 10:00:00 CDT", time.Date(2018, 7, 4, 10, 0, 0, 0, chicagoZone)},
		// The fall-back hour happens twice; the abbreviation says which.
		{"2018-11-04 01:30:00 CDT", time.Date(2018, 11, 4, 6, 30, 0, 0, time.UTC)},
		{"2018-11-04 01:30:00 CST", time.Date(2018, 11, 4, 7, 30, 0, 0, time.UTC)},
		{" 2018-07-04 10:00:00 ", time.Date(2018, 7, 4, 10, 0, 0, 0, chicagoZone)},
	}
	for _, tc := range cases {
		got, err := ParseTime(tc.in)
		require.NoError(t, err, tc.in)
		assert.True(t, tc.want.Equal(got), "%s: %v", tc.in, got)
		assert.Equal(t, chicagoZone, got.Location())
	}
	// 2018-07-04 10:00 in Chicago is 15:00 UTC (CDT).
	got, _ := ParseTime("2018-07-04 10:00:00")
	assert.Equal(t, time.Date(2018, 7, 4, 15, 0, 0, 0, time.UTC), got.UTC())

	for _, bad := range []string{"", "2018-07-04", "2018-07-04T10:00:00Z", "07/04/2018 10:00:00", "2018-13-04 10:00:00", "2018-07-04 10:00:00 PST", "2018-07-04 10:00:00.12"} {
		_, err := ParseTime(bad)
		assert.Error(t, err, bad)
	}
}

func TestParseChicagoTime(t *testing.T) {
	t.Parallel()
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		return v
	}
	for in, want := range map[string]time.Time{
		"2024-01-15T08:30":          utc("2024-01-15T14:30:00Z"), // CST, -06:00
		"2024-07-04T08:30":          utc("2024-07-04T13:30:00Z"), // CDT, -05:00
		"2024-07-04T08:30:15":       utc("2024-07-04T13:30:15Z"),
		"2024-07-04 08:30":          utc("2024-07-04T13:30:00Z"),
		" 2024-07-04T08:30 ":        utc("2024-07-04T13:30:00Z"),
		"2024-03-10T01:59":          utc("2024-03-10T07:59:00Z"), // the last minute before the gap
		"2024-03-10T03:00":          utc("2024-03-10T08:00:00Z"), // the first after it
		"2024-11-03T00:59":          utc("2024-11-03T05:59:00Z"), // before the repeated hour
		"2024-11-03T02:00":          utc("2024-11-03T08:00:00Z"), // after it
		"2024-11-03T01:30-05:00":    utc("2024-11-03T06:30:00Z"), // the repeated hour, first time
		"2024-11-03T01:30-06:00":    utc("2024-11-03T07:30:00Z"), // and second time
		"2024-03-10T02:30:00Z":      utc("2024-03-10T02:30:00Z"), // an offset is taken as it is
		"2024-03-10T02:30:00-06:00": utc("2024-03-10T08:30:00Z"),
	} {
		got, err := ParseChicagoTime(in)
		require.NoError(t, err, in)
		assert.True(t, want.Equal(got), "%s: got %s, want %s", in, got, want)
		if !strings.ContainsAny(in[10:], "Z+-") {
			assert.Equal(t, "America/Chicago", got.Location().String(), "%s: a wall-clock time comes back in Chicago", in)
		}
	}

	for _, in := range []string{"2024-03-10T02:00", "2024-03-10T02:30", "2024-03-10T02:59:59", "2023-03-12 02:15"} {
		_, err := ParseChicagoTime(in)
		require.Error(t, err, in)
		assert.ErrorIs(t, err, ErrSkippedTime, in)
		assert.ErrorIs(t, err, ErrInvalidInput, in)
		assert.Contains(t, err.Error(), strings.TrimSpace(in)+" does not exist in America/Chicago", in)
		assert.Contains(t, err.Error(), "the clocks jumped from 02:00 CST to 03:00 CDT", "%s: the message names the gap", in)
	}
	_, err := ParseChicagoTime("2024-03-10T02:30")
	assert.Contains(t, err.Error(), "on 2024-03-10")

	for _, in := range []string{"2024-11-03T01:00", "2024-11-03T01:30", "2024-11-03T01:59:59", "2023-11-05 01:15"} {
		_, err := ParseChicagoTime(in)
		require.Error(t, err, in)
		assert.ErrorIs(t, err, ErrAmbiguousTime, in)
		assert.ErrorIs(t, err, ErrInvalidInput, in)
		assert.Contains(t, err.Error(), "is ambiguous in America/Chicago", in)
		assert.Contains(t, err.Error(), "first in CDT", in)
		assert.Contains(t, err.Error(), "then in CST", in)
	}
	_, err = ParseChicagoTime("2024-11-03T01:30")
	assert.Contains(t, err.Error(), "(2024-11-03T01:30:00-05:00)", "the message shows the offsets to choose from")
	assert.Contains(t, err.Error(), "(2024-11-03T01:30:00-06:00)")

	for _, in := range []string{"", "2024-01-15", "01/15/2024 08:30", "2024-01-15T08:30+99:00", "2024-02-30T08:30"} {
		_, err := ParseChicagoTime(in)
		assert.ErrorIs(t, err, ErrInvalidInput, in)
		assert.NotErrorIs(t, err, ErrSkippedTime, in)
		assert.NotErrorIs(t, err, ErrAmbiguousTime, in)
	}
}
