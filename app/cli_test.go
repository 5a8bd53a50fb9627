package app

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

var update = flag.Bool("update", false, "rewrite golden files")

// cli runs the CLI in-process against a data dir and returns stdout, stderr, status.
func cli(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	c := &CLI{Stdout: &out, Stderr: &errb}
	code := c.Main(append([]string{"--data", dir}, args...))
	return out.String(), errb.String(), code
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		os.WriteFile(p, []byte(got), 0o644)
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("%s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestCLIValidate(t *testing.T) {
	dir := t.TempDir()
	out, _, code := cli(t, dir, "validate", "testdata/greet.flow.json")
	if code != 0 || !strings.HasPrefix(out, "ok: 1 flow(s) in 1 file(s)") {
		t.Fatalf("good file: code %d out %q", code, out)
	}
	out, _, code = cli(t, dir, "validate", "testdata/broken.flow.json")
	if code != 1 {
		t.Fatalf("broken file: code %d", code)
	}
	golden(t, "broken.golden", out)
}

func TestCLIValidateMalformed(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "truncated.flow.json")
	data, _ := os.ReadFile("testdata/greet.flow.json")
	os.WriteFile(bad, data[:200], 0o644)
	out, _, code := cli(t, dir, "validate", bad)
	if code != 1 || !strings.Contains(out, "truncated.flow.json:") || !strings.Contains(out, "invalid JSON") {
		t.Fatalf("code %d out %q", code, out)
	}
}

func TestCLIRunJSONAndHistory(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := cli(t, dir, "run", "testdata/greet.flow.json", "--input", `{"age": "21"}`, "--json")
	if code != 0 {
		t.Fatalf("code %d stderr %s", code, errOut)
	}
	var ex map[string]any
	if err := json.Unmarshal([]byte(out), &ex); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"id", "flow", "status", "started", "ended", "outputs", "cards"} {
		if _, ok := ex[k]; !ok {
			t.Fatalf("run --json lacks %q", k)
		}
	}
	if ex["status"] != "success" || mustJSON(ex["outputs"]) != `{"greeting":"Good day","name":"world"}` {
		t.Fatalf("status %v outputs %v", ex["status"], ex["outputs"])
	}
	card := ex["cards"].([]any)[1].(map[string]any)
	for _, k := range []string{"id", "type", "title", "status", "inputs", "outputs", "started", "ended"} {
		if _, ok := card[k]; !ok {
			t.Fatalf("card record lacks %q: %v", k, card)
		}
	}
	// the failing run is in history with the failing card marked
	out, errOut, code = cli(t, dir, "run", "testdata/fails.flow.json")
	// the failed run is the command's result, printed once: no "execution failed" log line repeating it
	if strings.Contains(errOut, "execution failed") || strings.Contains(errOut, "user not eligible") {
		t.Fatalf("stderr repeats the failed run: %q", errOut)
	}
	if code != 1 || !regexp.MustCompile(`✗\s+boom\s+Boom\s+failed`).MatchString(out) || !regexp.MustCompile(`·\s+after\s+not run`).MatchString(out) || !strings.Contains(out, "user not eligible (HTTP 409)") {
		t.Fatalf("failing run: code %d\n%s", code, out)
	}
	out, _, code = cli(t, dir, "history", "list", "--status", "failed", "--json")
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 || rows[0]["failedCard"] != "boom" {
		t.Fatalf("history list: code %d %s", code, out)
	}
	out, _, code = cli(t, dir, "history", "show", rows[0]["id"].(string), "--json")
	var got engine.Execution
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got.FailedCard().ID != "boom" || got.Error.Status != 409 {
		t.Fatalf("history show: %s", out)
	}
	for _, r := range got.Cards {
		if r.ID == "after" && r.Status != engine.StatusNotRun {
			t.Fatalf("card after failure: %s", r.Status)
		}
	}
}

func TestCLIImportExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if out, errOut, code := cli(t, dir, "import", "testdata/greet.flow.json"); code != 0 || !strings.Contains(out, "imported 1 flow(s)") {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	out1, _, code := cli(t, dir, "export", "greet")
	if code != 0 {
		t.Fatal("export failed")
	}
	orig, _ := os.ReadFile("testdata/greet.flow.json")
	if out1 != string(orig) {
		t.Fatalf("export differs from the imported file:\n%s", out1)
	}
	// export → import → export is byte-identical
	p := filepath.Join(dir, "again.flow.json")
	os.WriteFile(p, []byte(out1), 0o644)
	cli(t, dir, "import", p)
	out2, _, _ := cli(t, dir, "export", "greet")
	if out1 != out2 {
		t.Fatal("second export differs")
	}
	// a folder export runs through import again
	outDir := filepath.Join(dir, "exp")
	if _, errOut, code := cli(t, dir, "export", "--all", "-o", outDir); code != 0 {
		t.Fatalf("export --all: %s", errOut)
	}
	if _, err := os.Stat(filepath.Join(outDir, "greet.flow.json")); err != nil {
		t.Fatal(err)
	}
}

