package app

import (
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// The Tables tab's search finds rows holding a text in any column, ignoring
// case, counts them all and pages over them.
func TestSearchTableRows(t *testing.T) {
	a := testApp(t)
	def, err := a.CreateTable(engine.TableDef{Name: "Staff", Columns: []engine.Column{
		{Name: "Name", Type: engine.T("string")}, {Name: "Seats", Type: engine.T("number")}, {Name: "Active", Type: engine.T("boolean")}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []map[string]any{{"Name": "Ada Lovelace", "Seats": 3}, {"Name": "Alan Turing", "Seats": 42}, {"Name": "Grace Hopper", "Seats": 7, "Active": true}, {"Name": "ada two"}} {
		if _, err := a.AddTableRow(def.ID, r); err != nil {
			t.Fatal(err)
		}
	}
	names := func(s *TableSearch) []string {
		var out []string
		for _, r := range s.Rows {
			out = append(out, engine.ToText(r["Name"]))
		}
		return out
	}
	cases := []struct {
		text          string
		offset, limit int
		want          []string
		count         int
	}{
		{"ADA", 0, 0, []string{"Ada Lovelace", "ada two"}, 2},
		{"42", 0, 0, []string{"Alan Turing"}, 1},
		{"true", 0, 0, []string{"Grace Hopper"}, 1},
		{"  ", 0, 0, []string{"Ada Lovelace", "Alan Turing", "Grace Hopper", "ada two"}, 4},
		{"a", 1, 2, []string{"Alan Turing", "Grace Hopper"}, 4},
		{"nobody", 0, 0, nil, 0},
	}
	for _, c := range cases {
		s, err := a.SearchTableRows(def.ID, c.text, c.offset, c.limit)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(s); s.Count != c.count || len(got) != len(c.want) || (len(got) > 0 && got[len(got)-1] != c.want[len(c.want)-1]) || (len(got) > 0 && got[0] != c.want[0]) {
			t.Errorf("%q from %d: %v (%d), want %v (%d)", c.text, c.offset, got, s.Count, c.want, c.count)
		}
	}
	all, _ := a.SearchTableRows(def.ID, "", 0, 0)
	id := engine.ToText(all.Rows[2]["Row ID"])
	if s, _ := a.SearchTableRows(def.ID, strings.ToUpper(id), 0, 0); s.Count != 1 || s.Rows[0]["Name"] != "Grace Hopper" {
		t.Errorf("by Row ID %s: %v", id, s)
	}
	// a part of an id (or of Created) matches nothing: random hex matches nearly any short text
	for _, part := range []string{id[:8], engine.ToText(all.Rows[2]["Created"])[:4]} {
		if s, _ := a.SearchTableRows(def.ID, part, 0, 0); s.Count != 0 {
			t.Errorf("%q matched %d rows", part, s.Count)
		}
	}
	if _, err := a.SearchTableRows("nope", "x", 0, 0); err == nil {
		t.Fatal("a missing table is an error")
	}
}
