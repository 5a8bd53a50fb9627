package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/kit/kittest"
	"github.com/flowbench/flowbench/connectors/slack/fake"
	"github.com/flowbench/flowbench/engine"
)

var (
	specOnce sync.Once
	specVal  *kit.SpecValidator
	specErr  error
)

// spec is Slack's Web API description, trimmed (testdata/README.md).
func spec(t testing.TB) *kit.SpecValidator {
	t.Helper()
	specOnce.Do(func() {
		data, err := os.ReadFile("testdata/slack_web_openapi_v2.json")
		if err != nil {
			specErr = err
			return
		}
		specVal, specErr = kit.NewSpecValidator(data, "/api")
		if specVal != nil {
			// Slack answers errors with HTTP 200 {"ok":false}: the "default" response
			specVal.ErrorBody = func(_ int, body []byte) bool { return bytes.Contains(body, []byte(`"ok":false`)) }
		}
	})
	if specErr != nil {
		t.Fatalf("loading Slack's API description: %v", specErr)
	}
	return specVal
}

func start(t *testing.T) (*kittest.Harness, *fake.Server) {
	f := fake.New(fake.Config{})
	h := kittest.Start(t, Connector, kittest.Options{Spec: spec(t), Fake: f})
	return h, f
}

func lastMessage(t *testing.T, f *fake.Server, channel string) map[string]any {
	t.Helper()
	c, ok := f.Channel(channel)
	if !ok || len(c.Messages) == 0 {
		t.Fatalf("no message in %s", channel)
	}
	return c.Messages[len(c.Messages)-1]
}

func TestSendMessageToChannel(t *testing.T) {
	h, f := start(t)
	out := h.MustRun("slack:sendMessageToChannel2", map[string]any{"channel": "C0FBGENERAL", "Text": "Hello from Flowbench",
		"Name": "Okta Workflows Notifier", "Icon Emoji": "bell", "bot": "Yes", "links": "No", "messageType": "Plain Text"})
	m := lastMessage(t, f, "general")
	if m["text"] != "Hello from Flowbench" || m["username"] != "Okta Workflows Notifier" || out["Timestamp"] != m["ts"] {
		t.Fatalf("message %v, outputs %v", m, out)
	}
	if icons, _ := m["icons"].(map[string]any); icons["emoji"] != ":bell:" {
		t.Errorf("icon %v, want :bell:", m["icons"])
	}

	// the Channel group (connector 1.6.244+) takes a name; Private narrows the lookup
	h.MustRun("slack:sendMessageToChannel2", map[string]any{"channel": "-- Enter Channel ID --", "channelId": "#security-alerts",
		"channelType": "Private", "Text": "factor reset"})
	if m := lastMessage(t, f, "security-alerts"); m["text"] != "factor reset" {
		t.Fatalf("private channel message %v", m)
	}

	// blocks, with the notification text, in a thread
	ts := out["Timestamp"].(string)
	h.MustRun("slack:sendMessageToChannel2", map[string]any{"channel": "C0FBGENERAL", "messageType": "Blocks",
		"Blocks":               []any{map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": "*Alert*"}}},
		"Notification Message": "Alert", "Thread Timestamp": ts})
	m = lastMessage(t, f, "general")
	if m["thread_ts"] != ts || m["text"] != "Alert" || m["blocks"] == nil {
		t.Fatalf("blocks message %v", m)
	}
}

func TestSendMessageErrors(t *testing.T) {
	h, _ := start(t)
	cases := []struct {
		name   string
		inputs map[string]any
		field  string // a bad input names the field
		code   string // a Slack error carries Slack's code
	}{
		{"no text", map[string]any{"channel": "C0FBGENERAL"}, "Text", ""},
		{"no channel", map[string]any{"Text": "x"}, "channel", ""},
		{"blocks without blocks", map[string]any{"channel": "C0FBGENERAL", "messageType": "Blocks"}, "Blocks", ""},
		{"unknown channel id", map[string]any{"channel": "C013NND62GZ", "Text": "x"}, "", "channel_not_found"},
		{"unknown channel name", map[string]any{"channelId": "#nope", "Text": "x"}, "", "channel_not_found"},
		{"archived", map[string]any{"channel": "C0FBOLDPROJ", "Text": "x"}, "", "is_archived"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := h.Run("slack:sendMessageToChannel2", tc.inputs)
			if err == nil {
				t.Fatal("no error")
			}
			var fe *engine.FieldError
			var he *engine.HTTPError
			switch {
			case tc.field != "":
				if !errors.As(err, &fe) || fe.Key != tc.field {
					t.Fatalf("error %v does not name field %s", err, tc.field)
				}
			case !errors.As(err, &he) || he.Code != tc.code:
				t.Fatalf("error %v, want Slack code %s", err, tc.code)
			}
		})
	}
}

