package app

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/flowbench/flowbench/connectors/okta"
	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// The sample of Access Certification Decision Submitted is the sandbox
// tenant's newest review decision: its Review Item is a review the tenant
// has (the one the Debug Data names), and a decision made afterwards becomes
// the next sample. Without the sandbox the card's own sample names a review
// item too, with the same Debug Data keys.
func TestAccessCertificationSampleIsTheTenantsDecision(t *testing.T) {
	a, err := Open(t.Context(), Options{DataDir: t.TempDir(), Out: &bytes.Buffer{}, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	sb := a.Exec.Services["sandbox"].(*sandbox.Server)
	f := &engine.Flow{ID: "f", Name: "F", Trigger: engine.Card{ID: "trigger", Type: okta.EventCardID("accessCertificationDecisionSubmitted")}}
	check := func(decision string) string {
		t.Helper()
		in := a.sampleFor(f)
		item, _ := in["Review Item"].(map[string]any)
		id, _ := item["ID"].(string)
		rv, ok := sb.Review(id)
		if !ok || rv["decision"] != decision {
			t.Fatalf("Review Item %v: tenant review %v", item, rv)
		}
		dd, _ := in["Debug Context"].(map[string]any)["Debug Data"].(map[string]any)
		if dd["campaignItemId"] != id || dd["campaignItemDecision"] != decision || dd["campaignTemplateName"] != "Semi-Annual" {
			t.Fatalf("Debug Data %v", dd)
		}
		if actor, _ := in["Actor"].(map[string]any); actor["Alternate ID"] != "william.chen@example.com" {
			t.Errorf("actor %v is not the reviewer", actor)
		}
		return id
	}
	revoked := check("REVOKE")
	// another review of the campaign, decided now
	var next string
	for _, login := range []string{"kenji.tanaka@example.com", "priya.patel@example.com"} {
		for _, id := range reviewIDs(t, sb) {
			if rv, _ := sb.Review(id); rv["decision"] == "UNREVIEWED" && rv["principalProfile"].(map[string]any)["login"] == login {
				next = id
			}
		}
		if next != "" {
			break
		}
	}
	if next == "" || next == revoked {
		t.Fatal("no undecided review in the seeded campaign")
	}
	if _, err := sb.DecideReview(next, sandbox.DecisionApprove, ""); err != nil {
		t.Fatal(err)
	}
	if got := check("APPROVE"); got != next {
		t.Fatalf("sample after a decision: %s, want %s", got, next)
	}

	own := okta.SampleEvent(f.Trigger.Type)
	item, _ := own["Review Item"].(map[string]any)
	dd, _ := own["Debug Context"].(map[string]any)["Debug Data"].(map[string]any)
	if item["ID"] != okta.SampleReviewID || dd["campaignItemId"] != okta.SampleReviewID || dd["campaignItemResourceType"] != "APP" {
		t.Fatalf("the card's own sample: %v / %v", item, dd)
	}
}

// reviewIDs lists the tenant's reviews through its Governance API.
func reviewIDs(t *testing.T, sb *sandbox.Server) []string {
	t.Helper()
	req, _ := http.NewRequest("GET", sb.URL()+"/governance/api/v1/reviews?limit=200", nil)
	req.Header.Set("Authorization", "SSWS "+sandbox.DefaultAPIToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var l struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&l); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range l.Data {
		ids = append(ids, d.ID)
	}
	return ids
}

// A helper flow's sample names the tenant's pending WebAuthn preregistration
// enrollment, with its user beside it (the Yubico template's error flow takes
// {userID, authenticatorEnrollmentId}); other placeholders stay.
func TestHelperSampleNamesTenantPreregistration(t *testing.T) {
	a, err := Open(t.Context(), Options{DataDir: t.TempDir(), Out: &bytes.Buffer{}, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	sb := a.Exec.Services["sandbox"].(*sandbox.Server)
	uid, eid, ok := sb.PendingPreregistration()
	if !ok {
		t.Fatal("the seed has no pending preregistration")
	}
	pair := engine.Obj(map[string]*engine.Type{"userID": engine.T("string"), "authenticatorEnrollmentId": engine.T("string"), "note": engine.T("string")})
	f := &engine.Flow{ID: "h", Name: "H", Trigger: engine.Card{ID: "trigger", Type: "flow.helper", Outputs: []engine.Field{
		{Key: "authErollmentError", Type: pair}}}}
	in := a.sampleFor(f)
	got, _ := in["authErollmentError"].(map[string]any)
	if got["authenticatorEnrollmentId"] != eid || got["userID"] != uid || got["note"] != "sample note" {
		t.Fatalf("sample %v, want enrollment %s of %s", got, eid, uid)
	}
}
