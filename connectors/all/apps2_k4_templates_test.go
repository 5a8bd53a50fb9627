package all

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/flopack"
)

// TestSalesforceJiraGitHubServiceNowTemplatesImportWhole: the corpus
// templates whose third-party cards are Salesforce, Jira, GitHub or
// ServiceNow import with no unsupported card of these apps; those with no
// other app import whole, and every imported flow validates (connections
// aside: the template's are unbound).
func TestSalesforceJiraGitHubServiceNowTemplatesImportWhole(t *testing.T) {
	dir := filepath.Join(repoRoot(t), "..", "shared", "corpus", "okta-workflows-templates")
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		t.Fatalf("%s not found (shared/ is not beside the repository)", dir)
	}
	mine := func(kind string) bool {
		for _, ns := range []string{"salesforce2_29:", "jira2:", "github:", "servicenow:"} {
			if strings.HasPrefix(kind, ns) {
				return true
			}
		}
		return false
	}
	for name, whole := range map[string]bool{
		"create_contact_in_salesforce": true, "create_servicenow_ticket_for_high_risk_login": true,
		"deactivate_salesforce_user_ispm_remediation_flow": true, "get_an_atlassian_id": true, "salesforce_create_user": true,
		"automate_account_creation_from_jira": true,
		// with part 1's apps (Gmail, Google Directory, Office 365) and Okta Privileged Access
		"automate_sso_application_creation": false, "flow_folder_versioning_github": false,
		"identity_security_posture_management": false, "governance_for_okta_privileged_access_server_resou": false,
	} {
		data, err := os.ReadFile(filepath.Join(dir, name, "workflow.flopack"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := flopack.Import(name, data, engine.Default(), flopack.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for kind, n := range res.Report.UnsupportedKinds {
			if whole || mine(kind) {
				t.Errorf("%s: %d unsupported %s cards", name, n, kind)
			}
		}
		flows := map[string]*engine.Flow{}
		for _, f := range res.Flows {
			flows[f.ID] = f
		}
		for _, f := range res.Flows {
			for _, p := range engine.Validate(f, &engine.ValidateEnv{Registry: engine.Default(), Flows: flows}) {
				if p.Kind != "missing-connection" && p.Kind != "unsupported" {
					t.Errorf("%s / %s: %s %s: %s", name, f.Name, p.Kind, p.Title, p.Message)
				}
			}
		}
	}
}
