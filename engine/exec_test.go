package engine

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Test-only cards, registered into the default registry.
var (
	slowGate    = make(chan struct{})
	inFlight    atomic.Int32
	maxInFlight atomic.Int32
)

func init() {
	Register(&Spec{ID: "test.upper", Title: "Upper", Category: "Test", Kind: KindFunction,
		Inputs:  []FieldSpec{{Key: "text", Type: T("string"), Required: true}},
		Outputs: []FieldSpec{{Key: "output", Type: T("string")}},
		Run: func(_ context.Context, in Inputs) (Outputs, error) {
			return Outputs{"output": strings.ToUpper(in.Values["text"].(string))}, nil
		}})
	Register(&Spec{ID: "test.add", Title: "Add", Category: "Test", Kind: KindFunction,
		Inputs:  []FieldSpec{{Key: "a", Type: T("number"), Required: true}, {Key: "b", Type: T("number"), Default: float64(1)}},
		Outputs: []FieldSpec{{Key: "output", Type: T("number")}},
		Run: func(_ context.Context, in Inputs) (Outputs, error) {
			return Outputs{"output": in.Values["a"].(float64) + in.Values["b"].(float64)}, nil
		}})
	Register(&Spec{ID: "test.user", Title: "Read User", Category: "Test", Kind: KindAction,
		Inputs: []FieldSpec{{Key: "id", Type: T("string"), Required: true}},
		Outputs: []FieldSpec{{Key: "user", Type: Obj(map[string]*Type{"id": T("string"),
			"profile": Obj(map[string]*Type{"email": T("string"), "tags": T("string[]")})})}},
		Run: func(_ context.Context, in Inputs) (Outputs, error) {
			id := in.Values["id"].(string)
			if id == "missing" {
				return nil, &HTTPError{Status: 404, Code: "E0000007", Summary: "Not found: Resource not found: missing (User)"}
			}
			return Outputs{"user": map[string]any{"id": id, "profile": map[string]any{"email": id + "@example.com", "tags": []any{"a", "b"}}}}, nil
		}})
	Register(&Spec{ID: "test.fail", Title: "Fail", Category: "Test", Kind: KindFunction,
		Inputs: []FieldSpec{{Key: "message", Type: T("string")}},
		Run: func(_ context.Context, in Inputs) (Outputs, error) {
			return nil, InputErrorf("message", "%v", in.Values["message"])
		}})
	Register(&Spec{ID: "test.badout", Title: "Bad outputs", Category: "Test", Kind: KindFunction,
		Outputs: []FieldSpec{{Key: "n", Type: T("number")}},
		Run: func(_ context.Context, in Inputs) (Outputs, error) {
			return Outputs{"n": "not a number"}, nil
		}})
	Register(&Spec{ID: "test.block", Title: "Block", Category: "Test", Kind: KindAction,
		Run: func(ctx context.Context, in Inputs) (Outputs, error) {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for {
				m := maxInFlight.Load()
				if n <= m || maxInFlight.CompareAndSwap(m, n) {
					break
				}
			}
			select {
			case <-slowGate:
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(20 * time.Millisecond):
			}
			return Outputs{}, nil
		}})
	var flaky atomic.Int32
	Register(&Spec{ID: "test.flaky", Title: "Flaky", Category: "Test", Kind: KindAction,
		Outputs: []FieldSpec{{Key: "tries", Type: T("number")}},
		Run: func(_ context.Context, in Inputs) (Outputs, error) {
			if n := flaky.Add(1); n%3 != 0 {
				return nil, &HTTPError{Status: 429, Summary: "rate limited"}
			}
			return Outputs{"tries": float64(3)}, nil
		}})
}

func bind(card string, path ...string) *Binding { return &Binding{Card: card, Path: path} }

func manual(outs ...Field) Card { return Card{ID: "trigger", Type: "flow.manual", Outputs: outs} }

func newFlow(id string, trig Card, cards ...Card) *Flow {
	return &Flow{Format: FlowFormat, ID: id, Name: id, Settings: Settings{History: true}, Trigger: trig, Cards: cards}
}

type memHistory struct {
	mu   sync.Mutex
	runs []*Execution
}

func (m *memHistory) Save(e *Execution) { m.mu.Lock(); m.runs = append(m.runs, e); m.mu.Unlock() }

