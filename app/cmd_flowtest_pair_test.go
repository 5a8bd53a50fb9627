package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A test downloaded from History ("<flow name>.test.json", naming
// "<flow name>.flow.json") beside the flow as `flowbench export` writes it
// ("<flow id>.flow.json"), as in a Git repository of exported flows, runs:
// it failed "its flow …: no such file or directory".
func TestCLITestFindsFlowExportedByID(t *testing.T) {
	flowText, err := os.ReadFile("../examples/okta-is-member-of-group.flow.json")
	if err != nil {
		t.Fatal(err)
	}
	testText, err := os.ReadFile("../examples/okta-is-member-of-group.test.json")
	if err != nil {
		t.Fatal(err)
	}
	var tf map[string]any
	if err := json.Unmarshal(testText, &tf); err != nil {
		t.Fatal(err)
	}
	const name = "Okta: mark user isMemberOfGroup"
	tf["flow"] = name + ".flow.json" // as ExportFlowTests writes it
	b, _ := json.MarshalIndent(tf, "", "  ")

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "okta-is-member-of-group.flow.json"), flowText, 0o644)
	os.WriteFile(filepath.Join(dir, name+".test.json"), b, 0o644)
	out, errOut, code := cli(t, t.TempDir(), "test", dir)
	if code != 0 || !strings.Contains(out, "1 passed, 0 failed") {
		t.Fatalf("test beside the CLI export: exit %d\n%s%s", code, out, errOut)
	}

	// two flow files of that name: which one is not guessed
	other := strings.Replace(string(flowText), `"id": "okta-is-member-of-group"`, `"id": "copy"`, 1)
	os.WriteFile(filepath.Join(dir, "copy.flow.json"), []byte(other), 0o644)
	out, _, code = cli(t, t.TempDir(), "test", dir)
	if code != 1 || !strings.Contains(out, `2 flow files in `+dir+` hold a flow of that name or id`) {
		t.Fatalf("two candidates: exit %d\n%s", code, out)
	}

	// none: the error says where the flow should be and how to put it there
	os.Remove(filepath.Join(dir, "copy.flow.json"))
	os.Remove(filepath.Join(dir, "okta-is-member-of-group.flow.json"))
	out, _, code = cli(t, t.TempDir(), "test", dir)
	if code != 1 || !strings.Contains(out, "no flow file in "+dir+" holds a flow with that name or id (export it there: flowbench export FLOW-ID -o "+dir+")") {
		t.Fatalf("no flow: exit %d\n%s", code, out)
	}

	// a missing argument is a usage error in plain words (it said "stat DIR: …")
	_, errOut, code = cli(t, t.TempDir(), "test", filepath.Join(dir, "nope"))
	if code != ExitUsage || !strings.Contains(errOut, "nope: no such file or folder") || strings.Contains(errOut, "stat ") {
		t.Fatalf("missing dir: exit %d %q", code, errOut)
	}
}

// flowbench test prints each failing run as its result; the executor's
// "execution failed" warn line per run repeated it after the summary. An
// asked-for level still shows it.
func TestCLITestNoRunWarnings(t *testing.T) {
	out, errOut, code := cli(t, t.TempDir(), "test", "testdata/flowtest/fail")
	if code != 1 || !strings.Contains(out, "failed") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if strings.Contains(errOut, "execution failed") {
		t.Fatalf("stderr repeats the failures as log lines: %q", errOut)
	}
	_, errOut, _ = cli(t, t.TempDir(), "--log-level", "warn", "test", "testdata/flowtest/fail")
	if !strings.Contains(errOut, "execution failed") {
		t.Fatalf("--log-level warn: no run log on stderr: %q", errOut)
	}
}
