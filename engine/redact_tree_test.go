package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
	"github.com/flowbench/flowbench/engine/store/storetest"
)

// A careless connector: its card sends the connection's API key to a
// loopback service that echoes request headers, and returns the echo as it
// came (no scrubbing). The engine must keep the key out of every record of
// the run tree whatever card carries it on.
func init() {
	engine.RegisterConnectionKind(&engine.ConnectionKind{ID: "test-echo", Title: "Echo"})
	engine.Register(&engine.Spec{ID: "test.tree.echo", Title: "Echo headers", Category: "Test", Kind: engine.KindAction,
		Connection: "test-echo",
		Outputs:    []engine.FieldSpec{{Key: "headers", Type: engine.T("object")}},
		Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
			c, err := in.Run.Connection(ctx, in.Card.Connection)
			if err != nil {
				return nil, err
			}
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, engine.ToText(c.Config["baseUrl"])+"/echo", nil)
			req.Header.Set("X-Api-Key", c.Secrets["apiKey"])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return nil, err
			}
			defer resp.Body.Close()
			var out map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
				return nil, err
			}
			return engine.Outputs{"headers": out}, nil
		}})
	engine.Register(&engine.Spec{ID: "test.tree.readVault", Title: "Read vault item", Category: "Test", Kind: engine.KindAction,
		Inputs:  []engine.FieldSpec{{Key: "v", Type: engine.T("string")}},
		Outputs: []engine.FieldSpec{{Key: "value", Type: engine.T("string")}},
		Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
			v := vaultItems[engine.ToText(in.Values["v"])]
			engine.RecordCall(ctx, engine.RecordedCall{Method: "GET", URL: "https://vault.example/item", Status: 200, Body: `{"value":"` + v + `"}`})
			return engine.Outputs{"value": v}, nil
		}})
	engine.Register(&engine.Spec{ID: "test.tree.source", Title: "Secret source", Category: "Test", Kind: engine.KindFunction,
		Inputs:  []engine.FieldSpec{{Key: "v", Type: engine.T("string")}},
		Outputs: []engine.FieldSpec{{Key: "value", Type: engine.T("string")}},
		Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
			return engine.Outputs{"value": in.Values["v"]}, nil
		}})
}

// vaultItems: what test.tree.readVault reads, by item name.
var vaultItems = map[string]string{}

func echoServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := map[string]any{}
		for k, v := range r.Header {
			h[k] = strings.Join(v, ", ")
		}
		_ = json.NewEncoder(w).Encode(h)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// treeFlows: the parent reads the echo (the connection's key in it), makes a
// secret output, calls the helper with both (Call Flow) and For Each's it
// over the echoed key; the helper makes its own secret output and Returns
// all three; the parent Returns what it got.
func treeFlows(parentSecret, helperSecret string) (parent, helper *engine.Flow) {
	helper = &engine.Flow{Format: engine.FlowFormat, ID: "tree-helper", Name: "tree helper", Settings: engine.Settings{History: true},
		Trigger: engine.Card{ID: "trigger", Type: "flow.helper", Outputs: []engine.Field{{Key: "hdrs", Type: engine.T("object")}, {Key: "pw", Type: engine.T("string")}}},
		Cards: []engine.Card{
			{ID: "gen", Type: "test.tree.source", Inputs: []engine.Field{{Key: "v", Value: helperSecret}}, Outputs: []engine.Field{{Key: "value", Secret: true}}},
			{ID: "ret", Type: "flow.return", Inputs: []engine.Field{
				{Key: "key", From: bind("trigger", "hdrs", "X-Api-Key")},
				{Key: "pw", From: bind("trigger", "pw")},
				{Key: "gen", From: bind("gen", "value")}}},
		}}
	parent = &engine.Flow{Format: engine.FlowFormat, ID: "tree-parent", Name: "tree parent", Settings: engine.Settings{History: true},
		Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards: []engine.Card{
			{ID: "get", Type: "test.tree.echo", Connection: "echo"},
			{ID: "src", Type: "test.tree.source", Inputs: []engine.Field{{Key: "v", Value: parentSecret}}, Outputs: []engine.Field{{Key: "value", Secret: true}}},
			{ID: "call", Type: "flow.call", Flow: "tree-helper", Inputs: []engine.Field{
				{Key: "hdrs", From: bind("get", "headers")}, {Key: "pw", From: bind("src", "value")}}},
			{ID: "each", Type: "list.forEach", Flow: "tree-helper", Inputs: []engine.Field{
				{Key: "list", Value: []any{"x"}}, {Key: "hdrs", From: bind("get", "headers")}, {Key: "pw", From: bind("call", "gen")}}},
			{ID: "ret", Type: "flow.return", Inputs: []engine.Field{
				{Key: "key", From: bind("call", "key")}, {Key: "pw", From: bind("call", "pw")}, {Key: "gen", From: bind("call", "gen")}}},
		}}
	return parent, helper
}

