// Package box is the Box connector, built on connectors/kit: the "box"
// connection kind (a Platform app's client credentials grant for the
// enterprise, or a developer token), Okta's Box cards under their corpus
// kinds (box:searchForUser, box:createNewUser, …), a Custom API Action, and
// the local fake enterprise (connectors/box/fake).
package box

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/flowbench/flowbench/connectors/box/fake"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// NS is Okta's namespace of the Box cards.
const NS = "box"

// Connector is Box's declaration.
var Connector = &kit.Connector{
	ID:      "box",
	Title:   "Box",
	DocBase: "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/box/actions/",
	Fields: []engine.FieldSpec{{Key: "enterpriseId", Label: "Enterprise ID", Type: engine.T("string"),
		Description: "Admin Console → Account & Billing (the client credentials grant signs in as the enterprise's service account)"}},
	Auth: []*kit.AuthMethod{
		ccg(),
		jwtAuth(),
		kit.APIToken("Developer token (testing, 60 minutes)", "Developer token", "Authorization", "Bearer "),
	},
	BaseURL:     "https://api.box.com/2.0",
	Errors:      BoxErrors,
	Pages:       kit.OffsetLimit("offset", "limit", 1000, "entries"),
	MaxInFlight: 16,
	Ladder: &kit.Ladder{
		Identity: kit.Call{Path: "/users/me"},
		Describe: func(r *kit.Result) (string, map[string]any) {
			m := r.Object()
			ent, _ := m["enterprise"].(map[string]any)
			return fmt.Sprintf("signed in as %v (%v) in %v", m["name"], m["role"], ent["name"]),
				map[string]any{"user": m["login"], "role": m["role"], "enterprise": ent["name"]}
		},
		Fixes: map[string]string{
			"forbidden": "The app lacks an admin scope: enable \"Manage users\" and \"Read and write all files and folders\" in the Developer Console and re-authorize the app in the Admin Console.",
		},
	},
	CustomAPI: NS + ":customApiAction",
	Fake:      func() (kit.Fake, error) { return fake.New(fake.Config{}), nil },
}

func init() {
	Connector.Cards = cards()
	kit.Register(Connector)
}

// ccg is Box's client credentials grant: the app signs in as the
// enterprise's service account (box_subject_type=enterprise).
func ccg() *kit.AuthMethod {
	m := kit.ClientCredentials("Client credentials grant (server authentication)", "https://api.box.com/oauth2/token")
	m.TokenParams = map[string]string{"box_subject_type": "enterprise", "box_subject_id": "{enterpriseId}"}
	return m
}

// BoxErrors maps Box's ClientError ({"type":"error","status","code","message"}).
func BoxErrors(r *kit.Result) *engine.HTTPError {
	if r.Status < 400 {
		return nil
	}
	if m := r.Object(); m != nil && m["type"] == "error" {
		he := &engine.HTTPError{Status: r.Status, Code: engine.ToText(m["code"]), Summary: engine.ToText(m["message"])}
		return he
	}
	he := kit.StatusErrors(r)
	if r.Status == http.StatusUnauthorized {
		// Box answers a bad token with an empty 401 and WWW-Authenticate
		he.Summary = "the access token is invalid or expired (" + r.Header.Get("WWW-Authenticate") + "): reconnect the Box connection"
	}
	return he
}

var in = kit.Input

// named adds what was looked for to Box's bare "Not Found".
func named(err error, what string) error {
	var he *engine.HTTPError
	if errors.As(err, &he) && he.Status == http.StatusNotFound {
		he.Summary = "Box has no " + what + " (" + he.Summary + ")"
	}
	return err
}

func out(group, key, typ string) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: group, Type: engine.T(typ), Label: key}
}

func choice(key, label, def string, group string, vals ...string) engine.FieldSpec {
	f := engine.FieldSpec{Key: key, Group: group, Type: engine.T("string"), Label: label, Default: def}
	for _, v := range vals {
		f.Choices = append(f.Choices, engine.Choice{Value: v, Label: v})
	}
	return f
}

