package app

import (
	"reflect"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

func TestTablesManagedInTheApp(t *testing.T) {
	a := testApp(t)
	def, err := a.CreateTable(engine.TableDef{Name: " Domains ", Columns: []engine.Column{
		{Name: "Domain", Type: engine.T("string")}, {Name: "Seats", Type: engine.T("number"), Default: "5"}}})
	if err != nil {
		t.Fatal(err)
	}
	if def.Name != "Domains" || def.ID == "" || def.Columns[1].Default != 5.0 {
		t.Fatalf("created %+v", def)
	}
	for _, bad := range []struct {
		def  engine.TableDef
		want string
	}{
		{engine.TableDef{Name: "domains"}, `table "domains": a table of that name already exists outside folders`},
		{engine.TableDef{Name: " "}, "give the table a name"},
		{engine.TableDef{Name: "X", Columns: []engine.Column{{Name: "L", Type: engine.T("string[]")}}}, `column "L": type string[] is not a column type`},
		{engine.TableDef{Name: "X", Columns: []engine.Column{{Name: "N", Type: engine.T("number"), Default: "many"}}}, `column "N": default many`},
		{engine.TableDef{Name: "X", Columns: []engine.Column{{Name: "Row ID"}}}, "system column"},
	} {
		if _, err := a.CreateTable(bad.def); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("CreateTable(%+v) = %v, want %q", bad.def, err, bad.want)
		}
	}
	// the same name in another folder is fine
	if _, err := a.CreateTable(engine.TableDef{Name: "Domains", Folder: "Archive"}); err != nil {
		t.Fatal(err)
	}

	row, err := a.AddTableRow(def.ID, map[string]any{"Domain": "a.example"})
	if err != nil || row["Seats"] != 5.0 {
		t.Fatalf("add row: %v %v", row, err)
	}
	if _, err := a.AddTableRow(def.ID, map[string]any{"Seats": "lots"}); err == nil || !strings.HasPrefix(err.Error(), `column "Seats"`) {
		t.Fatalf("bad number: %v", err)
	}
	id := row[engine.ColRowID].(string)
	if row, err = a.UpdateTableRow(def.ID, id, map[string]any{"Seats": "7"}); err != nil || row["Seats"] != 7.0 || row["Domain"] != "a.example" {
		t.Fatalf("update row: %v %v", row, err)
	}

	p, err := a.PreviewTableCSV(def.ID, "Domain,Seats\nb.example,2\nc.example,x\n")
	if err != nil || p.Total != 1 || !reflect.DeepEqual(p.Errors, []store.CSVLineError{{Line: 3, Column: "Seats", Message: `"x" is not a number`}}) {
		t.Fatalf("preview %+v %v", p, err)
	}
	if n, err := a.ImportTableCSV(def.ID, "Domain,Seats\nb.example,2\nc.example,x\n"); err == nil || n != 0 || !strings.Contains(err.Error(), `line 3, column "Seats"`) {
		t.Fatalf("import bad CSV: %d %v", n, err)
	}
	if n, err := a.ImportTableCSV(def.ID, "Domain,Seats\nb.example,2\n"); err != nil || n != 1 {
		t.Fatalf("import: %d %v", n, err)
	}
	if page, err := a.TableRowPage(def.ID, 1, 10); err != nil || len(page) != 1 || page[0]["Domain"] != "b.example" {
		t.Fatalf("second row by page: %v %v", page, err)
	}
	csv, err := a.ExportTableCSV(def.ID)
	if err != nil || !strings.HasPrefix(csv, "Domain,Seats,Row ID,Created,Updated\na.example,7,"+id+",") || !strings.Contains(csv, "\nb.example,2,") {
		t.Fatalf("export:\n%s %v", csv, err)
	}

	// rename a column: its values move along
	def.Name = "Company domains"
	def.Columns[0].Name = "Domain name"
	if def, err = a.SaveTable(def, map[string]string{"Domain": "Domain name"}); err != nil {
		t.Fatal(err)
	}
	rows, _ := a.TableRows(def.ID, 10)
	if len(rows) != 2 || rows[0]["Domain name"] != "a.example" {
		t.Fatalf("rows after rename: %v", rows)
	}

	cp, err := a.CopyTable(def.ID, "")
	if err != nil || cp.Name != "Copy of Company domains" {
		t.Fatalf("copy: %+v %v", cp, err)
	}
	if n, _ := a.TableRowCount(cp.ID); n != 2 {
		t.Fatalf("copy has %d rows", n)
	}

	f := &engine.Flow{Format: engine.FlowFormat, ID: "uses", Name: "Reads domains", Trigger: engine.Card{ID: "trigger", Type: "manual"},
		Cards: []engine.Card{{ID: "c1", Type: "tables.searchRows", Inputs: []engine.Field{{Key: "stash", Value: def.ID}}}}}
	if err := a.Store.PutFlow(f); err != nil {
		t.Fatal(err)
	}
	if users, _ := a.TableUsers(def.ID); !reflect.DeepEqual(users, []string{"Reads domains"}) {
		t.Fatalf("users %v", users)
	}
	if err := a.DeleteTableRow(def.ID, id); err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteTable(def.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.TableRows(def.ID, 10); err == nil {
		t.Fatal("rows of a deleted table")
	}
}

// TestFolderExportKeepsRows: a folder export carries the rows of the tables
// its flows use; importing it elsewhere keeps them (with their ids), and
// importing it again adds no copies.
func TestFolderExportKeepsRows(t *testing.T) {
	a := testApp(t)
	def, err := a.CreateTable(engine.TableDef{Name: "Domains", Columns: []engine.Column{{Name: "Domain", Type: engine.T("string")}}})
	if err != nil {
		t.Fatal(err)
	}
	row, err := a.AddTableRow(def.ID, map[string]any{"Domain": "a.example"})
	if err != nil {
		t.Fatal(err)
	}
	f := &engine.Flow{Format: engine.FlowFormat, ID: "reader", Name: "Reader", Folder: "Lookups", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards: []engine.Card{{ID: "c1", Type: "tables.searchRows", Inputs: []engine.Field{{Key: "stash", Value: def.ID}}}}}
	if err := a.Store.PutFlow(f); err != nil {
		t.Fatal(err)
	}
	bundle, err := a.ExportFolder("Lookups")
	if err != nil {
		t.Fatal(err)
	}
	b := testApp(t)
	for i := 0; i < 2; i++ {
		if _, err := b.ImportText("Lookups.folder.json", bundle); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := b.TableRows(def.ID, 10)
	if err != nil || len(rows) != 1 || rows[0][engine.ColRowID] != row[engine.ColRowID] || rows[0]["Domain"] != "a.example" {
		t.Fatalf("imported rows %v %v", rows, err)
	}
}

// TestUnsupportedAppFilled: a card imported before the importer recorded
// its app gets it from its address when the flow is opened.
func TestUnsupportedAppFilled(t *testing.T) {
	a := testApp(t)
	f := &engine.Flow{Format: engine.FlowFormat, ID: "old", Name: "Old import", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards: []engine.Card{{ID: "c1", Type: "unsupported", Title: "Create Record",
			Origin: &engine.Origin{Source: "okta", Address: "root:channels:http:salesforce2_29:0.1.2:createRecord"}}}}
	if err := a.Store.PutFlow(f); err != nil {
		t.Fatal(err)
	}
	got, err := a.GetFlow("old")
	if err != nil {
		t.Fatal(err)
	}
	if app := got.Cards[0].Origin.App; app != "Salesforce" {
		t.Fatalf("app %q", app)
	}
}
