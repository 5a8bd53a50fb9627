package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 15 point 8: `export --all -o DIR` writes only inside DIR; a flow id
// that names a path cannot even be imported.
func TestExportAllStaysInDir(t *testing.T) {
	tmp := t.TempDir()
	data := filepath.Join(tmp, "data")
	evil := filepath.Join(tmp, "evil.flopack")
	os.WriteFile(evil, []byte(`{"data":{"flos":{"../../x":{"name":"n","data":{"methods":[{"uuid":"a","address":"root:kernel:control:0.0.1:noop"}],"orderings":{}}}}}}`), 0o644)
	_, errs, code := cli(t, data, "import", evil)
	if code == 0 || !strings.Contains(errs, "flow id") {
		t.Fatalf("import of a path id: %d %s", code, errs)
	}
	good := filepath.Join(tmp, "good.flow.json")
	os.WriteFile(good, []byte(`{"format":"flowbench.flow/v1","id":"good-1","name":"n","trigger":{"id":"trigger","type":"flow.manual"},"cards":[]}`), 0o644)
	if out, errs, code := cli(t, data, "import", good); code != 0 {
		t.Fatalf("import: %s %s", out, errs)
	}
	outDir := filepath.Join(tmp, "out", "nested")
	if out, errs, code := cli(t, data, "export", "--all", "-o", outDir); code != 0 {
		t.Fatalf("export: %s %s", out, errs)
	}
	var outside []string
	filepath.Walk(tmp, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && strings.HasSuffix(p, ".flow.json") && p != good && !strings.HasPrefix(p, outDir+string(os.PathSeparator)) {
			outside = append(outside, p)
		}
		return nil
	})
	if len(outside) > 0 {
		t.Fatalf("export wrote outside %s: %v", outDir, outside)
	}
	if _, err := os.Stat(filepath.Join(outDir, "good-1.flow.json")); err != nil {
		t.Fatal(err)
	}
}
