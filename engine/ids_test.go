package engine

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckID(t *testing.T) {
	for _, ok := range []string{"a", "my-flow", "b25f605b-3d72-4042-a359-6e6851d76101", NewID(), "flow_1.v2"} {
		if err := CheckID("flow", ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", ".", "..", "../../x", `..\x`, "a/b", "/abs", "C:x", "x y", "tab\t", "nul\x00", "é", strings.Repeat("a", 129)} {
		if err := CheckID("flow", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestConfinedPath(t *testing.T) {
	dir := t.TempDir()
	p, err := ConfinedPath(dir, "x.flow.json")
	if err != nil || p != filepath.Join(dir, "x.flow.json") {
		t.Fatalf("%q %v", p, err)
	}
	for _, bad := range []string{"../x.flow.json", "../../x", "a/../../x", "/etc/passwd", `..\x`, "..", "", "."} {
		if p, err := ConfinedPath(dir, bad); err == nil {
			t.Errorf("%q confined to %q", bad, p)
		}
	}
}

// A native flow or folder file with such an id is refused at load, naming
// the JSON pointer.
func TestParseRefusesPathIDs(t *testing.T) {
	flow := `{"format":"flowbench.flow/v1","id":"..","name":"n","trigger":{"id":"trigger","type":"flow.manual"},"cards":[]}`
	if _, err := ParseFile("f.flow.json", []byte(flow)); err == nil || !strings.Contains(err.Error(), "/id") {
		t.Fatalf("flow: %v", err)
	}
	folder := `{"format":"flowbench.folder/v1","name":"x","flows":[{"format":"flowbench.flow/v1","id":"..\\..\\x","name":"n","trigger":{"id":"trigger","type":"flow.manual"},"cards":[]}]}`
	if _, err := ParseFile("f.folder.json", []byte(folder)); err == nil || !strings.Contains(err.Error(), "/flows/0/id") {
		t.Fatalf("folder: %v", err)
	}
}
