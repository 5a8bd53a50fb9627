package auth0

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/auth0/fake"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/kit/kittest"
	"github.com/flowbench/flowbench/engine"
)

func start(t *testing.T) (*kittest.Harness, *fake.Server) {
	f := fake.New(fake.Config{})
	return kittest.Start(t, Connector, kittest.Options{Fake: f}), f
}

func TestSearchByEmailAndProperties(t *testing.T) {
	h, _ := start(t)
	out := h.MustRun(NS+":searchUsers_BAejT5bvR1Y", map[string]any{keySearchBy: "email", keyResultSet: first100, "email": "alice.nguyen@example.com"})
	if users, _ := out["Users"].([]any); len(users) != 2 {
		t.Fatalf("alice has a database and a google account: %v", out["Users"])
	}
	out = h.MustRun(NS+":searchUsers_BAejT5bvR1Y", map[string]any{keySearchBy: "properties", keyResultSet: firstMatch,
		"email": "carol.okafor@example.com"})
	if out["user_id"] != "auth0|640000000000000000000003" || out["name"] != "Carol Okafor" {
		t.Fatalf("first match: %v", out)
	}
	// last sign-in on or before a year ago: Bob (420 days) and Farah (800 days)
	cutoff := time.Now().AddDate(-1, 0, 0).UTC().Format(engine.DateLayout)
	out = h.MustRun(NS+":searchUsers_BAejT5bvR1Y", map[string]any{keySearchBy: "properties", keyResultSet: first100, "last_login": cutoff})
	users, _ := out["Users"].([]any)
	var names []string
	for _, u := range users {
		names = append(names, engine.ToText(u.(map[string]any)["name"]))
	}
	if strings.Join(names, ",") != "Bob Martinez,Farah Haddad" {
		t.Fatalf("inactive users: %v", names)
	}
	out = h.MustRun(NS+":searchUsers_BAejT5bvR1Y", map[string]any{keyResultSet: firstMatch, "custom_filter": `name:"Emma Schmidt"`})
	if out["email"] != "emma.schmidt@example.com" {
		t.Fatalf("custom filter: %v", out)
	}
	_, _, err := h.Run(NS+":searchUsers_BAejT5bvR1Y", map[string]any{keyResultSet: firstMatch, "last_login": "last tuesday"})
	if err == nil || !strings.Contains(err.Error(), "last_login") {
		t.Fatalf("a bad date must name the field: %v", err)
	}
	_, _, err = h.Run(NS+":searchUsers_BAejT5bvR1Y", map[string]any{keyResultSet: stream})
	if err == nil || !strings.Contains(err.Error(), "helper flow") {
		t.Fatalf("streaming without a helper flow: %v", err)
	}
}

func TestReadAndDeleteUser(t *testing.T) {
	h, f := start(t)
	out := h.MustRun(NS+":readUser_yV4wY1c5VT", map[string]any{"id_QLAWX1": "auth0|640000000000000000000002"})
	if out["user_id"] != "auth0|640000000000000000000002" || out["last_login"] == nil {
		t.Fatalf("read: %v", out)
	}
	out = h.MustRun(NS+":deleteUser_5OXBSvnvar", map[string]any{"id_082NUU": "auth0|640000000000000000000002"})
	if out["status_code_PT4TDP"] != float64(204) || f.User("auth0|640000000000000000000002") != nil {
		t.Fatalf("delete: %v", out)
	}
	_, _, err := h.Run(NS+":readUser_yV4wY1c5VT", map[string]any{"id_QLAWX1": "auth0|640000000000000000000002"})
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Status != 404 || he.Code != "inexistent_user" || he.Summary != "The user does not exist." {
		t.Fatalf("read after delete: %v", err)
	}
}

func TestLinkAccountMergesMetadata(t *testing.T) {
	h, f := start(t)
	out := h.MustRun(NS+":linkAccount_S2dv0b7CR4v", map[string]any{"merge_metadata_JGGPDT": "true",
		"Primary User ID": "auth0|640000000000000000000001", "Secondary User ID": "google-oauth2|109876543210123456701"})
	profiles, _ := out["profiles_ZGIS9E"].([]any)
	if len(profiles) != 2 {
		t.Fatalf("profiles: %v", out)
	}
	second := profiles[1].(map[string]any)
	if second["Provider"] != "google-oauth2" || second["Is Social"] != true || second["Profile Data"].(map[string]any)["Email"] != "alice.nguyen@example.com" {
		t.Fatalf("linked identity: %v", second)
	}
	if f.User("google-oauth2|109876543210123456701") != nil {
		t.Fatal("the secondary account still exists on its own")
	}
	if md, _ := f.User("auth0|640000000000000000000001")["user_metadata"].(map[string]any); md["signup_source"] != "google" {
		t.Fatalf("metadata not merged: %v", md)
	}
	_, _, err := h.Run(NS+":linkAccount_S2dv0b7CR4v", map[string]any{"Primary User ID": "auth0|640000000000000000000001", "Secondary User ID": "12345"})
	if err == nil || !strings.Contains(err.Error(), "Secondary User Provider") {
		t.Fatalf("a bare id without provider must name the field: %v", err)
	}
}

func TestLadderAndRevocation(t *testing.T) {
	h, f := start(t)
	rep := Connector.TestWith(context.Background(), h.Conn, kit.ClientOptions{})
	if !rep.OK || rep.Info["users"] != float64(8) {
		t.Fatalf("ladder: %+v", rep)
	}
	narrow := fake.New(fake.Config{Scopes: []string{"read:clients"}})
	h2 := kittest.Start(t, Connector, kittest.Options{Fake: narrow})
	rep = Connector.TestWith(context.Background(), h2.Conn, kit.ClientOptions{})
	last := rep.Steps[len(rep.Steps)-1]
	if rep.OK || last.Code != "insufficient_scope" || !strings.Contains(last.Hint, "read:users") {
		t.Fatalf("narrow scopes: %+v", rep)
	}
	h.MustRun(NS+":readUser_yV4wY1c5VT", map[string]any{"id_QLAWX1": "auth0|640000000000000000000001"})
	var asked string
	for _, ex := range h.Rec.Exchanges() {
		if ex.Path == "/oauth/token" {
			asked = string(ex.ReqBody)
		}
	}
	if !strings.Contains(asked, "audience=https%3A%2F%2F127.0.0.1") || !strings.Contains(asked, "grant_type=client_credentials") {
		t.Fatalf("the token request must name the Management API audience: %s", asked)
	}
	f.RevokeAll()
	_, _, err := h.Run(NS+":readUser_yV4wY1c5VT", map[string]any{"id_QLAWX1": "auth0|640000000000000000000001"})
	if err == nil || !strings.Contains(err.Error(), "reconnect") {
		t.Fatalf("revoked token: %v", err)
	}
}
