package okta

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// The rest of Okta's Okta Realms connector (help: oktarealms/oktarealms.htm):
// Create Realm, Read Realm, Update Realm, Create Realm User and Update Realm
// for User, with the inputs and outputs of their help pages. No corpus
// template uses them, so Okta's exported kinds (which carry generated
// suffixes, e.g. listRealmUsers_tmcXa7PfAt) are unknown: each registers the
// clean kind oktarealms:<method>, and the importer maps an exported
// oktarealms:<method>_<suffix> to it (engine/flopack, method.kinds).

// realmProfileType is the Profile of the Realm output group of Create/Read/Update Realm.
var realmProfileType = engine.Obj(map[string]*engine.Type{"Name": engine.T("string"), "Realm Type": engine.T("string")})

func realmOutputs() []engine.FieldSpec {
	return []engine.FieldSpec{
		{Key: "Raw Output", Group: "Realm", Label: "Raw Output", Type: engine.T("object")},
		{Key: "ID", Group: "Realm", Label: "ID", Type: engine.T("string")},
		{Key: "Is Default", Group: "Realm", Label: "Is Default", Type: engine.T("boolean")},
		{Key: "Profile", Group: "Realm", Label: "Profile", Type: realmProfileType},
		{Key: "Created", Group: "Realm", Label: "Created", Type: engine.T("date")},
		{Key: "Last Updated", Group: "Realm", Label: "Last Updated", Type: engine.T("date")},
	}
}

func realmResult(r any) engine.Outputs {
	return engine.Outputs{"Raw Output": r, "ID": get(r, "id"), "Is Default": get(r, "isDefault") == true,
		"Profile": map[string]any{"Name": get(r, "profile", "name"), "Realm Type": get(r, "profile", "realmType")},
		"Created": get(r, "created"), "Last Updated": get(r, "lastUpdated")}
}

// realmUserProfile are the Profile Properties outputs Okta's realm user
// cards list (more can be added: every attribute of the user's profile is
// an output).
var realmUserProfile = [][2]string{{"login", "Username"}, {"firstName", "First name"}, {"lastName", "Last name"},
	{"middleName", "Middle name"}, {"honorificPrefix", "Honorific prefix"}, {"honorificSuffix", "Honorific suffix"},
	{"email", "Primary email"}, {"title", "Title"}}

func realmUserOutputs() []engine.FieldSpec {
	o := []engine.FieldSpec{
		{Key: "User ID", Group: "Result", Label: "User ID", Type: engine.T("string")},
		{Key: "Status", Group: "Result", Label: "Status", Type: engine.T("string")},
		{Key: "Created", Group: "Result", Label: "Created", Type: engine.T("date")},
		{Key: "Activated", Group: "Result", Label: "Activated", Type: engine.T("date")},
		{Key: "Status Changed", Group: "Result", Label: "Status Changed", Type: engine.T("date")},
		{Key: "Last Login", Group: "Result", Label: "Last Login", Type: engine.T("date")},
		{Key: "Last Updated", Group: "Result", Label: "Last Updated", Type: engine.T("date")},
		{Key: "Password Changed", Group: "Result", Label: "Password Changed", Type: engine.T("date")},
		{Key: "Realm ID", Group: "Result", Label: "Realm ID", Type: engine.T("string")},
		{Key: "Credentials", Group: "Result", Label: "Credentials", Type: engine.Obj(map[string]*engine.Type{
			"Password": engine.T("boolean"), "Recovery Question": engine.T("string"),
			"Provider": engine.Obj(map[string]*engine.Type{"Name": engine.T("string"), "Type": engine.T("string")})})},
	}
	for _, p := range realmUserProfile {
		o = append(o, engine.FieldSpec{Key: p[0], Group: "Profile Properties", Label: p[1], Type: engine.T("string")})
	}
	return o
}

func realmUserResult(u any) engine.Outputs {
	out := engine.Outputs{"User ID": get(u, "id"), "Status": get(u, "status"), "Created": get(u, "created"),
		"Activated": get(u, "activated"), "Status Changed": get(u, "statusChanged"), "Last Login": get(u, "lastLogin"),
		"Last Updated": get(u, "lastUpdated"), "Password Changed": get(u, "passwordChanged"), "Realm ID": get(u, "realmId"),
		"Credentials": map[string]any{"Password": get(u, "credentials", "password") != nil,
			"Recovery Question": get(u, "credentials", "recovery_question", "question"),
			"Provider": map[string]any{"Name": get(u, "credentials", "provider", "name"),
				"Type": get(u, "credentials", "provider", "type")}}}
	prof, _ := get(u, "profile").(map[string]any)
	for k, v := range prof {
		if _, system := out[k]; !system {
			out[k] = v
		}
	}
	for _, p := range realmUserProfile {
		if _, ok := prof[p[0]]; !ok {
			out[p[0]] = nil
		}
	}
	return out
}