func TestReadUserAndDirectMessage(t *testing.T) {
	h, f := start(t)
	out := h.MustRun("slack:readUser2", map[string]any{"fieldType": "Email", "Email": "alice.nguyen@example.com"})
	if out["Full Name"] != "Alice Nguyen" || out["Username"] != "alice.nguyen" || out["Email"] != "alice.nguyen@example.com" {
		t.Fatalf("read by email: %v", out)
	}
	id := out["User ID"].(string)
	byID := h.MustRun("slack:readUser2", map[string]any{"fieldType": "User ID", "User ID": id})
	byName := h.MustRun("slack:readUser2", map[string]any{"fieldType": "Username", "Username": "alice.nguyen"})
	if byID["Email"] != "alice.nguyen@example.com" || byName["User ID"] != id {
		t.Fatalf("by id %v, by name %v", byID, byName)
	}
	if _, _, err := h.Run("slack:readUser2", map[string]any{"fieldType": "Email", "Email": "nobody@example.com"}); err == nil ||
		!strings.Contains(err.Error(), "users_not_found") {
		t.Fatalf("unknown email: %v", err)
	}

	dm := h.MustRun("slack:sendDirectMessage2", map[string]any{"fieldType": "User ID", "User ID": id, "Text": "Please enroll in FastPass"})
	c, ok := f.Channel("D0FB" + id[4:])
	if !ok || len(c.Messages) != 1 || c.Messages[0]["text"] != "Please enroll in FastPass" || dm["Timestamp"] != c.Messages[0]["ts"] {
		t.Fatalf("DM channel %+v, outputs %v", c, dm)
	}
}

func TestRevokedTokenExplained(t *testing.T) {
	h := kittest.Start(t, Connector, kittest.Options{Spec: spec(t), Connection: func(c *engine.Connection) {
		c.Secrets[kit.SecToken] = fake.RevokedToken
	}})
	_, _, err := h.Run("slack:sendMessageToChannel2", map[string]any{"channel": "C0FBGENERAL", "Text": "x"})
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Code != "token_revoked" || !strings.Contains(he.Summary, "reconnect") {
		t.Fatalf("revoked token: %v", err)
	}
	if strings.Contains(err.Error(), fake.RevokedToken) {
		t.Fatal("the token leaked into the error")
	}
}

func TestConnectionLadder(t *testing.T) {
	h, _ := start(t)
	rep := Connector.TestWith(context.Background(), h.Conn, kit.ClientOptions{Transport: h.Rec})
	if !rep.OK || len(rep.Steps) != 3 || rep.Steps[2].Name != kit.StepScopes || rep.Info["team"] != "Flowbench Sandbox" {
		t.Fatalf("ladder on the fake: %+v", rep)
	}
	for _, tc := range []struct {
		token, step, code, hint string
	}{
		{fake.RevokedToken, kit.StepIdentity, "token_revoked", "token revoked: reconnect"},
		{"xoxb-unknown", kit.StepIdentity, "invalid_auth", "Bot User OAuth Token"},
		{fake.NarrowToken, kit.StepScopes, "", "reinstall"},
		{"", kit.StepSettings, "", "Fill in"},
	} {
		c := *h.Conn
		c.Secrets = map[string]string{kit.SecToken: tc.token}
		rep := Connector.TestWith(context.Background(), &c, kit.ClientOptions{Transport: h.Rec})
		last := rep.Steps[len(rep.Steps)-1]
		if rep.OK || last.OK || last.Name != tc.step || last.Code != tc.code || !strings.Contains(last.Hint, tc.hint) {
			t.Errorf("token %q: %+v", tc.token, rep.Steps)
		}
	}
}

func TestFakeRecordsMatchSchemas(t *testing.T) {
	v := spec(t)
	f := fake.New(fake.Config{})
	for _, u := range f.Users() {
		if err := v.CheckSchema("objs_user", f.UserJSON(u.ID)); err != nil {
			t.Errorf("user %s: %v", u.Name, err)
			break
		}
	}
	for _, id := range []string{"C0FBGENERAL", "G0FBSECALRT", "C0FBOLDPROJ"} {
		if err := v.CheckSchema("objs_conversation", f.ConversationJSON(id)); err != nil {
			t.Errorf("conversation %s: %v", id, err)
		}
	}
}