// Load is a saved run by id (RetryItems' loader).
func (m *memHistory) Load(id string) (*Execution, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.runs {
		if r.ID == id {
			return r, true
		}
	}
	return nil, false
}

func record(t *testing.T, ex *Execution, id string) CardRecord {
	t.Helper()
	for _, r := range ex.Cards {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no record for card %s in %+v", id, ex.Cards)
	return CardRecord{}
}

func TestExecutorNestedBindings(t *testing.T) {
	f := newFlow("nested", manual(Field{Key: "id", Type: T("string")}),
		Card{ID: "read", Type: "test.user", Inputs: []Field{{Key: "id", From: bind("trigger", "id")}}},
		Card{ID: "up", Type: "test.upper", Inputs: []Field{{Key: "text", From: bind("read", "user", "profile", "email")}}},
		Card{ID: "tag", Type: "test.upper", Inputs: []Field{{Key: "text", From: bind("read", "user", "profile", "tags", "-1")}}},
		Card{ID: "count", Type: "test.add", Inputs: []Field{{Key: "a", From: &Binding{Card: "read", Path: []string{"user", "id"}, Convert: "parseFloat"}}}},
		Card{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "email", From: bind("up", "output")}, {Key: "tag", From: bind("tag", "output")}, {Key: "n", From: bind("count", "output")}}},
	)
	h := &memHistory{}
	e := NewExecutor(nil, nil, h)
	ex, err := e.Run(context.Background(), f, map[string]any{"id": "42"}, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"email": "42@EXAMPLE.COM", "tag": "B", "n": float64(43)}
	if got, _ := json.Marshal(ex.Outputs); string(got) != mustJSON(want) {
		t.Fatalf("outputs = %s, want %s", got, mustJSON(want))
	}
	if len(h.runs) != 1 || h.runs[0].ID != ex.ID {
		t.Fatalf("history got %d runs", len(h.runs))
	}
	if r := record(t, ex, "count"); r.Inputs["b"] != float64(1) {
		t.Fatalf("default input not applied: %v", r.Inputs)
	}
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestExecutorErrorRecordedAtCard(t *testing.T) {
	f := newFlow("fails", manual(),
		Card{ID: "one", Type: "test.upper", Title: "First", Inputs: []Field{{Key: "text", Value: "x"}}},
		Card{ID: "read", Type: "test.user", Title: "Read User", Inputs: []Field{{Key: "id", Value: "missing"}}},
		Card{ID: "after", Type: "test.upper", Inputs: []Field{{Key: "text", From: bind("read", "user", "id")}}},
	)
	ex, err := NewExecutor(nil, nil, nil).Run(context.Background(), f, nil, RunOptions{})
	var ce *CardError
	if !errors.As(err, &ce) || ce.Card != "read" || ce.Status != 404 || ce.Code != "E0000007" {
		t.Fatalf("err = %#v", err)
	}
	if ex.Status != StatusFailed || ex.Error.Card != "read" {
		t.Fatalf("status %s error %+v", ex.Status, ex.Error)
	}
	if r := record(t, ex, "read"); r.Status != StatusFailed || r.Error == nil {
		t.Fatalf("read record %+v", r)
	}
	if r := record(t, ex, "after"); r.Status != StatusNotRun {
		t.Fatalf("after record status %q, want not run", r.Status)
	}
	if r := record(t, ex, "one"); r.Status != StatusSuccess {
		t.Fatalf("one record %+v", r)
	}
}

