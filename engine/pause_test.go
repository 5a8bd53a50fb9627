package engine_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

var pauseKey = []byte("0123456789abcdef0123456789abcdef")

// pauseEffects counts runs of test.pauseEffect: an action (not safe to
// repeat) after the Pause card, so a resume applied twice shows.
var pauseEffects atomic.Int64

func init() {
	engine.Register(&engine.Spec{ID: "test.pauseEffect", Title: "Effect", Category: "Test", Kind: engine.KindAction,
		Inputs:  []engine.FieldSpec{{Key: "note", Type: engine.T("string")}},
		Outputs: []engine.FieldSpec{{Key: "n", Type: engine.T("number")}},
		Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
			return engine.Outputs{"n": float64(pauseEffects.Add(1))}, nil
		}})
}

func bind(card string, path ...string) *engine.Binding {
	return &engine.Binding{Card: card, Path: path}
}

// pauseFlow: API Endpoint (name) → Pause (greeting; outputs approved,
// note) → Effect (note) → Return {approved, note, name}.
func pauseFlow() *engine.Flow {
	return &engine.Flow{Format: engine.FlowFormat, ID: "pauseflow", Name: "Approval", Settings: engine.Settings{History: true},
		Trigger: engine.Card{ID: "trigger", Type: "flow.manual", Outputs: []engine.Field{{Key: "name", Type: engine.T("string")}}},
		Cards: []engine.Card{
			{ID: "pause", Type: engine.PauseID, Title: "Pause",
				Inputs:  []engine.Field{{Key: "greeting", Type: engine.T("string"), From: bind("trigger", "name")}},
				Outputs: []engine.Field{{Key: "approved", Type: engine.T("boolean")}, {Key: "note", Type: engine.T("string")}}},
			{ID: "effect", Type: "test.pauseEffect", Title: "Effect",
				Inputs: []engine.Field{{Key: "note", Type: engine.T("string"), From: bind("pause", "note")}}},
			{ID: "ret", Type: "flow.return", Title: "Return",
				Inputs: []engine.Field{
					{Key: "approved", Type: engine.T("boolean"), From: bind("pause", "approved")},
					{Key: "note", Type: engine.T("string"), From: bind("pause", "note")},
					{Key: "name", Type: engine.T("string"), From: bind("trigger", "name")},
					{Key: "n", Type: engine.T("number"), From: bind("effect", "n")}}},
		}}
}

func openPauseStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	s, err := store.Open(dir, store.Options{Key: pauseKey})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// pauseExecutor is an executor keeping its runs in a fresh store (closed
// when the test ends).
func pauseExecutor(t *testing.T) (*store.Store, *engine.Executor) {
	t.Helper()
	s := openPauseStore(t, t.TempDir())
	t.Cleanup(func() { s.Close() })
	return s, engine.NewExecutor(nil, nil, s)
}

func card(ex *engine.Execution, id string) *engine.CardRecord {
	for i := range ex.Cards {
		if ex.Cards[i].ID == id {
			return &ex.Cards[i]
		}
	}
	return nil
}

func resumeStatus(err error) int {
	var re *engine.ResumeError
	if errors.As(err, &re) {
		return re.Status
	}
	return 0
}

// pauseRun starts the flow and checks that it paused at the Pause card
// with its inputs as the answer.
func pauseRun(t *testing.T, e *engine.Executor, f *engine.Flow) *engine.Execution {
	t.Helper()
	ex, err := e.Run(context.Background(), f, map[string]any{"name": "ada"}, engine.RunOptions{Trigger: "api"})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if ex.Status != engine.StatusPaused {
		t.Fatalf("status %q, want paused (%v)", ex.Status, ex.Error)
	}
	if got := ex.Outputs["greeting"]; got != "ada" {
		t.Fatalf("paused answer %v, want the Pause inputs {greeting: ada}", ex.Outputs)
	}
	if c := card(ex, "pause"); c == nil || c.Status != engine.StatusPaused {
		t.Fatalf("pause card record %+v, want paused", c)
	}
	if c := card(ex, "effect"); c == nil || c.Status == engine.StatusSuccess {
		t.Fatalf("effect card ran before the resume: %+v", c)
	}
	return ex
}

