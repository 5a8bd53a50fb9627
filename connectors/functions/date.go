package functions

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // IANA zones on every platform

	"github.com/flowbench/flowbench/engine"
)

// Date & Time cards (Okta module "date"). Dates travel as ISO text in UTC
// (engine.DateLayout); time zones are IANA names ("US/Pacific",
// "Europe/Paris"). Format codes follow Okta's list (moment.js style).

const helpDate = help + "Date&Time/"

func dateSpec(id, okta, title, page, desc string, in, out []engine.FieldSpec, run engine.RunFunc) *engine.Spec {
	s := &engine.Spec{ID: id, Title: title, Category: "Date & Time", Kind: engine.KindFunction, Description: desc,
		Inputs: in, Outputs: out, Run: run}
	if okta != "" {
		s.Okta = []string{okta}
	}
	if page != "" {
		s.DocURL = helpDate + page
	}
	return s
}

var unitChoices = []engine.Choice{{Value: "milliseconds", Label: "milliseconds"}, {Value: "seconds", Label: "seconds"},
	{Value: "minutes", Label: "minutes"}, {Value: "hours", Label: "hours"}, {Value: "days", Label: "days"},
	{Value: "weeks", Label: "weeks"}, {Value: "months", Label: "months"}, {Value: "years", Label: "years"}}

// now is the clock (tests replace it).
var now = time.Now