func TestExecutorRuntimeTypeErrors(t *testing.T) {
	cases := []struct {
		name      string
		card      Card
		wantInput string
		wantMsg   string
	}{
		{"number from text", Card{ID: "c", Type: "test.add", Inputs: []Field{{Key: "a", Value: "twelve"}}}, "a", "not a number"},
		{"missing required", Card{ID: "c", Type: "test.upper"}, "text", "required"},
		{"card error names input", Card{ID: "c", Type: "test.fail", Inputs: []Field{{Key: "message", Value: "boom"}}}, "message", "boom"},
		{"invalid outputs", Card{ID: "c", Type: "test.badout"}, "n", "number"},
		{"unknown input", Card{ID: "c", Type: "test.add", Inputs: []Field{{Key: "a", Value: 1.0}, {Key: "zz", Value: 2.0}}}, "zz", "no such field"},
		{"unknown operator", Card{ID: "c", Type: "flow.continueIf", Inputs: []Field{{Key: "left-operand", Value: 1.0}, {Key: "operator", Value: "~="}, {Key: "right-operand", Value: 1.0}}}, "operator", "must be one of"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ex, err := NewExecutor(nil, nil, nil).Run(context.Background(), newFlow("types", manual(), tc.card), nil, RunOptions{})
			var ce *CardError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v", err)
			}
			if ce.Card != "c" || ce.Input != tc.wantInput || !strings.Contains(ce.Error(), tc.wantMsg) {
				t.Fatalf("got card=%q input=%q msg=%q", ce.Card, ce.Input, ce.Error())
			}
			if ex.FailedCard() == nil || ex.FailedCard().ID != "c" {
				t.Fatalf("failed card not marked")
			}
		})
	}
}

