package engine

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A run in progress is listed by Running and stops when canceled: the card in
// flight sees its context end, the cards after it do not run, and the run
// ends canceled, its error saying who stopped it. Canceling one of its
// helper runs (a For Each item) cancels the whole run, as Okta does.
func TestCancelRunningRun(t *testing.T) {
	blocker := newFlow("blocker", Card{ID: "h", Type: "flow.helper"}, Card{ID: "b", Type: "test.block"})
	long := newFlow("long", manual(), Card{ID: "fe", Type: "list.forEach", Flow: "blocker",
		Inputs: []Field{{Key: "list", Value: make([]any, 100000)}}},
		Card{ID: "after", Type: "test.upper", Inputs: []Field{{Key: "text", Value: "x"}}})
	for _, via := range []string{"the run", "a helper run"} {
		t.Run(via, func(t *testing.T) {
			e := NewExecutor(FlowMap{"blocker": blocker}, nil, nil)
			done := make(chan *Execution, 1)
			go func() {
				ex, _ := e.Run(context.Background(), long, nil, RunOptions{ID: NewID()})
				done <- ex
			}()
			// wait until the run and at least one helper item are in progress
			var root, child RunningRun
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && (root.ID == "" || child.ID == ""); time.Sleep(time.Millisecond) {
				for _, r := range e.Running() {
					if r.Flow == "long" {
						root = r
					} else if r.Parent != "" {
						child = r
					}
				}
			}
			if root.ID == "" || child.ID == "" || child.Parent != root.ID || root.FlowName == "" || root.Trigger != "manual" {
				t.Fatalf("running: %+v", e.Running())
			}
			target := root.ID
			if via == "a helper run" {
				target = child.ID
			}
			if err := e.Cancel(target); err != nil {
				t.Fatal(err)
			}
			var ex *Execution
			select {
			case ex = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("the run did not stop")
			}
			if ex.Status != StatusCanceled || ex.Error == nil || ex.FailedCard() == nil || ex.FailedCard().ID != "fe" {
				t.Fatalf("canceled run: status %s error %+v", ex.Status, ex.Error)
			}
			if ex.Error.Message != "canceled by the user while this card ran" {
				t.Fatalf("error message %q", ex.Error.Message)
			}
			if r := record(t, ex, "after"); r.Status != StatusNotRun {
				t.Fatalf("card after the cancel: %s", r.Status)
			}
			if len(e.Running()) != 0 {
				t.Fatalf("still listed as running: %+v", e.Running())
			}
			var re *ResumeError
			if err := e.Cancel(root.ID); !errors.As(err, &re) || re.Status != 404 {
				t.Fatalf("cancel of an ended run: %v", err)
			}
		})
	}
}
