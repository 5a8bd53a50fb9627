package engine

import (
	"encoding/json"
	"math"
	"testing"
	"time"
)

func sampleExecution() *Execution {
	t0 := time.Date(2026, 11, 28, 18, 0, 0, 123456789, time.UTC)
	return &Execution{ID: "e1", Flow: "f", FlowName: "Flow <&>", Status: StatusFailed, Started: t0, Ended: t0.Add(time.Millisecond),
		Trigger: "manual", FlowRevision: 7, AttemptOf: "e0", AttemptKind: "resume", Reused: []string{"a", "b"}, Environment: "prod", Tenants: []string{"acme.okta.com"}, Input: map[string]any{"b": 1.5, "a": []any{nil, true, "x\ny\"\\\t\u2028é\x01"}, "big": 1e21, "small": 1e-7, "neg": -0.000001},
		Error: &CardError{Message: "boom", Card: "c", Status: 404, Code: "E0000007"},
		Cards: []CardRecord{{ID: "c", Type: "t", Status: StatusFailed, Inputs: map[string]any{"k": map[string]any{"z": 1.0, "y": math.MaxInt64 * 1.0}},
			Error: &CardError{Message: "boom"}, Started: t0, Ended: t0, Attempts: []Attempt{{N: 1, Status: 429, Wait: time.Second}}, Children: []string{"x", "y"}},
			{ID: "d", Type: "t", Status: StatusNotRun}}}
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	ex := sampleExecution()
	want, _ := json.Marshal(ex)
	got := ex.AppendJSON(nil)
	if string(got) != string(want) {
		t.Fatalf("differs:\n got %s\nwant %s", got, want)
	}
}

func FuzzAppendValue(f *testing.F) {
	f.Add(`{"a":[1,2.5,"x",null,true,{"b":"\u00e9<>"}]}`)
	f.Add(`"\ud800"`)
	f.Add(`[1e-7, 1e21, -0, 123456789012345678901234567890]`)
	f.Fuzz(func(t *testing.T, s string) {
		var v any
		if json.Unmarshal([]byte(s), &v) != nil {
			v = s // arbitrary text as a string value
		}
		want, err := json.Marshal(v)
		if err != nil {
			return
		}
		if got := AppendValue(nil, v); string(got) != string(want) {
			t.Fatalf("AppendValue(%q) = %s, want %s", s, got, want)
		}
	})
}

func FuzzAppendText(f *testing.F) {
	f.Add(`{"html":"<b>a & b</b>","n":[1,2.5,null,true]}`)
	f.Add(`"\u2028<"`)
	f.Fuzz(func(t *testing.T, s string) {
		var v any
		if json.Unmarshal([]byte(s), &v) != nil {
			v = s
		}
		want, err := MarshalFlowJSON(v)
		if err != nil {
			return
		}
		if got := AppendText(nil, v); string(got) != string(want) {
			t.Fatalf("AppendText(%q) = %s, want %s", s, got, want)
		}
	})
}