func init() {
	shift := func(label string, d string) []engine.FieldSpec {
		return []engine.FieldSpec{req("start", "start date", tDate), req("scale", label, tNumber),
			{Key: "unit", Label: "units", Type: tString, Required: true, Default: d, Choices: unitChoices}}
	}
	outDate := []engine.FieldSpec{fs("output", "output", tDate)}
	for _, s := range []*engine.Spec{
		dateSpec("date.now", "date:now", "Now", "datetime_now.htm",
			"The current date and time in UTC: `date` (ISO with Z and milliseconds), `iso` (ISO with +00:00 offset, no fraction: 2016-09-07T16:55:25+00:00), `full` (September 7, 2016 16:55:25.670), `time` (16:55:25.670, 24-hour), `month` as text holding the month number (\"9\"; Okta exports it as text), and numbers `year`, `day` (of the month), `hour` (0-23), `minute`, `second`, `millisecond`.",
			nil, []engine.FieldSpec{fs("date", "date", tDate), fs("iso", "iso", tString), fs("full", "full", tString),
				fs("minute", "minute", tNumber), fs("hour", "hour", tNumber), fs("time", "time", tString), fs("day", "day", tNumber),
				fs("month", "month", tString), fs("year", "year", tNumber), fs("second", "second", tNumber), fs("millisecond", "millisecond", tNumber)},
			nowCard),
		dateSpec("date.add", "date:add", "Add", "datetime_add.htm",
			"Adds `add` × units to the start date (5-Sep-2016 + 2 weeks = 19-Sep-2016). Months and years are calendar steps that keep the day of the month, clamped to the month's last day (31-Jan + 1 month = 29-Feb in a leap year). As in moment.js, fractional days and months are rounded to whole ones (weeks become days, years months first); milliseconds to hours may be fractional. All arithmetic is in UTC.",
			shift("add", "minutes"), outDate, shiftCard(1)),
		dateSpec("date.subtract", "date:subtract", "Subtract", "datetime_subtract.htm",
			"Subtracts `subtract` × units from the start date (19-Sep-2016 − 2 weeks = 5-Sep-2016); same rules as Add.",
			shift("subtract", "days"), outDate, shiftCard(-1)),
		dateSpec("date.diff", "date:diff", "Difference", "datetime_diff.htm",
			"Time from `start date` (key `end`) to `end date` (key `start`) in each unit; negative when the start date is later. days, hours and minutes include the partial unit (one and a half days = 1.5); months and years are calendar months with the partial month as a fraction of its length (moment.js rules; years = months / 12); seconds are whole seconds (truncated) and milliseconds exact.",
			[]engine.FieldSpec{req("start", "end date", tDate), req("end", "start date", tDate)},
			[]engine.FieldSpec{fs("days", "days", tNumber), fs("months", "months", tNumber), fs("years", "years", tNumber),
				fs("hours", "hours", tNumber), fs("minutes", "minutes", tNumber), fs("seconds", "seconds", tNumber), fs("milliseconds", "milliseconds", tNumber)},
			diffCard),
		dateSpec("date.convert", "date:fromISO", "Convert", "datetime_fromiso.htm",
			"Reads a date (ISO text, common date formats, or a date value) and gives it as `date`, `iso` (UTC, no fraction: 2016-09-07T00:01:25Z), `epoch` (seconds since 1970, as text), `unix` (milliseconds since 1970, as text), `human` (Wed, September 7th at 12:01 AM, UTC) and `custom` (formatted with `format` in `zone`, as Date to Text; without a format, ISO with the zone's offset). Text that is not a date is an error naming `start`.",
			[]engine.FieldSpec{req("start", "start", tString), fs("format", "format", tString), fs("zone", "zone", tString)},
			[]engine.FieldSpec{fs("date", "date", tDate), fs("iso", "iso", tString), fs("epoch", "epoch", tString),
				fs("unix", "unix", tString), fs("human", "human", tString), fs("custom", "custom", tString)},
			convertCard),
		dateSpec("date.format", "date:format", "Date to Text", "datetime_format.htm",
			"Writes the date as text with a format made of codes and fixed characters, in a time zone (IANA name such as US/Pacific; empty = UTC). Codes: Y or YYYY year (yyyy too), YY two-digit year, M MM month number, MMM Sep, MMMM September, D DD day of month, Do 7th, DDD DDDD day of year, d weekday number (1 = Monday … 7 = Sunday, as Okta documents), dd Mo, ddd Mon, dddd Monday, H HH hour 0-23, h hh hour 1-12, m mm minutes, s ss seconds, S… fractions of a second (SSS = milliseconds), a am/pm, A AM/PM, Z offset -07:00, ZZ -0700, z zone abbreviation (PDT), X epoch seconds, x epoch milliseconds; text in [brackets] is written as is. An empty format gives ISO with the zone's offset. Decision: a zone name that is not a known IANA zone falls back to UTC (as moment-timezone does; two official templates use \"America/Pacific\").",
			[]engine.FieldSpec{req("start", "start", tDate), def("format", "format", tString, "M/D/Y"), fs("zone", "zone", tString)},
			[]engine.FieldSpec{fs("output", "output", tString)}, formatCard),
		dateSpec("date.parse", "date:parse", "Text to Date", "datetime_parse.htm",
			"Reads a date from text laid out by a format (the Date to Text codes; e.g. 1/2/2016 with D/M/Y is 1 February 2016, 1/2/16 with M/D/YY is 2 January 2016; x reads milliseconds and X seconds since 1970). Without a zone code (Z) the text is read as UTC. Parts the format lacks default like moment.js: no date part at all means today, a missing month or day means 1. Two-digit years 69-99 are 19xx, 00-68 20xx. Without a format, common date text is read as by any date input. Text that does not fit is an error naming `start`.",
			[]engine.FieldSpec{req("start", "start", tString), fs("format", "format", tString)}, outDate, parseCard),
		dateSpec("date.unix", "date:unix", "UNIX", "datetime_unix.htm",
			"The date as UNIX time in milliseconds since 1 January 1970 UTC.",
			[]engine.FieldSpec{req("start", "start", tDate)}, []engine.FieldSpec{fs("output", "output", tNumber)},
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				t, err := dateIn(in, "start")
				if err != nil {
					return nil, err
				}
				return one("output", float64(t.UnixMilli())), nil
			}),
		dateSpec("date.epoch", "date:epoch", "EPOCH", "datetime_epoch.htm",
			"The date as epoch time: whole seconds since 1 January 1970 UTC (rounded down). Okta kind chosen (date:epoch): not in the template corpus. To turn UNIX or epoch numbers back into a date use Text to Date with format x or X, or From UNIX.",
			[]engine.FieldSpec{req("start", "start", tDate)}, []engine.FieldSpec{fs("output", "output", tNumber)},
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				t, err := dateIn(in, "start")
				if err != nil {
					return nil, err
				}
				return one("output", math.Floor(float64(t.UnixMilli())/1000)), nil
			}),
		dateSpec("date.iso", "date:iso", "ISO", "datetime_iso.htm",
			"The date as ISO 8601 text in UTC with milliseconds (2016-09-07T16:55:25.670Z). Okta kind chosen (date:iso): not in the template corpus.",
			[]engine.FieldSpec{req("start", "start", tDate)}, []engine.FieldSpec{fs("output", "output", tString)},
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				t, err := dateIn(in, "start")
				if err != nil {
					return nil, err
				}
				return one("output", t.UTC().Format(engine.DateLayout)), nil
			}),
		dateSpec("date.fromUnix", "", "From UNIX", "",
			"Flowbench card (no Okta equivalent): turns a UNIX time — milliseconds (default) or seconds since 1 January 1970 UTC — into a date.",
			[]engine.FieldSpec{req("unix", "unix time", tNumber),
				{Key: "unit", Label: "unit", Type: tString, Default: "milliseconds", Choices: []engine.Choice{{Value: "milliseconds", Label: "milliseconds"}, {Value: "seconds", Label: "seconds"}}}},
			outDate,
			func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
				n, _ := num(in, "unix")
				if str(in, "unit") == "seconds" {
					n *= 1000
				}
				if math.Abs(n) > 8.64e15 {
					return nil, engine.InputErrorf("unix", "out of the range of dates")
				}
				return one("output", time.UnixMilli(int64(math.Round(n))).UTC().Format(engine.DateLayout)), nil
			}),
	} {
		engine.Register(s)
	}
}