func TestPauseAndResumeWithValues(t *testing.T) {
	s, e := pauseExecutor(t)
	f := pauseFlow()
	before := pauseEffects.Load()
	ex := pauseRun(t, e, f)
	s.Flush()
	rec, err := s.Execution(ex.ID)
	if err != nil || rec.Status != engine.StatusPaused {
		t.Fatalf("history record %v %v, want paused", rec, err)
	}
	rows, err := s.Executions(store.Query{Status: engine.StatusPaused})
	if err != nil || len(rows) != 1 || rows[0].ID != ex.ID {
		t.Fatalf("paused rows %v %v", rows, err)
	}

	// a value that does not convert: 400, the run stays paused
	_, err = e.ResumePaused(context.Background(), f, ex.ID, engine.ResumeRequest{Values: map[string]any{"approved": "maybe"}})
	if resumeStatus(err) != http.StatusBadRequest || !strings.Contains(err.Error(), `"approved"`) {
		t.Fatalf("bad value: %v, want 400 naming the output", err)
	}
	// another flow's resume URL: 404
	other := pauseFlow()
	other.ID = "other"
	if _, err := e.ResumePaused(context.Background(), other, ex.ID, engine.ResumeRequest{}); resumeStatus(err) != http.StatusNotFound {
		t.Fatalf("wrong flow: %v, want 404", err)
	}

	done, err := e.ResumePaused(context.Background(), f, ex.ID, engine.ResumeRequest{Values: map[string]any{"approved": "true", "note": "ok by bob", "extra": 1}})
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != engine.StatusSuccess || done.ID != ex.ID {
		t.Fatalf("resumed run %s %s (%v)", done.ID, done.Status, done.Error)
	}
	want := map[string]any{"approved": true, "note": "ok by bob", "name": "ada", "n": float64(before + 1)}
	for k, v := range want {
		if done.Outputs[k] != v {
			t.Fatalf("outputs %v, want %v", done.Outputs, want)
		}
	}
	if c := card(done, "pause"); c.Status != engine.StatusSuccess || c.Outputs["note"] != "ok by bob" {
		t.Fatalf("pause card after resume %+v", c)
	}
	s.Flush()
	rec, _ = s.Execution(ex.ID)
	if rec.Status != engine.StatusSuccess || rec.Outputs["note"] != "ok by bob" {
		t.Fatalf("history after resume %s %v", rec.Status, rec.Outputs)
	}
	if rows, _ := s.Executions(store.Query{Status: engine.StatusPaused}); len(rows) != 0 {
		t.Fatalf("still listed as paused: %v", rows)
	}
	if all, _ := s.Executions(store.Query{Flow: f.ID}); len(all) != 1 {
		t.Fatalf("history rows of the flow: %d, want one (the record is replaced)", len(all))
	}
	if u, _ := s.HistoryUsage(); u.Executions != 1 {
		t.Fatalf("executions counted: %d, want 1", u.Executions)
	}

	// resuming again: 409, nothing applied twice
	if _, err := e.ResumePaused(context.Background(), f, ex.ID, engine.ResumeRequest{Values: map[string]any{"approved": false}}); resumeStatus(err) != http.StatusConflict {
		t.Fatalf("second resume: %v, want 409", err)
	}
	if n := pauseEffects.Load() - before; n != 1 {
		t.Fatalf("effect ran %d times, want 1", n)
	}
	// a run that never paused
	plain := pauseFlow()
	plain.ID, plain.Cards = "plain", plain.Cards[1:2]
	px, _ := e.Run(context.Background(), plain, map[string]any{"name": "x"}, engine.RunOptions{})
	if _, err := e.ResumePaused(context.Background(), plain, px.ID, engine.ResumeRequest{}); resumeStatus(err) != http.StatusConflict {
		t.Fatalf("resume of a finished run: %v, want 409", err)
	}
}

func TestPauseConcurrentResumesApplyOnce(t *testing.T) {
	_, e := pauseExecutor(t)
	f := pauseFlow()
	before := pauseEffects.Load()
	ex := pauseRun(t, e, f)
	var wg sync.WaitGroup
	var ok, refused atomic.Int64
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.ResumePaused(context.Background(), f, ex.ID, engine.ResumeRequest{Values: map[string]any{"approved": true}})
			switch {
			case err == nil:
				ok.Add(1)
			case resumeStatus(err) == http.StatusConflict:
				refused.Add(1)
			default:
				t.Errorf("resume: %v", err)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 1 || refused.Load() != 3 || pauseEffects.Load()-before != 1 {
		t.Fatalf("ok %d, refused %d, effects %d: want 1, 3, 1", ok.Load(), refused.Load(), pauseEffects.Load()-before)
	}
}

// TestPauseSurvivesRestart pauses a run, closes the Badger store, opens it
// again (recovery must leave the paused run alone) and resumes it with a
// new executor.
func TestPauseSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	f := pauseFlow()
	s := openPauseStore(t, dir)
	ex := pauseRun(t, engine.NewExecutor(nil, nil, s), f)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openPauseStore(t, dir)
	defer s.Close()
	rec, err := s.Execution(ex.ID)
	if err != nil || rec.Status != engine.StatusPaused {
		t.Fatalf("after restart: %v %v, want paused (not interrupted)", rec, err)
	}
	if c := card(rec, "pause"); c == nil || c.Status != engine.StatusPaused {
		t.Fatalf("pause card after restart: %+v", c)
	}
	done, err := engine.NewExecutor(nil, nil, s).ResumePaused(context.Background(), f, ex.ID,
		engine.ResumeRequest{Values: map[string]any{"approved": true, "note": "after restart"}})
	if err != nil || done.Status != engine.StatusSuccess || done.Outputs["note"] != "after restart" || done.Outputs["name"] != "ada" {
		t.Fatalf("resume after restart: %v %+v", err, done)
	}
	s.Flush()
	if rec, _ := s.Execution(ex.ID); rec.Status != engine.StatusSuccess {
		t.Fatalf("history after resume: %s", rec.Status)
	}
}

