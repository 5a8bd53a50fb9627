package tables

import (
	"context"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/functions"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

// Import CSV reads a stored file (a Download's File Content) as well as CSV
// text; a file no longer stored names the input.
func TestImportCSVFromAFile(t *testing.T) {
	e := newEnv(t)
	e.ex.Services["files"] = e.st
	m, err := e.st.PutFile(context.Background(), store.FileMeta{Name: "users.csv", ContentType: "text/csv"}, strings.NewReader("User ID,Status\nu1,imported\nu2,imported\n"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, value string
		rows        float64
		errIn       string
	}{
		{name: "stored file", value: functions.FileValue(m), rows: 2},
		{name: "CSV text", value: "User ID\nu3\n", rows: 1},
		{name: "file no longer stored", value: functions.FileValue(store.FileMeta{ID: "0123456789abcdef0123456789abcdef", Name: "gone.csv"}), errIn: "File Content"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := []engine.Field{{Key: "File Content", Value: c.value}}
			if c.errIn != "" {
				e.wantErr(c.errIn, "tables.importCSV", in)
				return
			}
			if out := e.must("tables.importCSV", in); out["Imported Rows"] != c.rows {
				t.Fatalf("import = %v", out)
			}
		})
	}
	back := e.must("tables.exportCSV", []engine.Field{{Key: "Columns", Value: []any{"User ID", "Status"}}})
	if back["File Content"] != "User ID,Status\nu1,imported\nu2,imported\nu3,\n" {
		t.Fatalf("rows = %q", back["File Content"])
	}
}
