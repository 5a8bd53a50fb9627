package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// Issue 16 point 2: every save is a version; two versions diff card by
// card (over HTTP too, as the designer calls it); a restore is a new save.
func TestFlowVersionsAPI(t *testing.T) {
	a := testApp(t)
	c := serveTestClient(t, a)

	f, err := a.CreateFlow("Versioned", "")
	if err != nil {
		t.Fatal(err)
	}
	// save 2: a Compose card; save 3: its text changed and a second card
	f.Cards = []engine.Card{{ID: "c1", Type: "text.concat", Title: "Compose", Inputs: []engine.Field{{Key: "string 1", Value: "Hello"}}}}
	r, err := a.SaveFlow(f)
	if err != nil {
		t.Fatal(err)
	}
	f = r.Flow
	f.Cards[0].Inputs[0].Value = "Hi"
	f.Cards = append(f.Cards, engine.Card{ID: "c2", Type: "text.upper", Inputs: []engine.Field{{Key: "string", From: &engine.Binding{Card: "c1", Path: []string{"output"}}}}})
	if r, err = a.SaveFlow(f); err != nil {
		t.Fatal(err)
	}
	vs, err := a.FlowVersions(f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 3 || vs[0].Revision != 3 || vs[0].Cards != 2 || vs[2].Revision != 1 {
		t.Fatalf("versions %+v", vs)
	}
	st, body := c.call("DiffFlowVersions", f.ID, 2, 0)
	if st != http.StatusOK {
		t.Fatalf("DiffFlowVersions: %d %s", st, body)
	}
	var d VersionDiff
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatal(err)
	}
	if d.A != 2 || d.B != 3 || d.Diff.Added != 1 || d.Diff.Changed != 1 || len(d.Merged.Cards) != 2 {
		t.Fatalf("diff %+v", d.Diff)
	}
	if !strings.Contains(d.Text, `input string 1: "Hello" → "Hi"`) {
		t.Fatalf("diff text:\n%s", d.Text)
	}
	// restore version 2 over version 3: a new version 4 with one card
	if _, err := a.RestoreFlowVersion(f.ID, 2, 2); err == nil {
		t.Fatal("a restore over a newer save must be a conflict")
	}
	st, body = c.call("RestoreFlowVersion", f.ID, 2, 3)
	if st != http.StatusOK {
		t.Fatalf("RestoreFlowVersion: %d %s", st, body)
	}
	cur, _ := a.GetFlow(f.ID)
	if cur.Revision != 4 || len(cur.Cards) != 1 || cur.Cards[0].Inputs[0].Value != "Hello" {
		t.Fatalf("restored flow rev %d cards %+v", cur.Revision, cur.Cards)
	}
	if vs, _ := a.FlowVersions(f.ID); len(vs) != 4 || vs[0].RestoredFrom != 2 {
		t.Fatalf("after restore %+v", vs)
	}
	if _, err := a.GetFlowVersion(f.ID, 99); err == nil || !strings.Contains(err.Error(), "no version 99") {
		t.Fatalf("missing version: %v", err)
	}
}
