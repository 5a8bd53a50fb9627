package functions

import (
	"testing"
	"time"
)

func fixClock(t *testing.T, at string) {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		t.Fatal(err)
	}
	old := now
	now = func() time.Time { return tm }
	t.Cleanup(func() { now = old })
}

func TestDateCards(t *testing.T) {
	fixClock(t, "2016-09-07T16:55:25.670Z")
	runCases(t, []cardCase{
		// https://help.okta.com/wf/en-us/Content/Topics/Workflows/function-reference/Date&Time/datetime_now.htm
		{name: "now", card: "date:now", want: map[string]any{"date": "2016-09-07T16:55:25.670Z", "iso": "2016-09-07T16:55:25+00:00",
			"full": "September 7, 2016 16:55:25.670", "time": "16:55:25.670", "month": "9", "year": 2016.0, "day": 7.0,
			"hour": 16.0, "minute": 55.0, "second": 25.0, "millisecond": 670.0}},
		// .../Date&Time/datetime_add.htm
		{name: "add weeks", card: "date:add", in: ins("start", "2016-09-05", "scale", 2.0, "unit", "weeks"), want: map[string]any{"output": "2016-09-19T00:00:00.000Z"}},
		{name: "add hours", card: "date.add", in: ins("start", "2016-09-05T09:00:00Z", "scale", 8.0, "unit", "hours"), want: map[string]any{"output": "2016-09-05T17:00:00.000Z"}},
		{name: "add seconds from offset", card: "date.add", in: ins("start", "2016-09-05T09:00:00+02:00", "scale", "90", "unit", "seconds"), want: map[string]any{"output": "2016-09-05T07:01:30.000Z"}},
		{name: "add month clamps", card: "date.add", in: ins("start", "2016-01-31T10:00:00Z", "scale", 1.0, "unit", "months"), want: map[string]any{"output": "2016-02-29T10:00:00.000Z"}},
		{name: "add year leap day", card: "date.add", in: ins("start", "2016-02-29", "scale", 1.0, "unit", "years"), want: map[string]any{"output": "2017-02-28T00:00:00.000Z"}},
		{name: "add fractional days rounds", card: "date.add", in: ins("start", "2016-09-05", "scale", 1.5, "unit", "days"), want: map[string]any{"output": "2016-09-07T00:00:00.000Z"}},
		{name: "add fractional hours", card: "date.add", in: ins("start", "2016-09-05", "scale", 1.5, "unit", "hours"), want: map[string]any{"output": "2016-09-05T01:30:00.000Z"}},
		{name: "add negative", card: "date.add", in: ins("start", "2016-09-05", "scale", -1.0, "unit", "days"), want: map[string]any{"output": "2016-09-04T00:00:00.000Z"}},
		{name: "add unix ms start", card: "date.add", in: ins("start", 1473206485670.0, "scale", 0.0, "unit", "days"), want: map[string]any{"output": "2016-09-07T00:01:25.670Z"}},
		{name: "add bad date", card: "date.add", in: ins("start", "next tuesday", "scale", 1.0, "unit", "days"), errIn: "start"},
		{name: "add bad unit", card: "date.add", in: ins("start", "2016-09-05", "scale", 1.0, "unit", "fortnights"), errIn: "unit"},
		{name: "add missing start", card: "date.add", in: ins("scale", 1.0, "unit", "days"), errIn: "start"},
		// .../Date&Time/datetime_subtract.htm
		{name: "subtract weeks", card: "date:subtract", in: ins("start", "2016-09-19", "scale", 2.0, "unit", "weeks"), want: map[string]any{"output": "2016-09-05T00:00:00.000Z"}},
		{name: "subtract month clamps", card: "date.subtract", in: ins("start", "2016-03-31", "scale", 1.0, "unit", "months"), want: map[string]any{"output": "2016-02-29T00:00:00.000Z"}},
		// .../Date&Time/datetime_diff.htm (key start = end date, key end = start date)
		{name: "diff one day", card: "date:diff", in: ins("start", "2016-09-08T00:00:00Z", "end", "2016-09-07T00:00:00Z"),
			want: map[string]any{"days": 1.0, "hours": 24.0, "minutes": 1440.0, "seconds": 86400.0, "milliseconds": 86400000.0}},
		{name: "diff partial and negative", card: "date.diff", in: ins("start", "2016-09-07T00:00:00Z", "end", "2016-09-08T12:00:00Z"),
			want: map[string]any{"days": -1.5, "hours": -36.0}},
		{name: "diff months", card: "date.diff", in: ins("start", "2016-03-16T12:00:00Z", "end", "2016-01-01T00:00:00Z"),
			want: map[string]any{"months": 2.5, "years": 2.5 / 12}},
		{name: "diff year", card: "date.diff", in: ins("start", "2017-09-07", "end", "2016-09-07"), want: map[string]any{"years": 1.0, "months": 12.0, "days": 365.0}},
		{name: "diff seconds truncated", card: "date.diff", in: ins("start", "2016-09-07T00:00:01.900Z", "end", "2016-09-07T00:00:00Z"), want: map[string]any{"seconds": 1.0, "milliseconds": 1900.0}},
		{name: "diff same", card: "date.diff", in: ins("start", "2016-09-07", "end", "2016-09-07"), want: map[string]any{"seconds": 0.0, "months": 0.0}},
		// .../Date&Time/datetime_fromiso.htm
		{name: "convert", card: "date:fromISO", in: ins("start", "2016-09-07T00:01:25.670Z"),
			want: map[string]any{"date": "2016-09-07T00:01:25.670Z", "iso": "2016-09-07T00:01:25Z", "epoch": "1473206485",
				"unix": "1473206485670", "human": "Wed, September 7th at 12:01 AM", "custom": "2016-09-07T00:01:25+00:00"}},
		{name: "convert custom", card: "date.convert", in: ins("start", "2016-09-07T00:01:25.670Z", "format", "M/D/Y", "zone", "America/Los_Angeles"),
			want: map[string]any{"custom": "9/6/2016"}},
		{name: "convert bad", card: "date.convert", in: ins("start", "yesterday"), errIn: "start"},
		// .../Date&Time/datetime_format.htm
		{name: "format M/D/Y pacific", card: "date:format", in: ins("start", "2016-09-07T05:00:00Z", "format", "M/D/Y", "zone", "US/Pacific"), want: map[string]any{"output": "9/6/2016"}},
		{name: "format padded", card: "date.format", in: ins("start", "2016-01-02T03:04:05.006Z", "format", "MM/DD/YY HH:mm:ss.SSS", "zone", "UTC"), want: map[string]any{"output": "01/02/16 03:04:05.006"}},
		{name: "format yyyy template", card: "date.format", in: ins("start", "2016-01-02T03:04:05.006Z", "format", "yyyy-MM-DDTHH:mm:ss.SSS", "zone", ""), want: map[string]any{"output": "2016-01-02T03:04:05.006"}},
		{name: "format long with zone abbr", card: "date.format", in: ins("start", "2016-09-07T16:55:25Z", "format", "dddd, MMMM D, Y h:mm a z", "zone", "America/New_York"),
			want: map[string]any{"output": "Wednesday, September 7, 2016 12:55 pm EDT"}},
		{name: "format unknown zone is UTC", card: "date.format", in: ins("start", "2016-09-07T16:55:25Z", "format", "h:mm A z", "zone", "America/Pacific"), want: map[string]any{"output": "4:55 PM UTC"}},
		{name: "format codes", card: "date.format", in: ins("start", "2016-09-04T16:05:09.5Z", "format", "Do MMM ddd dd d DDD DDDD Z ZZ X x [at] hh A", "zone", "Europe/Paris"),
			want: map[string]any{"output": "4th Sep Sun Su 7 248 248 +02:00 +0200 1473005109 1473005109500 at 06 PM"}},
		{name: "format default", card: "date.format", in: ins("start", "2016-09-07T16:55:25Z"), want: map[string]any{"output": "9/7/2016"}},
		// .../Date&Time/datetime_parse.htm
		{name: "parse D/M/Y", card: "date:parse", in: ins("start", "1/2/2016", "format", "D/M/Y"), want: map[string]any{"output": "2016-02-01T00:00:00.000Z"}},
		{name: "parse M/D/YY", card: "date.parse", in: ins("start", "1/2/16", "format", "M/D/YY"), want: map[string]any{"output": "2016-01-02T00:00:00.000Z"}},
		{name: "parse x", card: "date.parse", in: ins("start", "1493050800000", "format", "x"), want: map[string]any{"output": "2017-04-24T16:20:00.000Z"}},
		{name: "parse X from number", card: "date.parse", in: ins("start", 1493050800.0, "format", "X"), want: map[string]any{"output": "2017-04-24T16:20:00.000Z"}},
		{name: "parse names and offset", card: "date.parse", in: ins("start", "Monday, April 24th 2017 4:20 pm -07:00", "format", "dddd, MMMM Do Y h:mm a Z"), want: map[string]any{"output": "2017-04-24T23:20:00.000Z"}},
		{name: "parse fraction", card: "date.parse", in: ins("start", "2017-04-24 16:20:00.5", "format", "YYYY-MM-DD HH:mm:ss.SSS"), want: map[string]any{"output": "2017-04-24T16:20:00.500Z"}},
		{name: "parse time only is today", card: "date.parse", in: ins("start", "12:30", "format", "HH:mm"), want: map[string]any{"output": "2016-09-07T12:30:00.000Z"}},
		{name: "parse no format", card: "date.parse", in: ins("start", "2017-04-24T16:20:00+01:00"), want: map[string]any{"output": "2017-04-24T15:20:00.000Z"}},
		{name: "parse mismatch", card: "date.parse", in: ins("start", "2017/04/24", "format", "MM-DD-Y"), errIn: "start"},
		{name: "parse bad day", card: "date.parse", in: ins("start", "2/30/2017", "format", "M/D/Y"), errIn: "start"},
		{name: "parse extra text", card: "date.parse", in: ins("start", "2/3/2017 xyz", "format", "M/D/Y"), errIn: "start"},
		// .../Date&Time/datetime_unix.htm, datetime_epoch.htm, datetime_iso.htm
		{name: "unix", card: "date:unix", in: ins("start", "2016-09-07T00:01:25.670Z"), want: map[string]any{"output": 1473206485670.0}},
		{name: "epoch", card: "date.epoch", in: ins("start", "2016-09-07T00:01:25.670Z"), want: map[string]any{"output": 1473206485.0}},
		{name: "epoch before 1970", card: "date.epoch", in: ins("start", "1969-12-31T23:59:59.500Z"), want: map[string]any{"output": -1.0}},
		{name: "iso", card: "date.iso", in: ins("start", "2016-09-07T02:01:25.670+02:00"), want: map[string]any{"output": "2016-09-07T00:01:25.670Z"}},
		{name: "from unix ms", card: "date.fromUnix", in: ins("unix", 1473206485670.0), want: map[string]any{"output": "2016-09-07T00:01:25.670Z"}},
		{name: "from unix seconds", card: "date.fromUnix", in: ins("unix", "1473206485", "unit", "seconds"), want: map[string]any{"output": "2016-09-07T00:01:25.000Z"}},
		{name: "from unix out of range", card: "date.fromUnix", in: ins("unix", 1e300), errIn: "unix"},
	})
}

// Format and parse are inverse for the numeric codes.
func TestFormatParseRoundTrip(t *testing.T) {
	layouts := []string{"YYYY-MM-DD HH:mm:ss.SSS Z", "M/D/Y h:mm:ss.SSS A ZZ", "x", "Do MMMM YYYY HH:mm:ss.SSS Z", "DDDD Y HH mm ss SSS Z"}
	zones := []string{"UTC", "US/Pacific", "Asia/Kolkata", "Australia/Lord_Howe"}
	base := time.Date(2019, 12, 31, 23, 59, 58, 123e6, time.UTC)
	for i := 0; i < 200; i++ {
		tm := base.Add(time.Duration(i) * 37 * time.Hour).Add(time.Duration(i) * 7777 * time.Millisecond)
		for _, l := range layouts {
			for _, z := range zones {
				s := formatMoment(tm.In(zone(z)), l)
				back, err := parseMoment(s, l)
				if err != nil || !back.Equal(tm) {
					t.Fatalf("%s in %s: %q read back as %v, %v; want %v", l, z, s, back, err, tm)
				}
			}
		}
	}
}
