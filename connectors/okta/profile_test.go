package okta

import (
	"context"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// The profile attributes come from the org's user schema, typed, base
// first; they are cached per connection and read again on refresh or when
// the connection changes. Update User sends added attributes typed.
func TestUserProfileSchema(t *testing.T) {
	tn := startTenant(t, sandbox.Config{}, true)
	conn := *tn.conn
	conn.Updated = time.Now()
	ps, err := UserProfileSchema(context.Background(), &conn, false)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]ProfileAttribute{}
	for _, a := range ps.Attributes {
		byKey[a.Key] = a
	}
	if ps.Attributes[0].Key != "login" || !ps.Attributes[0].Required || ps.Attributes[0].Title != "Username" {
		t.Errorf("first attribute %+v", ps.Attributes[0])
	}
	want := map[string]string{"costCenter": "string", "isMemberOfGroup": "boolean", "badgeNumber": "number", "projectCodes": "string[]", "contractType": "string"}
	for k, typ := range want {
		if byKey[k].Type != typ {
			t.Errorf("%s: %+v, want type %s", k, byKey[k], typ)
		}
	}
	if !byKey["badgeNumber"].Custom || byKey["costCenter"].Custom {
		t.Errorf("custom flags: %+v %+v", byKey["badgeNumber"], byKey["costCenter"])
	}
	if c := byKey["contractType"].Choices; len(c) != 3 || c[0].Value != "EMPLOYEE" || c[0].Label != "Employee" {
		t.Errorf("choices %+v", c)
	}

	// a new custom attribute: the cache answers until refresh
	tn.rec.reset()
	if _, _, err := (func() (any, any, error) {
		c, err := clientFor(&conn, nil, nil)
		if err != nil {
			return nil, nil, err
		}
		return c.JSON(context.Background(), &Call{Method: "POST", Path: "/api/v1/meta/schemas/user/default", Body: map[string]any{
			"definitions": map[string]any{"custom": map[string]any{"properties": map[string]any{
				"shoeSize": map[string]any{"title": "Shoe size", "type": "number"}}}}}})
	})(); err != nil {
		t.Fatal(err)
	}
	has := func(ps *ProfileSchema, k string) bool {
		for _, a := range ps.Attributes {
			if a.Key == k {
				return true
			}
		}
		return false
	}
	cached, _ := UserProfileSchema(context.Background(), &conn, false)
	if has(cached, "shoeSize") {
		t.Error("cached schema changed without refresh")
	}
	fresh, err := UserProfileSchema(context.Background(), &conn, true)
	if err != nil || !has(fresh, "shoeSize") {
		t.Fatalf("refresh: %v", err)
	}
	if _, err := UserProfileSchema(context.Background(), &engine.Connection{ID: "x", Kind: "http"}, false); err == nil {
		t.Error("http connection accepted")
	}
	// a token without the schema scope: the error says which scope is missing
	narrow := conn
	narrow.ID, narrow.Secrets = "narrow", map[string]string{SecAPIToken: tn.srv.CreateAPIToken("users only", "okta.users.read")}
	if _, err := UserProfileSchema(context.Background(), &narrow, false); err == nil || !contains(err.Error(), "okta.schemas.read") {
		t.Errorf("403: %v", err)
	}

	// Update User sends the attributes added from the schema, typed
	alice, _ := tn.srv.User("alice.nguyen@example.com")
	mustCard(t, tn, "okta.updateUser", nil, func(c *engine.Card) {
		c.Inputs = []engine.Field{{Key: "ID", Value: alice["id"]},
			{Key: "costCenter", Group: "Profile", Type: engine.T("string"), Value: "CC-7000"},
			{Key: "badgeNumber", Group: "Profile", Type: engine.T("number"), Value: "4711"},
			{Key: "projectCodes", Group: "Profile", Type: engine.T("string[]"), Value: []any{"P1", "P2"}}}
	})
	// Create User too; a value of the wrong type is refused by the org
	mustCard(t, tn, "okta.createUser", nil, func(c *engine.Card) {
		c.Inputs = []engine.Field{{Key: "login", Value: "new.hire@example.com"}, {Key: "firstName", Value: "New"}, {Key: "lastName", Value: "Hire"},
			{Key: "email", Value: "new.hire@example.com"}, {Key: "contractType", Group: "Profile", Type: engine.T("string"), Value: "INTERN"},
			{Key: "isMemberOfGroup", Group: "Profile", Type: engine.T("boolean"), Value: "true"}}
	})
	// its Profile Properties outputs read the created user's attributes
	made, _, err := tn.card(t, "okta.createUser", nil, func(c *engine.Card) {
		c.Inputs = []engine.Field{{Key: "login", Value: "out.hire@example.com"}, {Key: "firstName", Value: "Out"}, {Key: "lastName", Value: "Hire"},
			{Key: "email", Value: "out.hire@example.com"}, {Key: "costCenter", Group: "Profile", Type: engine.T("string"), Value: "CC-9"}}
		c.Outputs = []engine.Field{{Key: "costCenter", Group: "Profile Properties", Type: engine.T("string")}}
	})
	if err != nil || made["costCenter"] != "CC-9" || made["firstName"] != "Out" || made["ID"] == nil {
		t.Fatalf("create user outputs: %v %v", made, err)
	}
	hire, _ := tn.srv.User("new.hire@example.com")
	if at(hire, "profile", "contractType") != "INTERN" || at(hire, "profile", "isMemberOfGroup") != true {
		t.Fatalf("created profile: %v", hire["profile"])
	}
	_, _, err = tn.card(t, "okta.createUser", nil, func(c *engine.Card) {
		c.Inputs = []engine.Field{{Key: "login", Value: "bad.hire@example.com"}, {Key: "firstName", Value: "Bad"}, {Key: "lastName", Value: "Hire"},
			{Key: "email", Value: "bad.hire@example.com"}, {Key: "contractType", Group: "Profile", Type: engine.T("string"), Value: "PIRATE"}}
	})
	if err == nil || !contains(err.Error(), "contractType") {
		t.Fatalf("enum violation: %v", err)
	}
	after, _ := tn.srv.User(alice["id"].(string))
	if at(after, "profile", "costCenter") != "CC-7000" || at(after, "profile", "badgeNumber") != 4711.0 || asJSON(at(after, "profile", "projectCodes")) != `["P1","P2"]` {
		t.Fatalf("profile after update: %v", after["profile"])
	}
}

