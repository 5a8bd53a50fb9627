package engine

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
)

// retryCalls counts runs of test.counted per card id; retryBroken makes
// the card whose id is in it fail (a broken connection, bad data).
var (
	retryMu     sync.Mutex
	retryCalls  = map[string]int{}
	retryBroken atomic.Value // map[string]bool
)

func init() {
	Register(&Spec{ID: "test.counted", Title: "Counted", Category: "Test", Kind: KindAction,
		Inputs:  []FieldSpec{{Key: "key", Type: T("string")}, {Key: "n", Type: T("number")}},
		Outputs: []FieldSpec{{Key: "output", Type: T("string")}},
		Run: func(_ context.Context, in Inputs) (Outputs, error) {
			k := in.Card.ID
			if key, _ := in.Values["key"].(string); key != "" {
				k = key
			}
			retryMu.Lock()
			retryCalls[k]++
			retryMu.Unlock()
			if b, _ := retryBroken.Load().(map[string]bool); b[k] {
				return nil, &HTTPError{Status: 401, Code: "E0000011", Summary: "Invalid token provided"}
			}
			return Outputs{"output": k + "-done"}, nil
		}})
}

func retryReset(broken ...string) {
	retryMu.Lock()
	clear(retryCalls)
	retryMu.Unlock()
	b := map[string]bool{}
	for _, k := range broken {
		b[k] = true
	}
	retryBroken.Store(b)
}

func calls(k string) int {
	retryMu.Lock()
	defer retryMu.Unlock()
	return retryCalls[k]
}

func TestResumeReusesCompletedCardsAndLinksTheAttempt(t *testing.T) {
	f := newFlow("r", manual(Field{Key: "who", Type: T("string")}),
		Card{ID: "a", Type: "test.counted"},
		Card{ID: "b", Type: "test.counted", Inputs: []Field{{Key: "key", From: bind("trigger", "who")}}},
		Card{ID: "c", Type: "test.upper", Inputs: []Field{{Key: "text", From: bind("a", "output")}}})
	e := NewExecutor(nil, nil, &memHistory{})
	retryReset("ada")
	first, err := e.Run(context.Background(), f, map[string]any{"who": "ada"}, RunOptions{})
	if err == nil || first.FailedCard() == nil || first.FailedCard().ID != "b" {
		t.Fatalf("first run: err %v, failed %+v", err, first.FailedCard())
	}
	retryReset() // the connection is fixed
	for _, tc := range []struct {
		kind      string
		wantA     int
		wantReuse []string
	}{{RetryResume, 0, []string{"a"}}, {RetryRerun, 1, nil}} {
		retryReset()
		ex, err := e.Run(context.Background(), f, first.Input, RunOptions{Retry: &Retry{Of: first, Kind: tc.kind}})
		if err != nil {
			t.Fatalf("%s: %v", tc.kind, err)
		}
		if ex.AttemptOf != first.ID || ex.AttemptKind != tc.kind || ex.ID == first.ID {
			t.Fatalf("%s: attempt link %q %q id %s", tc.kind, ex.AttemptOf, ex.AttemptKind, ex.ID)
		}
		if calls("a") != tc.wantA || calls("ada") != 1 {
			t.Fatalf("%s: card a ran %d times (want %d), b %d", tc.kind, calls("a"), tc.wantA, calls("ada"))
		}
		if len(ex.Reused) != len(tc.wantReuse) || (len(tc.wantReuse) > 0 && ex.Reused[0] != "a") {
			t.Fatalf("%s: reused %v", tc.kind, ex.Reused)
		}
		if got := record(t, ex, "c").Outputs["output"]; got != "A-DONE" {
			t.Fatalf("%s: c = %v", tc.kind, got)
		}
		if record(t, ex, "trigger").Outputs["who"] != "ada" {
			t.Fatalf("%s: trigger input not the original's", tc.kind)
		}
	}
}

func TestResumeForEachRunsOnlyTheItemsThatDidNotSucceed(t *testing.T) {
	helper := newFlow("helper", Card{ID: "h", Type: "flow.helper", Outputs: []Field{{Key: "n", Type: T("string")}}},
		Card{ID: "work", Type: "test.counted", Inputs: []Field{{Key: "key", From: bind("h", "n")}}},
		Card{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "r", From: bind("work", "output")}}})
	h := &memHistory{}
	e := NewExecutor(FlowMap{"helper": helper}, nil, h)
	f := newFlow("p", manual(), Card{ID: "fe", Type: "list.forEach", Flow: "helper",
		Inputs: []Field{{Key: "list", Value: []any{"i0", "i1", "i2", "i3"}}, {Key: "concurrency", Value: 1.0}, {Key: "n", Item: &ItemMapping{}}}})
	retryReset("i2")
	first, err := e.Run(context.Background(), f, nil, RunOptions{})
	if err == nil {
		t.Fatal("the For Each should fail on item 2")
	}
	if calls("i0") != 1 || calls("i1") != 1 || calls("i2") != 1 || calls("i3") != 0 {
		t.Fatalf("first run calls %v", retryCalls)
	}
	items := RetryItems(first, h.Load)
	if len(items) != 2 || items[ItemKey("fe", 0)] == nil || items[ItemKey("fe", 1)] == nil {
		t.Fatalf("items %v", items)
	}
	retryReset()
	ex, err := e.Run(context.Background(), f, first.Input, RunOptions{Retry: &Retry{Of: first, Kind: RetryResume, Items: items}})
	if err != nil {
		t.Fatal(err)
	}
	if calls("i0") != 0 || calls("i1") != 0 || calls("i2") != 1 || calls("i3") != 1 {
		t.Fatalf("resume ran items %v, want only i2 and i3", retryCalls)
	}
	if ch := record(t, ex, "fe").Children; len(ch) != 4 || ch[0] != first.Cards[1].Children[0] {
		t.Fatalf("children %v (first %v)", ch, first.Cards[1].Children)
	}
}
