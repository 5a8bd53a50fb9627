package zoom

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/kit/kittest"
	"github.com/flowbench/flowbench/connectors/zoom/fake"
	"github.com/flowbench/flowbench/engine"
)

func start(t *testing.T, cfg fake.Config) (*kittest.Harness, *fake.Server) {
	f := fake.New(cfg)
	return kittest.Start(t, Connector, kittest.Options{Fake: f}), f
}

func TestUserLifecycleAndLicenses(t *testing.T) {
	h, f := start(t, fake.Config{Licenses: 4})
	out := h.MustRun(NS+":createUser", map[string]any{"Username": "nina.petrova@example.com", "First Name": "Nina", "Last Name": "Petrova",
		"Department": "Marketing", "User Type": "Licensed", "Login Using SSO?": true})
	id, _ := out["User ID"].(string)
	if id == "" || out["Username"] != "nina.petrova@example.com" {
		t.Fatalf("create: %v", out)
	}
	invited := h.MustRun(NS+":createUser", map[string]any{"Username": "guest@partner.example", "User Type": "Basic"})
	if f.User(invited["User ID"].(string))["status"] != "pending" {
		t.Fatal("a user created without SSO or a work email waits for Zoom's invitation (pending)")
	}
	u := h.MustRun(NS+":readUser", map[string]any{"ID or Email": "nina.petrova@example.com"})
	if u["User Type"] != "Licensed" || u["Department"] != "Marketing" || u["Status"] != "active" || u["User ID"] != id {
		t.Fatalf("read: %v", u)
	}
	// the account has 4 seats: Alice, Carol, Emma and Nina hold them
	_, _, err := h.Run(NS+":updateUser", map[string]any{"ID or Email": "bob.martinez@example.com", "User Type": "Licensed"})
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Code != "2034" || !strings.Contains(he.Summary, "no licenses available") {
		t.Fatalf("no seat left: %v", err)
	}
	h.MustRun(NS+":deactivateUser", map[string]any{"ID or Email": id})
	if f.User(id)["status"] != "inactive" {
		t.Fatal("not deactivated")
	}
	h.MustRun(NS+":updateUser", map[string]any{"ID or Email": "bob.martinez@example.com", "User Type": "Licensed"})
	if f.User("bob.martinez@example.com")["type"] != 2 {
		t.Fatal("the freed seat went to Bob")
	}
	_, _, err = h.Run(NS+":activateUser", map[string]any{"ID or Email": id})
	if !errors.As(err, &he) || he.Code != "2034" {
		t.Fatalf("reactivating a licensed user without a seat: %v", err)
	}
	h.MustRun(NS+":updateUser", map[string]any{"ID or Email": id, "User Type": "Basic"})
	h.MustRun(NS+":activateUser", map[string]any{"ID or Email": id})
	out = h.MustRun(NS+":deleteUser", map[string]any{"ID or Email": id, "Action": "Delete", "Transfer To Email": "david.kim@example.com"})
	if out["Status Code"] != float64(204) || f.User(id) != nil {
		t.Fatalf("delete: %v", out)
	}
	_, _, err = h.Run(NS+":readUser", map[string]any{"ID or Email": id})
	if !errors.As(err, &he) || he.Status != 404 || he.Code != "1001" {
		t.Fatalf("read after delete: %v", err)
	}
}

func TestTokenRequestAndLadder(t *testing.T) {
	h, f := start(t, fake.Config{})
	rep := Connector.TestWith(context.Background(), h.Conn, kit.ClientOptions{})
	if !rep.OK || len(rep.Steps) != 3 {
		t.Fatalf("ladder: %+v", rep)
	}
	h.MustRun(NS+":readUser", map[string]any{"ID or Email": "alice.nguyen@example.com"})
	for _, ex := range h.Rec.Exchanges() {
		if ex.Path == "/oauth/token" {
			body := string(ex.ReqBody)
			if !strings.Contains(body, "grant_type=account_credentials") || !strings.Contains(body, "account_id="+fake.DefaultAccountID) {
				t.Fatalf("token request: %s", body)
			}
		}
	}
	wrong := *h.Conn
	wrong.Config = map[string]any{}
	for k, v := range h.Conn.Config {
		wrong.Config[k] = v
	}
	wrong.Config["accountId"] = "someone-else"
	rep = Connector.TestWith(context.Background(), &wrong, kit.ClientOptions{})
	if rep.OK || rep.Steps[len(rep.Steps)-1].Name != kit.StepToken {
		t.Fatalf("wrong account id: %+v", rep)
	}
	f.Revoke()
	_, _, err := h.Run(NS+":readUser", map[string]any{"ID or Email": "alice.nguyen@example.com"})
	if err == nil || !strings.Contains(err.Error(), "Invalid access token") {
		t.Fatalf("revoked app: %v", err)
	}
}
