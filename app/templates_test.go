package app

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/flowbench/flowbench/connectors/all"
	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// Official Okta Workflows templates, imported from ../shared and run end to
// end against the in-process sandbox tenant (their Okta connection bound to
// it), with the sample input the Run panel would offer.
func TestImportedTemplatesRunAgainstSandbox(t *testing.T) {
	corpusTemplates(t) // fails without the corpus
	corpus := corpusDir
	a, err := Open(t.Context(), Options{DataDir: t.TempDir(), Out: &bytes.Buffer{}, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	sb := a.Exec.Services["sandbox"].(*sandbox.Server)

	cases := []struct {
		template, flow string
		input          func() map[string]any // nil: the Run panel's sample
		check          func(t *testing.T, ex *engine.Execution)
	}{
		// User Created → split the login's domain → Search Rows in the template's
		// table → Continue If "Lite User" → Custom API Action PUT classification LITE
		{"bulk_convert_users_to_lite_users", "Convert New Okta User to Lite User", func() map[string]any {
			if _, err := a.Store.CreateRow(t.Context(), "fb5c94e6-85ca-4601-a170-6279367d19eb", map[string]any{"Domain": "example.com", "Lite User": true}); err != nil {
				t.Fatalf("table row: %v", err)
			}
			return nil
		}, func(t *testing.T, ex *engine.Execution) {
			if got := classificationOf(t, sb, "alice.nguyen@example.com"); got != "LITE" {
				t.Errorf("alice is %q, want LITE", got)
			}
		}},
		{"workflows_tutorials", "[Step 1 ] Create Sample Users", nil, func(t *testing.T, ex *engine.Execution) {
			// a For Each over 20 users calls a helper that creates each one
			for _, login := range []string{"scarlett.powell@example.com", "billie.shelton@example.com"} {
				if u, ok := sb.User(login); !ok || u["status"] == nil {
					t.Errorf("user %s was not created in the sandbox", login)
				}
			}
			fe := ex.Cards[len(ex.Cards)-2]
			if fe.Type != "list.forEachIgnoreErrors" || len(fe.Children) != 20 || fe.Outputs["failed"] != 0.0 {
				t.Errorf("For Each record: %s children %d outputs %v", fe.Type, len(fe.Children), fe.Outputs)
			}
		}},
		{"suspend_okta_account_ispm_remediation_flow", "2.2 Suspend Okta User", func() map[string]any {
			id := userID(sb, "carol.okafor@example.com")
			return map[string]any{"okta-user-id": id, "entityIdInService": id, "entityDisplayName": "Carol Okafor"}
		}, func(t *testing.T, ex *engine.Execution) {
			if u, _ := sb.User("carol.okafor@example.com"); u["status"] != "SUSPENDED" {
				t.Errorf("user status %v, want SUSPENDED", u["status"])
			}
		}},
		{"okta_reset_user_password_upon_next_login_ispm_reme", "4.1 Okta - Reset User Password Upon Next Login", func() map[string]any {
			id := userID(sb, "emma.schmidt@example.com")
			return map[string]any{"okta-user-id": id, "entityIdInService": id, "entityDisplayName": "Emma Schmidt"}
		}, func(t *testing.T, ex *engine.Execution) {
			if u, _ := sb.User("emma.schmidt@example.com"); u["status"] != "RECOVERY" && u["status"] != "PASSWORD_EXPIRED" {
				t.Errorf("user status %v after a password reset", u["status"])
			}
		}},
		{"get_membership_and_application_counts_for_an_okta_", "Get Group Counts", nil, nil},
		{"workflows_tutorials", "How to use an If/Else statement with Outputs", nil, nil},
		{"workflows_tutorials", "List Users with Search using Streaming Actions", nil, nil},
	}
	imported := map[string][]string{}
	for _, tc := range cases {
		t.Run(tc.template+"/"+tc.flow, func(t *testing.T) {
			if _, done := imported[tc.template]; !done {
				p := filepath.Join(corpus, tc.template, "workflow.flopack")
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				rep, err := a.importFile(p, data, "")
				if err != nil {
					t.Fatal(err)
				}
				imported[tc.template] = rep.Flows
				// bind the template's Okta connection placeholders to the sandbox, as the
				// import dialog does; cards whose template left the connection unset get it too
				for _, ref := range rep.Connections {
					if ref.Kind == "okta" {
						if _, err := a.BindConnection(ref.ID, SandboxConnectionID); err != nil {
							t.Fatal(err)
						}
					}
				}
				for _, id := range rep.Flows {
					f, _ := a.GetFlow(id)
					f.Walk(func(c *engine.Card, _ *engine.Card) bool {
						if spec, ok := a.Reg.Card(c.Type); ok && spec.Connection == "okta" {
							if c.Connection != SandboxConnectionID && c.Connection != "" {
								t.Errorf("card %s still bound to %q after BindConnection", c.ID, c.Connection)
							}
							c.Connection = SandboxConnectionID
						}
						return true
					})
					if _, err := a.SaveFlow(f); err != nil {
						t.Fatal(err)
					}
				}
			}
			var flow *engine.Flow
			for _, id := range imported[tc.template] {
				if f, _ := a.Store.Flow(t.Context(), id); f.Name == tc.flow {
					flow = f
				}
			}
			if flow == nil {
				t.Fatalf("flow %q not imported", tc.flow)
			}
			in := a.sampleFor(flow)
			if tc.input != nil {
				for k, v := range tc.input() { // may also prepare the store
					in[k] = v
				}
			}
			ex, err := a.RunFlow(flow.ID, in)
			if err != nil || ex.Status != engine.StatusSuccess {
				t.Fatalf("run: %v %+v", err, ex.Error)
			}
			for _, r := range ex.Cards {
				if r.Status == engine.StatusFailed || r.Type == "unsupported" {
					t.Fatalf("card %s %q: %s %+v inputs %v", r.ID, r.Title, r.Status, r.Error, r.Inputs)
				}
			}
			if tc.check != nil {
				tc.check(t, ex)
			}
		})
	}
}

func userID(sb *sandbox.Server, login string) string {
	u, _ := sb.User(login)
	id, _ := u["id"].(string)
	return id
}

// classificationOf asks the sandbox over its API, like a client would.
func classificationOf(t *testing.T, sb *sandbox.Server, login string) string {
	req, _ := http.NewRequest("GET", sb.URL()+"/api/v1/users/"+userID(sb, login)+"/classification", nil)
	req.Header.Set("Authorization", "SSWS "+sandbox.DefaultAPIToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var c struct{ Type string }
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		t.Fatal(err)
	}
	return c.Type
}

// Importing a template again keeps the connections the user bound.
func TestReimportKeepsBoundConnections(t *testing.T) {
	p := filepath.Join(corpusDir, "bulk_convert_users_to_lite_users", "workflow.flopack")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("template not found: %v", err)
	}
	a, err := Open(t.Context(), Options{DataDir: t.TempDir(), Out: &bytes.Buffer{}, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	rep, err := a.importFile(p, data, "")
	// the export's placeholder, then its Okta cards with no connection (placeholders.go)
	if err != nil || len(rep.Connections) != 2 || rep.Connections[1].ID != "unset:okta" {
		t.Fatalf("import: %v %+v", err, rep)
	}
	if n, err := a.BindConnection(rep.Connections[0].ID, SandboxConnectionID); err != nil || n == 0 {
		t.Fatalf("bind: %d %v", n, err)
	}
	if _, err := a.importFile(p, data, ""); err != nil {
		t.Fatal(err)
	}
	for _, id := range rep.Flows {
		f, _ := a.Store.Flow(t.Context(), id)
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			if c.Connection == rep.Connections[0].ID {
				t.Errorf("flow %q card %s is back on the placeholder", f.Name, c.ID)
			}
			return true
		})
	}
}
