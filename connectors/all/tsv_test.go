package all

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// tsvRows reads a testdata list of Okta's cards: one row a line, cells
// separated by tabs, blank lines, "#" comments and the header row ("kind\t…")
// skipped. A row without exactly one cell per column fails the test.
func tsvRows(t *testing.T, path string, columns ...string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "kind\t") {
			continue
		}
		cells := strings.Split(line, "\t")
		if len(cells) != len(columns) {
			t.Fatalf("%s: bad row %q: want %s", path, line, strings.Join(columns, ", "))
		}
		rows = append(rows, cells)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}