func TestControlCards(t *testing.T) {
	helper := newFlow("helper", Card{ID: "h", Type: "flow.helper", Outputs: []Field{{Key: "n", Type: T("number")}}},
		Card{ID: "add", Type: "test.add", Inputs: []Field{{Key: "a", From: bind("h", "n")}, {Key: "b", Value: 10.0}}},
		Card{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "result", From: bind("add", "output")}}})
	isBig := newFlow("isBig", Card{ID: "h", Type: "flow.helper", Outputs: []Field{{Key: "n", Type: T("number")}}},
		Card{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "keep", Type: T("boolean"), From: bind("h", "n")}}})
	sum := newFlow("sum", Card{ID: "h", Type: "flow.helper", Outputs: []Field{{Key: "memo", Type: T("number")}, {Key: "item", Type: T("number")}}},
		Card{ID: "add", Type: "test.add", Inputs: []Field{{Key: "a", From: bind("h", "memo")}, {Key: "b", From: bind("h", "item")}}},
		Card{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "memo", From: bind("add", "output")}}})
	failing := newFlow("failing", Card{ID: "h", Type: "flow.helper", Outputs: []Field{{Key: "n", Type: T("number")}}},
		Card{ID: "boom", Type: "flow.returnErrorIf", Inputs: []Field{{Key: "left-operand", Type: T("number"), From: bind("h", "n")}, {Key: "operator", Value: "=="}, {Key: "right-operand", Value: 2.0}, {Key: "message", Value: "two is bad"}}})
	flows := FlowMap{"helper": helper, "isBig": isBig, "sum": sum, "failing": failing}

	list := []any{1.0, 2.0, 3.0}
	cases := []struct {
		name    string
		cards   []Card
		want    map[string]any
		wantErr string
		halted  bool
	}{
		{"call flow", []Card{{ID: "call", Type: "flow.call", Flow: "helper", Inputs: []Field{{Key: "n", Value: 5.0}}},
			{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "r", From: bind("call", "result")}}}}, map[string]any{"r": 15.0}, "", false},
		{"continue if true", []Card{{ID: "ci", Type: "flow.continueIf", Inputs: []Field{{Key: "left-operand", Value: "a"}, {Key: "operator", Value: "=="}, {Key: "right-operand", Value: "a"}}},
			{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "r", Value: "went on"}}}}, map[string]any{"r": "went on"}, "", false},
		{"continue if false halts quietly", []Card{{ID: "ci", Type: "flow.continueIf", Inputs: []Field{{Key: "left-operand", Value: "a"}, {Key: "operator", Value: "=="}, {Key: "right-operand", Value: "b"}}},
			{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "r", Value: "went on"}}}}, nil, "", true},
		{"number compare by declared type", []Card{{ID: "if", Type: "flow.if", Inputs: []Field{{Key: "left-operand", Type: T("number"), Value: "80"}, {Key: "operator", Value: ">"}, {Key: "right-operand", Value: "9"}},
			Branches: []Branch{{Name: "true", Cards: []Card{{ID: "t", Type: "flow.return", Inputs: []Field{{Key: "r", Value: "numeric"}}}}}, {Name: "false", Cards: []Card{{ID: "f", Type: "flow.return", Inputs: []Field{{Key: "r", Value: "text"}}}}}}}},
			map[string]any{"r": "numeric"}, "", false},
		{"text compare alphabetical", []Card{{ID: "if", Type: "flow.if", Inputs: []Field{{Key: "left-operand", Type: T("string"), Value: "80"}, {Key: "operator", Value: ">"}, {Key: "right-operand", Value: "9"}},
			Branches: []Branch{{Name: "true", Cards: []Card{{ID: "t", Type: "flow.return", Inputs: []Field{{Key: "r", Value: "numeric"}}}}}, {Name: "false", Cards: []Card{{ID: "f", Type: "flow.return", Inputs: []Field{{Key: "r", Value: "text"}}}}}}}},
			map[string]any{"r": "text"}, "", false},
		{"if elseif picks first true", []Card{{ID: "sw", Type: "flow.ifElseIf", Outputs: []Field{{Key: "label", Type: T("string")}}, Branches: []Branch{
			{Name: "if", Inputs: []Field{{Key: "left-operand", Type: T("number"), Value: 5.0}, {Key: "operator", Value: ">"}, {Key: "right-operand", Value: 10.0}}, Cards: []Card{{ID: "r1", Type: "flow.return", Inputs: []Field{{Key: "label", Value: "big"}}}}},
			{Name: "mid", Inputs: []Field{{Key: "left-operand", Type: T("number"), Value: 5.0}, {Key: "operator", Value: ">"}, {Key: "right-operand", Value: 1.0}}, Cards: []Card{{ID: "r2", Type: "flow.return", Inputs: []Field{{Key: "label", Value: "mid"}}}}},
			{Name: "else", Cards: []Card{{ID: "r3", Type: "flow.return", Inputs: []Field{{Key: "label", Value: "small"}}}}}}},
			{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "r", From: bind("sw", "label")}}}}, map[string]any{"r": "mid"}, "", false},
		{"if error catches and exposes error", []Card{{ID: "try", Type: "flow.ifError", Outputs: []Field{{Key: "msg", Type: T("string")}}, Branches: []Branch{
			{Name: "try", Cards: []Card{{ID: "bad", Type: "test.user", Inputs: []Field{{Key: "id", Value: "missing"}}}, {ID: "r1", Type: "flow.return", Inputs: []Field{{Key: "msg", Value: "no error"}}}}},
			{Name: "catch", Cards: []Card{{ID: "r2", Type: "flow.return", Inputs: []Field{{Key: "msg", From: bind("try", "error", "message")}}}}}}},
			{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "r", From: bind("try", "msg")}}}}, map[string]any{"r": "Not found: Resource not found: missing (User)"}, "", false},
		{"continue if inside if error leaves only the block", []Card{{ID: "blk", Type: "flow.ifError", Branches: []Branch{
			{Name: "try", Cards: []Card{{ID: "ci", Type: "flow.continueIf", Inputs: []Field{{Key: "left-operand", Value: 1.0}, {Key: "operator", Value: "=="}, {Key: "right-operand", Value: 2.0}}}}}}},
			{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "r", Value: "after block"}}}}, map[string]any{"r": "after block"}, "", false},
		{"assign mirrors", []Card{{ID: "as", Type: "flow.assign", Inputs: []Field{{Key: "x", Value: 3.0}, {Key: "y", Value: "why"}}},
			{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "x", From: bind("as", "x")}, {Key: "y", From: bind("as", "y")}}}}, map[string]any{"x": 3.0, "y": "why"}, "", false},
		{"map", []Card{{ID: "m", Type: "list.map", Flow: "helper", Inputs: []Field{{Key: "list", Value: list}, {Key: "n", Item: &ItemMapping{}}}},
			{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "r", From: bind("m", "new list")}}}}, map[string]any{"r": []any{11.0, 12.0, 13.0}}, "", false},
		{"filter custom", []Card{{ID: "fl", Type: "list.filterCustom", Flow: "isBig", Inputs: []Field{{Key: "list", Value: []any{0.0, 4.0, 0.0, 2.0}}, {Key: "n", Item: &ItemMapping{}}}},
			{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "r", From: bind("fl", "list")}}}}, map[string]any{"r": []any{4.0, 2.0}}, "", false},
		{"reduce", []Card{{ID: "rd", Type: "list.reduce", Flow: "sum", Inputs: []Field{{Key: "list", Value: list}, {Key: "memo", Value: 100.0}, {Key: "item", Item: &ItemMapping{}}}},
			{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "r", From: bind("rd", "memo")}}}}, map[string]any{"r": 106.0}, "", false},
		{"for each item path", []Card{{ID: "fe", Type: "list.forEach", Flow: "helper", Inputs: []Field{{Key: "list", Value: []any{map[string]any{"v": 1.0}}}, {Key: "n", Item: &ItemMapping{Path: "v"}}}}}, nil, "", false},
		{"for each stops on error", []Card{{ID: "fe", Type: "list.forEach", Flow: "failing", Inputs: []Field{{Key: "list", Value: list}, {Key: "n", Item: &ItemMapping{}}}}}, nil, "two is bad", false},
		{"for each ignore errors counts", []Card{{ID: "fe", Type: "list.forEachIgnoreErrors", Flow: "failing", Inputs: []Field{{Key: "list", Value: list}, {Key: "n", Item: &ItemMapping{}}}},
			{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "failed", From: bind("fe", "failed")}}}}, map[string]any{"failed": 1.0}, "", false},
		{"return error", []Card{{ID: "re", Type: "flow.returnError", Inputs: []Field{{Key: "message", Value: "nope"}, {Key: "statusCode", Value: 409.0}}}}, nil, "nope", false},
		{"card retry policy on 429", []Card{{ID: "fl", Type: "test.flaky", OnError: &ErrorPolicy{Action: "fail", Retries: 3, RetryOn: "ratelimits"}},
			{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "t", From: bind("fl", "tries")}}}}, map[string]any{"t": 3.0}, "", false},
		{"continue on error policy", []Card{{ID: "bad", Type: "test.user", OnError: &ErrorPolicy{Action: "continue"}, Inputs: []Field{{Key: "id", Value: "missing"}}},
			{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "r", Value: "continued"}}}}, map[string]any{"r": "continued"}, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := &memHistory{}
			e := NewExecutor(flows, nil, h)
			ex, err := e.Run(context.Background(), newFlow("ctl", manual(), tc.cards...), nil, RunOptions{})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("run failed: %v\n%s", err, mustJSON(ex.Cards))
			}
			if tc.halted != (ex.Halted != "") {
				t.Fatalf("halted = %q", ex.Halted)
			}
			if tc.want != nil && mustJSON(ex.Outputs) != mustJSON(tc.want) {
				t.Fatalf("outputs %s, want %s", mustJSON(ex.Outputs), mustJSON(tc.want))
			}
		})
	}
}