// Create Realm User's Option values (the labels of Okta's card).
const (
	realmUserNoCreds   = "Without Credentials"
	realmUserRecoveryQ = "With Recovery Question"
	realmUserPassword  = "With Password"
	realmUserPwdRecQ   = "With Password & Recovery question"
	realmUserProvider  = "With Authentication Provider"
	realmUserInGroup   = "In Group"
)

var providerTypes = []string{"OKTA", "ACTIVE_DIRECTORY", "LDAP", "FEDERATION", "SOCIAL", "IMPORT"}

func init() {
	spec := func(id, method, title, desc string, ins, outs []engine.FieldSpec, run engine.RunFunc) *engine.Spec {
		s := card("oktarealms."+id, "oktarealms:"+method, title, "", desc, ins, outs, run)
		s.DocURL, s.Category = realmsDoc+strings.ToLower(method)+".htm", "Okta Realms"
		return s
	}
	engine.Register(spec("createRealm", "createRealm", "Create Realm", "Creates a realm (a partner realm) with the given name.",
		[]engine.FieldSpec{in("Realm", "name", "string", true, "Name")}, realmOutputs(), createRealm))
	engine.Register(spec("readRealm", "readRealm", "Read Realm", "Reads a realm by its ID: name, type, whether it is the org's default realm.",
		[]engine.FieldSpec{in("Realm", "id", "string", true, "ID")}, realmOutputs(), readRealm))
	engine.Register(spec("updateRealm", "updateRealm", "Update Realm", "Renames a realm (its type is kept).",
		[]engine.FieldSpec{in("Realm", "id", "string", true, "ID"), in("Realm", "name", "string", true, "Name")}, realmOutputs(), updateRealm))
	upd := spec("updateRealmForUser", "updateRealmForUser", "Update Realm for User", "Moves a user to a realm (the user's realmId).",
		[]engine.FieldSpec{in("Inputs", "realmId", "string", true, "Realm ID"), in("Inputs", "userId", "string", true, "User ID")},
		realmUserOutputs(), updateRealmForUser)
	upd.ExtensibleOutputs = true
	engine.Register(upd)

	opts := []engine.Choice{{Value: realmUserNoCreds, Label: realmUserNoCreds}, {Value: realmUserRecoveryQ, Label: realmUserRecoveryQ},
		{Value: realmUserPassword, Label: realmUserPassword}, {Value: realmUserPwdRecQ, Label: realmUserPwdRecQ},
		{Value: realmUserProvider, Label: realmUserProvider}, {Value: realmUserInGroup, Label: realmUserInGroup}}
	create := spec("createRealmUser", "createRealmUser", "Create Realm User",
		"Creates a user in a realm; the Option chooses its credentials (none, recovery question, password, both, an authentication provider) or a group. Added Profile inputs become profile attributes.",
		[]engine.FieldSpec{
			param("option", "Option", realmUserNoCreds, opts),
			in("Profile", "login", "string", true, "Username"), in("Profile", "firstName", "string", true, "First name"),
			in("Profile", "lastName", "string", true, "Last name"), in("Profile", "email", "string", true, "Primary email"),
			shownBy(in("Credentials", "Question", "string", false, "Question"), "option", realmUserRecoveryQ, realmUserPwdRecQ),
			shownBy(in("Credentials", "Answer", "string", false, "Answer"), "option", realmUserRecoveryQ, realmUserPwdRecQ),
			shownBy(in("Credentials", "Password", "string", false, "Password"), "option", realmUserPassword, realmUserPwdRecQ),
			shownBy(in("Credentials", "Provider Name", "string", false, "Provider Name"), "option", realmUserProvider),
			// Text in Okta's card (OKTA, ACTIVE_DIRECTORY, LDAP, FEDERATION, SOCIAL, IMPORT; checked at run time)
			shownBy(in("Credentials", "Provider Type", "string", false, "Provider Type"), "option", realmUserProvider),
			shownBy(engine.FieldSpec{Key: "Group ID", Group: "Group", Label: "Group ID", Type: engine.T("string"), ChoicesFrom: ChoicesGroups},
				"option", realmUserInGroup),
			{Key: "Activate", Group: "Activate", Label: "Activate", Type: engine.T("boolean"), Required: true, Default: true},
			in("Realm", "realmId", "string", true, "ID"),
		}, realmUserOutputs(), createRealmUser)
	create.ExtensibleInputs, create.ExtensibleOutputs = true, true
	engine.Register(create)
}