func TestChannelCards(t *testing.T) {
	h, f := start(t)
	out := h.MustRun("slack:createChannel", map[string]any{"Channel Name": "#Incident-42", "private": "No"})
	id, _ := out["Channel ID"].(string)
	if out["Channel Name"] != "incident-42" || !strings.HasPrefix(id, "C") || out["Created"] == nil {
		t.Fatalf("create: %v", out)
	}
	alice, _ := f.UserByEmail("alice.nguyen@example.com")
	h.MustRun("slack:inviteUserToChannel", map[string]any{"Channel ID": "#incident-42", "User ID": alice.ID})
	if c, _ := f.Channel(id); !containsStr(c.Members, alice.ID) {
		t.Fatalf("not invited: %v", c.Members)
	}
	if _, _, err := h.Run("slack:inviteUserToChannel", map[string]any{"Channel ID": id, "User ID": alice.ID}); err == nil ||
		!strings.Contains(err.Error(), "already_in_channel") {
		t.Fatalf("second invite: %v", err)
	}
	h.MustRun("slack:removeUserFromChannel", map[string]any{"Channel ID": id, "User ID": alice.ID})
	if c, _ := f.Channel(id); containsStr(c.Members, alice.ID) {
		t.Fatalf("not removed: %v", c.Members)
	}
	h.MustRun("slack:archiveChannel", map[string]any{"Channel ID": id})
	if c, _ := f.Channel(id); !c.Archived {
		t.Fatal("not archived")
	}
	if _, _, err := h.Run("slack:createChannel", map[string]any{"Channel Name": "general"}); err == nil || !strings.Contains(err.Error(), "name_taken") {
		t.Fatalf("duplicate name: %v", err)
	}
}

