package app

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// A run in progress is listed in History as running (first, and under the
// "running" filter) and Cancel stops it: the card in flight (Wait For one
// hour) ends, the card after it does not run, and History keeps the run as
// canceled, naming the card. A second Cancel says it ended; an unknown id is
// not found.
func TestCancelRunningExecution(t *testing.T) {
	a := testApp(t)
	f := &engine.Flow{Format: engine.FlowFormat, ID: "slow", Name: "Slow", Settings: engine.Settings{History: true},
		Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards: []engine.Card{
			{ID: "wait", Type: "flow.waitFor", Title: "Wait an hour", Inputs: []engine.Field{{Key: "delay", Value: 1.0}, {Key: "unit", Value: "hour"}}},
			{ID: "after", Type: "text.upper", Inputs: []engine.Field{{Key: "string", Value: "x"}}}}}
	if _, err := a.SaveFlow(f); err != nil {
		t.Fatal(err)
	}
	done := make(chan *engine.Execution, 1)
	go func() {
		ex, _ := a.RunFlow("slow", nil)
		done <- ex
	}()
	var id string
	for deadline := time.Now().Add(10 * time.Second); id == "" && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		rows, err := a.ListExecutions(HistoryQuery{Status: statusRunning})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 1 && rows[0].Flow == "slow" && rows[0].FlowName == "Slow" {
			id = rows[0].ID
		}
	}
	if id == "" {
		t.Fatal("the run is not listed as running")
	}
	if rows, _ := a.ListExecutions(HistoryQuery{}); len(rows) == 0 || rows[0].ID != id || rows[0].Status != statusRunning {
		t.Fatalf("History's first row %+v, want the running run", rows)
	}
	if ex, err := a.GetExecution(id); err != nil || ex.Status != statusRunning && ex.Status != engine.StatusRunning {
		t.Fatalf("opening the running run: %+v %v", ex, err)
	}
	if err := a.CancelExecution(id); err != nil {
		t.Fatal(err)
	}
	var ex *engine.Execution
	select {
	case ex = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the run did not stop")
	}
	if ex.Status != engine.StatusCanceled || ex.FailedCard() == nil || ex.FailedCard().ID != "wait" || ex.Error.Message != "canceled by the user while this card ran" {
		t.Fatalf("canceled run: %s %+v", ex.Status, ex.Error)
	}
	rows, _ := a.ListExecutions(HistoryQuery{Flow: "slow"})
	if len(rows) != 1 || rows[0].Status != engine.StatusCanceled || rows[0].FailedTitle != "Wait an hour" {
		t.Fatalf("History after the cancel: %+v", rows)
	}
	stored, _ := a.GetExecution(id)
	for _, c := range stored.Cards {
		if c.ID == "after" && c.Status != engine.StatusNotRun {
			t.Fatalf("card after the cancel: %s", c.Status)
		}
	}
	var re *engine.ResumeError
	if err := a.CancelExecution(id); !errors.As(err, &re) || re.Status != 409 || !strings.Contains(err.Error(), "it ended canceled") {
		t.Fatalf("second cancel: %v", err)
	}
	if err := a.CancelExecution(engine.NewID()); !errors.As(err, &re) || re.Status != 404 {
		t.Fatalf("unknown id: %v", err)
	}
}

// A paused run is canceled at its Pause card: History shows it canceled,
// and its resume URL refuses (409) instead of continuing it.
func TestCancelPausedExecution(t *testing.T) {
	a := testApp(t)
	base, secret, id := pausedApproveRun(t, a) // http_resume_test.go
	hdr := map[string]string{"x-api-client-token": secret, "Content-Type": "application/json"}
	if err := a.CancelExecution(id); err != nil {
		t.Fatal(err)
	}
	rows, _ := a.ListExecutions(HistoryQuery{Flow: "approve"})
	if len(rows) != 1 || rows[0].Status != engine.StatusCanceled || rows[0].FailedTitle != "Pause" {
		t.Fatalf("History after canceling the paused run: %+v", rows)
	}
	if paused, _ := a.ListExecutions(HistoryQuery{Status: engine.StatusPaused}); len(paused) != 0 {
		t.Fatalf("still listed as paused: %+v", paused)
	}
	if code, _, body := do(t, "POST", base+"/api/flo/approve/resume/"+id, hdr, `{"ok":true}`); code != 409 {
		t.Fatalf("resume after cancel: %d %s", code, body)
	}
}
