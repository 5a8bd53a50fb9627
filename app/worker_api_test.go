package app

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/temporal"
)

// The worker API answers only with --temporal and the worker token; it
// hands a worker flows, connections with their secrets, Tables calls, and
// takes execution records.
func TestWorkerAPI(t *testing.T) {
	a := testApp(t)
	h, err := NewHTTPHandler(a, RandomToken(), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	ctx := context.Background()
	wtok := RandomToken()
	src := &temporal.HTTPSource{Base: srv.URL, Token: wtok}

	if _, err := src.Flow(ctx, "greet"); err == nil || !strings.Contains(err.Error(), "only when serve runs with --temporal") {
		t.Fatalf("without --temporal: %v", err)
	}
	enableWorkerAPI(a, wtok)
	defer workerTokens.Delete(a)
	for _, tok := range []string{"", "wrong-" + wtok, RandomToken()} {
		bad := &temporal.HTTPSource{Base: srv.URL, Token: tok}
		if _, err := bad.Flow(ctx, "greet"); err == nil || !strings.Contains(err.Error(), "HTTP 401") {
			t.Fatalf("token %q: %v", tok, err)
		}
		if err := bad.Check(ctx); err == nil || !strings.Contains(err.Error(), "HTTP 401") {
			t.Fatalf("check with token %q: %v", tok, err)
		}
	}
	if err := src.Check(ctx); err != nil {
		t.Fatalf("check: %v", err)
	}
	// the UI's token is not the worker's
	req, _ := http.NewRequest(http.MethodGet, srv.URL+temporal.PathFlow+"?id=greet", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no token: HTTP %d", resp.StatusCode)
	}

	f := &engine.Flow{ID: "greet", Name: "Greet", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"}}
	if _, err := a.SaveFlow(f); err != nil {
		t.Fatal(err)
	}
	got, err := src.Flow(ctx, "greet")
	if err != nil || got.Name != "Greet" {
		t.Fatalf("flow: %+v %v", got, err)
	}
	var nf *temporal.NotFoundError
	if _, err := src.Flow(ctx, "nope"); !errors.As(err, &nf) {
		t.Fatalf("unknown flow: %v", err)
	}
	if _, err := src.Flow(ctx, "../x"); err == nil || !strings.Contains(err.Error(), "HTTP 400") {
		t.Fatalf("bad id: %v", err)
	}
	conn := &engine.Connection{ID: "api", Name: "API", Kind: "http", Config: map[string]any{"authType": "none"}, Secrets: map[string]string{"token": "s3cret"}}
	if err := a.Store.PutConnection(conn); err != nil {
		t.Fatal(err)
	}
	c, err := src.Connection(ctx, "api")
	if err != nil || c.Secrets["token"] != "s3cret" {
		t.Fatalf("connection: %+v %v", c, err)
	}

	// records land in history
	ex := &engine.Execution{ID: engine.NewID(), Flow: "greet", FlowName: "Greet", Status: engine.StatusSuccess, Link: "temporal://h:1/default/x/y"}
	if err := src.Record(ctx, []*engine.Execution{ex}); err != nil {
		t.Fatal(err)
	}
	back, err := a.GetExecution(ex.ID)
	if err != nil || back.Link != ex.Link {
		t.Fatalf("recorded: %+v %v", back, err)
	}
	if err := src.Record(ctx, []*engine.Execution{{ID: "../../x", Flow: "greet"}}); err == nil || !strings.Contains(err.Error(), "HTTP 400") {
		t.Fatalf("a record with a bad id: %v", err)
	}

	// Tables: the serve node's store is the one writer
	tb := src.Tables()
	def, err := a.CreateTable(engine.TableDef{Name: "People", Columns: []engine.Column{{Name: "name", Type: engine.T("string")}}})
	if err != nil {
		t.Fatal(err)
	}
	kctx := engine.WithIdempotencyKey(ctx, "exec/card")
	row, err := tb.CreateRow(kctx, def.ID, map[string]any{"name": "Ann"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := tb.CreateRow(kctx, def.ID, map[string]any{"name": "Ann"}) // the same card repeated
	if err != nil || again[engine.ColRowID] != row[engine.ColRowID] {
		t.Fatalf("repeated Create Row: %v %v (first %v)", again, err, row)
	}
	if n, err := tb.CountRows(ctx, def.ID); err != nil || n != 1 {
		t.Fatalf("rows: %d %v", n, err)
	}
	if _, err := tb.ReadRow(ctx, def.ID, "no-such-row"); !errors.Is(err, engine.ErrRowNotFound) {
		t.Fatalf("missing row: %v", err)
	}
	if _, err := tb.CountRows(ctx, "no-such-table"); !errors.Is(err, engine.ErrTableNotFound) {
		t.Fatalf("missing table: %v", err)
	}
}
