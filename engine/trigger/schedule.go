package trigger

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/flowbench/flowbench/engine"
	"github.com/robfig/cron/v3"
)

// ConfigError is a trigger set up wrongly; it names the flow and the field.
type ConfigError struct {
	Flow     string
	FlowName string
	Field    string
	Err      error
	// Card is the trigger card (its type and title), so the message names
	// the card and the field as the card shows them ("Scheduled Flow ›
	// Time zone"), not the field's export key; NewConfigError sets it.
	Card *engine.Card
}

func (e *ConfigError) Error() string {
	if e.Card != nil {
		if spec, ok := engine.Default().Card(e.Card.Type); ok {
			label := ""
			if fs := spec.InputSpec(e.Field); fs != nil {
				label = fs.Label
			} else if e.Field == "connection" {
				label = "Connection" // the card's connection picker
			}
			if label != "" {
				title := e.Card.Title
				if title == "" {
					title = spec.Title
				}
				return fmt.Sprintf("flow %q (%s): %s › %s: %v", e.FlowName, e.Flow, title, label, e.Err)
			}
		}
	}
	return fmt.Sprintf("flow %q (%s): trigger field %q: %v", e.FlowName, e.Flow, e.Field, e.Err)
}

// NewConfigError is a ConfigError on field of f's trigger card.
func NewConfigError(f *engine.Flow, field string, err error) *ConfigError {
	return &ConfigError{Flow: f.ID, FlowName: f.Name, Field: field, Err: err, Card: &engine.Card{Type: f.Trigger.Type, Title: f.Trigger.Title}}
}

func (e *ConfigError) Unwrap() error { return e.Err }

// HTTPStatus: a trigger set up wrongly is the caller's to fix (400), not a
// server failure.
func (e *ConfigError) HTTPStatus() int { return http.StatusBadRequest }

func cfgErr(f *engine.Flow, field string, format string, args ...any) error {
	return NewConfigError(f, field, fmt.Errorf(format, args...))
}

// Missed-run policies: what a schedule does about runs that fell while the
// app was closed.
const (
	MissedSkip = "skip" // default: go on from the next run
	MissedOnce = "once" // run once at start-up, then go on
)

// Schedule is a parsed schedule.
type Schedule struct {
	cron   cron.Schedule
	Start  time.Time // no run before (zero: none)
	End    time.Time // no run after (zero: none)
	Missed string
	Desc   string
}

// Next is the first run strictly after t, or the zero time when the
// schedule has ended.
func (s *Schedule) Next(t time.Time) time.Time {
	if !s.Start.IsZero() && t.Before(s.Start) {
		t = s.Start.Add(-time.Second)
	}
	n := s.cron.Next(t)
	if n.IsZero() || (!s.End.IsZero() && n.After(s.End)) {
		return time.Time{}
	}
	return n
}

