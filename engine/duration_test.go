package engine

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// A flow's timeout (and a retry policy's waits) is a positive Go duration;
// a negative one turned the timeout off, the default one too, and bad text
// failed with Go's bare "time: invalid duration".
func TestDurationJSON(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		err  string
	}{
		{`"30s"`, 30 * time.Second, ""},
		{`"1h30m"`, 90 * time.Minute, ""},
		{`""`, 0, ""},
		{`1500`, 1500 * time.Millisecond, ""},
		{`"-5m"`, 0, `duration "-5m" is negative`},
		{`-10`, 0, "negative"},
		{`"abc"`, 0, `"abc" is not a duration: use a number and a unit, e.g. 30s, 5m, 1h`},
		{`"90"`, 0, `"90" is not a duration`},
	} {
		var s Settings
		err := json.Unmarshal([]byte(`{"timeout":`+tc.in+`}`), &s)
		if tc.err == "" {
			if err != nil || time.Duration(s.Timeout) != tc.want {
				t.Errorf("%s: %v, %v; want %v", tc.in, time.Duration(s.Timeout), err, tc.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want one containing %q", tc.in, err, tc.err)
		}
	}
}
