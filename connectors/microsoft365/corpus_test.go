package microsoft365_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/flowbench/flowbench/connectors/all"
	"github.com/flowbench/flowbench/engine/flopack"
)

// officeOnly are the corpus templates whose only cards Flowbench lacked
// were Office 365 Admin / Office 365 Mail ones
// (../shared/docs/flopack-template-coverage.tsv, missing_for_b).
var officeOnly = []string{
	"disable_entra_id_account_ispm_remediation_flow", "email_notifications_office365",
	"entra_id_add_user_to_a_group_ispm_remediation_flow", "office365_create_guest_users",
	"onboard_and_offboard_with_office365", "send_mgr_ad_credentials",
	"subscribe_to_microsoft_alerts_and_notify_admins_of", "sync_okta_group_membership_with_office_365_unified",
}

// TestCorpusOfficeTemplatesImportWhole: those templates import with no
// unsupported card, and no template of the corpus has an unsupported
// office365admin / office365mail card.
func TestCorpusOfficeTemplatesImportWhole(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "okta-workflows-templates")
	files, _ := filepath.Glob(filepath.Join(dir, "*", "workflow.flopack"))
	if len(files) == 0 {
		t.Fatalf("template corpus not found at %s", dir)
	}
	seen := 0
	for _, p := range files {
		name := filepath.Base(filepath.Dir(p))
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data, []byte(":office365")) {
			continue
		}
		res, err := flopack.Import(name, data, nil, flopack.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rep := res.Report
		for kind, n := range rep.UnsupportedKinds {
			if strings.HasPrefix(kind, "office365") {
				t.Errorf("%s: %d unsupported %s", name, n, kind)
			}
		}
		if slices.Contains(officeOnly, name) {
			seen++
			if rep.Unsupported != 0 {
				t.Errorf("%s: %d unsupported cards %v", name, rep.Unsupported, rep.UnsupportedKinds)
			}
			for _, w := range rep.Warnings {
				if strings.Contains(w.Card, "Office") || strings.Contains(w.Message, "office365") {
					t.Errorf("%s: %s", name, w.String())
				}
			}
		}
	}
	if seen != len(officeOnly) {
		t.Errorf("found %d of the %d Office 365 templates", seen, len(officeOnly))
	}
}
