package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// test.careless.echo is a careless connector's card: it sends its API
// Connector connection's key to a loopback service that echoes request
// headers and returns the echo unscrubbed (or fails naming it). On a
// Temporal worker it runs as an activity, away from the run's records.
func init() {
	engine.Register(&engine.Spec{ID: "test.careless.echo", Title: "Careless echo", Category: "Test", Kind: engine.KindAction,
		Connection: "http",
		Inputs:     []engine.FieldSpec{{Key: "fail", Type: engine.T("boolean")}},
		Outputs:    []engine.FieldSpec{{Key: "key", Type: engine.T("string")}},
		Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
			c, err := in.Run.Connection(ctx, in.Card.Connection)
			if err != nil {
				return nil, err
			}
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, engine.ToText(c.Config["baseUrl"]), nil)
			req.Header.Set("X-Api-Key", c.Secrets["headerValue"])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return nil, err
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if in.Values["fail"] == true {
				return nil, &engine.HTTPError{Status: 400, Summary: "refused: " + string(b)}
			}
			return engine.Outputs{"key": string(b)}, nil
		}})
}

// secretTreeFlows: the parent makes a secret output (a generated password),
// stores it in a vault service (an outside card: a Temporal activity whose
// input holds it) and calls a helper (Call Flow) that composes a line with it and Returns
// it; the parent Returns the helper's line.
func secretTreeFlows(pw, vault string) (parent, helper string) {
	helper = `{"format": "flowbench.flow/v1", "id": "pw-helper", "name": "Password line", "settings": {"history": true},
 "trigger": {"id": "trigger", "type": "flow.helper", "outputs": [{"key": "pw", "type": "string"}]},
 "cards": [
  {"id": "line", "type": "text.concat", "inputs": [{"key": "string1", "value": "password: "}, {"key": "string2", "from": {"card": "trigger", "path": ["pw"]}}]},
  {"id": "ret", "type": "flow.return", "inputs": [{"key": "line", "from": {"card": "line", "path": ["output"]}}]}
 ]}`
	parent = `{"format": "flowbench.flow/v1", "id": "pw-parent", "name": "Generate password", "settings": {"history": true},
 "trigger": {"id": "trigger", "type": "flow.manual"},
 "cards": [
  {"id": "gen", "type": "text.concat", "inputs": [{"key": "string1", "value": "` + pw + `"}],
   "outputs": [{"key": "output", "secret": true}]},
  {"id": "store", "type": "http.post", "inputs": [{"key": "URL", "value": "` + vault + `"},
    {"key": "Body", "from": {"card": "gen", "path": ["output"]}}]},
  {"id": "call", "type": "flow.call", "flow": "pw-helper", "inputs": [{"key": "pw", "from": {"card": "gen", "path": ["output"]}}]},
  {"id": "ret", "type": "flow.return", "inputs": [{"key": "line", "from": {"card": "call", "path": ["line"]}}]}
 ]}`
	return parent, helper
}