func TestCLIFailedImportChangesNothing(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.folder.json")
	greet, _ := os.ReadFile("testdata/greet.flow.json")
	var f map[string]any
	json.Unmarshal(greet, &f)
	second := map[string]any{"format": "flowbench.flow/v1", "id": "x2", "name": "X", "trigger": map[string]any{"id": "t", "type": "flow.manual"}, "cards": []any{map[string]any{"id": "c"}}}
	folder := map[string]any{"format": "flowbench.folder/v1", "name": "Bad", "flows": []any{f, second}}
	b, _ := json.Marshal(folder)
	os.WriteFile(bad, b, 0o644)
	_, errOut, code := cli(t, dir, "import", bad)
	if code != 1 || !strings.Contains(errOut, "bad.folder.json") || !strings.Contains(errOut, "/flows/1/cards/0") {
		t.Fatalf("code %d stderr %q", code, errOut)
	}
	out, _, _ := cli(t, dir, "flows")
	if strings.Contains(out, "greet") {
		t.Fatalf("failed import left flows behind:\n%s", out)
	}
}

func TestCLICards(t *testing.T) {
	out, _, code := cli(t, t.TempDir(), "cards", "--json")
	var docs []engine.SpecDoc
	if code != 0 || json.Unmarshal([]byte(out), &docs) != nil {
		t.Fatalf("cards --json: %d", code)
	}
	found := false
	for _, d := range docs {
		if d.ID == "flow.if" {
			found = true
			if d.InputSchema["type"] != "object" || len(d.Okta) == 0 || d.Okta[0] != "control:if" {
				t.Fatalf("flow.if doc %+v", d)
			}
		}
	}
	if !found {
		t.Fatal("flow.if missing from cards")
	}
	out, _, code = cli(t, t.TempDir(), "card", "test", "control:let", "--input", `{"a": 1}`)
	if code != 0 || !strings.Contains(out, `"a": 1`) {
		t.Fatalf("card test: %d %s", code, out)
	}
}

func TestSecondProcessGetsClearError(t *testing.T) {
	dir := t.TempDir()
	a, err := Open(t.Context(), Options{DataDir: dir, Out: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	_, errOut, code := cli(t, dir, "flows")
	if code != 1 || !strings.Contains(errOut, fmt.Sprintf("held by another Flowbench (PID %d)", os.Getpid())) {
		t.Fatalf("code %d stderr %q", code, errOut)
	}
	// serve (and the window) say what they are: the user of `flowbench
	// history list` learns which process to stop, or which UI to open
	// instead; the message said only "already in use by PID n".
	a.Store.NoteHolder("flowbench serve at http://127.0.0.1:18080/")
	_, errOut, code = cli(t, dir, "history", "list")
	if code != 1 || !strings.Contains(errOut, fmt.Sprintf("held by flowbench serve at http://127.0.0.1:18080/ (PID %d); stop it first", os.Getpid())) {
		t.Fatalf("code %d stderr %q", code, errOut)
	}
	// A weak serve token is a wrong command line (exit 2), found before the
	// data directory is opened (it said the directory was in use, then exit 1).
	_, errOut, code = cli(t, dir, "serve", "--token", "abc")
	if code != ExitUsage || !strings.Contains(errOut, "serve --token: the token is 3 characters long") {
		t.Fatalf("weak token: code %d stderr %q", code, errOut)
	}
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestFolderExportBundlesHelpersAndTables(t *testing.T) {
	dir := t.TempDir()
	a, err := Open(t.Context(), Options{DataDir: dir, Out: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	def, err := a.Store.CreateTable(t.Context(), engine.TableDef{Name: "Audit", Columns: []engine.Column{{Name: "user", Type: engine.T("string")}}})
	if err != nil {
		t.Fatal(err)
	}
	helper := &engine.Flow{Format: engine.FlowFormat, ID: "helper", Name: "Helper", Folder: "Lib",
		Trigger: engine.Card{ID: "trigger", Type: "flow.helper"},
		Cards:   []engine.Card{{ID: "row", Type: "flow.assign", Inputs: []engine.Field{{Key: "stash", Value: def.ID}}}}}
	main := &engine.Flow{Format: engine.FlowFormat, ID: "main", Name: "Main", Folder: "Ops",
		Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards:   []engine.Card{{ID: "call", Type: "flow.call", Flow: "helper", Connection: "okta-prod"}}}
	for _, f := range []*engine.Flow{helper, main} {
		if err := a.Store.PutFlow(f); err != nil {
			t.Fatal(err)
		}
	}
	text, err := a.ExportFolder("Ops")
	if err != nil {
		t.Fatal(err)
	}
	var b engine.Folder
	if err := json.Unmarshal([]byte(text), &b); err != nil {
		t.Fatal(err)
	}
	if len(b.Flows) != 2 || len(b.Tables) != 1 || b.Tables[0].Name != "Audit" || len(b.Connections) != 1 || b.Connections[0].ID != "okta-prod" {
		t.Fatalf("bundle: %d flows, tables %+v, connections %+v", len(b.Flows), b.Tables, b.Connections)
	}
	if strings.Contains(text, "secret") {
		t.Fatal("export mentions a secret")
	}
	defs, err := a.ListTables()
	if err != nil || len(defs) != 1 || defs[0].ID != def.ID {
		t.Fatalf("ListTables: %+v %v", defs, err)
	}
	if _, err := a.Store.CreateRow(t.Context(), def.ID, map[string]any{"user": "ann"}); err != nil {
		t.Fatal(err)
	}
	rows, err := a.TableRows(def.ID, 10)
	if err != nil || len(rows) != 1 || rows[0]["user"] != "ann" {
		t.Fatalf("TableRows: %+v %v", rows, err)
	}
}
