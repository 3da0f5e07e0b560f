package sandbox

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseLookupDate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in      string
		ok      bool
		at      string // in Chicago, "2006-01-02 15:04 MST"
		through string
	}{
		{"01022013_1323", true, "2013-01-02 13:23 CST", "2013-01-02 13:24 CST"},
		{"01022013", true, "2013-01-02 00:00 CST", "2013-01-03 00:00 CST"},
		{"07042018", true, "2018-07-04 00:00 CDT", "2018-07-05 00:00 CDT"},
		{"03092025", true, "2025-03-09 00:00 CST", "2025-03-10 00:00 CDT"}, // 23 hours
		{"11022025", true, "2025-11-02 00:00 CDT", "2025-11-03 00:00 CST"}, // 25 hours
		{"12312024_2359", true, "2024-12-31 23:59 CST", "2025-01-01 00:00 CST"},
		{"02292024", true, "2024-02-29 00:00 CST", "2024-03-01 00:00 CST"},
		{"02292023", false, "", ""},
		{"04312024", false, "", ""},
		{"00012024", false, "", ""},
		{"01002024", false, "", ""},
		{"01012024_2400", false, "", ""},
		{"01012024_1260", false, "", ""},
		{"01012024-1200", false, "", ""},
		{"0101202", false, "", ""},
		{"", false, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			d, ok := parseLookupDate(tc.in)
			require.Equal(t, tc.ok, ok)
			if !ok {
				return
			}
			const layout = "2006-01-02 15:04 MST"
			assert.Equal(t, tc.at, d.at.Format(layout))
			assert.Equal(t, tc.through, d.through().Format(layout))
			assert.Equal(t, chicago, d.at.Location())
		})
	}
}

func TestFormats(t *testing.T) {
	t.Parallel()
	ms := time.Date(2018, time.March, 14, 15, 25, 43, 210_000_000, chicago).UnixMilli()
	assert.Equal(t, "2018-03-14 15:25:43.210", string(appendMillis(nil, ms)))
	assert.Equal(t, "2018-03-14 15:25:43", formatSeconds(ms))
	// The instant is what counts, not the zone it was made in.
	utc := time.Date(2018, time.July, 4, 5, 0, 0, 0, time.UTC).UnixMilli()
	assert.Equal(t, "2018-07-04 00:00:00.000", string(appendMillis(nil, utc)))
}
