package wrapper

import (
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
		{"2015-03-08 21:23:34", time.Date(2015, 3, 8, 21, 23, 34, 0, Chicago)},
		{"2018-07-04 00:00:00.000", time.Date(2018, 7, 4, 0, 0, 0, 0, Chicago)},
		{"2018-03-14 15:25:43.210", time.Date(2018, 3, 14, 15, 25, 43, 210e6, Chicago)},
		{"2018-12-17 16:49:35.573 CST", time.Date(2018, 12, 17, 16, 49, 35, 573e6, Chicago)},
		{"2018-07-04 10:00:00 CDT", time.Date(2018, 7, 4, 10, 0, 0, 0, Chicago)},
		{" 2018-07-04 10:00:00 ", time.Date(2018, 7, 4, 10, 0, 0, 0, Chicago)},
	}
	for _, tc := range cases {
		got, err := ParseTime(tc.in)
		require.NoError(t, err, tc.in)
		assert.True(t, tc.want.Equal(got), "%s: %v", tc.in, got)
		assert.Equal(t, Chicago, got.Location())
	}
	// 2018-07-04 10:00 in Chicago is 15:00 UTC (CDT).
	got, _ := ParseTime("2018-07-04 10:00:00")
	assert.Equal(t, time.Date(2018, 7, 4, 15, 0, 0, 0, time.UTC), got.UTC())

	for _, bad := range []string{"", "2018-07-04", "2018-07-04T10:00:00Z", "07/04/2018 10:00:00", "2018-13-04 10:00:00", "2018-07-04 10:00:00 PST", "2018-07-04 10:00:00.12"} {
		_, err := ParseTime(bad)
		assert.Error(t, err, bad)
	}
}