// Under serve --temporal, Run in the designer shows the run as History
// keeps it: the helper's Return value holding the parent's secret output
// is redacted in the run view and in both records the worker posted, and
// neither the serve node's nor the worker's log holds it. The workflow's
// history in the Temporal server (the activity's input, the records posted
// back, the workflow's result) holds it in no form: payloads are encrypted.
func TestTemporalRunViewRedactsSecrets(t *testing.T) {
	hp, cl := startTemporal(t)
	c := newCluster(t, hp, cl, "fb-secrets")
	pw := "Gen-pw-" + engine.NewID()
	var stored atomic.Value
	vault := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		stored.Store(string(b))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"stored": true}`))
	}))
	defer vault.Close()
	parent, helper := secretTreeFlows(pw, vault.URL+"/items")
	dir := t.TempDir()
	runCLI(t, "--data", c.data, "import", writeFile(t, dir, "helper.flow.json", helper))
	runCLI(t, "--data", c.data, "import", writeFile(t, dir, "parent.flow.json", parent))
	c.startServe(t, false)
	w := c.startWorker(t)

	var ex engine.Execution
	c.api(t, "RunFlow", &ex, "pw-parent", map[string]any{})
	if ex.Status != engine.StatusSuccess || !strings.HasPrefix(ex.Link, "temporal://") {
		t.Fatalf("RunFlow on the cluster: %s %+v link %q", ex.Status, ex.Error, ex.Link)
	}
	if ex.Outputs["line"] != "password: "+engine.Redacted {
		t.Errorf("the run view's Return %v, want the password redacted", ex.Outputs)
	}
	var rows []ExecutionSummary
	c.api(t, "ListExecutions", &rows, HistoryQuery{Parent: ex.ID})
	if len(rows) != 1 {
		t.Fatalf("helper runs: %+v", rows)
	}
	for _, id := range []string{ex.ID, rows[0].ID} {
		var rec engine.Execution
		c.api(t, "GetExecution", &rec, id)
		b, _ := json.Marshal(rec)
		if strings.Contains(string(b), pw) {
			t.Errorf("the record of %s holds the password: %s", rec.FlowName, b)
		}
	}
	if got, _ := stored.Load().(string); !strings.Contains(got, pw) {
		t.Fatalf("the vault got %q, want the password itself", got)
	}
	raw, err := workflowHistory(t, cl, ex.ID).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) == 0 || bytes.Contains(raw, []byte(pw)) || bytes.Contains(raw, []byte(strings.TrimPrefix(pw, "Gen-pw-"))) {
		t.Errorf("the workflow's history in the Temporal server holds the password (%d bytes)", len(raw))
	}
	b, _ := json.Marshal(ex)
	for where, text := range map[string]string{"the run view": string(b), "serve's log": c.serve.log(), "the worker's log": w.log()} {
		if strings.Contains(text, pw) {
			t.Errorf("%s holds the password:\n%s", where, text)
		}
	}
}

// A careless connector's card on a Temporal worker echoes its connection's
// key (an activity: the workflow never sees the connection): the worker
// hands the key's forms back with the card's result, so the run's records,
// its run view and the error of a failing copy show it redacted.
func TestTemporalActivityConnectionSecretsRedacted(t *testing.T) {
	hp, cl := startTemporal(t)
	c := newCluster(t, hp, cl, "fb-conn-secrets")
	key := "tmpkey-" + engine.NewID()
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("you sent " + r.Header.Get("X-Api-Key")))
	}))
	defer echo.Close()
	flow := func(id string, fail bool) string {
		return `{"format": "flowbench.flow/v1", "id": "` + id + `", "name": "` + id + `", "settings": {"history": true},
 "trigger": {"id": "trigger", "type": "flow.manual"},
 "cards": [
  {"id": "echo", "type": "test.careless.echo", "connection": "echo", "inputs": [{"key": "fail", "value": ` + map[bool]string{true: "true", false: "false"}[fail] + `}]},
  {"id": "line", "type": "text.concat", "inputs": [{"key": "string1", "from": {"card": "echo", "path": ["key"]}}]},
  {"id": "ret", "type": "flow.return", "inputs": [{"key": "line", "from": {"card": "line", "path": ["output"]}}]}
 ]}`
	}
	dir := t.TempDir()
	runCLI(t, "--data", c.data, "import", writeFile(t, dir, "ok.flow.json", flow("echo-ok", false)))
	runCLI(t, "--data", c.data, "import", writeFile(t, dir, "fail.flow.json", flow("echo-fail", true)))
	c.startServe(t, false)
	var conn engine.Connection
	c.api(t, "SaveConnection", &conn, &engine.Connection{ID: "echo", Name: "Echo", Kind: "http",
		Config: map[string]any{"authType": "header", "headerName": "X-Api-Key", "baseUrl": echo.URL}, Secrets: map[string]string{"headerValue": key}})
	c.startWorker(t)

	var ok, failed engine.Execution
	c.api(t, "RunFlow", &ok, "echo-ok", map[string]any{})
	if ok.Status != engine.StatusSuccess || ok.Outputs["line"] != "you sent "+engine.Redacted {
		t.Fatalf("run on the cluster: %s %+v outputs %v, want the echoed key redacted", ok.Status, ok.Error, ok.Outputs)
	}
	c.api(t, "RunFlow", &failed, "echo-fail", map[string]any{})
	if failed.Status != engine.StatusFailed || failed.Error == nil || !strings.Contains(failed.Error.Message, "you sent "+engine.Redacted) {
		t.Fatalf("failing run: %s %+v, want its error with the key redacted", failed.Status, failed.Error)
	}
	for _, id := range []string{ok.ID, failed.ID} {
		var rec engine.Execution
		c.api(t, "GetExecution", &rec, id)
		b, _ := json.Marshal(rec)
		if strings.Contains(string(b), key) {
			t.Errorf("the record of %s holds the key: %s", rec.Flow, b)
		}
	}
}

// Call Flow Async on the cluster starts the helper as its own workflow: the
// caller's secrets go with it (encrypted), so the helper's record — its
// input, its cards, its Return — shows the password redacted too.
func TestTemporalAsyncHelperRedactsCallerSecrets(t *testing.T) {
	hp, cl := startTemporal(t)
	c := newCluster(t, hp, cl, "fb-async-secrets")
	pw := "Async-pw-" + engine.NewID()
	_, helper := secretTreeFlows(pw, "http://127.0.0.1:9/unused")
	parent := `{"format": "flowbench.flow/v1", "id": "pw-async", "name": "Generate password async", "settings": {"history": true},
 "trigger": {"id": "trigger", "type": "flow.manual"},
 "cards": [
  {"id": "gen", "type": "text.concat", "inputs": [{"key": "string1", "value": "` + pw + `"}], "outputs": [{"key": "output", "secret": true}]},
  {"id": "start", "type": "flow.callAsync", "flow": "pw-helper", "inputs": [{"key": "pw", "from": {"card": "gen", "path": ["output"]}}]}
 ]}`
	dir := t.TempDir()
	runCLI(t, "--data", c.data, "import", writeFile(t, dir, "helper.flow.json", helper))
	runCLI(t, "--data", c.data, "import", writeFile(t, dir, "parent.flow.json", parent))
	c.startServe(t, false)
	c.startWorker(t)
	var ex engine.Execution
	c.api(t, "RunFlow", &ex, "pw-async", map[string]any{})
	if ex.Status != engine.StatusSuccess {
		t.Fatalf("run: %s %+v", ex.Status, ex.Error)
	}
	var rows []ExecutionSummary
	for range 200 { // the helper runs on its own: wait for its record (a readiness wait)
		c.api(t, "ListExecutions", &rows, HistoryQuery{Parent: ex.ID})
		if len(rows) == 1 && rows[0].Status == engine.StatusSuccess {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(rows) != 1 || rows[0].Status != engine.StatusSuccess {
		t.Fatalf("the async helper's run: %+v", rows)
	}
	var rec engine.Execution
	c.api(t, "GetExecution", &rec, rows[0].ID)
	b, _ := json.Marshal(rec)
	if strings.Contains(string(b), pw) || rec.Outputs["line"] != "password: "+engine.Redacted {
		t.Errorf("the async helper's record holds the password: %s", b)
	}
}
