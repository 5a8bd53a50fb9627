package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// validate of the README's example (cards on the built-in "sandbox"
// connection) in a data folder only the CLI had opened said 'connection
// "sandbox" does not exist' three times and exit 1, while run of the same
// file succeeds there (run provides the sandbox tenant). A connection that
// really is missing is still a problem.
func TestCLIValidateSandboxConnection(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, code := cli(t, dir, "flows"); code != 0 { // the folder exists, no serve ever ran
		t.Fatalf("flows: %s", errOut)
	}
	ex := "../examples/okta-is-member-of-group.flow.json"
	// the onboarding example uses a fake's connection too (sandbox-onepassword)
	out, _, code := cli(t, dir, "validate", ex, "../examples/onboarding-1password.flow.json")
	if code != 0 || !strings.HasPrefix(out, "ok: 2 flow(s)") {
		t.Fatalf("validate the examples: exit %d\n%s", code, out)
	}
	data, err := os.ReadFile(ex)
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "other.flow.json")
	os.WriteFile(other, []byte(strings.ReplaceAll(string(data), `"connection": "sandbox"`, `"connection": "prod-okta"`)), 0o644)
	out, _, code = cli(t, dir, "validate", other)
	if code != 1 || !strings.Contains(out, `connection "prod-okta" does not exist`) {
		t.Fatalf("validate with a missing connection: exit %d\n%s", code, out)
	}
}

// validate DIR checks every flow file under it, as a repository of exported
// flows is laid out (it said "read flows/: is a directory", exit 1); a
// folder with none is a usage error naming it.
func TestCLIValidateFolder(t *testing.T) {
	repo := t.TempDir()
	sub := filepath.Join(repo, "flows", "onboarding")
	os.MkdirAll(sub, 0o755)
	os.MkdirAll(filepath.Join(repo, ".git"), 0o755)
	good, _ := os.ReadFile("testdata/greet.flow.json")
	os.WriteFile(filepath.Join(repo, "flows", "greet.flow.json"), good, 0o644)
	os.WriteFile(filepath.Join(sub, "broken.flow.json"), []byte(`{"format": "flowbench.flow/v1", "id": "x",`), 0o644)
	os.WriteFile(filepath.Join(repo, ".git", "stale.flow.json"), []byte(`{`), 0o644) // hidden: skipped
	os.WriteFile(filepath.Join(repo, "README.md"), []byte("flows"), 0o644)
	out, errOut, code := cli(t, t.TempDir(), "validate", repo)
	if code != 1 || !strings.Contains(out, filepath.Join(sub, "broken.flow.json")+":1:") || !strings.Contains(out, "1 problem(s) in 2 file(s)") || strings.Contains(out, "stale") {
		t.Fatalf("validate DIR: exit %d\n%s%s", code, out, errOut)
	}
	os.Remove(filepath.Join(sub, "broken.flow.json"))
	if out, errOut, code := cli(t, t.TempDir(), "validate", filepath.Join(repo, "flows")); code != 0 || !strings.HasPrefix(out, "ok: 1 flow(s) in 1 file(s)") {
		t.Fatalf("validate DIR (good): exit %d\n%s%s", code, out, errOut)
	}
	empty := t.TempDir()
	if _, errOut, code := cli(t, t.TempDir(), "validate", empty); code != ExitUsage || !strings.Contains(errOut, "no flow files") || !strings.Contains(errOut, empty) {
		t.Fatalf("validate an empty folder: exit %d %q", code, errOut)
	}
}
