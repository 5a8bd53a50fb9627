package engine

import (
	"context"
	"testing"
	"time"
)

// Every run's trigger context carries Okta's fields: execution_id and
// execution_time (a date, so Scheduled Flows that convert it work), and a
// helper run's parent {id, name, execution_id, root_execution_id…}.
func TestTriggerContextFields(t *testing.T) {
	ctxOf := func(path ...string) *Binding {
		return &Binding{Card: TriggerID, Path: append([]string{"context"}, path...)}
	}
	helper := &Flow{Format: FlowFormat, ID: "h", Name: "Helper",
		Trigger: Card{ID: TriggerID, Type: "flow.helper"},
		Cards: []Card{{ID: "ret", Type: "flow.return", Inputs: []Field{
			{Key: "time", Type: T("date"), From: ctxOf("execution_time")},
			{Key: "id", Type: T("string"), From: ctxOf("execution_id")},
			{Key: "parentExec", Type: T("string"), From: ctxOf("parent", "execution_id")},
			{Key: "parentName", Type: T("string"), From: ctxOf("parent", "name")},
			{Key: "root", Type: T("string"), From: ctxOf("parent", "root_execution_id")}}}}}
	main := &Flow{Format: FlowFormat, ID: "m", Name: "Main",
		Trigger: Card{ID: TriggerID, Type: "flow.manual"},
		Cards: []Card{{ID: "call", Type: "flow.call", Flow: "h", Outputs: []Field{
			{Key: "time", Type: T("date")}, {Key: "id", Type: T("string")}, {Key: "parentExec", Type: T("string")},
			{Key: "parentName", Type: T("string")}, {Key: "root", Type: T("string")}}}}}
	e := NewExecutor(FlowMap{"h": helper}, nil, nil)
	before := time.Now().Add(-time.Second)
	ex, err := e.Run(context.Background(), main, nil, RunOptions{})
	if err != nil || ex.Status != StatusSuccess {
		t.Fatalf("run: %v %+v", err, ex.Error)
	}
	out := ex.Cards[1].Outputs
	if ex.Cards[1].ID != "call" {
		t.Fatalf("records %+v", ex.Cards)
	}
	when, err := ParseDate(out["time"])
	if err != nil || when.Before(before) || when.After(time.Now().Add(time.Second)) {
		t.Errorf("execution_time %v (%v)", out["time"], err)
	}
	if out["parentExec"] != ex.ID || out["root"] != ex.ID || out["parentName"] != "Main" {
		t.Errorf("parent context %v (caller %s)", out, ex.ID)
	}
	if id, _ := out["id"].(string); id == "" || id == ex.ID {
		t.Errorf("helper execution_id %v", out["id"])
	}
	// the caller's own trigger record shows the fields too
	trig := ex.Cards[0].Outputs["context"].(map[string]any)
	if trig["execution_id"] != ex.ID || trig["execution_time"] == nil {
		t.Errorf("trigger context %v", trig)
	}
}
