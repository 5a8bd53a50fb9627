package trigger

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// MinScheduleInterval is the shortest interval a Scheduled Flow may repeat
// at, as in Okta Workflows (every minute).
const MinScheduleInterval = time.Minute

// checkFires refuses a schedule that cannot be what the person meant: an
// @every interval that is not positive or shorter than a minute (the cron
// library silently rounds @every 0s up to every second), and an expression
// that never fires (0 0 31 2 *: February has no 31st), which would
// otherwise show as listening forever.
func checkFires(expr string, sc cron.Schedule) error {
	if rest, ok := strings.CutPrefix(strings.TrimSpace(expr), "@every"); ok {
		d, err := time.ParseDuration(strings.TrimSpace(rest))
		if err != nil {
			return fmt.Errorf("%q: %v", expr, err)
		}
		if d < MinScheduleInterval {
			return fmt.Errorf("%q: the interval must be at least %s (Okta Workflows' shortest schedule), not %s", expr, MinScheduleInterval, d)
		}
	}
	// robfig/cron answers the zero time when no match exists within five years
	if next := sc.Next(time.Now()); next.IsZero() {
		return fmt.Errorf("%q never fires: no date matches it (e.g. a day that month does not have)", expr)
	}
	return nil
}