const (
	transferFiles = "Transfer user’s files to another user"
	deleteFiles   = "Delete user’s files (cannot be undone)"
)

var userOutputs = []struct{ key, path, typ string }{
	{"User ID", "id", "string"}, {"Type", "type", "string"}, {"Name", "name", "string"}, {"Login", "login", "string"},
	{"Created At", "created_at", "string"}, {"Modified At", "modified_at", "string"}, {"Language", "language", "string"},
	{"Timezone", "timezone", "string"}, {"Space Allotted", "space_amount", "number"}, {"Space Used", "space_used", "number"},
	{"Max Upload Size", "max_upload_size", "number"}, {"Status", "status", "string"}, {"Job Title", "job_title", "string"},
	{"Phone", "phone", "string"}, {"Address", "address", "string"}, {"Avatar URL", "avatar_url", "string"}, {"Role", "role", "string"},
	{"Can See Managed Users", "can_see_managed_users", "boolean"}, {"Is Sync Enabled", "is_sync_enabled", "boolean"},
	{"Is External Collab Restricted", "is_external_collab_restricted", "boolean"},
	{"Is Exempt From Device Limits", "is_exempt_from_device_limits", "boolean"},
	{"Is Exempt From Login Verification", "is_exempt_from_login_verification", "boolean"},
	{"Is Password Reset Required", "is_password_reset_required", "boolean"},
	{"Hostname", "hostname", "string"},
}

var enterpriseType = engine.Obj(map[string]*engine.Type{"ID": engine.T("string"), "Type": engine.T("string"), "Name": engine.T("string")})
var emailType = engine.Obj(map[string]*engine.Type{"Email": engine.T("string"), "Is Confirmed": engine.T("boolean")})
var userRecord = engine.Obj(map[string]*engine.Type{"User ID": engine.T("string"), "Name": engine.T("string"),
	"Login": engine.T("string"), "Role": engine.T("string"), "Status": engine.T("string")})

func createUserOutputs() []engine.FieldSpec {
	var fs []engine.FieldSpec
	for _, o := range userOutputs {
		fs = append(fs, out("Response", o.key, o.typ))
	}
	fs[0].Label = "Target User - Box User ID"
	return append(fs, engine.FieldSpec{Key: "Enterprise", Group: "Response", Label: "Enterprise", Type: enterpriseType},
		out("Response", "My Tags", "string[]"),
		engine.FieldSpec{Key: "Notification Email", Group: "Response", Label: "Notification Email", Type: emailType})
}

func userOut(u map[string]any) engine.Outputs {
	o := engine.Outputs{}
	for _, f := range userOutputs {
		o[f.key] = u[f.path]
	}
	if e, ok := u["enterprise"].(map[string]any); ok {
		o["Enterprise"] = map[string]any{"ID": e["id"], "Type": e["type"], "Name": e["name"]}
	}
	tags := []any{}
	if t, ok := u["my_tags"].([]any); ok {
		tags = t
	}
	o["My Tags"] = tags
	if n, ok := u["notification_email"].(map[string]any); ok {
		o["Notification Email"] = map[string]any{"Email": n["email"], "Is Confirmed": n["is_confirmed"]}
	}
	return o
}

