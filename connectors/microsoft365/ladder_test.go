package microsoft365

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/microsoft365/fake"
	"github.com/flowbench/flowbench/engine"
	"golang.org/x/oauth2"
)

func ladderOf(t *testing.T, tn *tenant, kind string, conn *engine.Connection) *engine.TestReport {
	t.Helper()
	c, ok := kit.Lookup(kind)
	if !ok {
		t.Fatalf("no connector %s", kind)
	}
	needed := map[string][2][]string{KindAdmin: {adminApp, adminDelegated}, KindMail: {mailApp, mailDelegated}, KindTeams: {teamsApp, teamsDelegated}}[kind]
	return testConnection(context.Background(), c, conn, kit.ClientOptions{Transport: tn.tr}, needed[0], needed[1])
}

func step(rep *engine.TestReport, name string) *engine.TestStep {
	for i := range rep.Steps {
		if rep.Steps[i].Name == name {
			return &rep.Steps[i]
		}
	}
	return nil
}

func TestLadderPassesForEveryKind(t *testing.T) {
	tn := newTenant(t, fake.Config{})
	for _, kind := range fake.Kinds {
		rep := ladderOf(t, tn, kind, tn.conns[connFor(kind)])
		if !rep.OK || len(rep.Steps) != 4 {
			t.Fatalf("%s: %s", kind, asJSON(rep))
		}
		if s := step(rep, kit.StepIdentity); !strings.Contains(s.Message, "Flowbench Sandbox") || rep.Info["tenantId"] != fake.TenantID {
			t.Errorf("%s identity: %s", kind, asJSON(rep))
		}
	}
	// the registered connection kind runs the same ladder (its Test)
	k, ok := engine.Default().ConnectionKind(KindAdmin)
	if !ok || k.Test == nil {
		t.Fatal("office365admin kind has no test")
	}
}

func TestLadderNamesTheFix(t *testing.T) {
	tn := newTenant(t, fake.Config{Roles: []string{"User.ReadWrite.All", "Organization.Read.All"}})
	conn := tn.conns[connFor(KindAdmin)]

	// permissions the cards need but the app was not granted
	rep := ladderOf(t, tn, KindAdmin, conn)
	s := step(rep, kit.StepScopes)
	if rep.OK || s == nil || !strings.Contains(s.Message, "Group.ReadWrite.All") || !strings.Contains(s.Message, "User.Invite.All") ||
		!strings.Contains(s.Hint, "admin consent") {
		t.Fatalf("missing permissions: %s", asJSON(rep))
	}

	// a wrong tenant
	bad := *conn
	bad.Config = map[string]any{}
	for k, v := range conn.Config {
		bad.Config[k] = v
	}
	bad.Config[kit.CfgTokenURL] = tn.url + "/nosuchtenant.example/oauth2/v2.0/token"
	rep = ladderOf(t, tn, KindAdmin, &bad)
	if s := step(rep, kit.StepToken); rep.OK || s == nil || s.OK || !strings.Contains(s.Message, "AADSTS90002") {
		t.Fatalf("wrong tenant: %s", asJSON(rep))
	}

	// the client secret was revoked in Entra: the token rung fails with the fix
	tn.fake.RevokeClientSecret()
	rep = ladderOf(t, tn, KindAdmin, conn)
	s = step(rep, kit.StepToken)
	if rep.OK || s == nil || s.OK || !strings.Contains(s.Message, "invalid_client") || !strings.Contains(s.Hint, "secret") {
		t.Fatalf("revoked secret: %s", asJSON(rep))
	}
	if strings.Contains(asJSON(rep), fake.ClientSecret) {
		t.Fatal("the secret is in the report")
	}

	// settings: no tenant and no client id
	empty := &engine.Connection{ID: "x", Kind: KindAdmin, Config: map[string]any{kit.CfgAuthMethod: kit.AuthClientCredentials}}
	rep = ladderOf(t, tn, KindAdmin, empty)
	if s := step(rep, kit.StepSettings); rep.OK || s == nil || s.OK || s.Hint == "" {
		t.Fatalf("empty settings: %s", asJSON(rep))
	}
}

// delegatedToken signs in through the fake's authorize and token
// endpoints with PKCE, as the loopback redirect does.
func delegatedToken(t *testing.T, tn *tenant, scope string) *oauth2.Token {
	t.Helper()
	verifier := "k3-verifier-0123456789-0123456789-0123456789"
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"client_id": {fake.ClientID}, "response_type": {"code"}, "redirect_uri": {"http://127.0.0.1:1/callback"},
		"scope": {scope}, "state": {"s1"}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(tn.url + "/" + fake.TenantID + "/oauth2/v2.0/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	code := loc.Query().Get("code")
	if resp.StatusCode != http.StatusFound || code == "" || loc.Query().Get("state") != "s1" {
		t.Fatalf("authorize: %d %s", resp.StatusCode, loc)
	}
	// a wrong verifier is refused (PKCE)
	tokenURL := tn.url + "/" + fake.TenantID + "/oauth2/v2.0/token"
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {fake.ClientID}, "code": {code},
		"redirect_uri": {"http://127.0.0.1:1/callback"}, "code_verifier": {"wrong"}}
	r2, err := http.PostForm(tokenURL, form)
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.StatusCode != 400 {
		t.Fatalf("wrong verifier: %d", r2.StatusCode)
	}
	// the code was used up by that attempt, as Entra does: sign in again
	resp, err = hc.Get(tn.url + "/" + fake.TenantID + "/oauth2/v2.0/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ = url.Parse(resp.Header.Get("Location"))
	form.Set("code", loc.Query().Get("code"))
	form.Set("code_verifier", verifier)
	r3, err := http.PostForm(tokenURL, form)
	if err != nil {
		t.Fatal(err)
	}
	defer r3.Body.Close()
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    int    `json:"expires_in"`
	}
	if err := json.NewDecoder(r3.Body).Decode(&tok); err != nil || tok.AccessToken == "" || tok.RefreshToken == "" {
		t.Fatalf("token: %d %v %+v", r3.StatusCode, err, tok)
	}
	return &oauth2.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, TokenType: "Bearer",
		Expiry: time.Now().Add(time.Duration(tok.ExpiresIn) * time.Second)}
}

