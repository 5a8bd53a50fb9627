package github

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/github/fake"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/kit/kittest"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

// TestMemberInvitedWebhook: the fake organization's signed webhook starts
// a flow on "Member Invited to Organization", which adds the invitee to a
// team; a delivery signed with another secret is refused, a repeated one
// ignored, and GitHub's ping is answered.
func TestMemberInvitedWebhook(t *testing.T) {
	f := fake.New(fake.Config{})
	tg := kittest.ServeTriggers(t, "github", &fakeAdapter{Server: f})
	st, rt, conn := tg.Store, tg.RT, tg.Conn
	hs := httptest.NewServer(rt.SignedHookHandler())
	t.Cleanup(hs.Close)
	hook := hs.URL + "/webhooks/github/connection/" + conn.ID

	fl := &engine.Flow{Format: engine.FlowFormat, ID: "invitees", Name: "Invitees join Engineering", Enabled: true,
		Settings: engine.Settings{History: true},
		Trigger:  engine.Card{ID: "trigger", Type: "github.event.memberInvitedToOrganization", Connection: conn.ID},
		Cards: []engine.Card{{ID: "team", Type: "github.addUserToTeam", Connection: conn.ID, Inputs: []engine.Field{
			{Key: "org", Group: "parameters", Value: "flowbench"}, {Key: "Team Slug", Group: "Team", Value: "engineering"},
			{Key: "Username", Group: "User", From: &engine.Binding{Card: "trigger", Path: []string{"Username"}}},
		}}}}
	if err := st.PutFlow(fl); err != nil {
		t.Fatal(err)
	}
	stored, _ := st.Flow(context.Background(), fl.ID)
	if err := rt.Sync(stored); err != nil {
		t.Fatal(err)
	}
	post := func(event, id, sig string, body []byte) int {
		req, _ := http.NewRequest("POST", hook, bytes.NewReader(body))
		req.Header.Set("X-GitHub-Event", event)
		req.Header.Set("X-GitHub-Delivery", id)
		req.Header.Set("X-Hub-Signature-256", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	ping := []byte(`{"zen":"Keep it logically awesome.","hook_id":1}`)
	if code := post("ping", "p-1", fake.Sign(fake.WebhookSecret, ping), ping); code != 200 {
		t.Fatalf("ping: %d", code)
	}
	f.SetWebhook(hook, fake.WebhookSecret)

	// inviting someone through the card makes the fake deliver the event
	cl, err := Connector.NewClient(conn, kit.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Do(context.Background(), &kit.Call{Method: "PUT", Path: "/orgs/flowbench/memberships/emma-schmidt", JSON: map[string]any{"role": "member"}}); err != nil {
		t.Fatal(err)
	}
	var run *engine.Execution
	for deadline := time.Now().Add(20 * time.Second); run == nil && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		st.Flush()
		list, _ := st.Executions(store.Query{Flow: fl.ID})
		if len(list) == 1 && list[0].Status != "running" {
			run, _ = st.Execution(list[0].ID)
		}
	}
	if run == nil || run.Status != "success" {
		t.Fatalf("no successful run: %+v", run)
	}
	if out := run.Cards[0].Outputs; out["Username"] != "emma-schmidt" || out["Organization"] != "flowbench" {
		t.Errorf("trigger outputs %v", out)
	}
	if run.Cards[1].Outputs["Role"] != "member" {
		t.Errorf("team card: %v", run.Cards[1].Outputs)
	}

	body := []byte(`{"action":"member_invited","user":{"login":"octo-outsider"},"organization":{"login":"flowbench"},"sender":{"login":"sandbox-admin"}}`)
	if code := post("organization", "d-1", fake.Sign("wrong-secret", body), body); code != 401 {
		t.Errorf("wrong secret: %d", code)
	}
	if code := post("organization", "d-1", "", body); code != 401 {
		t.Errorf("unsigned: %d", code)
	}
	if code := post("organization", "d-1", fake.Sign(fake.WebhookSecret, body), body); code != 200 {
		t.Errorf("signed: %d", code)
	}
	if code := post("organization", "d-1", fake.Sign(fake.WebhookSecret, body), body); code != 200 {
		t.Errorf("redelivered: %d", code)
	}
}

func TestParseDeliveryTypes(t *testing.T) {
	h := http.Header{}
	h.Set("X-GitHub-Event", "pull_request")
	h.Set("X-GitHub-Delivery", "abc")
	evs, err := parseDelivery(h, []byte(`{"action":"opened","pull_request":{"number":7,"title":"T","draft":false,"user":{"login":"alice-nguyen"},"base":{"ref":"main"},"head":{"ref":"f"},"updated_at":"2024-05-01T10:00:00Z"},"repository":{"full_name":"flowbench/flows"}}`))
	if err != nil || len(evs) != 1 || evs[0].Type != "pull_request.opened" || evs[0].Output["Number"] != 7.0 || evs[0].Output["Author"] != "alice-nguyen" {
		t.Fatalf("%v %+v", err, evs)
	}
	if _, err := parseDelivery(http.Header{}, []byte(`{}`)); err == nil || !strings.Contains(err.Error(), "X-GitHub-Event") {
		t.Fatalf("no headers: %v", err)
	}
}