// TestPauseTwice: a flow with two Pause cards pauses, resumes, pauses
// again and ends; one history record throughout.
func TestPauseTwice(t *testing.T) {
	s, e := pauseExecutor(t)
	f := pauseFlow()
	second := engine.Card{ID: "pause2", Type: engine.PauseID, Title: "Pause again",
		Inputs:  []engine.Field{{Key: "first", Type: engine.T("string"), From: bind("pause", "note")}},
		Outputs: []engine.Field{{Key: "final", Type: engine.T("string")}}}
	f.Cards = append(f.Cards[:1], append([]engine.Card{second}, f.Cards[1:]...)...)
	ex := pauseRun(t, e, f)
	mid, err := e.ResumePaused(context.Background(), f, ex.ID, engine.ResumeRequest{Values: map[string]any{"note": "one"}})
	if err != nil || mid.Status != engine.StatusPaused || mid.Outputs["first"] != "one" {
		t.Fatalf("after the first resume: %v %+v, want paused at the second Pause answering {first: one}", err, mid)
	}
	s.Flush()
	if rows, _ := s.Executions(store.Query{Status: engine.StatusPaused}); len(rows) != 1 {
		t.Fatalf("paused rows %d, want 1", len(rows))
	}
	end, err := e.ResumePaused(context.Background(), f, ex.ID, engine.ResumeRequest{Values: map[string]any{"final": "two"}})
	if err != nil || end.Status != engine.StatusSuccess || end.Outputs["note"] != "one" {
		t.Fatalf("final resume: %v %+v", err, end)
	}
	s.Flush()
	if all, _ := s.Executions(store.Query{Flow: f.ID}); len(all) != 1 || all[0].Status != engine.StatusSuccess {
		t.Fatalf("history rows %+v", all)
	}
}

func TestPauseRaw(t *testing.T) {
	_, e := pauseExecutor(t)
	f := &engine.Flow{Format: engine.FlowFormat, ID: "raw", Name: "Raw", Settings: engine.Settings{History: true},
		Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards: []engine.Card{
			{ID: "pr", Type: engine.PauseRawID, Title: "Pause Raw", Inputs: []engine.Field{
				{Key: "statusCode", Value: float64(202)},
				{Key: "headers", Value: map[string]any{"Content-Type": "text/plain"}},
				{Key: "body", Value: "waiting"}}},
			{ID: "ret", Type: "flow.return", Inputs: []engine.Field{{Key: "got", Type: engine.T("string"), From: bind("pr", "body")},
				{Key: "h", Type: engine.T("string"), From: bind("pr", "headers", "x-decision")}}}}}
	ex, err := e.Run(context.Background(), f, nil, engine.RunOptions{})
	if err == nil || ex.Status != engine.StatusFailed || !strings.Contains(err.Error(), "Pause Raw's statusCode must be 200 or 400 through 599, got 202") {
		t.Fatalf("status 202: %v (%s), want a statusCode error", err, ex.Status)
	}
	f.Cards[0].Inputs[0].Value = float64(418)
	ex, err = e.Run(context.Background(), f, nil, engine.RunOptions{})
	if err != nil || ex.Status != engine.StatusPaused {
		t.Fatalf("pause raw: %v %s", err, ex.Status)
	}
	if ex.Outputs["raw"] != true || ex.Outputs["statusCode"] != float64(418) || ex.Outputs["body"] != "waiting" {
		t.Fatalf("raw answer %v", ex.Outputs)
	}
	done, err := e.ResumePaused(context.Background(), f, ex.ID, engine.ResumeRequest{Body: "<ok/>", Headers: map[string]any{"x-decision": "yes"}})
	if err != nil || done.Outputs["got"] != "<ok/>" || done.Outputs["h"] != "yes" {
		t.Fatalf("resume raw: %v %+v", err, done)
	}
}