// dateIn reads a date input.
func dateIn(in engine.Inputs, key string) (time.Time, error) {
	v := in.Values[key]
	if v == nil {
		return time.Time{}, engine.InputErrorf(key, "no date")
	}
	t, err := engine.ParseDate(v)
	if err != nil {
		return time.Time{}, engine.InputErrorf(key, "%v", err)
	}
	return t.UTC(), nil
}

var zones sync.Map // name -> *time.Location

// zone resolves an IANA zone name; empty and unknown names are UTC.
func zone(name string) *time.Location {
	name = strings.TrimSpace(name)
	if name == "" || name == "UTC" || name == "Z" {
		return time.UTC
	}
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l = time.UTC
	}
	zones.Store(name, l)
	return l
}

func nowCard(context.Context, engine.Inputs) (engine.Outputs, error) {
	t := now().UTC()
	return engine.Outputs{
		"date":        t.Format(engine.DateLayout),
		"iso":         t.Format("2006-01-02T15:04:05-07:00"),
		"full":        t.Format("January 2, 2006 15:04:05.000"),
		"time":        t.Format("15:04:05.000"),
		"month":       strconv.Itoa(int(t.Month())),
		"year":        float64(t.Year()),
		"day":         float64(t.Day()),
		"hour":        float64(t.Hour()),
		"minute":      float64(t.Minute()),
		"second":      float64(t.Second()),
		"millisecond": float64(t.Nanosecond() / 1e6),
	}, nil
}

func shiftCard(sign float64) engine.RunFunc {
	return func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
		t, err := dateIn(in, "start")
		if err != nil {
			return nil, err
		}
		n, _ := num(in, "scale")
		r, err := addUnits(t, sign*n, str(in, "unit"))
		if err != nil {
			return nil, err
		}
		return one("output", r.Format(engine.DateLayout)), nil
	}
}

const maxShift = 1e13 // ms: ±300 years of milliseconds is far below; bounds keep int64 math safe

