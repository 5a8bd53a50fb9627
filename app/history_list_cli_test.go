package app

import (
	"strings"
	"testing"
)

// A mistyped --status is a usage error naming the statuses, not an empty list.
func TestCLIHistoryListUnknownStatus(t *testing.T) {
	dir := t.TempDir()
	_, errOut, code := cli(t, dir, "history", "list", "--status", "fail")
	if code != 2 || !strings.Contains(errOut, `"fail" is not a status`) || !strings.Contains(errOut, "failed, timeout") {
		t.Fatalf("code %d stderr %s", code, errOut)
	}
	if _, errOut, code := cli(t, dir, "history", "list", "--status", "interrupted"); code != 0 {
		t.Fatalf("a known status: code %d %s", code, errOut)
	}
}
