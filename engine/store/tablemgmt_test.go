package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

func TestCopyTableCopiesRows(t *testing.T) {
	ctx := context.Background()
	s, def := tblPeopleStore(t)
	for _, n := range []string{"Ann", "Bob"} {
		if _, err := s.CreateRow(ctx, def.ID, map[string]any{"name": n, "age": 30}); err != nil {
			t.Fatal(err)
		}
	}
	cp, err := s.CopyTable(ctx, def.ID, "People 2")
	if err != nil {
		t.Fatal(err)
	}
	if cp.ID == def.ID || cp.Name != "People 2" || !reflect.DeepEqual(cp.Columns, def.Columns) {
		t.Fatalf("copy %+v", cp)
	}
	rows, err := s.SearchRows(ctx, cp.ID, []engine.Condition{{Column: "name", Op: "=", Value: "Bob"}}, engine.SearchOptions{})
	if err != nil || len(rows) != 1 || rows[0]["age"] != 30.0 {
		t.Fatalf("copied rows by index: %v %v", rows, err)
	}
	// the copy is independent of its source
	if _, err := s.ClearTable(ctx, def.ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountRows(ctx, cp.ID); n != 2 {
		t.Fatalf("copy has %d rows after the source was cleared", n)
	}
}

func TestRenameColumnsMovesValues(t *testing.T) {
	ctx := context.Background()
	s, def := tblPeopleStore(t)
	if _, err := s.CreateRow(ctx, def.ID, map[string]any{"name": "Ann", "age": 42}); err != nil {
		t.Fatal(err)
	}
	def.Columns[0].Name = "Full name"
	def.Columns = def.Columns[:2] // drops active and joined
	if _, err := s.RenameColumns(ctx, def, map[string]string{"name": "Full name"}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.SearchRows(ctx, def.ID, []engine.Condition{{Column: "Full name", Op: "=", Value: "Ann"}}, engine.SearchOptions{})
	if err != nil || len(rows) != 1 {
		t.Fatalf("search renamed column: %v %v", rows, err)
	}
	if _, has := rows[0]["name"]; has {
		t.Fatalf("old column kept: %v", rows[0])
	}
	if _, has := rows[0]["active"]; has {
		t.Fatalf("dropped column kept: %v", rows[0])
	}
	if rows[0]["age"] != 42.0 {
		t.Fatalf("age %v", rows[0]["age"])
	}
	if _, err := s.RenameColumns(ctx, def, map[string]string{"nope": "Full name"}); err == nil {
		t.Fatal("renaming a missing column succeeded")
	}
}

func TestCSVPreviewAndCommit(t *testing.T) {
	ctx := context.Background()
	s, def := tblPeopleStore(t)
	bad := "name,age,Row ID,active\nAnn,42,x,true\nBob,old,y,false\nCy,7,z,maybe\n\"Dee,1\n"
	p, err := s.PreviewCSV(ctx, def.ID, []byte(bad), engine.CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Columns, []string{"name", "age", "active"}) || !reflect.DeepEqual(p.Ignored, []string{"Row ID"}) {
		t.Fatalf("columns %v ignored %v", p.Columns, p.Ignored)
	}
	if p.Total != 1 || p.Rows[0]["name"] != "Ann" || p.Rows[0]["age"] != 42.0 || p.Lines[0] != 2 {
		t.Fatalf("rows %v lines %v total %d", p.Rows, p.Lines, p.Total)
	}
	want := []CSVLineError{{Line: 3, Column: "age", Message: `"old" is not a number`}, {Line: 4, Column: "active", Message: `"maybe" is not a true/false value`}}
	if len(p.Errors) != 3 || !reflect.DeepEqual(p.Errors[:2], want) || p.Errors[2].Line != 5 {
		t.Fatalf("errors %+v", p.Errors)
	}
	// a bad file writes nothing
	_, err = s.CommitCSV(ctx, def.ID, []byte(bad), engine.CSVOptions{})
	var ce CSVErrors
	if !errors.As(err, &ce) || len(ce) != 3 {
		t.Fatalf("commit bad CSV: %v", err)
	}
	if n, _ := s.CountRows(ctx, def.ID); n != 0 {
		t.Fatalf("%d rows written by a failed import", n)
	}
	// an unknown column is an error on line 1
	p, err = s.PreviewCSV(ctx, def.ID, []byte("name,shoe\nAnn,4\n"), engine.CSVOptions{})
	if err != nil || len(p.Errors) != 1 || p.Errors[0].Line != 1 || p.Errors[0].Column != "shoe" {
		t.Fatalf("unknown column: %+v %v", p, err)
	}
	n, err := s.CommitCSV(ctx, def.ID, []byte("\ufeffname,age\nAnn,42\n\nBob,\n"), engine.CSVOptions{})
	if err != nil || n != 2 {
		t.Fatalf("commit: %d %v", n, err)
	}
	rows, _ := s.SearchRows(ctx, def.ID, nil, engine.SearchOptions{})
	if got := tblNames(rows); !reflect.DeepEqual(got, []string{"Ann", "Bob"}) || rows[1]["age"] != 0.0 {
		t.Fatalf("rows %v", rows)
	}
	if _, err := s.PreviewCSV(ctx, def.ID, nil, engine.CSVOptions{}); err == nil {
		t.Fatal("empty CSV accepted")
	}
}

func TestImportKeepsRowIDs(t *testing.T) {
	ctx := context.Background()
	s := tblOpen(t, t.TempDir())
	defer s.Close()
	def := engine.TableDef{ID: "t1", Name: "Domains", Columns: []engine.Column{{Name: "Domain", Type: engine.T("string")}}}
	r1 := newRowID()
	rows := []engine.Row{
		{"Domain": "a.example", engine.ColRowID: r1, engine.ColCreated: "2024-01-02T03:04:05.000Z"},
		{"Domain": "b.example"},
		{"Domain": "c.example", engine.ColRowID: "r1"}, // not a Flowbench row id: a new one
	}
	for i := 0; i < 2; i++ { // importing the same export twice keeps one copy of r1
		if err := s.Import(&engine.Folder{Tables: []engine.TableDef{def}, Rows: map[string][]engine.Row{"t1": rows}}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.ReadRow(ctx, "t1", r1)
	if err != nil || r["Domain"] != "a.example" || r[engine.ColCreated] != "2024-01-02T03:04:05.000Z" {
		t.Fatalf("row r1: %v %v", r, err)
	}
	found, _ := s.SearchRows(ctx, "t1", []engine.Condition{{Column: "Domain", Op: "=", Value: "a.example"}}, engine.SearchOptions{})
	if len(found) != 1 {
		t.Fatalf("r1 found %d times", len(found))
	}
	if n, _ := s.CountRows(ctx, "t1"); n != 5 {
		t.Fatalf("%d rows, want 5 (r1 once, the others twice)", n)
	}
}

// TestCSVCommitManyRows: a CSV too big for one Badger transaction is still
// imported whole.
func TestCSVCommitManyRows(t *testing.T) {
	ctx := context.Background()
	s, def := tblPeopleStore(t)
	var b strings.Builder
	b.WriteString("name,age,active,joined\n")
	const n = 6000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "person %d,%d,true,2024-01-02\n", i, i%90)
	}
	got, err := s.CommitCSV(ctx, def.ID, []byte(b.String()), engine.CSVOptions{})
	if err != nil || got != n {
		t.Fatalf("commit: %d %v", got, err)
	}
	if c, _ := s.CountRows(ctx, def.ID); c != n {
		t.Fatalf("%d rows stored", c)
	}
	rows, _ := s.SearchRows(ctx, def.ID, []engine.Condition{{Column: "name", Op: "=", Value: "person 5999"}}, engine.SearchOptions{})
	if len(rows) != 1 || rows[0]["age"] != float64(5999%90) {
		t.Fatalf("last row by index: %v", rows)
	}
}

// TestImportManyRows: an export with more rows than one transaction holds
// imports whole.
func TestImportManyRows(t *testing.T) {
	ctx := context.Background()
	s := tblOpen(t, t.TempDir())
	defer s.Close()
	def := engine.TableDef{ID: "t1", Name: "Big", Columns: []engine.Column{{Name: "n", Type: engine.T("number")}, {Name: "s", Type: engine.T("string")}}}
	const n = 8000
	rows := make([]engine.Row, n)
	for i := range rows {
		rows[i] = engine.Row{"n": float64(i), "s": fmt.Sprintf("row %d", i), engine.ColRowID: newRowID()}
	}
	if err := s.Import(&engine.Folder{Tables: []engine.TableDef{def}, Rows: map[string][]engine.Row{"t1": rows}}); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.CountRows(ctx, "t1"); c != n {
		t.Fatalf("%d rows imported, want %d", c, n)
	}
}
