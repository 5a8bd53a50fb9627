package app

import (
	"encoding/json"
	"testing"
)

// flowbench flows --json: the stored flows for scripts (ids to export or
// run), as history list --json and cards --json already were; flows had
// only the table ("unknown flag: --json").
func TestCLIFlowsJSON(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, code := cli(t, dir, "import", "testdata/greet.flow.json"); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	out, errOut, code := cli(t, dir, "flows", "--json")
	if code != 0 {
		t.Fatalf("flows --json: exit %d %s", code, errOut)
	}
	var rows []FlowSummary
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	byID := map[string]FlowSummary{}
	for _, r := range rows {
		byID[r.ID] = r
	}
	if g := byID["greet"]; g.Name != "Greet" || g.Folder != "Tests" || g.Trigger != "flow.manual" || g.Cards == 0 {
		t.Fatalf("greet row %+v in %s", g, out)
	}
}
