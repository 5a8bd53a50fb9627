package engine

import (
	"fmt"
	"path/filepath"
	"strings"
)

// MaxIDLength bounds flow, table and connection ids.
const MaxIDLength = 128

// CheckID reports whether id may name a flow (or table, connection): it ends
// up in file names (export writes <id>.flow.json) and store keys, so it is
// 1–128 letters, digits, '.', '_' or '-', and does not start with '.'. Every
// source (native files, .flopack imports, the UI and the API) goes through
// it. Okta's flow ids (UUIDs) and NewID's hex ids fit.
func CheckID(kind, id string) error {
	if id == "" {
		return fmt.Errorf("%s id is empty", kind)
	}
	if len(id) > MaxIDLength {
		return fmt.Errorf("%s id %.20q… is %d characters long (at most %d)", kind, id, len(id), MaxIDLength)
	}
	if id[0] == '.' {
		return fmt.Errorf("%s id %q must not start with '.'", kind, id)
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return fmt.Errorf("%s id %q may only hold letters, digits, '.', '_' and '-' (found %q)", kind, id, r)
		}
	}
	return nil
}

// ConfinedPath joins dir and name and fails unless the result lies inside
// dir: every file an export writes goes through it.
func ConfinedPath(dir, name string) (string, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." || filepath.IsAbs(name) || filepath.VolumeName(name) != "" {
		return "", fmt.Errorf("refusing to write %q: not a plain file name inside %s", name, dir)
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	p := filepath.Join(absDir, name)
	rel, err := filepath.Rel(absDir, p)
	if err != nil || rel != name || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("refusing to write %q outside %s", name, dir)
	}
	return filepath.Join(dir, name), nil
}