func TestCallFlowChildrenLinked(t *testing.T) {
	helper := newFlow("helper", Card{ID: "h", Type: "flow.helper", Outputs: []Field{{Key: "n", Type: T("number")}}},
		Card{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "n", From: bind("h", "n")}}})
	h := &memHistory{}
	e := NewExecutor(FlowMap{"helper": helper}, nil, h)
	f := newFlow("parent", manual(), Card{ID: "fe", Type: "list.forEach", Flow: "helper", Inputs: []Field{{Key: "list", Value: []any{1.0, 2.0}}, {Key: "n", Item: &ItemMapping{}}}},
		Card{ID: "async", Type: "flow.callAsync", Flow: "helper", Inputs: []Field{{Key: "n", Value: 9.0}}})
	ex, err := e.Run(context.Background(), f, nil, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e.Wait()
	fe := record(t, ex, "fe")
	if len(fe.Children) != 2 {
		t.Fatalf("children %v", fe.Children)
	}
	as := record(t, ex, "async")
	if len(as.Children) != 1 || as.Outputs["execution"] != as.Children[0] {
		t.Fatalf("async record %+v", as)
	}
	if len(h.runs) != 4 {
		t.Fatalf("history has %d runs, want 4 (parent + 3 children)", len(h.runs))
	}
	for _, r := range h.runs {
		if r.ID != ex.ID && (r.Parent != ex.ID || r.Trigger != "call") {
			t.Fatalf("child %s parent %q trigger %q", r.ID, r.Parent, r.Trigger)
		}
	}
}

