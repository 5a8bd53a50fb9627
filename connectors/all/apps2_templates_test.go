package all

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/flopack"
)

// TestAppsPart2TemplatesImportWhole: the corpus templates whose third-party
// cards are Jamf Pro, Auth0, Box, Opsgenie, OpenAI or PagerDuty (with Okta,
// Tables and part 1's apps) import with no unsupported card, and every
// imported flow validates (connections aside: the template's are unbound).
func TestAppsPart2TemplatesImportWhole(t *testing.T) {
	dir := filepath.Join(repoRoot(t), "..", "shared", "corpus", "okta-workflows-templates")
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		t.Fatalf("%s not found (shared/ is not beside the repository)", dir)
	}
	for _, name := range []string{
		"customized_conditional_access_with_jamf_pro_and_ok", "lock_apple_devices_upon_user_offboarding_with_okta",
		"restart_specific_apple_mobile_devices_on_a_weekly_", "link_new_users_to_existing_accounts_based_on_email",
		"close_abandoned_accounts", "manage_oncall_rotation_and_schedules_with_opsgenie",
		"reassign_files_while_deprovisioning_with_box", "suspicious_activity_event_alerts_pagerduty",
	} {
		data, err := os.ReadFile(filepath.Join(dir, name, "workflow.flopack"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := flopack.Import(name, data, engine.Default(), flopack.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.Report.Unsupported != 0 {
			t.Errorf("%s: %d unsupported cards %v", name, res.Report.Unsupported, res.Report.UnsupportedKinds)
		}
		flows := map[string]*engine.Flow{}
		for _, f := range res.Flows {
			flows[f.ID] = f
		}
		for _, f := range res.Flows {
			for _, p := range engine.Validate(f, &engine.ValidateEnv{Registry: engine.Default(), Flows: flows}) {
				if p.Kind != "missing-connection" {
					t.Errorf("%s / %s: %s %s: %s", name, f.Name, p.Kind, p.Title, p.Message)
				}
			}
		}
	}
}
