package engine

import (
	"context"
	"testing"
)

// A retry (Resume from History) of a run whose helper Returned a secret:
// the helper's recorded Return holds the stand-in, so its item is not
// reused — the helper runs again and the later card gets the secret itself,
// not "••••••".
func TestResumeRerunsAHelperWhoseReturnWasRedacted(t *testing.T) {
	helper := newFlow("pw-helper", Card{ID: "h", Type: "flow.helper", Outputs: []Field{{Key: "pw", Type: T("string")}}},
		Card{ID: "work", Type: "test.counted", Inputs: []Field{{Key: "key", Value: "helper"}}},
		Card{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "pw", From: bind("h", "pw")}}})
	h := &memHistory{}
	e := NewExecutor(FlowMap{"pw-helper": helper}, nil, h)
	f := newFlow("pw-parent", manual(),
		Card{ID: "src", Type: "test.redact.source", Outputs: []Field{{Key: "value", Secret: true}}},
		Card{ID: "call", Type: "flow.call", Flow: "pw-helper", Inputs: []Field{{Key: "pw", From: bind("src", "value")}}},
		Card{ID: "b", Type: "test.counted", Inputs: []Field{{Key: "key", Value: "broken"}}},
		Card{ID: "sink", Type: "test.redact.sink", Inputs: []Field{{Key: "text", From: bind("call", "pw")}}})
	retryReset("broken")
	gotBySink = ""
	first, err := e.Run(context.Background(), f, nil, RunOptions{})
	if err == nil || first.FailedCard() == nil || first.FailedCard().ID != "b" {
		t.Fatalf("first run: %v", err)
	}
	saved := first.Record()
	if got := record(t, saved, "call").Outputs["pw"]; got != Redacted {
		t.Fatalf("recorded Call Flow output %v, want it redacted", got)
	}
	items := RetryItems(saved, h.Load) // exec_test.go
	if it := items[ItemKey("call", 0)]; it == nil || it.Outputs["pw"] != Redacted {
		t.Fatalf("the helper's item from history: %+v", it)
	}
	retryReset()
	if _, err := e.Run(context.Background(), f, saved.Input, RunOptions{Retry: &Retry{Of: saved, Kind: RetryResume, Items: items}}); err != nil {
		t.Fatal(err)
	}
	if calls("helper") != 1 {
		t.Fatalf("the helper ran %d times on resume, want once more", calls("helper"))
	}
	if gotBySink != testSecret {
		t.Fatalf("the card after the helper got %q, want the secret itself", gotBySink)
	}
}