func containsStr(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func TestAppBuilderCards(t *testing.T) {
	h, f := start(t)
	alice, _ := f.UserByEmail("alice.nguyen@example.com")
	out := h.MustRun(NSPublic+":postAMessage_569YEilsgA7", map[string]any{"message_type_P5IU1N": "send_message",
		"channel_id_4GX2UR": "C0FBGENERAL", "text_YYOYR4": "Lookup result", "blocks_BLM9JN": `[{"type":"section","text":{"type":"mrkdwn","text":"*Alice*"}}]`})
	if out["status_code_TJ2JT0"] != 200.0 || !strings.Contains(out["response_body_IPOP7S"].(string), `"ok":true`) {
		t.Fatalf("post: %v", out)
	}
	if m := lastMessage(t, f, "general"); m["text"] != "Lookup result" || m["blocks"] == nil {
		t.Fatalf("message %v", m)
	}
	out = h.MustRun(NSPublic+":postAMessage_569YEilsgA7", map[string]any{"message_type_P5IU1N": "send_ephemeral",
		"channel_id_4GX2UR": "C0FBGENERAL", "user_id_B3PJWG": alice.ID, "text_YYOYR4": "only you"})
	if !strings.Contains(out["response_body_IPOP7S"].(string), "message_ts") {
		t.Fatalf("ephemeral: %v", out)
	}
	view := `{"type":"modal","title":{"type":"plain_text","text":"Okta Lookup"},"blocks":[]}`
	out = h.MustRun(NSPublic+":openAView_peRW2JQnc", map[string]any{"view_SSCWQO": view, "trigger_id_ZJOA5N": "12345.98765.abcd"})
	var resp map[string]any
	if err := json.Unmarshal([]byte(out["response_HIOU6N"].(string)), &resp); err != nil || resp["ok"] != true {
		t.Fatalf("open view: %v", out)
	}
	if strings.Contains(fmt.Sprint(out), fake.BotToken) {
		t.Fatal("token in outputs")
	}
	vid := kit.Dig(resp, "view.id")
	out = h.MustRun(NSPublic+":updateAView_zBwCQKCSS2", map[string]any{"request_object_CO55JZ": map[string]any{"view_id": vid,
		"view": map[string]any{"type": "modal", "title": map[string]any{"type": "plain_text", "text": "Alice Nguyen"}, "blocks": []any{}}}})
	if !strings.Contains(out["outputs_HC6VC6"].(string), "Alice Nguyen") {
		t.Fatalf("update view: %v", out)
	}
	// Slack's own error answers are the card's output, as the builder's raw call returns them
	out = h.MustRun(NSPublic+":openAView_peRW2JQnc", map[string]any{"view_SSCWQO": view, "trigger_id_ZJOA5N": "expired-1"})
	if !strings.Contains(out["response_HIOU6N"].(string), "expired_trigger_id") {
		t.Fatalf("expired trigger: %v", out)
	}
}

func TestSlackAdminLifecycle(t *testing.T) {
	f := fake.New(fake.Config{})
	h := kittest.Start(t, Admin, kittest.Options{Fake: f, Spec: spec(t)})
	u := h.MustRun("slackadmin:searchUsers", map[string]any{"searchBy": "Email", "Email": "bob.martinez@example.com"})
	if u["Username"] != "bob.martinez" || u["Full Name"] != "Bob Martinez" || u["Active"] != true {
		t.Fatalf("search: %v", u)
	}
	d := h.MustRun("slackadmin:deactivateUser", map[string]any{"ID": u["ID"]})
	if d["Active"] != false {
		t.Fatalf("deactivate: %v", d)
	}
	if c, _ := f.Channel("general"); containsStr(c.Members, u["ID"].(string)) {
		t.Error("a deactivated user stays in channels")
	}
	if a := h.MustRun("slackadmin:activateUser", map[string]any{"ID": u["ID"]}); a["Active"] != true {
		t.Fatalf("activate: %v", a)
	}
	if _, _, err := h.Run("slackadmin:searchUsers", map[string]any{"Email": "nobody@example.com"}); err == nil || !strings.Contains(err.Error(), "no Slack user") {
		t.Fatalf("unknown: %v", err)
	}
	// a bot token cannot use SCIM: the card says why
	bot := kittest.Start(t, Admin, kittest.Options{Fake: fake.New(fake.Config{}), Connection: func(c *engine.Connection) {
		c.Secrets[kit.SecToken] = fake.BotToken
	}})
	_, _, err := bot.Run("slackadmin:readUser", map[string]any{"ID": u["ID"]})
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Status != 403 || he.Code != "missing_scope" {
		t.Fatalf("bot token on SCIM: %v", err)
	}
}

func TestCustomAPIAction(t *testing.T) {
	h, _ := start(t)
	out := h.MustRun("slack:customApiAction", map[string]any{"requestType": "GET", "Relative URL": "/api/users.lookupByEmail",
		"Query": map[string]any{"email": "carol.okafor@example.com"}})
	if out["Status Code"] != 200.0 || kit.Dig(out["Body"], "user.name") != "carol.okafor" {
		t.Fatalf("custom call: %v", out)
	}
	// Slack's ok:false answer is returned, not raised
	out = h.MustRun("slack:customApiAction", map[string]any{"requestType": "POST", "Relative URL": "/api/chat.postMessage",
		"Headers": map[string]any{"Content-Type": "application/x-www-form-urlencoded"}, "Body": map[string]any{"channel": "C0FBNOPE999", "text": "x"}})
	if kit.Dig(out["Body"], "error") != "channel_not_found" {
		t.Fatalf("error answer: %v", out)
	}
}

// TestFakeRateLimitsAndFaults: the fake answers Slack's tier limits with 429
// and Retry-After, and injected faults like the Okta sandbox's; the card
// rides them out through httpx (attempts in the card's history).
func TestFakeRateLimitsAndFaults(t *testing.T) {
	h, f := start(t)
	// Tier 2 (conversations.create): 20 a minute per token
	cl, err := Connector.NewClient(h.Conn, kit.ClientOptions{Transport: h.Rec, Policy: httpx.Policy{RateLimitAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	var limited *engine.HTTPError
	for i := 0; i < 25 && limited == nil; i++ {
		_, err := cl.Do(context.Background(), &kit.Call{Method: "POST", Path: "/api/conversations.create", Form: url.Values{"name": {fmt.Sprintf("tier-%d", i)}}})
		if err != nil && !errors.As(err, &limited) {
			t.Fatal(err)
		}
	}
	if limited == nil || limited.Status != 429 || limited.Code != "ratelimited" {
		t.Fatalf("no tier limit after 20 calls: %v", limited)
	}
	ex := h.Rec.Exchanges()
	if last := ex[len(ex)-1]; last.RespHeader.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}

	// a 503 on every second lookup: a GET is retried (the second read still succeeds)
	f.SetFaults([]kit.Fault{{PathPrefix: "/api/users.lookupByEmail", Status: 503, Every: 2}})
	for i := 0; i < 2; i++ {
		out, _, err := h.Run("slack:readUser2", map[string]any{"fieldType": "Email", "Email": "alice.nguyen@example.com"})
		if err != nil || out["Username"] != "alice.nguyen" {
			t.Fatalf("read %d through a fault: %v %v", i, out, err)
		}
	}
	if f.FaultsInjected() != 1 {
		t.Fatalf("faults injected %d", f.FaultsInjected())
	}
	// a 429 with Retry-After on the post: waited out, then sent
	f.SetFaults([]kit.Fault{{PathPrefix: "/api/chat.postMessage", Status: 429, Every: 2, RetryAfter: 1}})
	h.MustRun("slack:sendMessageToChannel2", map[string]any{"channel": "C0FBGENERAL", "Text": "one"})
	_, run, err := h.Run("slack:sendMessageToChannel2", map[string]any{"channel": "C0FBGENERAL", "Text": "two"})
	if err != nil {
		t.Fatalf("post after a 429: %v", err)
	}
	if m := lastMessage(t, f, "general"); m["text"] != "two" {
		t.Fatalf("message %v", m)
	}
	attempts := 0
	for _, r := range run.Cards {
		attempts += len(r.Attempts)
	}
	if attempts < 2 || f.FaultsInjected() != 2 {
		t.Errorf("attempts recorded %d, faults injected %d", attempts, f.FaultsInjected())
	}
}
