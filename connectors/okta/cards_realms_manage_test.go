package okta

import (
	"encoding/json"
	"testing"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// Create/Read/Update Realm, Create Realm User and Update Realm for User
// against the sandbox (every exchange checked against Okta's OpenAPI spec),
// registered under their clean kinds.
func TestRealmsManageCards(t *testing.T) {
	tn := startTenant(t, sandbox.Config{}, true)
	for _, k := range []string{"oktarealms:createRealm", "oktarealms:readRealm", "oktarealms:updateRealm",
		"oktarealms:createRealmUser", "oktarealms:updateRealmForUser", "oktarealms:listRealmUsers", "oktarealms:searchRealms"} {
		if _, ok := engine.Default().ByOkta(k); !ok {
			t.Fatalf("%s not registered", k)
		}
	}
	cr := mustCard(t, tn, "oktarealms.createRealm", map[string]any{"name": "Suppliers"})
	rid, _ := cr["ID"].(string)
	if rid == "" || cr["Is Default"] != false || at(cr, "Profile", "Name") != "Suppliers" || at(cr, "Profile", "Realm Type") != "PARTNER" {
		t.Fatalf("create realm: %s", asJSON(cr))
	}
	rd := mustCard(t, tn, "oktarealms.readRealm", map[string]any{"id": rid})
	if rd["ID"] != rid || at(rd, "Raw Output", "id") != rid || rd["Created"] == nil {
		t.Fatalf("read realm: %s", asJSON(rd))
	}
	up := mustCard(t, tn, "oktarealms.updateRealm", map[string]any{"id": rid, "name": "Suppliers EU"})
	if at(up, "Profile", "Name") != "Suppliers EU" || at(up, "Profile", "Realm Type") != "PARTNER" {
		t.Fatalf("update realm: %s", asJSON(up))
	}
	// the default realm keeps its type when renamed
	if d := mustCard(t, tn, "oktarealms.updateRealm", map[string]any{"id": sandbox.DefaultRealmID, "name": "Employees"}); at(d, "Profile", "Realm Type") != "DEFAULT" || d["Is Default"] != true {
		t.Fatalf("rename default realm: %s", asJSON(d))
	}

	base := map[string]any{"login": "rita.realm@example.com", "firstName": "Rita", "lastName": "Realm", "email": "rita.realm@example.com", "realmId": rid}
	with := func(kv ...any) map[string]any {
		m := map[string]any{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	admins := tn.srv.GroupIDByName("Engineering")
	if admins == "" {
		t.Fatal("no Engineering group in the seed")
	}
	for _, c := range []struct {
		name    string
		in      map[string]any
		wantErr string
		check   func(out map[string]any) string
	}{
		{name: "without credentials", in: with("option", realmUserNoCreds, "Activate", false, "department", "Partners"),
			check: func(o map[string]any) string {
				if o["Status"] != "STAGED" || o["Realm ID"] != rid || o["login"] != "rita.realm@example.com" || o["department"] != "Partners" ||
					at(o, "Credentials", "Password") != false {
					return "staged user in the realm with the added profile attribute"
				}
				return ""
			}},
		{name: "with password", in: with("login", "pat@example.com", "email", "pat@example.com", "option", realmUserPassword, "Password", "S3cret-pass!", "Activate", true),
			check: func(o map[string]any) string {
				if o["Status"] != "ACTIVE" || at(o, "Credentials", "Password") != true || o["Realm ID"] != rid {
					return "active user with a password"
				}
				return ""
			}},
		{name: "with password and recovery question", in: with("login", "prq@example.com", "email", "prq@example.com", "option", realmUserPwdRecQ,
			"Password", "S3cret-pass!", "Question", "First pet?", "Answer", "Rex the dog"),
			check: func(o map[string]any) string {
				if at(o, "Credentials", "Recovery Question") != "First pet?" || at(o, "Credentials", "Password") != true {
					return "recovery question and password"
				}
				return ""
			}},
		{name: "with authentication provider", in: with("login", "ldap@example.com", "email", "ldap@example.com", "option", realmUserProvider,
			"Provider Type", "ldap", "Provider Name", "Corp LDAP"),
			check: func(o map[string]any) string {
				if at(o, "Credentials", "Provider", "Type") != "LDAP" || at(o, "Credentials", "Provider", "Name") != "Corp LDAP" || o["Status"] != "ACTIVE" {
					return "LDAP provider, active"
				}
				return ""
			}},
		{name: "in group", in: with("login", "grp@example.com", "email", "grp@example.com", "option", realmUserInGroup, "Group ID", admins),
			check: func(o map[string]any) string {
				id, _ := o["User ID"].(string)
				if !tn.srv.IsMember(admins, id) {
					return "member of the group"
				}
				return ""
			}},
		{name: "recovery question without answer", in: with("option", realmUserRecoveryQ, "Question", "Q?"), wantErr: `input "Answer": is required with Option "With Recovery Question"`},
		{name: "password missing", in: with("option", realmUserPassword), wantErr: `input "Password"`},
		{name: "bad provider", in: with("option", realmUserProvider, "Provider Type", "KERBEROS"), wantErr: `input "Provider Type": must be one of`},
		{name: "unknown option", in: with("option", "With Magic"), wantErr: `input "option": value must be one of "Without Credentials"`},
		{name: "no realm", in: with("realmId", ""), wantErr: `input "realmId": is required`},
		{name: "realm the org lacks", in: with("login", "x1@example.com", "email", "x1@example.com", "realmId", "guo0000notthere00000"), wantErr: "E0000001"},
		{name: "no username", in: with("login", ""), wantErr: `input "login": is required`},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, _, err := tn.card(t, "oktarealms.createRealmUser", c.in)
			if c.wantErr != "" {
				if err == nil || !contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if why := c.check(out); why != "" {
				t.Fatalf("want %s: %s", why, asJSON(out))
			}
		})
	}
	// the Everyone group is refused, as Okta's help says
	everyone := tn.srv.GroupIDByName("Everyone")
	if _, _, err := tn.card(t, "oktarealms.createRealmUser", with("login", "ev@example.com", "email", "ev@example.com", "option", realmUserInGroup, "Group ID", everyone)); err == nil || !contains(err.Error(), "built-in group") {
		t.Fatalf("Everyone group: %v", err)
	}

	// Update Realm for User moves a user; List Realm Users then lists it
	bob, _ := tn.srv.User("bob.martinez@example.com")
	bid, _ := bob["id"].(string)
	mv := mustCard(t, tn, "oktarealms.updateRealmForUser", map[string]any{"realmId": rid, "userId": bid})
	if mv["Realm ID"] != rid || mv["User ID"] != bid || mv["login"] != "bob.martinez@example.com" {
		t.Fatalf("update realm for user: %s", asJSON(mv))
	}
	lu := mustCard(t, tn, "oktarealms.listRealmUsers", map[string]any{"id_2NFN8X": rid})
	var logins []string
	for _, u := range lu["Users"].([]any) {
		logins = append(logins, at(u, "Login").(string))
	}
	if b, _ := json.Marshal(logins); !contains(string(b), "bob.martinez@example.com") || !contains(string(b), "rita.realm@example.com") {
		t.Fatalf("users of the realm: %v", logins)
	}
	back := mustCard(t, tn, "oktarealms.updateRealmForUser", map[string]any{"realmId": sandbox.DefaultRealmID, "userId": bid})
	if back["Realm ID"] != sandbox.DefaultRealmID {
		t.Fatalf("back to the default realm: %s", asJSON(back))
	}
	for _, c := range []struct {
		in   map[string]any
		want string
	}{
		{map[string]any{"realmId": "guo0000notthere00000", "userId": bid}, "E0000001"},
		{map[string]any{"realmId": rid, "userId": "00unotthere0000000000"}, "E0000007"},
		{map[string]any{"userId": bid}, `input "realmId"`},
		{map[string]any{"realmId": rid}, `input "userId"`},
	} {
		if _, _, err := tn.card(t, "oktarealms.updateRealmForUser", c.in); err == nil || !contains(err.Error(), c.want) {
			t.Errorf("update realm for user %v: %v, want %q", c.in, err, c.want)
		}
	}
	for _, c := range []struct {
		typ  string
		in   map[string]any
		want string
	}{
		{"oktarealms.readRealm", map[string]any{"id": "guo0000notthere00000"}, "E0000007"},
		{"oktarealms.readRealm", map[string]any{}, `input "id"`},
		{"oktarealms.createRealm", map[string]any{"name": " "}, `input "name"`},
		{"oktarealms.updateRealm", map[string]any{"id": rid}, `input "name"`},
		{"oktarealms.updateRealm", map[string]any{"id": "guo0000notthere00000", "name": "x"}, "E0000007"},
	} {
		if _, _, err := tn.card(t, c.typ, c.in); err == nil || !contains(err.Error(), c.want) {
			t.Errorf("%s %v: %v, want %q", c.typ, c.in, err, c.want)
		}
	}
}
