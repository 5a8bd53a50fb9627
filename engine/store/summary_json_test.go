package store

import (
	"encoding/json"
	"testing"
	"time"
)

func TestSummaryJSONMatchesMarshal(t *testing.T) {
	now := time.Date(2026, 12, 1, 15, 4, 5, 123456789, time.UTC)
	cases := []Summary{
		{ID: "r1", Flow: "f", Status: "success", Started: now, Ended: now.Add(1500 * time.Microsecond), DurationMS: 1.5},
		{ID: "r2", Flow: "f2", FlowName: "Deprovision <contractors> & \"vendors\"", Status: "error",
			Started: now.In(time.FixedZone("x", -7*3600)), Ended: now.Add(time.Hour), DurationMS: 3600000,
			Trigger: "api.endpoint", FailedCard: "c3", FailedTitle: "Read \"User\"", Error: "Okta: E0000007 Not found: ü\n\tline2\u2028", Parent: "p1",
			Bytes: 812, Resumed: 2, Repeats: []string{"c4", "c5"}, Resumable: true, AttemptOf: "r0", AttemptKind: "resume", Environment: "prod", Tenant: "acme.okta.com"},
		{ID: "r3", Flow: "f", Status: "running", DurationMS: 0},
		{ID: "r4", Flow: "f", Status: "success", DurationMS: 0.001, Repeats: []string{}},
		{ID: "r5", Flow: "f", Status: "success", DurationMS: 1e22, Error: "bad \xff utf8"},
	}
	for _, s := range cases {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendSummaryJSON(nil, &s); string(got) != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", s.ID, got, want)
		}
	}
}