func TestConcurrencyBoundHonoured(t *testing.T) {
	blocker := newFlow("blocker", Card{ID: "h", Type: "flow.helper"}, Card{ID: "b", Type: "test.block"})
	for _, conc := range []int{1, 3} {
		maxInFlight.Store(0)
		f := newFlow("fan", manual(), Card{ID: "fe", Type: "list.forEach", Flow: "blocker",
			Inputs: []Field{{Key: "list", Value: make([]any, 12)}}})
		f.Settings.Concurrency = conc
		e := NewExecutor(FlowMap{"blocker": blocker}, nil, nil)
		if _, err := e.Run(context.Background(), f, nil, RunOptions{}); err != nil {
			t.Fatal(err)
		}
		if got := maxInFlight.Load(); got > int32(conc) || got < 1 {
			t.Fatalf("concurrency %d: max in flight %d", conc, got)
		}
		if conc > 1 && maxInFlight.Load() < 2 {
			t.Fatalf("concurrency %d never ran items in parallel", conc)
		}
	}
}

func TestCancellationAndTimeout(t *testing.T) {
	blocker := newFlow("blocker", Card{ID: "h", Type: "flow.helper"}, Card{ID: "b", Type: "test.block"})
	long := func() *Flow {
		return newFlow("long", manual(), Card{ID: "fe", Type: "list.forEach", Flow: "blocker",
			Inputs: []Field{{Key: "list", Value: make([]any, 500)}}},
			Card{ID: "after", Type: "test.upper", Inputs: []Field{{Key: "text", Value: "x"}}})
	}
	e := NewExecutor(FlowMap{"blocker": blocker}, nil, nil)

	f := long()
	f.Settings.Timeout = Duration(60 * time.Millisecond)
	ex, err := e.Run(context.Background(), f, nil, RunOptions{})
	if err == nil || ex.Status != StatusTimeout {
		t.Fatalf("timeout: status %s err %v", ex.Status, err)
	}
	if r := record(t, ex, "after"); r.Status != StatusNotRun {
		t.Fatalf("after timeout, next card status %q", r.Status)
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(40*time.Millisecond, cancel)
	ex, err = e.Run(ctx, long(), nil, RunOptions{})
	if err == nil || ex.Status != StatusCanceled {
		t.Fatalf("cancel: status %s err %v", ex.Status, err)
	}
	if ex.FailedCard() == nil || ex.FailedCard().ID != "fe" {
		t.Fatalf("cancel not recorded at the running card: %+v", ex.FailedCard())
	}
}

func TestTriggerInputsCoerced(t *testing.T) {
	f := newFlow("trig", manual(Field{Key: "n", Type: T("number"), Required: true}, Field{Key: "who", Type: T("string"), Value: "default"}),
		Card{ID: "ret", Type: "flow.return", Inputs: []Field{{Key: "n", From: bind("trigger", "n")}, {Key: "who", From: bind("trigger", "who")}}})
	ex, err := NewExecutor(nil, nil, nil).Run(context.Background(), f, map[string]any{"n": "7"}, RunOptions{})
	if err != nil || mustJSON(ex.Outputs) != `{"n":7,"who":"default"}` {
		t.Fatalf("outputs %v err %v", ex.Outputs, err)
	}
	_, err = NewExecutor(nil, nil, nil).Run(context.Background(), f, map[string]any{}, RunOptions{})
	var ce *CardError
	if !errors.As(err, &ce) || ce.Card != "trigger" || ce.Input != "n" {
		t.Fatalf("missing trigger input: %v", err)
	}
}

func TestUnknownCardTypeFailsClearly(t *testing.T) {
	f := newFlow("unk", manual(), Card{ID: "x", Type: "nope.card", Title: "Mystery"})
	ex, err := NewExecutor(nil, nil, nil).Run(context.Background(), f, nil, RunOptions{})
	if err == nil || !strings.Contains(err.Error(), `unknown card type "nope.card"`) || ex.Status != StatusFailed {
		t.Fatalf("err %v", err)
	}
}

func TestTestCard(t *testing.T) {
	e := NewExecutor(nil, nil, nil)
	out, err := TestCard(context.Background(), e, "test.add", map[string]any{"a": "2", "b": 3.0})
	if err != nil || out["output"] != 5.0 {
		t.Fatalf("out %v err %v", out, err)
	}
	if _, err := TestCard(context.Background(), e, "test.add", map[string]any{"a": "x"}); err == nil || !strings.Contains(err.Error(), `input "a"`) {
		t.Fatalf("err %v", err)
	}
	out, err = TestCard(context.Background(), e, "control:let", map[string]any{"k": "v"})
	if err != nil || out["k"] != "v" {
		t.Fatalf("by okta name: %v %v", out, err)
	}
}

// A failing helper flow fails the calling card of the parent flow (the
// canvas highlights a card that exists there), with the child's reason.
func TestHelperFailureAttributedToCaller(t *testing.T) {
	helper := newFlow("helper", Card{ID: "h", Type: "flow.helper"},
		Card{ID: "boom", Type: "test.user", Inputs: []Field{{Key: "id", Value: "missing"}}})
	e := NewExecutor(FlowMap{"helper": helper}, nil, nil)
	ex, err := e.Run(context.Background(), newFlow("parent", manual(), Card{ID: "call", Type: "flow.call", Flow: "helper"}), nil, RunOptions{})
	var ce *CardError
	if !errors.As(err, &ce) || ce.Card != "call" || ce.Flow != "parent" || ce.Status != 404 || !strings.Contains(ce.Message, "missing (User)") {
		t.Fatalf("error %#v", err)
	}
	if ex.FailedCard() == nil || ex.FailedCard().ID != "call" {
		t.Fatalf("failed card %+v", ex.FailedCard())
	}
}

// With items in parallel, the failure reported is the item that failed,
// not the cancellation it caused in the items still running.
func TestForEachReportsTheRealFailure(t *testing.T) {
	mixed := newFlow("mixed", Card{ID: "h", Type: "flow.helper", Outputs: []Field{{Key: "n", Type: T("number")}}},
		Card{ID: "boom", Type: "flow.returnErrorIf", Inputs: []Field{{Key: "left-operand", Type: T("number"), From: bind("h", "n")}, {Key: "operator", Value: "=="}, {Key: "right-operand", Value: 2.0}, {Key: "message", Value: "two is bad"}}},
		Card{ID: "slow", Type: "test.block"})
	f := newFlow("p", manual(), Card{ID: "fe", Type: "list.forEach", Flow: "mixed", Inputs: []Field{{Key: "list", Value: []any{1.0, 2.0}}, {Key: "concurrency", Value: 2.0}, {Key: "n", Item: &ItemMapping{}}}})
	_, err := NewExecutor(FlowMap{"mixed": mixed}, nil, nil).Run(context.Background(), f, nil, RunOptions{})
	if err == nil || !strings.Contains(err.Error(), "two is bad") || !strings.Contains(err.Error(), "item 1") {
		t.Fatalf("err = %v", err)
	}
}

// Close ends background (Call Flow Async) runs instead of waiting forever.
func TestExecutorCloseCancelsBackgroundRuns(t *testing.T) {
	never := newFlow("never", Card{ID: "h", Type: "flow.helper"}, Card{ID: "w", Type: "test.block"})
	e := NewExecutor(FlowMap{"never": never}, nil, nil)
	f := newFlow("p", manual(), Card{ID: "a", Type: "flow.callAsync", Flow: "never"})
	if _, err := e.Run(context.Background(), f, nil, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { e.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the background run")
	}
	if _, err := e.Run(context.Background(), f, nil, RunOptions{}); err == nil || !strings.Contains(err.Error(), "shutting down") {
		t.Fatalf("after Close: %v", err)
	}
}

func TestHaltNamesTheContinueIfCard(t *testing.T) {
	f := newFlow("h", manual(), Card{ID: "if", Type: "flow.if", Inputs: []Field{{Key: "left-operand", Value: 1.0}, {Key: "operator", Value: "=="}, {Key: "right-operand", Value: 1.0}},
		Branches: []Branch{{Name: "true", Cards: []Card{{ID: "gate", Type: "flow.continueIf", Inputs: []Field{{Key: "left-operand", Value: "a"}, {Key: "operator", Value: "=="}, {Key: "right-operand", Value: "b"}}}}}}})
	ex, err := NewExecutor(nil, nil, nil).Run(context.Background(), f, nil, RunOptions{})
	if err != nil || ex.Halted != "gate" {
		t.Fatalf("halted %q err %v", ex.Halted, err)
	}
	if got := ToText(map[string]any{"html": "<b>a & b</b>"}); got != `{"html":"<b>a & b</b>"}` {
		t.Fatalf("ToText escapes HTML: %s", got)
	}
}