// addUnits adds n units to t (moment.js rules).
func addUnits(t time.Time, n float64, unit string) (time.Time, error) {
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return t, engine.InputErrorf("scale", "not a finite number")
	}
	var ms float64
	switch unit {
	case "milliseconds", "millisecond", "ms":
		ms = n
	case "seconds", "second":
		ms = n * 1e3
	case "minutes", "minute":
		ms = n * 6e4
	case "hours", "hour":
		ms = n * 36e5
	case "days", "day", "weeks", "week":
		days := n
		if strings.HasPrefix(unit, "week") {
			days = n * 7
		}
		days = math.Round(days)
		if math.Abs(days) > 4e6 {
			return t, engine.InputErrorf("scale", "too large")
		}
		return t.AddDate(0, 0, int(days)), nil
	case "months", "month", "years", "year":
		months := n
		if strings.HasPrefix(unit, "year") {
			months = n * 12
		}
		months = math.Round(months)
		if math.Abs(months) > 2e5 {
			return t, engine.InputErrorf("scale", "too large")
		}
		return addMonths(t, int(months)), nil
	default:
		return t, engine.InputErrorf("unit", "unknown unit %q (milliseconds, seconds, minutes, hours, days, weeks, months, years)", unit)
	}
	if math.Abs(ms) > 8.64e15 {
		return t, engine.InputErrorf("scale", "too large")
	}
	return t.Add(time.Duration(math.Round(ms)) * time.Millisecond), nil
}

// addMonths moves by calendar months, clamping the day to the target month's length.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, t.Location())
	if dim := daysIn(first.Year(), first.Month()); d > dim {
		d = dim
	}
	h, mi, s := t.Clock()
	return time.Date(first.Year(), first.Month(), d, h, mi, s, t.Nanosecond(), t.Location())
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// monthDiff is moment.js' monthDiff(a, b): months from a to b, fractional.
func monthDiff(a, b time.Time) float64 {
	whole := (b.Year()-a.Year())*12 + int(b.Month()-a.Month())
	anchor := addMonths(a, whole)
	var adjust float64
	if b.Before(anchor) {
		anchor2 := addMonths(a, whole-1)
		adjust = float64(b.Sub(anchor)) / float64(anchor.Sub(anchor2))
	} else {
		anchor2 := addMonths(a, whole+1)
		adjust = float64(b.Sub(anchor)) / float64(anchor2.Sub(anchor))
	}
	r := float64(whole) + adjust
	if r == 0 {
		return 0
	}
	return r
}

func diffCard(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	later, err := dateIn(in, "start")
	if err != nil {
		return nil, err
	}
	earlier, err := dateIn(in, "end")
	if err != nil {
		return nil, err
	}
	ms := float64(later.UnixMilli() - earlier.UnixMilli())
	months := monthDiff(earlier, later)
	return engine.Outputs{
		"milliseconds": ms,
		"seconds":      math.Trunc(ms/1e3) + 0, // + 0 turns -0 into 0
		"minutes":      ms / 6e4,
		"hours":        ms / 36e5,
		"days":         ms / 864e5,
		"months":       months,
		"years":        months / 12,
	}, nil
}

func convertCard(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	t, err := dateIn(in, "start")
	if err != nil {
		return nil, err
	}
	ms := t.UnixMilli()
	return engine.Outputs{
		"date":   t.Format(engine.DateLayout),
		"iso":    t.Format("2006-01-02T15:04:05Z"),
		"epoch":  strconv.FormatInt(int64(math.Floor(float64(ms)/1000)), 10),
		"unix":   strconv.FormatInt(ms, 10),
		"human":  formatMoment(t, "ddd, MMMM Do [at] h:mm A"),
		"custom": formatMoment(t.In(zone(str(in, "zone"))), str(in, "format")),
	}, nil
}

func formatCard(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	t, err := dateIn(in, "start")
	if err != nil {
		return nil, err
	}
	return one("output", formatMoment(t.In(zone(str(in, "zone"))), str(in, "format"))), nil
}