var (
	stdParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
	secParser = cron.NewParser(cron.Second | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
)

// InputValue is the static value of a trigger input.
func InputValue(f *engine.Flow, key string) any {
	if fl := f.Trigger.Input(key); fl != nil {
		return fl.Value
	}
	return nil
}

func inputText(f *engine.Flow, key string) string {
	return strings.TrimSpace(engine.ToText(InputValue(f, key)))
}

// IsScheduled reports whether a flow starts on a schedule: a Scheduled
// Flow card, or a Helper Flow trigger carrying Okta's cron object.
func IsScheduled(f *engine.Flow) bool {
	switch f.Trigger.Type {
	case TypeSchedule:
		return true
	case "flow.helper":
		return InputValue(f, "schedule") != nil
	}
	return false
}

// ParseSchedule reads a scheduled flow's trigger inputs.
func ParseSchedule(f *engine.Flow) (*Schedule, error) {
	s := &Schedule{Missed: MissedSkip}
	switch m := strings.ToLower(inputText(f, "missed")); m {
	case "", MissedSkip:
	case MissedOnce, "run once":
		s.Missed = MissedOnce
	default:
		return nil, cfgErr(f, "missed", "%q is not a missed-run policy (skip or once)", m)
	}
	loc := time.Local
	if tz := inputText(f, "timeZone"); tz != "" {
		l, err := time.LoadLocation(tz)
		if err != nil {
			return nil, cfgErr(f, "timeZone", "unknown time zone %q", tz)
		}
		loc = l
	}
	if obj, ok := InputValue(f, "schedule").(map[string]any); ok && (f.Trigger.Type == "flow.helper" || inputText(f, "frequency") == "") {
		return s, oktaCron(f, s, obj, loc)
	}
	freq := strings.ToLower(inputText(f, "frequency"))
	if freq == "" {
		freq = "daily" // the card's default
	}
	// a frequency reads only the fields it uses (the card shows only those):
	// a value left in a hidden field by another frequency is not checked
	// ("At" 15 kept from every N hours stopped a cron schedule switching on)
	uses := func(key string) bool {
		switch freq {
		case "minutes", "minute":
			return key == "every"
		case "hours", "hour", "hourly":
			return key == "every" || key == "at"
		case "cron":
			return false
		}
		return key == "at" // daily, weekly, monthly (and a wrong frequency, refused below)
	}
	every := 1
	if v := InputValue(f, "every"); v != nil && uses("every") {
		n, err := engine.ToNumber(v)
		if err != nil || n < 1 || n != float64(int(n)) {
			return nil, cfgErr(f, "every", "must be a whole number of at least 1, not %v", v)
		}
		every = int(n)
	}
	hh, mm := 9, 0
	hourly := freq == "hours" || freq == "hour" || freq == "hourly"
	if at := inputText(f, "at"); at != "" && uses("at") {
		// every N hours runs at a minute past the hour, as the field says:
		// a bare minute (15) as well as HH:MM (00:15; its hour is not used)
		if n, err := strconv.Atoi(at); hourly && err == nil {
			if n < 0 || n > 59 {
				return nil, cfgErr(f, "at", "%q is not a minute past the hour (0–59)", at)
			}
			mm = n
		} else if t, err := time.Parse("15:04", at); err == nil {
			hh, mm = t.Hour(), t.Minute()
		} else if hourly {
			return nil, cfgErr(f, "at", "%q is not a minute past the hour (0–59, or HH:MM)", at)
		} else {
			return nil, cfgErr(f, "at", "%q is not a time of day (HH:MM)", at)
		}
	}
	var expr string
	switch freq {
	case "minutes", "minute":
		if every > 59 && every%60 != 0 {
			s.cron = cron.Every(time.Duration(every) * time.Minute)
			s.Desc = fmt.Sprintf("every %d minutes", every)
			return s, nil
		}
		expr = fmt.Sprintf("*/%d * * * *", every)
		if every >= 60 {
			expr = fmt.Sprintf("0 */%d * * *", every/60)
		}
		s.Desc = fmt.Sprintf("every %d minutes", every)
	case "hours", "hour", "hourly":
		if every > 23 {
			return nil, cfgErr(f, "every", "at most 23 hours; use daily")
		}
		expr = fmt.Sprintf("%d */%d * * *", mm, every)
		s.Desc = fmt.Sprintf("every %d hours at minute %d", every, mm)
	case "daily", "day":
		expr = fmt.Sprintf("%d %d * * *", mm, hh)
		s.Desc = fmt.Sprintf("daily at %02d:%02d", hh, mm)
	case "weekly", "week":
		days := inputText(f, "weekdays")
		if days == "" {
			days = "mon"
		}
		list, err := weekdays(days)
		if err != nil {
			return nil, cfgErr(f, "weekdays", "%v", err)
		}
		expr = fmt.Sprintf("%d %d * * %s", mm, hh, list)
		s.Desc = fmt.Sprintf("weekly on %s at %02d:%02d", days, hh, mm)
	case "monthly", "month":
		day := 1
		if v := InputValue(f, "dayOfMonth"); v != nil {
			n, err := engine.ToNumber(v)
			if err != nil || n < 1 || n > 31 || n != float64(int(n)) {
				return nil, cfgErr(f, "dayOfMonth", "must be a day 1–31, not %v", v)
			}
			day = int(n)
		}
		expr = fmt.Sprintf("%d %d %d * *", mm, hh, day)
		s.Desc = fmt.Sprintf("monthly on day %d at %02d:%02d", day, hh, mm)
	case "cron":
		expr = inputText(f, "cron")
		if expr == "" {
			return nil, cfgErr(f, "cron", "a cron expression is required")
		}
		// 5 fields, or 6 with seconds first; a descriptor (@daily) is one
		parser := stdParser
		if n := len(strings.Fields(expr)); n == 6 {
			parser = secParser
		} else if n != 5 && !strings.HasPrefix(expr, "@") {
			return nil, cfgErr(f, "cron", "invalid cron expression %q: %d fields; use 5 (minute hour day-of-month month day-of-week) or 6 with seconds first", expr, n)
		}
		sc, err := parser.Parse(expr)
		if err != nil {
			return nil, cfgErr(f, "cron", "invalid cron expression %q: %v", expr, err)
		}
		if err := checkFires(expr, sc); err != nil {
			return nil, cfgErr(f, "cron", "%v", err)
		}
		s.cron = inZone(sc, loc)
		s.Desc = "cron " + expr
		return s, nil
	default:
		return nil, cfgErr(f, "frequency", "%q is not a frequency (minutes, hours, daily, weekly, monthly, cron)", freq)
	}
	sc, err := stdParser.Parse(expr)
	if err != nil {
		return nil, cfgErr(f, "frequency", "%v", err)
	}
	s.cron = inZone(sc, loc)
	return s, nil
}

// inZone evaluates a cron schedule in loc.
func inZone(sc cron.Schedule, loc *time.Location) cron.Schedule {
	if spec, ok := sc.(*cron.SpecSchedule); ok && spec.Location == time.Local {
		spec.Location = loc
	}
	return sc
}

var dayNames = map[string]string{"sun": "0", "mon": "1", "tue": "2", "wed": "3", "thu": "4", "fri": "5", "sat": "6"}

func weekdays(s string) (string, error) {
	var out []string
	for _, p := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if len(p) >= 3 {
			if d, ok := dayNames[p[:3]]; ok {
				out = append(out, d)
				continue
			}
		}
		if n, err := strconv.Atoi(p); err == nil && n >= 0 && n <= 7 {
			out = append(out, strconv.Itoa(n%7))
			continue
		}
		return "", fmt.Errorf("%q is not a weekday", p)
	}
	if len(out) == 0 {
		return "", errors.New("no weekday given")
	}
	return strings.Join(out, ","), nil
}