func cards() []*kit.Card {
	yes, no := "Yes", "No"
	return []*kit.Card{
		{Okta: NS + ":searchForUser", Title: "Search for User", Doc: "searchforuser.htm",
			Description: "Finds Box users of the enterprise by name (starts with) or email (the login, exactly).",
			Inputs: []engine.FieldSpec{choice("Search By", "Search By", "Email", "parameters", "Name", "Email"),
				choice("Result Set", "Result Set", "First Matching User", "parameters", "First Matching User", "All Matching Users"),
				in("Search By", "User Details", "string", true, "Email or Name")},
			Outputs: []engine.FieldSpec{out("Result", "User ID", "string"), out("Result", "Role", "string"), out("Result", "Name", "string"),
				{Key: "Users", Group: "Result", Label: "Users", Type: engine.ListOf(userRecord)}},
			Run: searchForUser},
		{Okta: NS + ":createNewUser", Title: "Create User", Doc: "createuser.htm",
			Description: "Creates a managed user in the Box enterprise.",
			Inputs: []engine.FieldSpec{in("New User Details", "Login", "string", true, "Login"), in("New User Details", "Name", "string", true, "Name"),
				choice("Role", "Role", "user", "New User Details", "coadmin", "user"),
				in("New User Details", "Job Title", "string", false, "Job Title"), in("New User Details", "Address", "string", false, "Address"),
				in("New User Details", "Phone Number", "string", false, "Phone Number"), in("New User Details", "Language", "string", false, "Language"),
				{Key: "Status", Group: "New User Details", Label: "Status", Type: engine.T("string"), Default: "active", Choices: []engine.Choice{
					{Value: "active", Label: "Active"}, {Value: "inactive", Label: "Inactive"}, {Value: "cannot_delete_edit", Label: "Cannot Delete/Edit"},
					{Value: "cannot_delete_edit_upload", Label: "Cannot Delete/Edit/Updload"}}},
				in("New User Details", "Timezone", "string", false, "Timezone"),
				in("New User Details", "Allotted Space (GBs)", "number", false, "Allotted Space (GBs)"),
				in("New User Details", "Can See Managed Users", "boolean", false, "Can See Managed Users"),
				in("New User Details", "Is Exempt From Device Limits", "boolean", false, "Is Exempt From Device Limits"),
				in("New User Details", "Is Exempt From Login Verification", "boolean", false, "Is Exempt From Login Verification"),
				in("New User Details", "Is External Collab Restricted", "boolean", false, "Is External Collab Restricted"),
				in("New User Details", "Is Synced Enabled", "boolean", false, "Is Synced Enabled")},
			Outputs: createUserOutputs(),
			Run:     createUser},
		{Okta: NS + ":createPersonalBoxFolder", Title: "Create Personal Box Folder", Doc: "createpersonalboxfolder.htm",
			Description: "Creates a folder for a user: owned by the user (in their root), or owned by the admin account and shared with the user as editor.",
			Inputs: []engine.FieldSpec{in("Personal Folder Details", "User ID", "string", true, "User ID"),
				choice("Owner of Box Personal Folder", "Owner of Box Personal Folder", "User as Owner", "Personal Folder Details", "Admin as Owner", "User as Owner"),
				in("Personal Folder Details", "Personal Folder Name", "string", true, "Personal Folder Name"),
				choice("Sync Personal Folder to Desktop", "Sync Personal Folder to Desktop", no, "Personal Folder Details", yes, no)},
			Outputs: []engine.FieldSpec{out("Box Folder Details", "Personal Box Folder ID", "string"), out("Box Folder Details", "Folder Name", "string"),
				out("Box Folder Details", "Personal Folder Owner", "string")},
			Run: createPersonalFolder},
		{Okta: NS + ":transferUserFolders", Title: "Transfer User Folders", Doc: "transferuserfolders.htm",
			Description: "Moves everything a user owns into a folder \"<Name>'s Files and Folders\" owned by another user.",
			Inputs: []engine.FieldSpec{in("Transfer Details", "Transfer From User ID", "string", true, "Transfer From User ID"),
				in("Transfer Details", "Transfer To User ID", "string", true, "Transfer To User ID")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				if _, err := transfer(ctx, in, "Transfer From User ID", "Transfer To User ID"); err != nil {
					return nil, err
				}
				return engine.Outputs{}, nil
			}},
		{Okta: NS + ":deleteUser", Title: "Delete User", Doc: "deleteuser.htm",
			Description: "Deletes a user: first transferring their files to another user, or deleting the files with the user (cannot be undone).",
			Inputs: []engine.FieldSpec{in("User Deletion", "User ID", "string", true, "User ID"),
				choice("fileTransferDestination", "File Transfer Destination", transferFiles, "parameters", transferFiles, deleteFiles),
				in("User Deletion", "Transfer To User ID", "string", false, "Transfer To User ID")},
			Outputs: []engine.FieldSpec{out("User Deletion", "Deletion Status Code", "number")},
			Run:     deleteUser},
		{Okta: NS + ":deactivateUser", Title: "Deactivate User", Doc: "deactivateuser.htm",
			Description: "Sets a user's status to inactive (they can no longer sign in; their content stays).",
			Inputs:      []engine.FieldSpec{in("User Deactivation", "User ID", "string", true, "User ID")},
			Outputs:     []engine.FieldSpec{out("User Deactivation", "User Status", "string")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				id, err := in.Required("User ID")
				if err != nil {
					return nil, err
				}
				r, err := in.Do(ctx, &kit.Call{Method: http.MethodPut, Path: "/users/" + url.PathEscape(id), JSON: map[string]any{"status": "inactive"}})
				if err != nil {
					return nil, named(err, "user with ID "+strconv.Quote(id))
				}
				return engine.Outputs{"User Status": r.Object()["status"]}, nil
			}},
	}
}

