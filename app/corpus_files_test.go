package app

import (
	"path/filepath"
	"sort"
	"testing"
)

// corpusDir is the official Okta Workflows templates (../shared/corpus).
var corpusDir = filepath.Join("..", "..", "shared", "corpus", "okta-workflows-templates")

// corpusTemplates lists the templates' .flopack files, sorted. A missing
// corpus fails the test, naming where it was looked for: a corpus test that
// skipped without it passed while testing nothing.
func corpusTemplates(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*", "*.flopack"))
	if len(files) == 0 {
		t.Fatalf("template corpus not found at %s", corpusDir)
	}
	sort.Strings(files)
	return files
}