// rawBadger reads every key and every value version of the closed store's
// Badger files (decrypted with the data key: the files themselves are
// encrypted at rest) but the connections' own, and returns the keys whose
// key or value holds a needle.
func rawBadger(t *testing.T, dir string, needles ...string) []string {
	t.Helper()
	found, err := storetest.Holding(filepath.Join(dir, "db"), pauseKey, needles...)
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// Secrets in play anywhere in a run tree — a connection's key echoed back
// by its service, a parent's secret output handed to a helper, a helper's
// own secret output Returned to its caller — reach no record: not the
// helper's Return values, its input and cards, not the parent's Call Flow /
// For Each outputs and item records (ji/), not the history text index
// (xw/ words), not what OnFinish hands on (UI events, Temporal's history
// activity), not any version of any key in the Badger files. The caller
// still gets the live values.
func TestRunTreeSecretsReachNoRecord(t *testing.T) {
	srv := echoServer(t)
	apiKey := "apikey-" + engine.NewID()
	parentSecret := "parentpw-" + engine.NewID()
	helperSecret := "helperpw-" + engine.NewID()
	secrets := []string{apiKey, parentSecret, helperSecret}

	dir := t.TempDir()
	s := openPauseStore(t, dir)
	if err := s.PutConnection(&engine.Connection{ID: "echo", Name: "Echo", Kind: "test-echo",
		Config: map[string]any{"baseUrl": srv.URL}, Secrets: map[string]string{"apiKey": apiKey}}); err != nil {
		t.Fatal(err)
	}
	parent, helper := treeFlows(parentSecret, helperSecret)
	e := engine.NewExecutor(engine.FlowMap{helper.ID: helper}, s, s)
	var handed []*engine.Execution
	e.OnFinish = func(ex *engine.Execution) { handed = append(handed, ex) }
	ex, err := e.Run(context.Background(), parent, nil, engine.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// the caller gets what the flow returned
	if ex.Outputs["key"] != apiKey || ex.Outputs["pw"] != parentSecret || ex.Outputs["gen"] != helperSecret {
		t.Fatalf("live Return values %v, want the secrets themselves", ex.Outputs)
	}
	if len(handed) != 3 {
		t.Fatalf("%d executions finished, want parent, Call Flow's and For Each's helper runs", len(handed))
	}
	for _, h := range handed {
		b, _ := json.Marshal(h)
		for _, sec := range secrets {
			if strings.Contains(string(b), sec) {
				t.Errorf("OnFinish got a secret in %s (%s): %s", h.Flow, h.ID, b)
			}
		}
	}
	s.Flush()
	for _, h := range handed {
		rec, err := s.Execution(h.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(rec)
		for _, sec := range secrets {
			if strings.Contains(string(b), sec) {
				t.Errorf("history record of %s holds a secret: %s", rec.Flow, b)
			}
		}
		if rec.Flow == helper.ID && (rec.Outputs["gen"] != engine.Redacted || rec.Outputs["pw"] != engine.Redacted || rec.Outputs["key"] != engine.Redacted) {
			t.Errorf("helper's recorded Return %v, want each value redacted", rec.Outputs)
		}
		if rec.Flow == parent.ID {
			if c := card(rec, "call"); c == nil || c.Outputs["gen"] != engine.Redacted {
				t.Errorf("parent's Call Flow record %+v, want the helper's secret redacted", c)
			}
		}
	}
	for _, sec := range secrets {
		for _, q := range []string{sec, strings.Split(sec, "-")[1]} {
			rows, err := s.Executions(store.Query{Text: q})
			if err != nil || len(rows) != 0 {
				t.Errorf("History search for %q found %d runs (%v): a secret is an indexed word", q, len(rows), err)
			}
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if found := rawBadger(t, dir, secrets...); len(found) > 0 {
		t.Fatalf("secrets in the Badger files:\n%s", strings.Join(found, "\n"))
	}
}

// spyJournal is the store's journal that also keeps every record handed to
// it, as JSON.
type spyJournal struct {
	*store.Store
	mu   sync.Mutex
	seen bytes.Buffer
}

func (j *spyJournal) keep(v any) {
	b, _ := json.Marshal(v)
	j.mu.Lock()
	j.seen.Write(b)
	j.mu.Unlock()
}

func (j *spyJournal) Begin(ex *engine.Execution, item *engine.ItemRecord) {
	j.keep(ex)
	j.keep(item)
	j.Store.Begin(ex, item)
}

func (j *spyJournal) Step(ex *engine.Execution, seq int, cards []engine.CardRecord, items []engine.ItemRecord, wait bool) {
	j.keep(cards)
	j.keep(items)
	j.Store.Step(ex, seq, cards, items, wait)
}

func (j *spyJournal) End(ex *engine.Execution, end engine.JournalEnd) {
	j.keep(ex)
	j.keep(end.Item)
	j.Store.End(ex, end)
}

// A secret output's card records its outside call before the engine knows
// the value is secret (the call's response carries it); when the next card
// is not safe to repeat, the pending records are journaled before it runs
// (jc/ keys, on disk while the run goes on, and after a crash the
// interrupted run's record). Nothing journaled holds the secret.
func TestJournaledRecordsHoldNoSecret(t *testing.T) {
	secret := "vaultpw-" + engine.NewID()
	vaultItems["admin"] = secret
	s := openPauseStore(t, t.TempDir())
	defer s.Close()
	spy := &spyJournal{Store: s}
	f := &engine.Flow{Format: engine.FlowFormat, ID: "journal-secret", Name: "journal secret", Settings: engine.Settings{History: true},
		Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards: []engine.Card{
			{ID: "vault", Type: "test.tree.readVault", Inputs: []engine.Field{{Key: "v", Value: "admin"}}, Outputs: []engine.Field{{Key: "value", Secret: true}}},
			{ID: "set", Type: "test.redact.sink", Inputs: []engine.Field{{Key: "text", From: bind("vault", "value")}}},
		}}
	e := engine.NewExecutor(nil, nil, s)
	e.Journal = spy
	ex, err := e.Run(context.Background(), f, nil, engine.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c := card(ex, "vault"); c == nil || len(c.Calls) != 1 || !strings.Contains(c.Calls[0].Body, engine.Redacted) {
		t.Fatalf("vault card's recorded call %+v, want its body redacted", c)
	}
	spy.mu.Lock()
	defer spy.mu.Unlock()
	if !strings.Contains(spy.seen.String(), `"vault"`) {
		t.Fatalf("the vault card's record was never journaled: %s", spy.seen.String())
	}
	if strings.Contains(spy.seen.String(), secret) {
		t.Fatalf("journaled records hold the secret: %s", spy.seen.String())
	}
}
