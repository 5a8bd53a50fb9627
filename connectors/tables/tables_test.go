package tables

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

// Help pages: https://help.okta.com/en/prod/Content/Topics/Workflows/function-reference/Tables/
// (stash_createrow, stash_searchrows2, stash_updaterow, stash_deleterow, stash_cleartable, stash_exporttocsv)

type env struct {
	t   *testing.T
	ex  *engine.Executor
	st  *store.Store
	tid string
}

func newEnv(t *testing.T) *env {
	st, err := store.Open(t.TempDir(), store.Options{Key: bytes.Repeat([]byte{1}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	def, err := st.CreateTable(context.Background(), engine.TableDef{Name: "Users", Columns: []engine.Column{
		{Name: "User ID", Type: engine.T("string")}, {Name: "Logins", Type: engine.T("number"), Default: "0"},
		{Name: "Status", Type: engine.T("string")}, {Name: "Seen", Type: engine.T("date")}}})
	if err != nil {
		t.Fatal(err)
	}
	ex := engine.NewExecutor(nil, nil, nil)
	ex.Services["tables"] = st
	return &env{t: t, ex: ex, st: st, tid: def.ID}
}

// run runs one Tables card through the executor.
func (e *env) run(typ string, in []engine.Field, outs ...engine.Field) (map[string]any, error) {
	e.t.Helper()
	f := &engine.Flow{Format: engine.FlowFormat, ID: "t", Name: "t", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards: []engine.Card{{ID: "c", Type: typ, Inputs: append([]engine.Field{{Key: "stash", Group: "parameters", Value: e.tid}}, in...), Outputs: outs}}}
	run, err := e.ex.Run(context.Background(), f, nil, engine.RunOptions{})
	if err != nil {
		return nil, err
	}
	for _, r := range run.Cards {
		if r.ID == "c" {
			return r.Outputs, nil
		}
	}
	return nil, nil
}

func (e *env) must(typ string, in []engine.Field, outs ...engine.Field) map[string]any {
	e.t.Helper()
	out, err := e.run(typ, in, outs...)
	if err != nil {
		e.t.Fatalf("%s: %v", typ, err)
	}
	return out
}

func (e *env) wantErr(input string, typ string, in []engine.Field) {
	e.t.Helper()
	_, err := e.run(typ, in)
	var ce *engine.CardError
	if !errors.As(err, &ce) || ce.Input != input {
		e.t.Fatalf("%s: want an error naming %q, got %v", typ, input, err)
	}
}

func fld(key string, v any) engine.Field { return engine.Field{Key: key, Group: "Fields", Value: v} }

func expr(clauses ...map[string]any) engine.Field {
	l := make([]any, len(clauses))
	for i, c := range clauses {
		l[i] = c
	}
	return engine.Field{Key: "Where Expression", Group: "Filter", Value: map[string]any{"expr": l}}
}

func TestTableCards(t *testing.T) {
	e := newEnv(t)
	ids := []string{}
	for _, u := range []struct{ id, status, logins string }{{"u1", "active", "3"}, {"u2", "locked", ""}, {"u3", "active", "10"}} {
		out := e.must("tables.createRow", []engine.Field{fld("User ID", u.id), fld("Status", u.status), fld("Logins", u.logins), fld("Seen", nil)})
		id, _ := out[engine.ColRowID].(string)
		if id == "" {
			t.Fatalf("create row: %v", out)
		}
		ids = append(ids, id)
	}
	// an empty number input is an error naming it; an unknown column too
	e.wantErr("Logins", "tables.createRow", []engine.Field{fld("Logins", "many")})
	e.wantErr("Nope", "tables.createRow", []engine.Field{fld("Nope", "x")})

	// read row
	row := e.must("tables.readRow", []engine.Field{{Key: engine.ColRowID, Group: "Read By", Value: ids[1]}})
	if row["User ID"] != "u2" || row["Logins"] != 0.0 || row[engine.ColCreated] == nil {
		t.Fatalf("read row = %v", row)
	}
	e.wantErr(engine.ColRowID, "tables.readRow", []engine.Field{{Key: engine.ColRowID, Value: "missing"}})

	// search: first matching row, dynamic value from an _expr input
	one := e.must("tables.searchRows", []engine.Field{{Key: "resultSet", Value: "one"},
		expr(map[string]any{"lhs": "Status", "op": "=", "join": "AND", "rhd": map[string]any{"outputId": "h7Q0", "methodId": "m"}}),
		{Key: "h7Q0", Group: "_expr", Value: "active"}}, engine.Field{Key: "User ID", Group: "Fields"})
	if one["User ID"] != "u1" || one[engine.ColRowID] != ids[0] {
		t.Fatalf("first matching row = %v", one)
	}
	none := e.must("tables.searchRows", []engine.Field{{Key: "resultSet", Value: "one"}, expr(map[string]any{"lhs": "Status", "op": "=", "rhs": "gone"})},
		engine.Field{Key: "User ID", Group: "Fields"})
	if v, ok := none["User ID"]; !ok || v != nil || none[engine.ColRowID] != nil {
		t.Fatalf("no match = %v", none)
	}
	names := func(out map[string]any) []any {
		var l []any
		for _, r := range out["Rows"].([]any) {
			l = append(l, r.(map[string]any)["User ID"])
		}
		return l
	}
	for _, tc := range []struct {
		name string
		in   []engine.Field
		want []any
	}{
		{"all rows", nil, []any{"u1", "u2", "u3"}},
		{"OR", []engine.Field{expr(map[string]any{"lhs": "User ID", "op": "=", "rhs": "u3", "join": "OR"}, map[string]any{"lhs": "User ID", "op": "=", "rhs": "u1", "join": "AND"})}, []any{"u1", "u3"}},
		{"numeric >", []engine.Field{expr(map[string]any{"lhs": "Logins", "op": ">", "rhs": "4"})}, []any{"u3"}},
		{"sort desc + limit", []engine.Field{{Key: "Column", Value: "Logins"}, {Key: "Direction", Value: "desc"}, {Key: "Limit", Value: 2.0}}, []any{"u3", "u1"}},
		{"offset", []engine.Field{{Key: "Offset", Value: 2.0}, {Key: "Limit", Value: 0.0}}, []any{"u3"}},
		{"legacy all", []engine.Field{{Key: "resultSet", Value: "all"}, expr(map[string]any{"lhs": "Status", "op": "!=", "rhs": "active"})}, []any{"u2"}},
		{"case-sensitive", []engine.Field{expr(map[string]any{"lhs": "Status", "op": "=", "rhs": "Active"})}, nil},
	} {
		out, err := e.run("tables.searchRows", tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := names(out); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	e.wantErr("Where Expression", "tables.searchRows", []engine.Field{expr(map[string]any{"lhs": "Zip", "op": "=", "rhs": "1"})})
	e.wantErr("Where Expression", "tables.searchRows", []engine.Field{expr(map[string]any{"lhs": "Status", "op": "=", "rhd": map[string]any{"outputId": "missing"}})})
	e.wantErr("Column", "tables.searchRows", []engine.Field{{Key: "Column", Value: "Zip"}})
	e.wantErr("resultSet", "tables.searchRows", []engine.Field{{Key: "resultSet", Value: "some"}})

	// update: empty inputs leave columns unchanged unless Update Empty Inputs = Yes
	e.must("tables.updateRow", []engine.Field{{Key: engine.ColRowID, Group: "Update By", Value: ids[0]}, {Key: "updateEmptyInputs", Value: "No"}, fld("Status", "locked"), fld("User ID", "")})
	row = e.must("tables.readRow", []engine.Field{{Key: engine.ColRowID, Value: ids[0]}})
	if row["Status"] != "locked" || row["User ID"] != "u1" {
		t.Fatalf("update No: %v", row)
	}
	e.must("tables.updateRow", []engine.Field{{Key: engine.ColRowID, Value: ids[0]}, {Key: "updateEmptyInputs", Value: "Yes"}, fld("User ID", "")})
	row = e.must("tables.readRow", []engine.Field{{Key: engine.ColRowID, Value: ids[0]}})
	if row["User ID"] != "" || row["Status"] != "locked" {
		t.Fatalf("update Yes: %v", row)
	}
	e.wantErr(engine.ColRowID, "tables.updateRow", []engine.Field{{Key: engine.ColRowID, Value: "missing"}, fld("Status", "x")})

	// export
	csv := e.must("tables.exportCSV", []engine.Field{{Key: "Filename", Value: "u.csv"}, {Key: "Delimiter", Value: ";"}, {Key: "Columns", Value: []any{"User ID", "Status"}},
		expr(map[string]any{"lhs": "Status", "op": "=", "rhs": "locked"})})
	if csv["File Content"] != "User ID;Status\n;locked\nu2;locked\n" || csv["Filename"] != "u.csv" {
		t.Fatalf("export = %q", csv["File Content"])
	}
	e.wantErr("Delimiter", "tables.exportCSV", []engine.Field{{Key: "Delimiter", Value: ";;"}})

	// read table
	info := e.must("tables.readTable", nil)
	if info["Name"] != "Users" || info["Row Count"] != 3.0 || len(info["Column Schema"].([]any)) != 4 {
		t.Fatalf("read table = %v", info)
	}

	// delete, clear
	e.must("tables.deleteRow", []engine.Field{{Key: engine.ColRowID, Group: "Delete By", Value: ids[2]}})
	e.wantErr(engine.ColRowID, "tables.deleteRow", []engine.Field{{Key: engine.ColRowID, Value: ids[2]}})
	if out := e.must("tables.clearTable", nil); out["Cleared Rows"] != 2.0 {
		t.Fatalf("clear = %v", out)
	}
	if out := e.must("tables.clearTable", nil); out["Cleared Rows"] != 0.0 {
		t.Fatalf("clear empty = %v", out)
	}

	// import: the exported text comes back as rows; a bad column fails naming the input
	imp := e.must("tables.importCSV", []engine.Field{{Key: "File Content", Value: "User ID;Status\nu9;new\nu10;new\n"}, {Key: "Delimiter", Value: ";"}})
	if imp["Imported Rows"] != 2.0 {
		t.Fatalf("import = %v", imp)
	}
	back := e.must("tables.exportCSV", []engine.Field{{Key: "Columns", Value: []any{"User ID"}}, expr(map[string]any{"lhs": "Status", "op": "=", "rhs": "new"})})
	if back["File Content"] != "User ID\nu9\nu10\n" {
		t.Fatalf("imported rows read back as %q", back["File Content"])
	}
	e.wantErr("File Content", "tables.importCSV", []engine.Field{{Key: "File Content", Value: "Nope\nx\n"}})

	// unknown table, no service
	e.tid = "nope"
	e.wantErr("stash", "tables.createRow", []engine.Field{fld("Status", "x")})
	e.ex.Services = nil
	if _, err := e.run("tables.clearTable", nil); err == nil {
		t.Fatal("no tables service: want an error")
	}
}

func BenchmarkTablesCreateRow(b *testing.B) {
	st, err := store.Open(b.TempDir(), store.Options{Key: bytes.Repeat([]byte{1}, 32)})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	def, _ := st.CreateTable(context.Background(), engine.TableDef{Name: "b", Columns: []engine.Column{{Name: "k", Type: engine.T("string")}}})
	ex := engine.NewExecutor(nil, nil, nil)
	ex.Services["tables"] = st
	f := &engine.Flow{Format: engine.FlowFormat, ID: "b", Name: "b", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards: []engine.Card{{ID: "c", Type: "tables.createRow", Inputs: []engine.Field{{Key: "stash", Value: def.ID}, fld("k", "v")}}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ex.Run(context.Background(), f, nil, engine.RunOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
