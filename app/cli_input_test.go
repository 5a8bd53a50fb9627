package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A wrong --input is a usage error (exit 2) that names the flag and says
// what was given in the user's terms: no Go type names, a hint for the
// KEY=VALUE form, the line and column of a syntax error, the file's name.
func TestCLIInputErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "event.json")
	if err := os.WriteFile(bad, []byte("{\n  \"name\": \"Ann\"\n  \"age\": 3\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"run", "testdata/greet.flow.json", "--input", "name=Ann"},
			[]string{"run --input: not valid JSON", "not KEY=VALUE", `'{"name": "Ann"}'`}},
		{[]string{"run", "testdata/greet.flow.json", "--input", "[1, 2]"},
			[]string{"run --input: a list (array), not a JSON object"}},
		{[]string{"run", "testdata/greet.flow.json", "--input", `"Ann"`},
			[]string{"run --input: a string, not a JSON object"}},
		{[]string{"run", "testdata/greet.flow.json", "--input", "  "},
			[]string{"run --input: empty"}},
		{[]string{"run", "testdata/greet.flow.json", "--input", "@" + bad},
			[]string{"run --input @" + bad + ": not valid JSON (line 3, column 3:"}},
		{[]string{"run", "testdata/greet.flow.json", "--input", "@" + filepath.Join(dir, "missing.json")},
			[]string{"run --input @" + filepath.Join(dir, "missing.json"), "no such file"}},
		{[]string{"card", "test", "text.concat", "--input", "[]"},
			[]string{"card test --input: a list (array), not a JSON object"}},
	}
	for _, tc := range cases {
		out, errOut, code := cli(t, t.TempDir(), tc.args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (stdout %q stderr %q)", tc.args, code, ExitUsage, out, errOut)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: stderr %q lacks %q", tc.args, errOut, w)
			}
		}
		if strings.Contains(errOut, "Go value") || strings.Contains(errOut, "map[string]") {
			t.Errorf("%v: stderr speaks Go: %q", tc.args, errOut)
		}
	}
	// A good object still runs.
	if _, errOut, code := cli(t, t.TempDir(), "run", "testdata/greet.flow.json", "--input", "\ufeff{\"age\": \"21\"}"); code == ExitUsage {
		t.Fatalf("a JSON object was refused: %s", errOut)
	}
}

// A --input key that is no field of the trigger (a typo: "nmae") ran the
// flow with the field's default and no word; it is now named on stderr with
// the trigger's fields, and the run goes on.
func TestCLIRunWarnsUnknownInputKey(t *testing.T) {
	out, errOut, code := cli(t, t.TempDir(), "run", "testdata/greet.flow.json", "--input", `{"nmae": "Ann", "age": 30}`)
	if code != 0 || !strings.Contains(out, "Greet") {
		t.Fatalf("run: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, `warning: run --input: "nmae" is not a field of the trigger "Manual Run" (its fields: age, name)`) {
		t.Fatalf("stderr %q lacks the warning", errOut)
	}
	_, errOut, _ = cli(t, t.TempDir(), "run", "testdata/greet.flow.json", "--input", `{"name": "Ann", "age": 30}`)
	if strings.Contains(errOut, "warning") {
		t.Fatalf("known fields warned: %q", errOut)
	}
}
