package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// refNames is "name (kind)" of each placeholder, by id.
func refNames(refs []engine.ConnectionRef) map[string]string {
	out := map[string]string{}
	for _, r := range refs {
		out[r.ID] = r.Name + " (" + r.Kind + ")"
	}
	return out
}

// importOffice365Seed imports the Office 365 mail template seed (an Okta and an
// Office 365 Mail placeholder) into a fresh app.
func importOffice365Seed(t *testing.T) (*App, *ImportReport) {
	t.Helper()
	p := filepath.Join("..", "engine", "flopack", "testdata", "seeds", "email_notifications_office365.flopack")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	a := testApp(t)
	rep, err := a.importFile(p, data, "")
	if err != nil {
		t.Fatal(err)
	}
	return a, rep
}

// An Okta export's connection placeholders keep their names and kinds through
// a folder export and its import elsewhere; a single flow's native file (which
// names no placeholders) still lists each connection its cards use that the
// importing machine lacks; a connection that exists there is not listed.
func TestImportListsPlaceholdersThroughExport(t *testing.T) {
	a, rep := importOffice365Seed(t)
	const oktaID, mailID = "52da5746-1dc1-4bc2-bba4-d01f262177e7", "70fd0369-5ba2-46a1-93fe-b677ceb7286f"
	got := refNames(rep.Connections)
	if got[oktaID] != "Okta (okta)" || got[mailID] != "Office 365 Mail (office365mail)" || len(got) != 2 {
		t.Fatalf("flopack import placeholders: %v", got)
	}
	f, err := a.Store.Flow(t.Context(), rep.Flows[0])
	if err != nil {
		t.Fatal(err)
	}
	// the Run panel names the placeholders as not there (it said "no connections: nothing outside is touched")
	ts, err := a.RunTargets(f.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0].Name != "Office 365 Mail" || !ts[0].Missing || ts[1].Name != "Okta" || !ts[1].Missing || ts[1].Kind != "okta" {
		t.Fatalf("run targets of an unbound import: %+v", ts)
	}

	// folder export before binding, imported on another machine
	bundle, err := a.ExportFolder(f.Folder)
	if err != nil {
		t.Fatal(err)
	}
	var b engine.Folder
	if err := json.Unmarshal([]byte(bundle), &b); err != nil {
		t.Fatal(err)
	}
	if got := refNames(b.Connections); got[oktaID] != "Okta (okta)" || got[mailID] != "Office 365 Mail (office365mail)" {
		t.Fatalf("exported placeholders lose their names or kinds: %v", got)
	}
	other := testApp(t)
	rep2, err := other.importFile("bundle.folder.json", []byte(bundle), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := refNames(rep2.Connections); got[oktaID] != "Okta (okta)" || got[mailID] != "Office 365 Mail (office365mail)" || len(got) != 2 {
		t.Fatalf("re-imported folder placeholders: %v", got)
	}

	// a single flow's file: the missing connections are listed, kinds from the cards
	text, err := a.ExportFlow(f.ID)
	if err != nil {
		t.Fatal(err)
	}
	third := testApp(t)
	rep3, err := third.importFile("one.flow.json", []byte(text), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := refNames(rep3.Connections); got[oktaID] != oktaID+" (okta)" || got[mailID] != mailID+" (office365mail)" || len(got) != 2 {
		t.Fatalf("single flow file placeholders: %v", got)
	}

	// bound on the first machine: the export names the real connection, and
	// importing it there again lists only the placeholder still unbound
	if _, err := a.SaveConnection(&engine.Connection{Name: "Prod tenant", Kind: "okta", Config: map[string]any{"domain": "acme.okta.com", "authMethod": "token"}}); err != nil {
		t.Fatal(err)
	}
	if n, err := a.BindConnection(oktaID, "prod-tenant"); err != nil || n == 0 {
		t.Fatalf("bind: %d %v", n, err)
	}
	bundle, err = a.ExportFolder(f.Folder)
	if err != nil {
		t.Fatal(err)
	}
	b = engine.Folder{}
	if err := json.Unmarshal([]byte(bundle), &b); err != nil {
		t.Fatal(err)
	}
	if got := refNames(b.Connections); got["prod-tenant"] != "Prod tenant (okta)" || got[mailID] != "Office 365 Mail (office365mail)" || len(got) != 2 {
		t.Fatalf("export after binding: %v", got)
	}
	rep4, err := a.importFile("bundle.folder.json", []byte(bundle), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := refNames(rep4.Connections); got[mailID] != "Office 365 Mail (office365mail)" || len(got) != 1 {
		t.Fatalf("re-import where one connection exists lists: %v", got)
	}
}

// Cards that need a connection and name none (templates exported without
// one, as Okta's Realms template) are listed as one placeholder per kind;
// binding it gives them all the connection, and only cards of that kind. An
// event trigger without a connection (hooks need none) is not listed.
func TestImportListsCardsWithNoConnection(t *testing.T) {
	a := testApp(t)
	flow := `{"format": "flowbench.flow/v1", "id": "no-conn", "name": "No connection",
	  "trigger": {"id": "trigger", "type": "okta.event.userAddedToGroupMembership", "title": "User Added to Group"},
	  "cards": [
	    {"id": "r1", "type": "okta.readUser", "title": "Read User", "inputs": [{"key": "ID or Login", "group": "User", "value": "x"}]},
	    {"id": "r2", "type": "okta.readUser", "title": "Read User 2", "connection": "acme-prod", "inputs": [{"key": "ID or Login", "group": "User", "value": "x"}]},
	    {"id": "s1", "type": "text.concat", "title": "Concatenate"}
	  ]}`
	rep, err := a.importFile("no-conn.flow.json", []byte(flow), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := refNames(rep.Connections); got["unset:okta"] != "Okta cards with no connection (okta)" || got["acme-prod"] != "acme-prod (okta)" || len(got) != 2 {
		t.Fatalf("placeholders: %v", got)
	}
	for _, c := range []*engine.Connection{
		{Name: "Team tenant", Kind: "okta", Config: map[string]any{"domain": "acme.okta.com", "authMethod": "token"}},
		{Name: "Team Slack", Kind: "slack", Config: map[string]any{}},
	} {
		if _, err := a.SaveConnection(c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.BindConnection("unset:okta", "team-slack"); err == nil || !strings.Contains(err.Error(), "are okta cards") {
		t.Fatalf("binding Okta cards to a Slack connection: %v", err)
	}
	if n, err := a.BindConnection("unset:okta", "team-tenant"); err != nil || n != 1 {
		t.Fatalf("bind unset: %d %v", n, err)
	}
	// the Connections page names the flow before a delete
	if us, err := a.ConnectionUsers("team-tenant"); err != nil || len(us) != 1 || us[0].Name != "No connection" || us[0].Cards != 1 || us[0].Enabled {
		t.Fatalf("connection users: %+v %v", us, err)
	}
	f, err := a.Store.Flow(t.Context(), "no-conn")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"trigger": "", "r1": "team-tenant", "r2": "acme-prod", "s1": ""}
	// importing the file again keeps the binding (and lists no row for it)
	rep, err = a.importFile("no-conn.flow.json", []byte(flow), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := refNames(rep.Connections); len(got) != 1 || got["acme-prod"] == "" {
		t.Fatalf("placeholders on re-import: %v", got)
	}
	if f, err = a.Store.Flow(t.Context(), "no-conn"); err != nil {
		t.Fatal(err)
	}
	f.Walk(func(c *engine.Card, _ *engine.Card) bool {
		if c.Connection != want[c.ID] {
			t.Errorf("card %s: connection %q, want %q", c.ID, c.Connection, want[c.ID])
		}
		return true
	})
}

// The designer names an import's unbound placeholders: FlowPlaceholders gives
// each one's name and kind, and the problem on a card using one names it
// ('connection "52da…" does not exist' told the user nothing); a connection
// deleted here still "does not exist".
func TestDesignerNamesUnboundPlaceholders(t *testing.T) {
	a, rep := importOffice365Seed(t)
	const oktaID = "52da5746-1dc1-4bc2-bba4-d01f262177e7"
	f, err := a.GetFlow(rep.Flows[0])
	if err != nil {
		t.Fatal(err)
	}
	refs, err := a.FlowPlaceholders(f)
	if err != nil {
		t.Fatal(err)
	}
	if got := refNames(refs); got[oktaID] != "Okta (okta)" || len(got) != 2 {
		t.Fatalf("placeholders of the flow: %v", got)
	}
	ps, _ := a.ValidateFlow(f)
	named := 0
	for _, pr := range ps {
		if pr.Kind != "missing-connection" {
			continue
		}
		if strings.Contains(pr.Message, oktaID) {
			t.Fatalf("problem names the placeholder by id: %q", pr.Message)
		}
		if strings.Contains(pr.Message, `connection "Okta" of the imported file is not bound`) {
			named++
		}
	}
	if named == 0 {
		t.Fatalf("no problem names the Okta placeholder: %+v", ps)
	}

	// bound, then the connection deleted: it does not exist (no import names it)
	if _, err := a.SaveConnection(&engine.Connection{ID: "team", Name: "Team", Kind: "okta", Config: map[string]any{"domain": "x.okta.com"}}); err != nil {
		t.Fatal(err)
	}
	g, _ := cloneFlow(f)
	g.Walk(func(c *engine.Card, _ *engine.Card) bool {
		if c.Connection == oktaID {
			c.Connection = "team"
		}
		return true
	})
	if err := a.DeleteConnection("team"); err != nil {
		t.Fatal(err)
	}
	ps, _ = a.ValidateFlow(g)
	gone := false
	for _, pr := range ps {
		gone = gone || (pr.Kind == "missing-connection" && pr.Message == `connection "team" does not exist`)
	}
	if refs, _ := a.FlowPlaceholders(g); !gone || refNames(refs)["team"] != "team (okta)" {
		t.Fatalf("deleted connection: problems %+v placeholders %v", ps, refNames(refs))
	}
}
