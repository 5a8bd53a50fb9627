package app

import (
	"os"
	"path/filepath"
	"testing"
)

// Issue 15 point 13: validate reads files; it does not create a data folder.
func TestValidateCreatesNoDataFolder(t *testing.T) {
	tmp := t.TempDir()
	data := filepath.Join(tmp, "never-created")
	file := filepath.Join(tmp, "f.flow.json")
	os.WriteFile(file, []byte(`{"format":"flowbench.flow/v1","id":"f","name":"n","trigger":{"id":"trigger","type":"flow.manual"},"cards":[]}`), 0o644)
	out, errs, code := cli(t, data, "validate", file)
	if code != 0 {
		t.Fatalf("validate: %d %s %s", code, out, errs)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Fatalf("validate created %s", data)
	}
}
