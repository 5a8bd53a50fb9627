package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A mistyped --status is a usage error naming the statuses, not an empty list.
func TestCLIHistoryListUnknownStatus(t *testing.T) {
	dir := t.TempDir()
	_, errOut, code := cli(t, dir, "history", "list", "--status", "fail")
	if code != 2 || !strings.Contains(errOut, `"fail" is not a status`) || !strings.Contains(errOut, "failed, timeout") {
		t.Fatalf("code %d stderr %s", code, errOut)
	}
	if _, errOut, code := cli(t, dir, "history", "list", "--status", "interrupted"); code != 0 {
		t.Fatalf("a known status: code %d %s", code, errOut)
	}
}

// --flow takes a flow's name as the Flows list shows it, as well as its id;
// a name two flows share is a usage error naming their ids.
func TestCLIHistoryListFlowByName(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, code := cli(t, dir, "import", "testdata/greet.flow.json"); code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	if _, errOut, code := cli(t, dir, "run", "greet", "--input", `{"age": "21"}`); code != 0 {
		t.Fatalf("run: %d %s", code, errOut)
	}
	for _, flow := range []string{"greet", "Greet", "GREET"} {
		out, errOut, code := cli(t, dir, "history", "list", "--flow", flow)
		if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(out, " success ") {
			t.Fatalf("--flow %s: code %d\n%s%s", flow, code, out, errOut)
		}
	}
	// a mistyped flow was an empty list, exit 0, as if the flow had never run
	if out, errOut, code := cli(t, dir, "history", "list", "--flow", "no such flow"); code != 1 || out != "" || !strings.Contains(errOut, `no stored flow has the id or name "no such flow"`) {
		t.Fatalf("an unknown flow: code %d\n%s%s", code, out, errOut)
	}
	// a stored flow that never ran is an empty list
	if out, errOut, code := cli(t, dir, "history", "list", "--flow", "okta-is-member-of-group"); code != 0 || strings.Count(out, "\n") != 1 {
		t.Fatalf("a flow with no runs: code %d\n%s%s", code, out, errOut)
	}
	src, err := os.ReadFile("testdata/greet.flow.json")
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]any
	if err := json.Unmarshal(src, &f); err != nil {
		t.Fatal(err)
	}
	f["id"] = "greet-copy"
	b, _ := json.Marshal(f)
	copyPath := filepath.Join(dir, "copy.flow.json")
	if err := os.WriteFile(copyPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := cli(t, dir, "import", copyPath); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	_, errOut, code := cli(t, dir, "history", "list", "--flow", f["name"].(string))
	if code != 2 || !strings.Contains(errOut, "2 flows have that name") || !strings.Contains(errOut, "greet-copy") {
		t.Fatalf("a shared name: code %d %s", code, errOut)
	}
}

// Deleting a flow takes its history with it, as the Flows list says.
func TestDeleteFlowDropsItsHistory(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, code := cli(t, dir, "import", "testdata/greet.flow.json"); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	if _, errOut, code := cli(t, dir, "run", "greet", "--input", `{"age": "21"}`); code != 0 {
		t.Fatalf("run: %s", errOut)
	}
	a, err := Open(context.Background(), Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	if rows, _ := a.ListExecutions(HistoryQuery{Flow: "greet"}); len(rows) != 1 {
		t.Fatalf("before: %d runs", len(rows))
	}
	if err := a.DeleteFlow("greet"); err != nil {
		t.Fatal(err)
	}
	if rows, _ := a.ListExecutions(HistoryQuery{}); len(rows) != 0 {
		t.Fatalf("after the flow is deleted: %+v", rows)
	}
}
