package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
)

// Okta Tables help: https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Tables/stash_searchrows2.htm

func tblOpen(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(dir, Options{Key: bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tblPeopleStore opens a store in a fresh directory, closed when the test ends,
// with the People table.
func tblPeopleStore(t testing.TB) (*Store, engine.TableDef) {
	t.Helper()
	s := tblOpen(t, t.TempDir())
	t.Cleanup(func() { s.Close() })
	return s, tblPeople(t, s)
}

func tblPeople(t testing.TB, s *Store) engine.TableDef {
	t.Helper()
	def, err := s.CreateTable(context.Background(), engine.TableDef{Name: "People", Columns: []engine.Column{
		{Name: "name", Type: engine.T("string")},
		{Name: "age", Type: engine.T("number"), Default: "0"},
		{Name: "active", Type: engine.T("boolean")},
		{Name: "joined", Type: engine.T("date")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return def
}

func tblNames(rows []engine.Row) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, engine.ToText(r["name"]))
	}
	return out
}

func TestTableCRUD(t *testing.T) {
	ctx := context.Background()
	s, def := tblPeopleStore(t)
	if len(def.ID) != 36 {
		t.Fatalf("table id %q is not a UUID", def.ID)
	}
	row, err := s.CreateRow(ctx, def.ID, map[string]any{"name": "Ann", "age": "42", "active": "yes", "joined": "2024-01-02"})
	if err != nil {
		t.Fatal(err)
	}
	id, _ := row[engine.ColRowID].(string)
	if len(id) != 32 || row["age"] != 42.0 || row["active"] != true || row["joined"] != "2024-01-02T00:00:00.000Z" || row[engine.ColCreated] == nil {
		t.Fatalf("row = %v", row)
	}
	// default applies to an unset column
	r2, err := s.CreateRow(ctx, def.ID, map[string]any{"name": "Bob"})
	if err != nil || r2["age"] != 0.0 || r2["active"] != nil {
		t.Fatalf("defaults: %v %v", r2, err)
	}
	got, err := s.ReadRow(ctx, def.ID, id)
	if err != nil || !reflect.DeepEqual(got, row) {
		t.Fatalf("read = %v, %v; want %v", got, err, row)
	}
	if _, err := s.UpdateRow(ctx, def.ID, id, map[string]any{"name": "Anna"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		val  string
		want []string
	}{{"Anna", []string{"Anna"}}, {"Ann", []string{}}} {
		rows, err := s.SearchRows(ctx, def.ID, []engine.Condition{{Column: "name", Op: "=", Value: tc.val}}, engine.SearchOptions{})
		if err != nil || !reflect.DeepEqual(tblNames(rows), tc.want) {
			t.Fatalf("after update, name = %q: %v %v", tc.val, tblNames(rows), err)
		}
	}
	got, _ = s.ReadRow(ctx, def.ID, id)
	if got["age"] != 42.0 || got[engine.ColCreated] != row[engine.ColCreated] {
		t.Fatalf("update changed other columns: %v", got)
	}
	// errors name the column
	_, err = s.CreateRow(ctx, def.ID, map[string]any{"age": "old"})
	var fe *engine.FieldError
	if !errors.As(err, &fe) || fe.Key != "age" {
		t.Fatalf("bad number: %v", err)
	}
	if _, err = s.CreateRow(ctx, def.ID, map[string]any{"nope": 1}); !errors.As(err, &fe) || fe.Key != "nope" {
		t.Fatalf("unknown column: %v", err)
	}
	if err := s.DeleteRow(ctx, def.ID, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReadRow(ctx, def.ID, id); !errors.Is(err, engine.ErrRowNotFound) {
		t.Fatalf("read deleted: %v", err)
	}
	if err := s.DeleteRow(ctx, def.ID, id); !errors.Is(err, engine.ErrRowNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
	rows, _ := s.SearchRows(ctx, def.ID, []engine.Condition{{Column: "name", Op: "=", Value: "Anna"}}, engine.SearchOptions{})
	if len(rows) != 0 {
		t.Fatalf("index kept a deleted row: %v", rows)
	}
	if _, err := s.ReadRow(ctx, "missing", id); !errors.Is(err, engine.ErrTableNotFound) {
		t.Fatalf("missing table: %v", err)
	}
}

func TestTableSearch(t *testing.T) {
	ctx := context.Background()
	s, def := tblPeopleStore(t)
	in := []map[string]any{
		{"name": "Ann", "age": 42, "active": true, "joined": "2020-05-01"},
		{"name": "bob", "age": 9, "active": false, "joined": "2021-05-01"},
		{"name": "Cid", "age": 80, "active": true, "joined": "2019-05-01"},
		{"name": "Dee", "age": 9, "active": true},
		{"name": "", "age": nil},
	}
	if n, err := s.CreateRows(ctx, def.ID, in); err != nil || n != 5 {
		t.Fatal(n, err)
	}
	all, _ := s.SearchRows(ctx, def.ID, nil, engine.SearchOptions{})
	bob := all[1][engine.ColRowID]
	c := func(col, op string, v any, join ...string) engine.Condition {
		j := ""
		if len(join) > 0 {
			j = join[0]
		}
		return engine.Condition{Column: col, Op: op, Value: v, Join: j}
	}
	for _, tc := range []struct {
		name  string
		where []engine.Condition
		opt   engine.SearchOptions
		want  []string
		err   string
	}{
		{"all rows in creation order", nil, engine.SearchOptions{}, []string{"Ann", "bob", "Cid", "Dee", ""}, ""},
		{"= text is case-sensitive", []engine.Condition{c("name", "=", "Bob")}, engine.SearchOptions{}, []string{}, ""},
		{"= number from text", []engine.Condition{c("age", "=", "9")}, engine.SearchOptions{}, []string{"bob", "Dee"}, ""},
		{"== alias", []engine.Condition{c("age", "==", 9.0)}, engine.SearchOptions{}, []string{"bob", "Dee"}, ""},
		{"> numeric not text", []engine.Condition{c("age", ">", 10)}, engine.SearchOptions{}, []string{"Ann", "Cid"}, ""},
		{"<= (unset age took its default 0)", []engine.Condition{c("age", "<=", 9)}, engine.SearchOptions{}, []string{"bob", "Dee", ""}, ""},
		{"< skips empty dates", []engine.Condition{c("joined", "<", "2030-01-01")}, engine.SearchOptions{}, []string{"Ann", "bob", "Cid"}, ""},
		{"!=", []engine.Condition{c("age", "!=", 9)}, engine.SearchOptions{}, []string{"Ann", "Cid", ""}, ""},
		{"< text alphabetical", []engine.Condition{c("name", "<", "C")}, engine.SearchOptions{}, []string{"Ann", ""}, ""},
		{"date >=", []engine.Condition{c("joined", ">=", "2020-01-01")}, engine.SearchOptions{}, []string{"Ann", "bob"}, ""},
		{"boolean =", []engine.Condition{c("active", "=", "true")}, engine.SearchOptions{}, []string{"Ann", "Cid", "Dee"}, ""},
		{"= empty text", []engine.Condition{c("name", "=", "")}, engine.SearchOptions{}, []string{""}, ""},
		{"AND", []engine.Condition{c("age", "=", 9, "AND"), c("active", "=", true)}, engine.SearchOptions{}, []string{"Dee"}, ""},
		{"OR", []engine.Condition{c("name", "=", "Ann", "OR"), c("name", "=", "Cid")}, engine.SearchOptions{}, []string{"Ann", "Cid"}, ""},
		{"AND binds tighter than OR", []engine.Condition{c("age", "=", 9, "AND"), c("active", "=", true, "OR"), c("name", "=", "Ann")}, engine.SearchOptions{}, []string{"Ann", "Dee"}, ""},
		{"OR with a scan clause", []engine.Condition{c("age", ">", 50, "OR"), c("name", "=", "bob")}, engine.SearchOptions{}, []string{"bob", "Cid"}, ""},
		{"Row ID =", []engine.Condition{c(engine.ColRowID, "=", bob)}, engine.SearchOptions{}, []string{"bob"}, ""},
		{"limit", nil, engine.SearchOptions{Limit: 2}, []string{"Ann", "bob"}, ""},
		{"offset+limit", nil, engine.SearchOptions{Offset: 1, Limit: 2}, []string{"bob", "Cid"}, ""},
		{"offset past end", nil, engine.SearchOptions{Offset: 9}, []string{}, ""},
		{"sort asc numbers", nil, engine.SearchOptions{Sort: "age"}, []string{"", "bob", "Dee", "Ann", "Cid"}, ""},
		{"sort dates, empty last", nil, engine.SearchOptions{Sort: "joined"}, []string{"Cid", "Ann", "bob", "Dee", ""}, ""},
		{"sort desc", []engine.Condition{c("active", "=", true)}, engine.SearchOptions{Sort: "age", Desc: true, Limit: 2}, []string{"Cid", "Ann"}, ""},
		{"sort by text", nil, engine.SearchOptions{Sort: "name"}, []string{"Ann", "Cid", "Dee", "bob", ""}, ""},
		{"unknown column", []engine.Condition{c("zip", "=", 1)}, engine.SearchOptions{}, nil, `no column "zip"`},
		{"bad operator", []engine.Condition{c("age", "~", 1)}, engine.SearchOptions{}, nil, "unknown operator"},
		{"bad value", []engine.Condition{c("age", ">", "old")}, engine.SearchOptions{}, nil, "not a number"},
		{"bad sort", nil, engine.SearchOptions{Sort: "zip"}, nil, "sort"},
	} {
		rows, err := s.SearchRows(ctx, def.ID, tc.where, tc.opt)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err = %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := tblNames(rows); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestTablePersistsAcrossRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := tblOpen(t, dir)
	def := tblPeople(t, s)
	if _, err := s.CreateRow(ctx, def.ID, map[string]any{"name": "Ann", "age": 1}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = tblOpen(t, dir)
	defer s.Close()
	tables, err := s.ListTables(ctx)
	if err != nil || len(tables) != 1 || tables[0].Name != "People" {
		t.Fatalf("tables after restart: %v %v", tables, err)
	}
	rows, err := s.SearchRows(ctx, def.ID, []engine.Condition{{Column: "name", Op: "=", Value: "Ann"}}, engine.SearchOptions{})
	if err != nil || len(rows) != 1 {
		t.Fatalf("rows after restart: %v %v", rows, err)
	}
}

func TestTableClearCSVAndSchema(t *testing.T) {
	ctx := context.Background()
	s, def := tblPeopleStore(t)
	csvIn := "name;age;active;Row ID\nAnn;42;true;x\n\"Smith; Bob\";;false;y\n"
	if n, err := s.ImportCSV(ctx, def.ID, strings.NewReader(csvIn), engine.CSVOptions{Delimiter: ';'}); err != nil || n != 2 {
		t.Fatalf("import: %d %v", n, err)
	}
	var out bytes.Buffer
	if n, err := s.ExportCSV(ctx, def.ID, &out, nil, engine.CSVOptions{Columns: []string{"name", "age"}}); err != nil || n != 2 {
		t.Fatalf("export: %d %v", n, err)
	}
	if want := "name,age\nAnn,42\nSmith; Bob,0\n"; out.String() != want {
		t.Fatalf("export = %q, want %q", out.String(), want)
	}
	if _, err := s.ImportCSV(ctx, def.ID, strings.NewReader("zip\n1\n"), engine.CSVOptions{}); err == nil || !strings.Contains(err.Error(), "zip") {
		t.Fatalf("unknown csv column: %v", err)
	}
	// schema change: drop age, add city (default), type change keeps convertible values
	def.Columns = []engine.Column{{Name: "name", Type: engine.T("string")}, {Name: "city", Type: engine.T("string"), Default: "Paris"}}
	if _, err := s.UpdateTable(ctx, def); err != nil {
		t.Fatal(err)
	}
	rows, err := s.SearchRows(ctx, def.ID, []engine.Condition{{Column: "city", Op: "=", Value: "Paris"}}, engine.SearchOptions{})
	if err != nil || len(rows) != 2 || rows[0]["age"] != nil {
		t.Fatalf("after schema change: %v %v", rows, err)
	}
	if n, err := s.ClearTable(ctx, def.ID); err != nil || n != 2 {
		t.Fatalf("clear = %d %v", n, err)
	}
	if n, _ := s.CountRows(ctx, def.ID); n != 0 {
		t.Fatalf("rows after clear: %d", n)
	}
	if rows, _ := s.SearchRows(ctx, def.ID, []engine.Condition{{Column: "name", Op: "=", Value: "Ann"}}, engine.SearchOptions{}); len(rows) != 0 {
		t.Fatal("index survived clear")
	}
	if err := s.DeleteTable(ctx, def.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetTable(ctx, def.ID); !errors.Is(err, engine.ErrTableNotFound) {
		t.Fatalf("deleted table: %v", err)
	}
}

func TestTableImportedDefinition(t *testing.T) {
	ctx := context.Background()
	s := tblOpen(t, t.TempDir())
	defer s.Close()
	def := engine.TableDef{ID: "b6dd9ba6-00b2-4fee-ac95-8a8811f2e683", Name: "Imported", Columns: []engine.Column{{Name: "id", Type: engine.T("string")}}}
	if err := s.db.Update(func(txn *badger.Txn) error { return s.importTableDef(txn, def) }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateRow(ctx, def.ID, map[string]any{"id": "x"}); err != nil {
		t.Fatalf("row in imported table: %v", err)
	}
	if ts, _ := s.ListTables(ctx); len(ts) != 1 || ts[0].ID != def.ID {
		t.Fatalf("list: %v", ts)
	}
}

func TestTableLongValuesIndex(t *testing.T) {
	ctx := context.Background()
	s, def := tblPeopleStore(t)
	long := strings.Repeat("x", 5000)
	for _, v := range []string{long, long + "y", strings.Repeat("x", 166)} {
		if _, err := s.CreateRow(ctx, def.ID, map[string]any{"name": v}); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range []string{long, long + "y", strings.Repeat("x", 166)} {
		rows, err := s.SearchRows(ctx, def.ID, []engine.Condition{{Column: "name", Op: "=", Value: v}}, engine.SearchOptions{})
		if err != nil || len(rows) != 1 || rows[0]["name"] != v {
			t.Fatalf("len %d: %d rows, %v", len(v), len(rows), err)
		}
	}
}

// BenchmarkSearchRowsEq1M: an "=" search on a 1,000,000-row table, answered
// from the equality index. The table is built once per benchmark run.
func BenchmarkSearchRowsEq1M(b *testing.B) {
	ctx := context.Background()
	s := tblOpen(b, b.TempDir())
	defer s.Close()
	def, err := s.CreateTable(ctx, engine.TableDef{Name: "big", Columns: []engine.Column{
		{Name: "email", Type: engine.T("string")}, {Name: "group", Type: engine.T("string")}, {Name: "n", Type: engine.T("number")}}})
	if err != nil {
		b.Fatal(err)
	}
	const total = 1_000_000
	rows := make([]map[string]any, 0, 50_000)
	for i := 0; i < total; i++ {
		rows = append(rows, map[string]any{"email": fmt.Sprintf("user%d@example.com", i), "group": fmt.Sprintf("g%d", i%1000), "n": float64(i)})
		if len(rows) == cap(rows) {
			if _, err := s.CreateRows(ctx, def.ID, rows); err != nil {
				b.Fatal(err)
			}
			rows = rows[:0]
		}
	}
	b.Run("unique", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			v := fmt.Sprintf("user%d@example.com", (i*7919)%total)
			got, err := s.SearchRows(ctx, def.ID, []engine.Condition{{Column: "email", Op: "=", Value: v}}, engine.SearchOptions{})
			if err != nil || len(got) != 1 {
				b.Fatal(len(got), err)
			}
		}
	})
	b.Run("first-of-1000", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			got, err := s.SearchRows(ctx, def.ID, []engine.Condition{{Column: "group", Op: "=", Value: fmt.Sprintf("g%d", i%1000)}}, engine.SearchOptions{Limit: 1})
			if err != nil || len(got) != 1 {
				b.Fatal(len(got), err)
			}
		}
	})
}