// oktaCron reads Okta's cron object {seconds, minutes, hours,
// dayOfTheMonth, month, dayOfTheWeek, startDate, endDate, timeZone}.
func oktaCron(f *engine.Flow, s *Schedule, obj map[string]any, loc *time.Location) error {
	get := func(k, def string) string {
		v := strings.TrimSpace(engine.ToText(obj[k]))
		if v == "" {
			return def
		}
		return v
	}
	if tz := get("timeZone", ""); tz != "" {
		l, err := time.LoadLocation(tz)
		if err != nil {
			return cfgErr(f, "schedule", "unknown time zone %q", tz)
		}
		loc = l
	}
	expr := strings.Join([]string{get("seconds", "0"), get("minutes", "0"), get("hours", "*"), get("dayOfTheMonth", "*"),
		get("month", "*"), get("dayOfTheWeek", "*")}, " ")
	// cron wants one of day-of-month / day-of-week restricted at a time; "*/1" is every day
	sc, err := secParser.Parse(expr)
	if err != nil {
		return cfgErr(f, "schedule", "invalid schedule %q: %v", expr, err)
	}
	if err := checkFires(expr, sc); err != nil {
		return cfgErr(f, "schedule", "%v", err)
	}
	s.cron = inZone(sc, loc)
	s.Desc = "cron " + expr + " (" + loc.String() + ")"
	for _, k := range []string{"startDate", "endDate"} {
		v := get(k, "")
		if v == "" {
			continue
		}
		t, err := engine.ParseDate(v)
		if err != nil {
			return cfgErr(f, "schedule", "%s: %v", k, err)
		}
		if k == "startDate" {
			s.Start = t
		} else {
			s.End = t
		}
	}
	return nil
}
