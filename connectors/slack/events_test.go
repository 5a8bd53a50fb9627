package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/kit/kittest"
	"github.com/flowbench/flowbench/connectors/slack/fake"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

// TestNewChannelCreatedWebhook: a flow on "New Channel Created" runs once
// per channel_created event the fake workspace delivers, signed with the
// app's signing secret; unsigned, stale and repeated deliveries don't run it.
func TestNewChannelCreatedWebhook(t *testing.T) {
	f := fake.New(fake.Config{})
	tg := kittest.ServeTriggers(t, "slack", f)
	st, rt, conn := tg.Store, tg.RT, tg.Conn
	hs := httptest.NewServer(rt.SignedHookHandler())
	t.Cleanup(hs.Close)
	hook := hs.URL + "/webhooks/slack/connection/" + conn.ID

	// no flow listens yet: Slack's URL check fails
	if err := f.SetEventURL(hook); err == nil {
		t.Fatal("URL verification passed with no listening flow")
	}
	fl := &engine.Flow{Format: engine.FlowFormat, ID: "welcome", Name: "Announce new channels", Enabled: true,
		Settings: engine.Settings{History: true},
		Trigger:  engine.Card{ID: "trigger", Type: "slack.event.channelCreated", Connection: conn.ID},
		Cards: []engine.Card{{ID: "post", Type: "slack.sendMessageToChannel2", Connection: conn.ID, Inputs: []engine.Field{
			{Key: "channel", Group: "parameters", Value: "C0FBGENERAL"},
			{Key: "Text", Group: "Message", From: &engine.Binding{Card: "trigger", Path: []string{"Channel Name"}}},
		}}}}
	if err := st.PutFlow(fl); err != nil {
		t.Fatal(err)
	}
	stored, _ := st.Flow(context.Background(), fl.ID)
	if err := rt.Sync(stored); err != nil {
		t.Fatal(err)
	}
	if err := f.SetEventURL(hook); err != nil {
		t.Fatalf("URL verification: %v", err)
	}
	// the trigger card shows that Request URL, and no secret of its own
	if s := rt.State(stored); !strings.HasSuffix(s.Endpoint, "/webhooks/slack/connection/"+conn.ID) || s.Secret != "" || !s.Shared ||
		!strings.Contains(s.Hint, "Event Subscriptions") {
		t.Errorf("trigger state %+v", s)
	}

	// a channel created through the Web API raises the event
	cl, err := Connector.NewClient(conn, kit.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Do(context.Background(), &kit.Call{Method: "POST", Path: "/api/conversations.create", Form: url.Values{"name": {"project-apollo"}}}); err != nil {
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
	if out := run.Cards[0].Outputs; out["Channel Name"] != "project-apollo" || !strings.HasPrefix(fmt.Sprint(out["Channel ID"]), "C") {
		t.Errorf("trigger outputs %v", out)
	}
	if m := lastMessage(t, f, "general"); m["text"] != "project-apollo" {
		t.Errorf("posted %v", m)
	}

	// deliveries the runtime refuses or ignores
	body := []byte(`{"type":"event_callback","event_id":"Ev0FBREPLAY","event_time":1700000000,"team_id":"T0FLOWBNCH",` +
		`"event":{"type":"channel_created","channel":{"id":"C0FBN999999","name":"replayed","created":1700000000,"creator":"U0FB000001"}}}`)
	post := func(ts int64, sig string) (int, string) {
		req, _ := http.NewRequest("POST", hook, bytes.NewReader(body))
		req.Header.Set("X-Slack-Request-Timestamp", fmt.Sprint(ts))
		req.Header.Set("X-Slack-Signature", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, fmt.Sprint(m)
	}
	now := time.Now().Unix()
	if code, _ := post(now, kit.SlackSign("wrong-secret", now, body)); code != 401 {
		t.Errorf("wrong secret: %d", code)
	}
	old := now - 600
	if code, msg := post(old, kit.SlackSign(fake.SigningSecret, old, body)); code != 401 || !strings.Contains(msg, "replay") {
		t.Errorf("stale timestamp: %d %s", code, msg)
	}
	if code, msg := post(now, kit.SlackSign(fake.SigningSecret, now, body)); code != 200 || !strings.Contains(msg, "accepted:1") {
		t.Errorf("signed: %d %s", code, msg)
	}
	if code, msg := post(now, kit.SlackSign(fake.SigningSecret, now, body)); code != 200 || !strings.Contains(msg, "duplicates:1") {
		t.Errorf("redelivered: %d %s", code, msg)
	}
}