func parseCard(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	s := str(in, "start")
	f := str(in, "format")
	var t time.Time
	var err error
	if strings.TrimSpace(f) == "" {
		t, err = engine.ParseDate(s)
	} else {
		t, err = parseMoment(s, f)
	}
	if err != nil {
		return nil, engine.InputErrorf("start", "%v", err)
	}
	return one("output", t.UTC().Format(engine.DateLayout)), nil
}

// --- format codes ---

// momentTokens are the format codes, longest first where one is a prefix of another.
var momentTokens = []string{"YYYY", "yyyy", "MMMM", "dddd", "DDDD", "MMM", "ddd", "DDD",
	"YY", "yy", "MM", "Do", "DD", "dd", "HH", "hh", "mm", "ss", "ZZ",
	"Y", "M", "D", "d", "E", "H", "h", "m", "s", "a", "A", "Z", "z", "x", "X"}

// momentToken returns the token at the start of f (S runs included), or "".
func momentToken(f string) string {
	if f[0] == 'S' {
		n := 1
		for n < len(f) && f[n] == 'S' {
			n++
		}
		return f[:n]
	}
	for _, tok := range momentTokens {
		if strings.HasPrefix(f, tok) {
			return tok
		}
	}
	return ""
}

func pad2(b *strings.Builder, n int) {
	if n < 10 {
		b.WriteByte('0')
	}
	b.WriteString(strconv.Itoa(n))
}

func ordinal(n int) string {
	s := strconv.Itoa(n)
	if n%100 >= 11 && n%100 <= 13 {
		return s + "th"
	}
	switch n % 10 {
	case 1:
		return s + "st"
	case 2:
		return s + "nd"
	case 3:
		return s + "rd"
	}
	return s + "th"
}

// formatMoment writes t with Okta's (moment.js) format codes; empty f gives ISO with offset.
func formatMoment(t time.Time, f string) string {
	if f == "" {
		return t.Format("2006-01-02T15:04:05-07:00")
	}
	var b strings.Builder
	b.Grow(len(f) + 8)
	for len(f) > 0 {
		if f[0] == '[' {
			if j := strings.IndexByte(f, ']'); j > 0 {
				b.WriteString(f[1:j])
				f = f[j+1:]
				continue
			}
		}
		tok := momentToken(f)
		if tok == "" {
			b.WriteByte(f[0])
			f = f[1:]
			continue
		}
		f = f[len(tok):]
		switch tok {
		case "YYYY", "yyyy", "Y":
			y := t.Year()
			if y >= 0 && y < 1000 {
				fmt.Fprintf(&b, "%04d", y)
			} else {
				b.WriteString(strconv.Itoa(y))
			}
		case "YY", "yy":
			pad2(&b, (t.Year()%100+100)%100)
		case "MMMM":
			b.WriteString(t.Month().String())
		case "MMM":
			b.WriteString(t.Month().String()[:3])
		case "MM":
			pad2(&b, int(t.Month()))
		case "M":
			b.WriteString(strconv.Itoa(int(t.Month())))
		case "DDDD":
			fmt.Fprintf(&b, "%03d", t.YearDay())
		case "DDD":
			b.WriteString(strconv.Itoa(t.YearDay()))
		case "DD":
			pad2(&b, t.Day())
		case "Do":
			b.WriteString(ordinal(t.Day()))
		case "D":
			b.WriteString(strconv.Itoa(t.Day()))
		case "dddd":
			b.WriteString(t.Weekday().String())
		case "ddd":
			b.WriteString(t.Weekday().String()[:3])
		case "dd":
			b.WriteString(t.Weekday().String()[:2])
		case "d", "E":
			wd := int(t.Weekday())
			if wd == 0 {
				wd = 7
			}
			b.WriteString(strconv.Itoa(wd))
		case "HH":
			pad2(&b, t.Hour())
		case "H":
			b.WriteString(strconv.Itoa(t.Hour()))
		case "hh", "h":
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			if tok == "hh" {
				pad2(&b, h)
			} else {
				b.WriteString(strconv.Itoa(h))
			}
		case "mm":
			pad2(&b, t.Minute())
		case "m":
			b.WriteString(strconv.Itoa(t.Minute()))
		case "ss":
			pad2(&b, t.Second())
		case "s":
			b.WriteString(strconv.Itoa(t.Second()))
		case "a", "A":
			ap := "am"
			if t.Hour() >= 12 {
				ap = "pm"
			}
			if tok == "A" {
				ap = strings.ToUpper(ap)
			}
			b.WriteString(ap)
		case "ZZ":
			b.WriteString(t.Format("-0700"))
		case "Z":
			b.WriteString(t.Format("-07:00"))
		case "z":
			b.WriteString(t.Format("MST"))
		case "x":
			b.WriteString(strconv.FormatInt(t.UnixMilli(), 10))
		case "X":
			b.WriteString(strconv.FormatInt(t.Unix(), 10))
		default: // S… fraction of a second
			frac := fmt.Sprintf("%09d", t.Nanosecond())
			n := len(tok)
			for len(frac) < n {
				frac += "0"
			}
			b.WriteString(frac[:n])
		}
	}
	return b.String()
}

