package app

import (
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// Issue 16 point 1: a failed run resumes from its failed card after the
// flow is fixed (recorded outputs of the cards before it reused), history
// links the attempts, the changed earlier cards are listed, and a resume
// whose bindings no longer fit is refused with the reason.
func TestResumeFailedRunFromTheFailedCard(t *testing.T) {
	a := testApp(t)
	f, err := a.CreateFlow("Resumable", "")
	if err != nil {
		t.Fatal(err)
	}
	f.Trigger.Outputs = append(f.Trigger.Outputs, engine.Field{Key: "raw", Type: engine.T("string")})
	f.Cards = []engine.Card{
		{ID: "compose", Type: "text.concat", Title: "Compose", Inputs: []engine.Field{{Key: "string 1", From: &engine.Binding{Card: f.Trigger.ID, Path: []string{"raw"}}}}},
		{ID: "parse", Type: "json.parse", Title: "Parse", Inputs: []engine.Field{{Key: "string", Value: "{bad"}}},
	}
	r, err := a.SaveFlow(f)
	if err != nil {
		t.Fatal(err)
	}
	f = r.Flow
	first, err := a.RunFlow(f.ID, map[string]any{"raw": `{"x":1}`})
	if err != nil || first.Status != engine.StatusFailed || first.FailedCard().ID != "parse" {
		t.Fatalf("first run %v %+v", err, first)
	}
	if first.FlowRevision != f.Revision {
		t.Fatalf("run recorded flow revision %d, want %d", first.FlowRevision, f.Revision)
	}
	if _, err := a.ResumeRun(first.ID); err != nil {
		t.Fatalf("an unchanged flow resumes (and fails again): %v", err)
	}

	// a fix that binds to an output the recorded Compose did not produce: refused
	f.Cards[1].Inputs[0] = engine.Field{Key: "string", From: &engine.Binding{Card: "compose", Path: []string{"nothere"}}}
	if r, err = a.SaveFlow(f); err != nil {
		t.Fatal(err)
	}
	f = r.Flow
	p, err := a.ResumePlan(first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.CanResume || len(p.Problems) == 0 || !strings.Contains(strings.Join(p.Problems, "\n"), `Parse › string: binds to "nothere" of Compose, which the recorded run of that card did not output`) {
		t.Fatalf("plan %+v", p)
	}
	if _, err := a.ResumeRun(first.ID); err == nil || !strings.Contains(err.Error(), "nothere") {
		t.Fatalf("resume with a binding that does not fit: %v", err)
	}

	// the real fix, and an edit of the earlier card: resume reuses its recorded output
	f.Cards[1].Inputs[0] = engine.Field{Key: "string", From: &engine.Binding{Card: "compose", Path: []string{"output"}}}
	f.Cards[0].Inputs = append(f.Cards[0].Inputs, engine.Field{Key: "string 2", Value: " "})
	if r, err = a.SaveFlow(f); err != nil {
		t.Fatal(err)
	}
	p, err = a.ResumePlan(first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !p.CanResume || p.From != "parse" || len(p.Reused) != 1 || p.Reused[0] != "compose" || len(p.Changed) != 1 || p.Changed[0].ID != "compose" {
		t.Fatalf("plan %+v", p)
	}
	second, err := a.ResumeRun(first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if second.Status != engine.StatusSuccess || second.AttemptOf != first.ID || second.AttemptKind != "resume" {
		t.Fatalf("resumed %s attemptOf %q kind %q err %v", second.Status, second.AttemptOf, second.AttemptKind, second.Error)
	}
	if got := mustCard(t, second, "parse").Outputs["output"]; engine.ToText(got) != `{"x":1}` {
		t.Fatalf("parse output %v", got)
	}
	if c := mustCard(t, second, "compose"); c.Outputs["output"] != `{"x":1}` || !c.Started.Equal(mustCard(t, first, "compose").Started) {
		t.Fatalf("compose was not reused: %+v", c)
	}
	// a re-run repeats the whole run with the same input: Compose runs again (with the edit)
	third, err := a.RerunExecution(second.ID)
	if err != nil {
		t.Fatal(err)
	}
	if third.AttemptOf != second.ID || third.AttemptKind != "rerun" || mustCard(t, third, "compose").Outputs["output"] != `{"x":1} ` {
		t.Fatalf("rerun %+v", third)
	}
	// history links the attempts, both ways
	for _, id := range []string{first.ID, third.ID} {
		rows, err := a.ExecutionAttempts(id)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range rows {
			ids = append(ids, r.ID)
		}
		// first, the failed resume of the unchanged flow, second, third
		if len(rows) != 4 || rows[0].ID != first.ID || rows[3].ID != third.ID || rows[3].AttemptOf != second.ID {
			t.Fatalf("attempts of %s: %v", id, ids)
		}
	}
	// a successful run is not resumed; a helper run is resumed through its caller
	if ex, err := a.ResumeRun(third.ID); err == nil || !strings.Contains(err.Error(), "Re-run") {
		t.Fatalf("resume of a successful run (%s): %v %+v", third.Status, err, ex)
	}
}

func mustCard(t *testing.T, ex *engine.Execution, id string) engine.CardRecord {
	t.Helper()
	for _, c := range ex.Cards {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no card %s in %s", id, ex.ID)
	return engine.CardRecord{}
}