// TestSendMessageInChat: chat messages need a signed-in user; an app-only
// connection gets the fix named before any call.
func TestSendMessageInChat(t *testing.T) {
	tn := newTenant(t, fake.Config{})
	_, _, err := tn.card(t, "microsoftteams:sendMessageInChat", map[string]any{"Chat ID": fake.ChatAdminAlice, "Message": "hi"})
	if err == nil || !strings.Contains(err.Error(), "authorization code") {
		t.Fatalf("app-only: %v", err)
	}
	tok := delegatedToken(t, tn, "offline_access "+strings.Join(teamsDelegated, " "))
	conn := &engine.Connection{ID: "teams-me", Name: "Teams (me)", Kind: KindTeams, Config: map[string]any{
		kit.CfgAuthMethod: kit.AuthOAuth2Code, CfgTenantID: fake.TenantID, kit.CfgClientID: fake.ClientID,
		kit.CfgBaseURL: tn.url + "/v1.0", kit.CfgTokenURL: tn.url + "/" + fake.TenantID + "/oauth2/v2.0/token"},
		Secrets: map[string]string{kit.SecClientSecret: fake.ClientSecret}}
	if err := kit.StoreToken(conn, tok); err != nil {
		t.Fatal(err)
	}
	tn.conns[conn.ID] = conn
	c := engine.Card{ID: "card", Type: "microsoftteams.sendMessageInChat", Connection: conn.ID,
		Inputs: []engine.Field{{Key: "Chat ID", Value: fake.ChatAdminAlice}, {Key: "Message", Value: "Your laptop is ready"}}}
	f := &engine.Flow{Format: engine.FlowFormat, ID: "t-chat", Name: "chat", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"}, Cards: []engine.Card{c}}
	ex, err := tn.exec.Run(context.Background(), f, nil, engine.RunOptions{})
	if err != nil {
		t.Fatalf("send in chat: %v", err)
	}
	out := ex.Cards[len(ex.Cards)-1].Outputs
	if out["From"] != "Sandbox Admin" || out["Content"] != "Your laptop is ready" {
		t.Fatalf("outputs %s", asJSON(out))
	}
	if m := tn.fake.ChatMessages(fake.ChatAdminAlice); len(m) != 1 {
		t.Fatalf("chat has %d messages", len(m))
	}
}

func TestDelegatedConnectionAndRevokedToken(t *testing.T) {
	tn := newTenant(t, fake.Config{})
	tok := delegatedToken(t, tn, "offline_access "+strings.Join(mailDelegated, " "))
	conn := &engine.Connection{ID: "mail-delegated", Name: "Mail (me)", Kind: KindMail, Config: map[string]any{
		kit.CfgAuthMethod: kit.AuthOAuth2Code, CfgTenantID: fake.TenantID, kit.CfgClientID: fake.ClientID,
		kit.CfgBaseURL: tn.url + "/v1.0", kit.CfgTokenURL: tn.url + "/" + fake.TenantID + "/oauth2/v2.0/token"},
		Secrets: map[string]string{kit.SecClientSecret: fake.ClientSecret}}
	if err := kit.StoreToken(conn, tok); err != nil {
		t.Fatal(err)
	}
	rep := ladderOf(t, tn, KindMail, conn)
	if !rep.OK || !strings.Contains(step(rep, kit.StepScopes).Message, "delegated") {
		t.Fatalf("delegated ladder: %s", asJSON(rep))
	}
	// Send Email sends as the signed-in user (/me)
	tn.conns[conn.ID] = conn
	c := engine.Card{ID: "card", Type: "office365mail.sendEmail2", Connection: conn.ID,
		Inputs: []engine.Field{{Key: "To", Value: []any{alice}}, {Key: "Subject", Value: "from me"}}}
	f := &engine.Flow{Format: engine.FlowFormat, ID: "t-me", Name: "me", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"}, Cards: []engine.Card{c}}
	if _, err := tn.exec.Run(context.Background(), f, nil, engine.RunOptions{}); err != nil {
		t.Fatalf("send as me: %v", err)
	}
	sent := tn.fake.SentMail()
	if len(sent) != 1 || !strings.Contains(asJSON(sent[0]["from"]), fake.SignedInUser) {
		t.Fatalf("sent %s", asJSON(sent))
	}
	joined := strings.Join(tn.tr.calls(), "\n")
	if !strings.Contains(joined, "POST /v1.0/me/messages 201") {
		t.Errorf("not sent through /me: %s", joined)
	}

	// the admin revokes the app's tokens: the ladder explains it
	tn.fake.RevokeTokens()
	rep = ladderOf(t, tn, KindMail, conn)
	s := step(rep, kit.StepIdentity)
	if rep.OK || s == nil || s.Status != 401 || s.Code != "InvalidAuthenticationToken" || !strings.Contains(s.Hint, "token revoked") ||
		!strings.Contains(s.Hint, "Authorize again") {
		t.Fatalf("revoked: %s", asJSON(rep))
	}
}