func TestPauseRefusals(t *testing.T) {
	s := openPauseStore(t, t.TempDir())
	defer s.Close()
	f := pauseFlow()
	cases := []struct {
		name string
		e    *engine.Executor
		f    func() *engine.Flow
		opt  engine.RunOptions
		want string
	}{
		{"temporal", &engine.Executor{Registry: engine.Default(), History: s, Hooks: &engine.Hooks{}}, pauseFlow, engine.RunOptions{},
			"Pause is not supported on the Temporal executor"},
		{"no store", engine.NewExecutor(nil, nil, nil), pauseFlow, engine.RunOptions{}, "needs the app's store"},
		{"helper run", engine.NewExecutor(nil, nil, s), pauseFlow, engine.RunOptions{Trigger: "call", Parent: "p1"}, "not in a helper flow"},
		{"nested", engine.NewExecutor(nil, nil, s), func() *engine.Flow {
			n := pauseFlow()
			n.Cards = []engine.Card{{ID: "if", Type: "flow.if", Title: "Check", Inputs: []engine.Field{
				{Key: "left-operand", Value: "a"}, {Key: "operator", Value: "=="}, {Key: "right-operand", Value: "a"}},
				Branches: []engine.Branch{{Name: "true", Cards: f.Cards[:1]}}}}
			return n
		}, engine.RunOptions{}, "must be at the top level"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ex, err := c.e.Run(context.Background(), c.f(), map[string]any{"name": "x"}, c.opt)
			if err == nil || ex.Status != engine.StatusFailed || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("%v (%s), want failed with %q", err, ex.Status, c.want)
			}
			var ce *engine.CardError
			if !errors.As(err, &ce) || ce.Card != "pause" {
				t.Fatalf("error %v does not name the Pause card", err)
			}
		})
	}
}

func TestPauseValidation(t *testing.T) {
	api := pauseFlow()
	api.Trigger = engine.Card{ID: "trigger", Type: "api.endpoint"}
	nested := pauseFlow()
	nested.Trigger = api.Trigger
	nested.Cards = []engine.Card{{ID: "if", Type: "flow.if", Title: "Check", Branches: []engine.Branch{{Name: "true", Cards: pauseFlow().Cards[:1]}}}}
	delegated := pauseFlow()
	delegated.Trigger = engine.Card{ID: "trigger", Type: "api.delegated"}
	raw := pauseFlow()
	raw.Trigger = api.Trigger
	raw.Cards = []engine.Card{{ID: "pause", Type: engine.PauseRawID, Inputs: []engine.Field{{Key: "statusCode", Value: float64(302)}}}}
	cases := []struct {
		name string
		f    *engine.Flow
		want string // "" no pause problem
	}{
		{"api endpoint", api, ""},
		{"manual", pauseFlow(), "only in a flow started by an API Endpoint"},
		{"delegated", delegated, "can't be used in a Delegated flow"},
		{"nested", nested, `not inside "Check" (if)`},
		{"pause raw status", raw, "statusCode must be 200 or 400 through 599, not 302"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, p := range engine.Validate(c.f, nil) {
				if p.Card == "pause" {
					got = append(got, p.Message)
				}
			}
			if c.want == "" {
				if len(got) > 0 {
					t.Fatalf("problems %v", got)
				}
				return
			}
			if len(got) != 1 || !strings.Contains(got[0], c.want) {
				t.Fatalf("problems %v, want one with %q", got, c.want)
			}
		})
	}
}

// A flow that keeps no history still lists its paused runs (they wait for
// their resume); the resumed run's end drops the record, as for any run of
// the flow.
func TestPauseListedWithoutHistory(t *testing.T) {
	s, e := pauseExecutor(t)
	f := pauseFlow()
	f.Settings.History = false
	ex := pauseRun(t, e, f)
	s.Flush()
	if rows, _ := s.Executions(store.Query{Status: engine.StatusPaused}); len(rows) != 1 || rows[0].ID != ex.ID {
		t.Fatalf("paused rows %+v, want the paused run", rows)
	}
	before, _ := s.HistoryUsage()
	if _, err := e.ResumePaused(context.Background(), f, ex.ID, engine.ResumeRequest{Values: map[string]any{"approved": true}}); err != nil {
		t.Fatal(err)
	}
	s.Flush()
	if rows, _ := s.Executions(store.Query{Flow: f.ID}); len(rows) != 0 {
		t.Fatalf("rows after the resume %+v, want none (history off)", rows)
	}
	if after, _ := s.HistoryUsage(); after.Executions != before.Executions-1 {
		t.Fatalf("executions counted %d → %d, want one less", before.Executions, after.Executions)
	}
}