var monthNames = func() []string {
	out := make([]string, 12)
	for i := range out {
		out[i] = strings.ToLower(time.Month(i + 1).String())
	}
	return out
}()

var dayNames = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// parseMoment reads s laid out by format codes f.
func parseMoment(s, f string) (time.Time, error) {
	orig := s
	year, month, day := -1, -1, -1
	hour, minute, sec, nsec := 0, 0, 0, 0
	pm, yday := -1, -1
	loc := time.UTC
	unixMs := int64(0)
	haveUnix := false
	bad := func(what string) (time.Time, error) {
		return time.Time{}, fmt.Errorf("%.60q does not match the format %q (%s)", orig, f, what)
	}
	digits := func(max int) (int, bool) {
		n := 0
		for n < len(s) && n < max && isDigit(s[n]) {
			n++
		}
		if n == 0 {
			return 0, false
		}
		v, _ := strconv.Atoi(s[:n])
		s = s[n:]
		return v, true
	}
	word := func(names []string) (int, bool) {
		ls := strings.ToLower(s)
		for i, name := range names { // full names first
			if strings.HasPrefix(ls, name) {
				s = s[len(name):]
				return i, true
			}
		}
		for i, name := range names {
			if len(ls) >= 3 && strings.HasPrefix(ls, name[:3]) {
				s = s[3:]
				return i, true
			}
		}
		return 0, false
	}
	for len(f) > 0 {
		if f[0] == '[' {
			if j := strings.IndexByte(f, ']'); j > 0 {
				lit := f[1:j]
				if !strings.HasPrefix(s, lit) {
					return bad("expected " + strconv.Quote(lit))
				}
				s, f = s[len(lit):], f[j+1:]
				continue
			}
		}
		tok := momentToken(f)
		if tok == "" {
			c := f[0]
			f = f[1:]
			switch {
			case len(s) > 0 && s[0] == c:
				s = s[1:]
			case c == ' ' || c == '\t':
				// white space in the format matches none or any
			default:
				return bad(fmt.Sprintf("expected %q", c))
			}
			for (c == ' ' || c == '\t') && len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
				s = s[1:]
			}
			continue
		}
		f = f[len(tok):]
		var ok bool
		switch tok {
		case "YYYY", "yyyy", "Y":
			neg := false
			if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
				neg, s = s[0] == '-', s[1:]
			}
			year, ok = digits(6)
			if neg {
				year = -year
			}
		case "YY", "yy":
			year, ok = digits(2)
			if year > 68 {
				year += 1900
			} else {
				year += 2000
			}
		case "MMMM", "MMM":
			var m int
			m, ok = word(monthNames)
			month = m + 1
		case "MM", "M":
			month, ok = digits(2)
		case "DDDD", "DDD":
			yday, ok = digits(3)
		case "DD", "D":
			day, ok = digits(2)
		case "Do":
			day, ok = digits(2)
			if ok && len(s) >= 2 {
				switch strings.ToLower(s[:2]) {
				case "st", "nd", "rd", "th":
					s = s[2:]
				}
			}
		case "dddd", "ddd", "dd":
			_, ok = word(dayNames)
		case "d", "E":
			_, ok = digits(1)
		case "HH", "H", "hh", "h":
			hour, ok = digits(2)
		case "mm", "m":
			minute, ok = digits(2)
		case "ss", "s":
			sec, ok = digits(2)
		case "a", "A":
			ls := strings.ToLower(s)
			switch {
			case strings.HasPrefix(ls, "am"), strings.HasPrefix(ls, "a.m."):
				pm, ok = 0, true
			case strings.HasPrefix(ls, "pm"), strings.HasPrefix(ls, "p.m."):
				pm, ok = 1, true
			}
			if ok {
				if strings.HasPrefix(ls[1:], ".m.") {
					s = s[4:]
				} else {
					s = s[2:]
				}
			}
		case "Z", "ZZ":
			if len(s) > 0 && (s[0] == 'Z' || s[0] == 'z') {
				s, ok = s[1:], true
				break
			}
			if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
				sign := 1
				if s[0] == '-' {
					sign = -1
				}
				s = s[1:]
				var hh, mm int
				hh, ok = digits(2)
				if ok {
					if len(s) > 0 && s[0] == ':' {
						s = s[1:]
					}
					mm, _ = digits(2)
					loc = time.FixedZone("", sign*(hh*3600+mm*60))
				}
			}
		case "z":
			n := 0
			for n < len(s) && (s[n] >= 'A' && s[n] <= 'Z' || s[n] >= 'a' && s[n] <= 'z') {
				n++
			}
			s, ok = s[n:], n > 0
		case "x", "X":
			neg := false
			if len(s) > 0 && s[0] == '-' {
				neg, s = true, s[1:]
			}
			n := 0
			for n < len(s) && (isDigit(s[n]) || tok == "X" && s[n] == '.') {
				n++
			}
			if n == 0 || n > 20 {
				break
			}
			v, err := strconv.ParseFloat(s[:n], 64)
			if err != nil {
				break
			}
			s = s[n:]
			if tok == "X" {
				v *= 1000
			}
			if neg {
				v = -v
			}
			if math.Abs(v) > 8.64e15 {
				return bad("timestamp out of range")
			}
			unixMs, haveUnix, ok = int64(math.Round(v)), true, true
		default: // S… fraction
			n := 0
			for n < len(s) && n < 9 && isDigit(s[n]) {
				n++
			}
			if n > 0 {
				frac := s[:n] + strings.Repeat("0", 9-n)
				nsec, _ = strconv.Atoi(frac)
				s, ok = s[n:], true
			}
		}
		if !ok {
			return bad("cannot read " + tok)
		}
	}
	if strings.TrimSpace(s) != "" {
		return bad("extra text " + strconv.Quote(s))
	}
	if haveUnix {
		return time.UnixMilli(unixMs).UTC(), nil
	}
	if pm == 1 && hour < 12 {
		hour += 12
	} else if pm == 0 && hour == 12 {
		hour = 0
	}
	if yday > 0 {
		if year < 0 {
			year = now().Year()
		}
		if yday > 365 && daysIn(year, 2) == 28 || yday > 366 {
			return bad("day of year out of range")
		}
		month, day = 1, yday
	} else if yday == 0 {
		return bad("day of year out of range")
	}
	if year < 0 && month < 0 && day < 0 {
		n := now().In(loc)
		year, month, day = n.Year(), int(n.Month()), n.Day()
	}
	if year < 0 {
		year = now().Year()
	}
	if month < 0 {
		month = 1
	}
	if day < 0 {
		day = 1
	}
	if month < 1 || month > 12 {
		return bad("month out of range")
	}
	if day < 1 || day > daysIn(year, time.Month(month)) && yday < 0 {
		return bad("day out of range")
	}
	if hour > 23 || minute > 59 || sec > 59 {
		return bad("time out of range")
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc).UTC(), nil
}
