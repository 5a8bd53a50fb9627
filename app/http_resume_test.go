package app

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/temporal"
)

// pauseFlowJSON: API Endpoint (body name) → Pause (ask; output ok) → Return {ok, name}.
const pauseFlowJSON = `{"format":"flowbench.flow/v1","id":"approve","name":"Approve","settings":{"history":true},
 "trigger":{"id":"trigger","type":"api.endpoint","outputs":[{"key":"name","group":"body","type":"string"}]},
 "cards":[{"id":"p","type":"flow.pause","title":"Pause","inputs":[{"key":"ask","type":"string","from":{"card":"trigger","path":["name"]}}],
   "outputs":[{"key":"ok","type":"boolean"}]},
  {"id":"r","type":"flow.return","title":"Return","inputs":[{"key":"ok","type":"boolean","from":{"card":"p","path":["ok"]}},
   {"key":"name","type":"string","from":{"card":"trigger","path":["name"]}}]}]}`

// The resume URL is behind serve's guard like every route: a foreign Host
// or a cross-site POST resumes nothing; the flow's client token is needed.
// pausedApproveRun serves a with the approve flow (pauseFlowJSON) switched on
// and invokes it: the run pauses. It returns serve's address, the flow's
// client token and the paused execution's id.
func pausedApproveRun(t *testing.T, a *App) (base, secret, id string) {
	t.Helper()
	f, err := engine.ParseFlow("approve.flow.json", []byte(pauseFlowJSON))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Store.PutFlow(f); err != nil {
		t.Fatal(err)
	}
	base, _ = startServe(t, a, "")
	if err := a.SetFlowEnabled("approve", true); err != nil {
		t.Fatal(err)
	}
	st, err := a.TriggerStatus("approve")
	if err != nil || st.Secret == "" {
		t.Fatalf("trigger %+v %v", st, err)
	}
	code, hdr, body := do(t, "POST", base+"/api/flo/approve/invoke", map[string]string{"x-api-client-token": st.Secret, "Content-Type": "application/json"}, `{"name":"Ada"}`)
	id = hdr.Get(engine.HeaderExecutionID)
	if code != 200 || body != `{"ask":"Ada"}` || id == "" {
		t.Fatalf("invoke: %d %s %v", code, body, hdr)
	}
	return base, st.Secret, id
}

func TestServeResumeGuarded(t *testing.T) {
	a := testApp(t)
	base, secret, id := pausedApproveRun(t, a)
	port := base[strings.LastIndexByte(base, ':')+1:]
	url := base + "/api/flo/approve/resume/" + id
	for _, c := range []struct {
		name   string
		hdr    map[string]string
		status int
	}{
		{"foreign host", map[string]string{"Host": "rebind.attacker.example:" + port, "x-api-client-token": secret}, http.StatusMisdirectedRequest},
		{"cross-site", map[string]string{"Origin": "http://evil.example", "Content-Type": "text/plain", "x-api-client-token": secret}, http.StatusForbidden},
		{"no token", map[string]string{"Content-Type": "application/json"}, http.StatusUnauthorized},
	} {
		if code, _, body := do(t, "POST", url, c.hdr, `{"ok":true}`); code != c.status {
			t.Fatalf("%s: %d %s, want %d", c.name, code, body, c.status)
		}
	}
	a.Store.Flush()
	if ex, err := a.Store.Execution(id); err != nil || ex.Status != engine.StatusPaused {
		t.Fatalf("after refused resumes: %v %v, want still paused", ex, err)
	}
	code, _, body := do(t, "POST", url, map[string]string{"x-api-client-token": secret, "Content-Type": "application/json"}, `{"ok":true}`)
	if code != 200 || body != `{"name":"Ada","ok":true}` {
		t.Fatalf("resume: %d %s", code, body)
	}
}

// history show marks a paused run and names its resume URL; history
// resume says how a paused run continues instead of resuming it.
func TestCLIHistoryPaused(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "approve.flow.json")
	if err := os.WriteFile(file, []byte(pauseFlowJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	if out, errOut, code := cli(t, data, "import", file); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	out, errOut, code := cli(t, data, "run", "approve", "--input", `{"name":"Ann"}`)
	if code != 0 || !strings.Contains(out, "paused") {
		t.Fatalf("run: %d %s %s", code, out, errOut)
	}
	id := out[strings.Index(out, "(execution ")+len("(execution ") : strings.Index(out, ")\n")]
	out, _, code = cli(t, data, "history", "show", id)
	if code != 0 || !strings.HasPrefix(out, "‖ flow \"Approve\" paused") || !strings.Contains(out, "‖  p        Pause   paused") ||
		!strings.Contains(out, "POST its outputs as JSON to /api/flo/approve/resume/"+id) {
		t.Fatalf("history show: %d\n%s", code, out)
	}
	out, _, _ = cli(t, data, "history", "list", "--status", "paused")
	if !strings.Contains(out, id) {
		t.Fatalf("history list --status paused:\n%s", out)
	}
	_, errOut, code = cli(t, data, "history", "resume", id)
	if code == 0 || !strings.Contains(errOut, "this run is paused at its Pause card") {
		t.Fatalf("history resume of a paused run: %d %s", code, errOut)
	}
	if _, errOut, code = cli(t, data, "history", "resume", id, "--body", "[1]"); code != 2 {
		t.Fatalf("--body not an object: %d %s, want usage error", code, errOut)
	}
	if _, errOut, code = cli(t, data, "history", "resume", id, "--body", `{"ok":"perhaps"}`); code == 0 || !strings.Contains(errOut, `output "ok" (boolean)`) {
		t.Fatalf("--body with a bad value: %d %s", code, errOut)
	}
	out, errOut, code = cli(t, data, "history", "resume", id, "--body", `{"ok":true}`)
	if code != 0 || !strings.HasPrefix(out, "✓ flow \"Approve\" success") || !strings.Contains(out, `outputs: {"name":"Ann","ok":true}`) {
		t.Fatalf("history resume --body: %d\n%s%s", code, out, errOut)
	}
	if _, errOut, code = cli(t, data, "history", "resume", id, "--body", `{"ok":true}`); code == 0 || !strings.Contains(errOut, "is not paused: it is success") {
		t.Fatalf("second resume: %d %s", code, errOut)
	}
}

// Under serve --temporal the designer reports a Pause card as unsupported.
func TestTemporalPauseProblem(t *testing.T) {
	a := testApp(t)
	f, err := engine.ParseFlow("approve.flow.json", []byte(pauseFlowJSON))
	if err != nil {
		t.Fatal(err)
	}
	has := func() bool {
		probs, _ := a.ValidateFlow(f)
		for _, p := range probs {
			if p.Card == "p" && strings.Contains(p.Message, "Pause is not supported on the Temporal executor") {
				return true
			}
		}
		return false
	}
	if has() {
		t.Fatal("local executor: Pause reported as unsupported")
	}
	clusterStarters.Store(a, &temporal.Starter{})
	defer clusterStarters.Delete(a)
	if !has() {
		t.Fatal("serve --temporal: no problem on the Pause card")
	}
}
