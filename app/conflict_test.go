package app

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine/store"
)

// Issue 15 point 11: two tabs saving the same flow. The second save over a
// change made elsewhere is a conflict (409 over HTTP) that leaves the other
// tab's change in place; it neither revives a deleted flow nor switches a
// flow back on.
func TestSaveConflicts(t *testing.T) {
	a := testApp(t)
	c := serveTestClient(t, a)

	f, err := a.CreateFlow("Shared", "")
	if err != nil {
		t.Fatal(err)
	}
	tabA, _ := a.GetFlow(f.ID)
	tabB, _ := a.GetFlow(f.ID)
	if tabA.Revision == 0 {
		t.Fatal("a stored flow has no revision")
	}
	// B saves first
	tabB.Name = "Renamed in B"
	rb, err := a.SaveFlow(tabB)
	if err != nil {
		t.Fatal(err)
	}
	// A's own consecutive saves work once it takes the returned revision
	tabA.Description = "edited in A"
	st, body := c.call("SaveFlow", tabA)
	lost := 0
	if st != http.StatusConflict || !strings.Contains(string(body), "changed elsewhere") {
		lost++
		t.Errorf("save over B's change: %d %s", st, body)
	}
	if cur, _ := a.GetFlow(f.ID); cur.Name != "Renamed in B" {
		t.Errorf("B's change lost: %q", cur.Name)
	}
	rb.Flow.Description = "B again"
	if _, err := a.SaveFlow(rb.Flow); err != nil {
		t.Fatalf("B's second save with the returned revision: %v", err)
	}

	// a delete elsewhere is not undone by a save
	tabC, _ := a.GetFlow(f.ID)
	if err := a.DeleteFlow(f.ID); err != nil {
		t.Fatal(err)
	}
	_, err = a.SaveFlow(tabC)
	var ce *store.ConflictError
	if !errors.As(err, &ce) || !ce.Deleted {
		lost++
		t.Errorf("save of a deleted flow: %v", err)
	}
	if _, err := a.GetFlow(f.ID); err == nil {
		t.Error("the deleted flow was revived")
	}

	// switched off elsewhere: a save from a tab that saw it on keeps it off
	g, _ := a.CreateFlow("Switchable", "")
	if err := a.SetFlowEnabled(g.ID, true); err != nil {
		t.Fatal(err)
	}
	tabD, _ := a.GetFlow(g.ID)
	if err := a.SetFlowEnabled(g.ID, false); err != nil {
		t.Fatal(err)
	}
	tabD.Description = "edit while on"
	if _, err := a.SaveFlow(tabD); err != nil {
		t.Fatalf("save after a switch elsewhere: %v", err)
	}
	if cur, _ := a.GetFlow(g.ID); cur.Enabled || cur.Description != "edit while on" {
		lost++
		t.Errorf("enabled %v description %q", cur.Enabled, cur.Description)
	}
	t.Logf("silent lost updates: %d of 3", lost)

	// exports carry no revision
	out, err := a.ExportFlow(g.ID)
	if err != nil || strings.Contains(out, "revision") {
		t.Fatalf("export: %v %s", err, out)
	}
	var back map[string]any
	_ = json.Unmarshal([]byte(out), &back)
}

// serveTestClient serves a's HTTP API on a test server closed when the test ends
// and returns a client with its token.
func serveTestClient(t *testing.T, a *App) client {
	t.Helper()
	const token = "tok-0123456789abcdef0123456789abcdef"
	h, err := NewHTTPHandler(a, token, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return client{t: t, url: srv.URL, token: token}
}
