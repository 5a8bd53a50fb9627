package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Flows kept in Git: export --all -o DIR again after a flow was deleted
// (or got another id) left its old file in DIR, so the next commit kept a
// flow that no longer exists. The stale file is now named on stderr, and
// --prune removes it; files that are not native flow files stay.
func TestCLIExportAllStaleFiles(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, code := cli(t, dir, "import", "testdata/greet.flow.json"); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	out := filepath.Join(t.TempDir(), "flows")
	if _, errOut, code := cli(t, dir, "export", "--all", "-o", out); code != 0 {
		t.Fatalf("export --all: %s", errOut)
	}
	greet, err := os.ReadFile(filepath.Join(out, "greet.flow.json"))
	if err != nil {
		t.Fatal(err)
	}
	gone := filepath.Join(out, "gone.flow.json") // a flow deleted since the last export
	os.WriteFile(gone, []byte(strings.Replace(string(greet), `"id": "greet"`, `"id": "gone"`, 1)), 0o644)
	other := filepath.Join(out, "notes.flow.json") // not a native flow file
	os.WriteFile(other, []byte(`{"format": "something/else"}`), 0o644)
	readme := filepath.Join(out, "README.md")
	os.WriteFile(readme, []byte("flows\n"), 0o644)

	_, errOut, code := cli(t, dir, "export", "--all", "-o", out)
	if code != 0 || !strings.Contains(errOut, "stale: "+gone) || strings.Contains(errOut, other) {
		t.Fatalf("export --all: exit %d, stderr %q: want %s named stale, %s not", code, errOut, gone, other)
	}
	if _, err := os.Stat(gone); err != nil {
		t.Fatalf("without --prune the stale file stays: %v", err)
	}
	_, errOut, code = cli(t, dir, "export", "--all", "-o", out, "--prune")
	if code != 0 || !strings.Contains(errOut, "removed "+gone) {
		t.Fatalf("export --all --prune: exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(gone); !os.IsNotExist(err) {
		t.Fatalf("--prune left %s: %v", gone, err)
	}
	for _, p := range []string{other, readme, filepath.Join(out, "greet.flow.json")} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("--prune removed %s: %v", p, err)
		}
	}
}

// A flow id with --all or --folder was silently dropped (export a --all
// exported everything); --prune without --all -o DIR did nothing.
func TestCLIExportConflictingSelectors(t *testing.T) {
	for _, args := range [][]string{
		{"export", "greet", "--all"},
		{"export", "--all", "--folder", "Tests"},
		{"export", "greet", "--folder", "Tests"},
		{"export", "greet", "--prune"},
		{"export", "--all", "--prune"},
	} {
		out, errOut, code := cli(t, t.TempDir(), args...)
		if code != ExitUsage || out != "" || !strings.Contains(errOut, "export") {
			t.Errorf("%v: exit %d stdout %q stderr %q, want a usage error", args, code, out, errOut)
		}
	}
}
