package app

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

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
