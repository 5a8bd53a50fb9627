package engine

import (
	"os"
	"strings"
	"testing"
)

const okFlow = `{"format":"flowbench.flow/v1","id":"f","name":"n","trigger":{"id":"trigger","type":"flow.manual"},"cards":[]}`

// Issue 15 point 13: what encoding/json accepts silently is refused with
// the file, line and pointer.
func TestFlowFileStrictness(t *testing.T) {
	for _, c := range []struct {
		name, text, want string
	}{
		{"invalid UTF-8", strings.Replace(okFlow, `"name":"n"`, "\"name\":\"n\xff\xfe\"", 1), "not valid UTF-8"},
		{"duplicate top key", strings.Replace(okFlow, `"name":"n"`, `"name":"n","name":"m"`, 1), `at /name: duplicate key "name"`},
		{"duplicate nested key", strings.Replace(okFlow, `"type":"flow.manual"`, `"type":"flow.manual","type":"flow.api"`, 1), `at /trigger/type: duplicate key "type"`},
		{"too deep", strings.Replace(okFlow, `"cards":[]`, `"cards":[],"x":`+strings.Repeat("[", 600)+strings.Repeat("]", 600), 1), "nested more than 512 levels"},
	} {
		_, err := ParseFile("f.flow.json", []byte(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "f.flow.json:1:") {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		t.Logf("%s: %v", c.name, err)
	}
	// the same keys in different objects are fine
	if _, err := ParseFile("f.flow.json", []byte(okFlow)); err != nil {
		t.Fatal(err)
	}
}

func TestCheckJSONTextSize(t *testing.T) {
	big := make([]byte, MaxFileBytes+1)
	if err := CheckJSONText(big, MaxJSONDepth, true); err == nil || !strings.Contains(err.Error(), "at most 64 MB") {
		t.Fatal(err)
	}
}

func TestReadFileBounded(t *testing.T) {
	p := t.TempDir() + "/big.flopack"
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(200 << 20); err != nil { // a sparse 200 MB file
		t.Fatal(err)
	}
	f.Close()
	if _, err := ReadFileBounded(p); err == nil || !strings.Contains(err.Error(), "200.0 MB; at most 64 MB") {
		t.Fatal(err)
	}
}
