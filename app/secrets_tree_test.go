package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store/storetest"
	"github.com/flowbench/flowbench/telemetry"
)

// A flow reads a token from a vault service with an API Connector
// connection (API key header) and marks the response secret; a helper flow
// composes "Bearer <token>" and Returns it, another helper fails with an
// error naming it. Neither the token nor the connection's key reaches
// anything kept or shown: the run view the designer gets, History's records
// and text search, "Save as test" and its export, the debug-level log, the
// trace spans, or any key or value of the Badger files.
func TestSecretsOfARunTreeReachNothingKept(t *testing.T) {
	// an API key with characters that travel percent-encoded: the service
	// echoes it so in a paging link, a form the connector does not scrub
	apiKey := "apikey+/" + engine.NewID()
	token := "vaulttok-" + engine.NewID()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-API-Key") != apiKey {
			http.Error(w, "no key", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/list" { // a page of a listing, not marked secret
			_ = json.NewEncoder(w).Encode(map[string]any{"items": []any{"a"}, "next": "/list?page=2&api_key=" + url.QueryEscape(apiKey)})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"value": token})
	}))
	defer srv.Close()

	var logs bytes.Buffer
	h, err := telemetry.NewLogHandler(&logs, "text", "debug")
	if err != nil {
		t.Fatal(err)
	}
	prevLog := slog.Default()
	telemetry.SetLogger(h)
	defer slog.SetDefault(prevLog)
	telemetry.Install()
	exp := tracetest.NewInMemoryExporter()
	tp := telemetry.NewTracerProvider(sdktrace.WithSyncer(exp))
	prevTP := otel.GetTracerProvider()
	otel.SetTracerProvider(tp)
	defer func() { otel.SetTracerProvider(prevTP); _ = tp.Shutdown(context.Background()) }()

	dir := t.TempDir()
	key := bytes.Repeat([]byte{9}, 32)
	a, err := Open(context.Background(), Options{DataDir: dir, Out: io.Discard, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			a.close()
		}
	}()
	conn, err := a.SaveConnection(&engine.Connection{Name: "Vault", Kind: "http", Config: map[string]any{
		"authType": "header", "headerName": "X-API-Key", "baseUrl": srv.URL}, Secrets: map[string]string{"headerValue": apiKey}})
	if err != nil {
		t.Fatal(err)
	}
	bind := func(card string, path ...string) *engine.Binding { return &engine.Binding{Card: card, Path: path} }
	save := func(f *engine.Flow) *engine.Flow {
		t.Helper()
		r, err := a.SaveFlow(f)
		if err != nil {
			t.Fatal(err)
		}
		return r.Flow
	}
	helper, err := a.CreateHelperFlow("Bearer", "", []engine.Field{{Key: "token", Type: engine.T("string")}})
	if err != nil {
		t.Fatal(err)
	}
	helper.Settings.History = true
	helper.Cards = []engine.Card{
		{ID: "compose", Type: "text.concat", Title: "Compose", Inputs: []engine.Field{{Key: "string 1", Value: "Bearer "}, {Key: "string 2", From: bind(helper.Trigger.ID, "token")}}},
		{ID: "ret", Type: "flow.return", Inputs: []engine.Field{{Key: "bearer", From: bind("compose", "output")}}},
	}
	helper = save(helper)
	failing, err := a.CreateHelperFlow("Refuse", "", []engine.Field{{Key: "token", Type: engine.T("string")}})
	if err != nil {
		t.Fatal(err)
	}
	failing.Settings.History = true
	failing.Cards = []engine.Card{
		{ID: "msg", Type: "text.concat", Inputs: []engine.Field{{Key: "string 1", Value: "refused "}, {Key: "string 2", From: bind(failing.Trigger.ID, "token")}}},
		{ID: "err", Type: "flow.returnError", Inputs: []engine.Field{{Key: "message", From: bind("msg", "output")}}},
	}
	failing = save(failing)

	parentFlow := func(name, helperID string) *engine.Flow {
		f, err := a.CreateFlow(name, "")
		if err != nil {
			t.Fatal(err)
		}
		f.Settings.History = true
		f.Cards = []engine.Card{
			{ID: "vault", Type: "http.get", Title: "Read token", Connection: conn.ID, Inputs: []engine.Field{{Key: "URL", Value: "/token"}},
				Outputs: []engine.Field{{Key: "Status Code"}, {Key: "Headers"}, {Key: "Body", Secret: true}}},
			{ID: "list", Type: "http.get", Title: "List items", Connection: conn.ID, Inputs: []engine.Field{{Key: "URL", Value: "/list"}}},
			{ID: "pick", Type: "object.get", Title: "Token", Inputs: []engine.Field{{Key: "object", From: bind("vault", "Body")}, {Key: "path", Value: "value"}}},
			{ID: "call", Type: "flow.call", Flow: helperID, Inputs: []engine.Field{{Key: "token", From: bind("pick", "output")}}},
			{ID: "ret", Type: "flow.return", Inputs: []engine.Field{{Key: "bearer", From: bind("call", "bearer")}}},
		}
		return save(f)
	}
	parent := parentFlow("Use the vault", helper.ID)
	ex, err := a.RunFlow(parent.ID, nil)
	if err != nil || ex.Status != engine.StatusSuccess {
		t.Fatalf("run: %v %+v", err, ex.Error)
	}
	for _, c := range ex.Cards {
		if c.ID == "list" && !strings.Contains(engine.ToText(c.Outputs["Body"]), "api_key="+engine.Redacted) {
			t.Errorf("the listing's record %+v, want the echoed key redacted in its paging link", c)
		}
	}
	if ex.Outputs["bearer"] != "Bearer "+engine.Redacted {
		t.Errorf("the run view's Return %v, want the token redacted", ex.Outputs)
	}
	bad := parentFlow("Vault refused", failing.ID)
	failed, _ := a.RunFlow(bad.ID, nil)
	if failed.Status != engine.StatusFailed || failed.Error == nil || !strings.Contains(failed.Error.Message, "refused "+engine.Redacted) {
		t.Fatalf("the failing run %s: %+v, want the helper's error with the token redacted", failed.Status, failed.Error)
	}

	secrets := []string{apiKey, url.QueryEscape(apiKey), strings.TrimPrefix(apiKey, "apikey+/"), token, strings.TrimPrefix(token, "vaulttok-")}
	leak := func(where string, b []byte) {
		t.Helper()
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds a secret (%s):\n%s", where, s, b)
			}
		}
	}
	for _, run := range []*engine.Execution{ex, failed} {
		b, _ := json.Marshal(run)
		leak("the run view", b)
		rows, err := a.ListExecutions(HistoryQuery{Parent: run.ID})
		if err != nil || len(rows) != 1 {
			t.Fatalf("helper runs of %s: %v %v", run.ID, rows, err)
		}
		for _, id := range []string{run.ID, rows[0].ID} {
			rec, err := a.GetExecution(id)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(rec)
			leak("history record of "+rec.FlowName, b)
		}
	}
	for _, q := range secrets {
		if rows, err := a.ListExecutions(HistoryQuery{Text: q}); err != nil || len(rows) != 0 {
			t.Errorf("History search for %q found %d runs (%v)", q, len(rows), err)
		}
	}
	rep, err := a.SaveExecutionAsTest(ex.ID, "uses the vault")
	if err != nil {
		t.Fatal(err)
	}
	repJSON, _ := json.Marshal(rep)
	if rep.Failed != 0 {
		t.Errorf("the saved test fails on its own run: %s", repJSON)
	}
	leak("the flow tests' report", repJSON)
	exported, err := a.ExportFlowTests(parent.ID)
	if err != nil {
		t.Fatal(err)
	}
	leak("the exported flow tests", []byte(exported))
	flowExport, err := a.ExportFlow(parent.ID)
	if err != nil {
		t.Fatal(err)
	}
	leak("the flow export", []byte(flowExport))
	var spans bytes.Buffer
	for _, s := range exp.GetSpans() {
		b, _ := json.Marshal(map[string]any{"name": s.Name, "attrs": s.Attributes, "status": s.Status, "events": s.Events})
		spans.Write(b)
	}
	if spans.Len() == 0 || !strings.Contains(logs.String(), "card finished") {
		t.Fatalf("no spans (%d bytes) or no debug log lines:\n%s", spans.Len(), logs.String())
	}
	leak("the trace spans", spans.Bytes())
	leak("the debug log", logs.Bytes())

	if err := a.close(); err != nil {
		t.Fatal(err)
	}
	closed = true
	found := scanBadger(t, dir, key, secrets)
	if len(found) > 0 {
		t.Fatalf("secrets in the Badger files:\n%s", strings.Join(found, "\n"))
	}
}

// scanBadger reads every version of every key of the data folder's Badger
// files (decrypted: the files are encrypted at rest) but the connections'
// own records, and lists the keys whose key or value holds a secret.
func scanBadger(t *testing.T, dir string, key []byte, secrets []string) []string {
	t.Helper()
	var db string
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && info.Name() == "MANIFEST" {
			db = filepath.Dir(p)
		}
		return nil
	})
	if db == "" {
		t.Fatal("no Badger folder in the data folder")
	}
	found, err := storetest.Holding(db, key, secrets...)
	if err != nil {
		t.Fatal(err)
	}
	return found
}
