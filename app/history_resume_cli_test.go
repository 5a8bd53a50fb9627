package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `history resume` and `history rerun` of a run on the built-in sandbox
// connection start the in-process sandbox tenant, as `run` does: the
// connection otherwise points at the tenant of the process that ran it.
func TestCLIResumeAndRerunOnTheSandbox(t *testing.T) {
	dir := t.TempDir()
	flow := func(name, login string) string {
		p := filepath.Join(dir, name)
		in := `{"key": "ID or Login", "group": "User", "from": {"card": "trigger", "path": ["login"]}}`
		if login != "" {
			in = `{"key": "ID or Login", "group": "User", "value": "` + login + `"}`
		}
		src := `{"format": "flowbench.flow/v1", "id": "readlogin", "name": "Read by login", "settings": {"history": true},
 "trigger": {"id": "trigger", "type": "flow.manual", "outputs": [{"key": "login", "type": "string"}]},
 "cards": [{"id": "ru", "type": "okta.readUser", "title": "Read User", "connection": "sandbox", "inputs": [` + in + `]}]}`
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if out, errOut, code := cli(t, dir, "import", flow("read.flow.json", "")); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	out, _, code := cli(t, dir, "run", "readlogin", "--input", `{"login": "nobody@example.com"}`, "--json")
	var failed struct{ ID, Status string }
	if code != 1 || json.Unmarshal([]byte(out), &failed) != nil || failed.Status != "failed" {
		t.Fatalf("run: code %d %s", code, out)
	}
	// re-run: the same input, still not found — by the sandbox tenant (404), not a refused connection
	out, _, code = cli(t, dir, "history", "rerun", failed.ID)
	if code != 1 || !strings.Contains(out, "E0000007") || strings.Contains(out, "connection refused") {
		t.Fatalf("rerun: code %d\n%s", code, out)
	}
	// the flow fixed: resume from Read User reaches the tenant and succeeds
	if out, errOut, code := cli(t, dir, "import", flow("fixed.flow.json", "alice.nguyen@example.com")); code != 0 {
		t.Fatalf("import fixed: %d %s %s", code, out, errOut)
	}
	out, errOut, code := cli(t, dir, "history", "resume", failed.ID)
	if code != 0 || !strings.Contains(out, "✓ flow \"Read by login\" success") || !strings.Contains(out, "attempt of "+failed.ID+" (resume)") {
		t.Fatalf("resume: code %d\n%s\n%s", code, out, errOut)
	}
}
