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
	out, _, code := cli(t, dir, "validate", ex)
	if code != 0 || !strings.HasPrefix(out, "ok: 1 flow(s)") {
		t.Fatalf("validate %s: exit %d\n%s", ex, code, out)
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