// List Users with Search searches the profile attributes added from the
// org's schema (Okta builds its search inputs from that schema): each
// non-empty one is a profile.<key> eq term, a list matches any value; an
// object value is refused naming the field.
func TestListUsersWithSearchProfileInputs(t *testing.T) {
	tn := startTenant(t, sandbox.Config{}, true)
	logins := func(out engine.Outputs) []string {
		var l []string
		for _, u := range out["Users"].([]any) {
			l = append(l, engine.ToText(at(at(u, "Raw Output"), "profile", "login")))
		}
		return l
	}
	search := func(inputs ...engine.Field) (engine.Outputs, error) {
		out, _, err := tn.card(t, "okta.listUsersWithSearch", nil, func(c *engine.Card) {
			c.Inputs = append([]engine.Field{{Key: "resultSet", Value: First200}, {Key: "status", Value: "ACTIVE"}}, inputs...)
		})
		return out, err
	}
	out, err := search(engine.Field{Key: "department", Group: "Inputs", Type: engine.T("string"), Value: "Engineering"},
		engine.Field{Key: "isMemberOfGroup", Group: "Inputs", Type: engine.T("boolean"), Value: true},
		engine.Field{Key: "title", Group: "Inputs", Type: engine.T("string"), Value: ""},
		engine.Field{Key: "timeWindowDays", Group: "Streaming", Type: engine.T("number"), Value: 7},
		engine.Field{Key: "note", Type: engine.T("string"), Value: "a plain input, not a search term"})
	if err != nil {
		t.Fatal(err)
	}
	if got := logins(out); !slicesHas(got, "kenji.tanaka@example.com") || slicesHas(got, "alice.nguyen@example.com") {
		t.Fatalf("department Engineering and member of group: %v", got)
	}
	for _, u := range out["Users"].([]any) {
		if p := at(at(u, "Raw Output"), "profile"); at(p, "department") != "Engineering" || at(p, "isMemberOfGroup") != true {
			t.Fatalf("found %v", p)
		}
	}
	out, err = search(engine.Field{Key: "costCenter", Group: "Inputs", Type: engine.T("string[]"), Value: []any{"CC-3100", "CC-3200"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := logins(out); !slicesHas(got, "carol.okafor@example.com") || !slicesHas(got, "farah.haddad@example.com") || slicesHas(got, "alice.nguyen@example.com") {
		t.Fatalf("cost center either of two: %v", got)
	}
	for _, u := range out["Users"].([]any) {
		if cc := at(at(u, "Raw Output"), "profile", "costCenter"); cc != "CC-3100" && cc != "CC-3200" {
			t.Fatalf("found cost center %v", cc)
		}
	}
	if _, err := search(engine.Field{Key: "department", Group: "Inputs", Type: engine.T("object"), Value: map[string]any{"a": 1}}); err == nil || !contains(err.Error(), "department") {
		t.Fatalf("object value: %v", err)
	}
}

func slicesHas(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
