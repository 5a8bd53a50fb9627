package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// A folder with a long name exports to a file (its name was the whole
// folder name and failed "file name too long"); a long connection name gets
// a short id.
func TestLongNamesExportAndSlug(t *testing.T) {
	long := strings.Repeat("Quarterly access review and onboarding automation ", 6)
	if s := slug(long); len(s) > maxSlug || !strings.HasPrefix(s, "quarterly-access-review") || strings.HasSuffix(s, "-") {
		t.Fatalf("slug: %q", s)
	}
	dir := t.TempDir()
	flow := filepath.Join(t.TempDir(), "f.flow.json")
	if err := os.WriteFile(flow, []byte(`{"format":"flowbench.flow/v1","id":"long-folder","name":"In a long folder","trigger":{"id":"trigger","type":"flow.manual"},"cards":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errs, code := cli(t, dir, "import", "--into", long, flow); code != 0 {
		t.Fatalf("import: %d %s%s", code, out, errs)
	}
	outDir := t.TempDir()
	if out, errs, code := cli(t, dir, "export", "--folder", long, "-o", outDir); code != 0 {
		t.Fatalf("export: %d %s%s", code, out, errs)
	}
	files, _ := os.ReadDir(outDir)
	if len(files) != 1 || !strings.HasSuffix(files[0].Name(), ".folder.json") || len(files[0].Name()) > maxSlug+len(".folder.json") {
		t.Fatalf("exported: %v", files)
	}
	a := testApp(t)
	c, err := a.SaveConnection(&engine.Connection{Name: long, Kind: "http", Config: map[string]any{"authType": "none"}})
	if err != nil || len(c.ID) > maxSlug {
		t.Fatalf("connection id %q: %v", c.ID, err)
	}
}
