package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/flowtest"
)

// A test of a flow that calls a helper flow, run by `flowbench test` with
// only the flow's export beside it, failed every card with "helper flow
// <id> not found": the run now stops first, naming the helper (the test
// file records helper names) and the export command that adds it.
func TestCLITestNamesAMissingHelperFlow(t *testing.T) {
	a := testApp(t)
	bind := func(card, out string) *engine.Binding { return &engine.Binding{Card: card, Path: []string{out}} }
	h, err := a.CreateHelperFlow("Greet helper", "", []engine.Field{{Key: "who", Type: engine.T("string")}})
	if err != nil {
		t.Fatal(err)
	}
	h.Cards = []engine.Card{
		{ID: "cc", Type: "text.concat", Title: "Say hi", Inputs: []engine.Field{{Key: "string 1", Value: "hi "}, {Key: "string 2", From: bind(h.Trigger.ID, "who")}}},
		{ID: "ret", Type: "flow.return", Inputs: []engine.Field{{Key: "greeting", From: bind("cc", "output")}}},
	}
	r, err := a.SaveFlow(h)
	if err != nil {
		t.Fatal(err)
	}
	h = r.Flow
	p, err := a.CreateFlow("Parent", "")
	if err != nil {
		t.Fatal(err)
	}
	p.Trigger.Outputs = []engine.Field{{Key: "name", Type: engine.T("string")}}
	p.Cards = []engine.Card{
		{ID: "call", Type: "flow.call", Title: "Call greet", Flow: h.ID, Inputs: []engine.Field{{Key: "who", From: bind(p.Trigger.ID, "name")}}},
		{ID: "up", Type: "text.upper", Title: "Shout", Inputs: []engine.Field{{Key: "string", From: bind("call", "greeting")}}},
	}
	if r, err = a.SaveFlow(p); err != nil {
		t.Fatal(err)
	}
	p = r.Flow
	ex, err := a.RunFlow(p.ID, map[string]any{"name": "ann"})
	if err != nil || ex.Status != engine.StatusSuccess {
		t.Fatalf("run: %v %s", err, ex.Status)
	}
	if _, err := a.SaveExecutionAsTest(ex.ID, "greets ann"); err != nil {
		t.Fatal(err)
	}
	// a second test of the same name would replace the first without a word
	if _, err := a.SaveExecutionAsTest(ex.ID, " greets ann "); err == nil || !strings.Contains(err.Error(), `flow "Parent" already has a test named "greets ann"`) {
		t.Fatalf("saving a second test of the same name: %v", err)
	}
	tests, err := a.ExportFlowTests(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var file flowtest.File
	if err := json.Unmarshal([]byte(tests), &file); err != nil || file.Helpers[h.ID] != "Greet helper" {
		t.Fatalf("the test file names its helpers %v (%v)", file.Helpers, err)
	}
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	parent, _ := a.ExportFlow(p.ID)
	write("Parent.test.json", tests)
	write("Parent.flow.json", parent)
	out, errOut, code := cli(t, t.TempDir(), "test", dir)
	want := `flow "Parent" calls helper flow "Greet helper" (` + h.ID + `), not among the *.flow.json files: export it beside the test (flowbench export ` + h.ID + ` -o ` + dir + `)`
	if code != 1 || !strings.Contains(out, want) || strings.Contains(out, "not found") {
		t.Fatalf("exit %d, want 1 and %q:\n%s\n%s", code, want, out, errOut)
	}
	helper, _ := a.ExportFlow(h.ID)
	write(h.ID+".flow.json", helper) // what the command says writes
	if out, errOut, code = cli(t, t.TempDir(), "test", dir); code != 0 || !strings.Contains(out, "1 passed, 0 failed") {
		t.Fatalf("with the helper's export: exit %d\n%s\n%s", code, out, errOut)
	}
}
