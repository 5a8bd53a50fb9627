package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Importing a Git repository of exported flows onto another data folder:
// flowbench import took exactly one file ("import: give one file" for
// flows/*.flow.json or flows/). It takes several files and folders now;
// --json prints a list of reports for several files.
func TestCLIImportFolder(t *testing.T) {
	src := t.TempDir()
	if _, errOut, code := cli(t, src, "import", "testdata/greet.flow.json"); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	repo := filepath.Join(t.TempDir(), "flows")
	if _, errOut, code := cli(t, src, "export", "--all", "-o", repo); code != 0 {
		t.Fatalf("export --all: %s", errOut)
	}
	dst := t.TempDir()
	out, errOut, code := cli(t, dst, "import", repo)
	if code != 0 || strings.Count(out, "imported 1 flow(s)") != 2 {
		t.Fatalf("import DIR: exit %d\n%s%s", code, out, errOut)
	}
	out, _, _ = cli(t, dst, "flows", "--json")
	var rows []FlowSummary
	json.Unmarshal([]byte(out), &rows)
	if len(rows) != 2 {
		t.Fatalf("flows after import DIR: %s", out)
	}
	// several files with --json: a list of reports
	files, _ := filepath.Glob(filepath.Join(repo, "*.flow.json"))
	out, errOut, code = cli(t, t.TempDir(), append([]string{"import", "--json"}, files...)...)
	var reps []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &reps) != nil || len(reps) != 2 {
		t.Fatalf("import --json FILES: exit %d\n%s%s", code, out, errOut)
	}
	// one file with --json: one report, as before
	out, _, _ = cli(t, t.TempDir(), "import", "--json", files[0])
	var one map[string]any
	if err := json.Unmarshal([]byte(out), &one); err != nil {
		t.Fatalf("import --json FILE: %v\n%s", err, out)
	}
	// a broken file is named once; a missing one before the data folder is touched
	bad := filepath.Join(repo, "bad.flow.json")
	os.WriteFile(bad, []byte(`{"format": "x"}`), 0o644)
	_, errOut, code = cli(t, t.TempDir(), "import", repo)
	if code != 1 || strings.Count(errOut, bad) != 1 {
		t.Fatalf("a broken file: exit %d %q", code, errOut)
	}
	fresh := filepath.Join(t.TempDir(), "data")
	_, errOut, code = cli(t, fresh, "import", filepath.Join(repo, "nope.flow.json"))
	if code != 1 || !strings.Contains(errOut, "nope.flow.json: no such file") {
		t.Fatalf("a missing file: exit %d %q", code, errOut)
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Fatalf("a missing file created the data folder: %v", err)
	}
}

// Importing the examples in a data folder only the CLI had opened told the
// user to bind "sandbox" and "sandbox-onepassword" (flowbench connection
// bind sandbox CONNECTION), connections run, serve and the window provide
// by themselves; a connection that is really missing is still listed.
func TestCLIImportBuiltinConnectionsNeedNoBinding(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := cli(t, dir, "import", "../examples/okta-is-member-of-group.flow.json", "../examples/onboarding-1password.flow.json")
	if code != 0 || strings.Contains(out, "connection to bind") {
		t.Fatalf("import the examples: exit %d\n%s%s", code, out, errOut)
	}
	data, _ := os.ReadFile("../examples/okta-is-member-of-group.flow.json")
	prod := filepath.Join(t.TempDir(), "prod.flow.json")
	os.WriteFile(prod, []byte(strings.ReplaceAll(string(data), `"connection": "sandbox"`, `"connection": "prod"`)), 0o644)
	out, _, _ = cli(t, dir, "import", prod)
	if !strings.Contains(out, `connection to bind: "prod" (okta): flowbench connection bind prod CONNECTION`) {
		t.Fatalf("a missing connection is not listed:\n%s", out)
	}
}
