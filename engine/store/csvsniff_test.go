package store

import (
	"context"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// A CSV saved by a spreadsheet in a locale with a decimal comma separates
// fields with semicolons; one copied from a spreadsheet, with tabs. The
// import reads both from the header line; commas inside quotes or a
// semicolon inside a comma-separated value change nothing.
func TestCSVDelimiterFromHeader(t *testing.T) {
	ctx := context.Background()
	s := tblOpen(t, t.TempDir())
	defer s.Close()
	def := tblPeople(t, s)
	for _, c := range []struct{ name, doc, want string }{
		{"semicolons", "name;age;active\nAnn;42;true\n\"Bob; Jr\";7;false\n", "Bob; Jr"},
		{"tabs", "name\tage\tactive\nAnn\t42\ttrue\nBob, Jr\t7\tfalse\n", "Bob, Jr"},
		{"commas with semicolons in a value", "name,age,active\nAnn,42,true\nBob; Jr,7,false\n", "Bob; Jr"},
		{"a quoted header with commas", "\"name\",\"age\"\nAnn,42\nBob;Jr,7\n", "Bob;Jr"},
	} {
		p, err := s.PreviewCSV(ctx, def.ID, []byte(c.doc), engine.CSVOptions{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(p.Errors) != 0 || p.Total != 2 || p.Rows[1]["name"] != c.want || p.Rows[0]["age"] != 42.0 {
			t.Fatalf("%s: errors %v, rows %v", c.name, p.Errors, p.Rows)
		}
	}
	// a header with neither: one column, named as written
	p, err := s.PreviewCSV(ctx, def.ID, []byte("name\nAnn\n"), engine.CSVOptions{})
	if err != nil || len(p.Errors) != 0 || p.Rows[0]["name"] != "Ann" {
		t.Fatalf("one column: %v %v", p, err)
	}
}

// An empty cell of a column with a default: the preview shows the value the
// imported row will hold (the default), not an empty cell.
func TestCSVPreviewShowsDefaults(t *testing.T) {
	ctx := context.Background()
	s := tblOpen(t, t.TempDir())
	defer s.Close()
	def := tblPeople(t, s)
	doc := []byte("name,age,active\nAnn,,\n")
	p, err := s.PreviewCSV(ctx, def.ID, doc, engine.CSVOptions{})
	if err != nil || len(p.Errors) != 0 {
		t.Fatal(err, p.Errors)
	}
	if p.Rows[0]["age"] != 0.0 || p.Rows[0]["active"] != nil {
		t.Fatalf("preview %v", p.Rows[0])
	}
	if _, err := s.CommitCSV(ctx, def.ID, doc, engine.CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.SearchRows(ctx, def.ID, nil, engine.SearchOptions{})
	if err != nil || len(rows) != 1 || rows[0]["age"] != p.Rows[0]["age"] {
		t.Fatalf("stored %v, previewed %v (%v)", rows, p.Rows[0], err)
	}
}