func searchForUser(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	term, err := in.Required("User Details")
	if err != nil {
		return nil, err
	}
	by := in.Text("Search By")
	if by == "" {
		by = "Email"
	}
	if by != "Email" && by != "Name" {
		return nil, kit.Errorf("Search By", "%q is not Name or Email", by)
	}
	all := in.Text("Result Set") == "All Matching Users"
	var found []map[string]any
	first := &kit.Call{Path: "/users", Query: url.Values{"filter_term": {term}, "user_type": {"all"}, "limit": {"1000"}, "offset": {"0"}}}
	err = in.Client.Pages(ctx, first, nil, 0, []string{"entries"}, func(items []any) bool {
		for _, it := range items {
			u, _ := it.(map[string]any)
			// filter_term matches the start of the name or login: an email
			// search wants the login itself
			if by == "Email" && !strings.EqualFold(engine.ToText(u["login"]), term) {
				continue
			}
			found = append(found, u)
			if !all {
				return false
			}
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	o := engine.Outputs{"User ID": nil, "Role": nil, "Name": nil, "Users": []any{}}
	var list []any
	for _, u := range found {
		list = append(list, map[string]any{"User ID": u["id"], "Name": u["name"], "Login": u["login"], "Role": u["role"], "Status": u["status"]})
	}
	if len(list) > 0 {
		o["Users"] = list
		o["User ID"], o["Role"], o["Name"] = found[0]["id"], found[0]["role"], found[0]["name"]
	}
	return o, nil
}

func createUser(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	login, err := in.Required("Login")
	if err != nil {
		return nil, err
	}
	name, err := in.Required("Name")
	if err != nil {
		return nil, err
	}
	body := map[string]any{"login": login, "name": name}
	for key, param := range map[string]string{"Role": "role", "Job Title": "job_title", "Address": "address", "Phone Number": "phone",
		"Language": "language", "Status": "status", "Timezone": "timezone"} {
		if v := in.Text(key); v != "" {
			body[param] = v
		}
	}
	if r := in.Text("Role"); r != "" && r != "user" && r != "coadmin" {
		return nil, kit.Errorf("Role", "%q is not a Box role for a new user (user, coadmin)", r)
	}
	if v, ok := in.Values["Allotted Space (GBs)"]; ok && v != nil {
		gb, err := engine.ToNumber(v)
		if err != nil || gb < -1 {
			return nil, kit.Errorf("Allotted Space (GBs)", "must be a number of gigabytes (-1: unlimited)")
		}
		if gb == -1 {
			body["space_amount"] = -1
		} else {
			body["space_amount"] = math.Round(gb * 1024 * 1024 * 1024)
		}
	}
	for key, param := range map[string]string{"Can See Managed Users": "can_see_managed_users", "Is Exempt From Device Limits": "is_exempt_from_device_limits",
		"Is Exempt From Login Verification": "is_exempt_from_login_verification", "Is External Collab Restricted": "is_external_collab_restricted",
		"Is Synced Enabled": "is_sync_enabled"} {
		if v, ok := in.Values[key]; ok && v != nil {
			body[param] = in.Bool(key, false)
		}
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/users", JSON: body})
	if err != nil {
		return nil, err
	}
	return userOut(r.Object()), nil
}

func createPersonalFolder(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	uid, err := in.Required("User ID")
	if err != nil {
		return nil, err
	}
	name, err := in.Required("Personal Folder Name")
	if err != nil {
		return nil, err
	}
	owner := in.Text("Owner of Box Personal Folder")
	if owner == "" {
		owner = "User as Owner"
	}
	if owner != "User as Owner" && owner != "Admin as Owner" {
		return nil, kit.Errorf("Owner of Box Personal Folder", "%q is not Admin as Owner or User as Owner", owner)
	}
	sync := "not_synced"
	if in.Bool("Sync Personal Folder to Desktop", false) {
		sync = "synced"
	}
	call := &kit.Call{Method: http.MethodPost, Path: "/folders", JSON: map[string]any{"name": name, "parent": map[string]any{"id": "0"}, "sync_state": sync}}
	if owner == "User as Owner" {
		// created as the user (As-User), in the user's own root folder
		call.Header = http.Header{"As-User": {uid}}
	}
	r, err := in.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	f := r.Object()
	if owner == "Admin as Owner" {
		if _, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/collaborations", JSON: map[string]any{
			"item": map[string]any{"type": "folder", "id": f["id"]}, "accessible_by": map[string]any{"type": "user", "id": uid},
			"role": "editor"}}); err != nil {
			return nil, err
		}
	}
	ob, _ := f["owned_by"].(map[string]any)
	return engine.Outputs{"Personal Box Folder ID": f["id"], "Folder Name": f["name"], "Personal Folder Owner": ob["login"]}, nil
}

func transfer(ctx context.Context, in *kit.In, fromKey, toKey string) (map[string]any, error) {
	from, err := in.Required(fromKey)
	if err != nil {
		return nil, err
	}
	to, err := in.Required(toKey)
	if err != nil {
		return nil, err
	}
	if from == to {
		return nil, kit.Errorf(toKey, "is the user whose files are moved (%s): choose another user", from)
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPut, Path: "/users/" + url.PathEscape(from) + "/folders/0",
		Query: url.Values{"notify": {"false"}}, JSON: map[string]any{"owned_by": map[string]any{"id": to}}})
	if err != nil {
		return nil, named(err, "user with ID "+strconv.Quote(from))
	}
	return r.Object(), nil
}

func deleteUser(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	id, err := in.Required("User ID")
	if err != nil {
		return nil, err
	}
	dest := in.Text("fileTransferDestination")
	if dest == "" {
		dest = transferFiles
	}
	switch dest {
	case transferFiles:
		if _, err := transfer(ctx, in, "User ID", "Transfer To User ID"); err != nil {
			return nil, err
		}
	case deleteFiles:
	default:
		return nil, kit.Errorf("fileTransferDestination", "%q is not one of the choices", dest)
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodDelete, Path: "/users/" + url.PathEscape(id),
		Query: url.Values{"force": {"true"}, "notify": {"false"}}})
	if err != nil {
		return nil, named(err, "user with ID "+strconv.Quote(id))
	}
	return engine.Outputs{"Deletion Status Code": float64(r.Status)}, nil
}