func createRealm(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	name, err := required(in, "name")
	if err != nil {
		return nil, err
	}
	r, _, err := do(ctx, in, "POST", "/api/v1/realms", nil, map[string]any{"profile": map[string]any{"name": name, "realmType": "PARTNER"}})
	if err != nil {
		return nil, err
	}
	return realmResult(r), nil
}

func readRealm(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "id")
	if err != nil {
		return nil, err
	}
	r, _, err := do(ctx, in, "GET", "/api/v1/realms/"+seg(id), nil, nil)
	if err != nil {
		return nil, err
	}
	return realmResult(r), nil
}

func updateRealm(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "id")
	if err != nil {
		return nil, err
	}
	name, err := required(in, "name")
	if err != nil {
		return nil, err
	}
	// PUT replaces the profile: keep the realm's type
	cur, _, err := do(ctx, in, "GET", "/api/v1/realms/"+seg(id), nil, nil)
	if err != nil {
		return nil, err
	}
	prof := map[string]any{"name": name}
	if t, _ := get(cur, "profile", "realmType").(string); t != "" {
		prof["realmType"] = t
	}
	r, _, err := do(ctx, in, "PUT", "/api/v1/realms/"+seg(id), nil, map[string]any{"profile": prof})
	if err != nil {
		return nil, err
	}
	return realmResult(r), nil
}

func updateRealmForUser(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	realm, err := required(in, "realmId")
	if err != nil {
		return nil, err
	}
	uid, err := required(in, "userId")
	if err != nil {
		return nil, err
	}
	u, _, err := do(ctx, in, "POST", "/api/v1/users/"+seg(uid), nil, map[string]any{"realmId": realm})
	if err != nil {
		return nil, err
	}
	return realmUserResult(u), nil
}

// realmUserOwn are Create Realm User's own inputs; the others are profile attributes.
var realmUserOwn = map[string]bool{"option": true, "Question": true, "Answer": true, "Password": true, "Provider Name": true,
	"Provider Type": true, "Group ID": true, "Activate": true, "realmId": true}

func createRealmUser(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	realm, err := required(in, "realmId")
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"login", "firstName", "lastName", "email"} {
		if _, err := required(in, k); err != nil {
			return nil, err
		}
	}
	opt := text(in, "option")
	if opt == "" {
		opt = realmUserNoCreds
	}
	body := map[string]any{"profile": profileInputs(in, realmUserOwn, true), "realmId": realm}
	q := url.Values{"activate": {strconv.FormatBool(boolean(in, "Activate", true))}}
	creds := map[string]any{}
	needs := func(keys ...string) error {
		for _, k := range keys {
			if text(in, k) == "" {
				return engine.InputErrorf(k, "is required with Option %q", opt)
			}
		}
		return nil
	}
	switch opt {
	case realmUserNoCreds:
	case realmUserRecoveryQ, realmUserPwdRecQ:
		if err := needs("Question", "Answer"); err != nil {
			return nil, err
		}
		creds["recovery_question"] = map[string]any{"question": text(in, "Question"), "answer": text(in, "Answer")}
		if opt == realmUserRecoveryQ {
			break
		}
		fallthrough
	case realmUserPassword:
		if err := needs("Password"); err != nil {
			return nil, err
		}
		creds["password"] = map[string]any{"value": text(in, "Password")}
	case realmUserProvider:
		if err := needs("Provider Type"); err != nil {
			return nil, err
		}
		pt := strings.ToUpper(text(in, "Provider Type"))
		ok := false
		for _, t := range providerTypes {
			ok = ok || t == pt
		}
		if !ok {
			return nil, engine.InputErrorf("Provider Type", "must be one of %s, not %q", strings.Join(providerTypes, ", "), text(in, "Provider Type"))
		}
		name := text(in, "Provider Name")
		if name == "" {
			name = pt
		}
		creds["provider"] = map[string]any{"type": pt, "name": name}
		q.Set("provider", "true")
	case realmUserInGroup:
		if err := needs("Group ID"); err != nil {
			return nil, err
		}
		body["groupIds"] = []string{text(in, "Group ID")}
	default:
		return nil, engine.InputErrorf("option", "unknown option %q (%s, %s, %s, %s, %s or %s)", opt, realmUserNoCreds,
			realmUserRecoveryQ, realmUserPassword, realmUserPwdRecQ, realmUserProvider, realmUserInGroup)
	}
	if len(creds) > 0 {
		body["credentials"] = creds
	}
	u, _, err := do(ctx, in, "POST", "/api/v1/users", q, body)
	if err != nil {
		return nil, err
	}
	return realmUserResult(u), nil
}
