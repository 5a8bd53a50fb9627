package okta

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
)

const docBase = "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/okta/actions/"

// Result-set choices of the search cards.
const (
	FirstMatch   = "First Matching Record"
	First200     = "First 200 Matching Records"
	StreamAll    = "Stream Matching Records"
	First200Recs = "First 200 Records"
	First500Recs = "First 500 Records"
	StreamRecs   = "Stream Records"
	// AllMatch is the Result Set of Okta connector 1.0.297 (and earlier) on
	// List Users with Filter/Search and Search Groups: every match as a list.
	AllMatch = "All Matching Records"
)

// MaxStreamed bounds streaming when a card sets no Record Limit.
const MaxStreamed = 1_000_000

func choices(vals ...string) []engine.Choice {
	out := make([]engine.Choice, len(vals))
	for i, v := range vals {
		out[i] = engine.Choice{Value: v, Label: v}
	}
	return out
}

var yesNo = choices("Yes", "No")

var userStatuses = choices("STAGED", "PROVISIONED", "ACTIVE", "RECOVERY", "PASSWORD_EXPIRED", "LOCKED_OUT", "SUSPENDED", "DEPROVISIONED")

func card(id, okta, title, doc, desc string, ins, outs []engine.FieldSpec, run engine.RunFunc) *engine.Spec {
	return &engine.Spec{ID: id, Okta: []string{okta}, Title: title, Category: "Okta", App: "okta", Kind: engine.KindAction,
		Connection: Kind.ID, Description: desc, DocURL: docBase + doc, Inputs: ins, Outputs: outs, Run: run}
}

func in(group, key, typ string, req bool, label string) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: group, Type: engine.T(typ), Required: req, Label: label}
}

func param(key, label string, def any, ch []engine.Choice) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: "parameters", Type: engine.T("string"), Label: label, Default: def, Choices: ch}
}

func out(group, key, typ string) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: group, Type: engine.T(typ)}
}

func outT(group, key string, t *engine.Type) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: group, Type: t}
}

func text(in engine.Inputs, key string) string {
	return strings.TrimSpace(engine.ToText(in.Values[key]))
}

func boolean(in engine.Inputs, key string, def bool) bool {
	v := in.Values[key]
	if v == nil {
		return def
	}
	switch s := v.(type) {
	case string:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "yes", "true":
			return true
		case "no", "false":
			return false
		case "":
			return def
		}
	}
	b, err := engine.ToBool(v)
	if err != nil {
		return def
	}
	return b
}

func required(in engine.Inputs, key string) (string, error) {
	s := text(in, key)
	if s == "" {
		return "", engine.InputErrorf(key, "is required")
	}
	return s, nil
}

func seg(s string) string { return url.PathEscape(s) }

// do runs a JSON call for a card, recording attempts in its history.
func do(ctx context.Context, in engine.Inputs, method, path string, q url.Values, body any) (any, int, error) {
	c, err := ClientFor(ctx, in)
	if err != nil {
		return nil, 0, err
	}
	v, resp, err := c.JSON(ctx, &Call{Method: method, Path: path, Query: q, Body: body, OnAttempt: in.Run.Attempt, Policy: httpx.CardPolicy(in.Card)})
	if err != nil {
		return nil, 0, err
	}
	return v, resp.Status, nil
}

func init() {
	for _, s := range specs() {
		declared := s.ExtensibleInputs
		for _, f := range s.Inputs {
			// streaming cards pass extra inputs of their own to the helper flow
			if f.Group == "Streaming" && !declared {
				s.ExtensibleInputs = true
				s.ExtensibleGroups = []string{"Streaming"} // other added inputs are reported (stream.go)
			}
		}
		streamingShownWhen(s) // shown.go
		engine.Register(s)
	}
}

func specs() []*engine.Spec {
	statusOut := []engine.FieldSpec{{Key: "statusCode", Group: "Response", Label: "Status Code", Type: engine.T("number")}}
	userOut := append([]engine.FieldSpec(nil), userSystemFields...)
	return append([]*engine.Spec{
		// --- users ---
		withExt(card("okta.readUser", "okta:readUser", "Read User", "readuser.htm",
			"Reads a user by ID or login: system properties and every profile attribute.",
			[]engine.FieldSpec{in("User", "ID or Login", "string", true, "ID or Login")}, userOut, readUser), false, true),
		withExt(card("okta.updateUser", "okta:updateUser", "Update User", "updateuser.htm",
			"Updates profile attributes. POST semantics change only the fields given (empty fields are left alone); PUT replaces the whole profile.",
			[]engine.FieldSpec{in("User", "ID", "string", true, "ID"), param("updateSemantics", "Update Semantics", "POST", choices("POST", "PUT"))},
			userOut, updateUser), true, true),
		withExt(card("okta.createUser", "okta:createUser", "Create User", "createuser.htm",
			"Creates a user; optionally activates it and sets a password or recovery question. Extra Profile inputs become profile attributes.",
			[]engine.FieldSpec{
				param("option", "Option", "getInputsnoCreds", []engine.Choice{
					{Value: "getInputsnoCreds", Label: "Create user without credentials"},
					{Value: "getInputswithRecoveryQ", Label: "Create user with recovery question"},
					{Value: "getInputswithPW", Label: "Create user with password"},
					{Value: "getInputsPWRecoveryQ", Label: "Create user with password and recovery question"},
					{Value: "getInputsAuthProv", Label: "Create user with authentication provider"},
					{Value: "getInputsGroup", Label: "Create user in groups"}}),
				in("Profile", "login", "string", true, "Username"), in("Profile", "firstName", "string", true, "First name"),
				in("Profile", "lastName", "string", true, "Last name"), in("Profile", "email", "string", true, "Primary email"),
				in("Activate", "Activate", "boolean", false, "Activate"),
				// the chosen Option's credentials only, as Okta's card shows them
				shownBy(in("Credentials", "Password", "string", false, "Password"), "option", "getInputswithPW", "getInputsPWRecoveryQ"),
				shownBy(in("Credentials", "Recovery Question", "string", false, "Recovery question"), "option", "getInputswithRecoveryQ", "getInputsPWRecoveryQ"),
				shownBy(in("Credentials", "Recovery Answer", "string", false, "Recovery answer"), "option", "getInputswithRecoveryQ", "getInputsPWRecoveryQ"),
				shownBy(in("Groups", "Group IDs", "string[]", false, "Group IDs"), "option", "getInputsGroup"),
			},
			[]engine.FieldSpec{out("Results", "ID", "string"), out("Results", "Status", "string"), out("Results", "Created", "date"),
				out("Results", "Activated", "boolean"), out("Results", "Status Changed", "date"), out("Results", "Last Login", "date"),
				out("Results", "Last Updated", "date"), out("Results", "Password Changed", "date"),
				outT("Results", "Credentials", engine.Obj(map[string]*engine.Type{"Password": engine.T("object"), "Recovery Question": engine.T("string"), "Provider": engine.T("object")})),
				out("Results", "Raw Body", "object")}, createUser), true, true),
		card("okta.activateUser", "okta:activateUser", "Activate User", "activateuser.htm",
			"Activates a staged or deprovisioned user.",
			[]engine.FieldSpec{in("User", "id", "string", true, "ID or Login"), param("sendEmail", "Send Email?", "Yes", yesNo)},
			statusOut, lifecycle("activate", "sendEmail", true)),
		card("okta.deactivateUser", "okta:deactivateUser", "Deactivate User", "deactivateuser.htm",
			"Deactivates a user (deprovisions it everywhere).",
			[]engine.FieldSpec{in("User", "id", "string", true, "ID or Login"), param("sendEmail", "Send Email?", "No", yesNo)},
			statusOut, lifecycle("deactivate", "sendEmail", false)),
		card("okta.suspendUser", "okta:suspendUser", "Suspend User", "suspenduser.htm",
			"Suspends an active user.",
			[]engine.FieldSpec{in("User", "id", "string", true, "ID or Login")}, statusOut, lifecycle("suspend", "", false)),
		card("okta.unsuspendUser", "okta:unsuspendUser", "Unsuspend User", "unsuspenduser.htm",
			"Returns a suspended user to ACTIVE.",
			[]engine.FieldSpec{in("User", "id", "string", true, "ID or Login")}, statusOut, lifecycle("unsuspend", "", false)),
		card("okta.resetPassword", "okta:resetPassword", "Reset Password", "resetpassword.htm",
			"Starts a password reset: emails the user, or returns the one-time reset URL when Send Email is false.",
			[]engine.FieldSpec{in("User", "userID", "string", true, "ID or Username"),
				param("convert", "Convert to Federated User", "No", yesNo),
				{Key: "email", Group: "parameters", Label: "Send Email", Type: engine.T("boolean"), Default: true}},
			[]engine.FieldSpec{out("Response", "Status Code", "number"), out("Reset Password", "URL", "string")}, resetPassword),
		card("okta.expirePassword", "okta:expirePassword", "Expire Password", "expirepassword.htm",
			"Expires the user's password: they must change it at next sign-in.",
			[]engine.FieldSpec{in("User", "id", "string", true, "ID or Login")},
			append(append([]engine.FieldSpec(nil), statusOut...), out("Response", "Status", "string")), expirePassword),
		card("okta.deleteUser", "okta:deleteUser", "Delete User", "deleteuser.htm",
			"Deactivates the user if needed, then deletes it permanently.",
			[]engine.FieldSpec{in("User", "ID", "string", true, "ID"), in("User", "Send Email?", "boolean", false, "Send Email?")},
			[]engine.FieldSpec{out("Output", "Status Code", "number")}, deleteUser),
		searchSpec("okta.listUsersWithSearch", "okta:listUsersWithSearch", "List Users with Search", true),
		searchSpec("okta.listUsersWithFilter", "okta:listUsersWithFilter", "List Users with Filter", false),
		card("okta.getUsersGroups", "okta:getUsersGroups", "Get Users Groups", "getusersgroups.htm",
			"Lists the groups a user belongs to, or streams each one to a helper flow.",
			[]engine.FieldSpec{in("User", "ID", "string", true, "ID"), param("resultSet", "Result Set", First200Recs, choices(First200Recs, StreamRecs)),
				in("List Criteria", "Limit", "number", false, "Record Limit"), in("Streaming", "State", "any", false, "State")},
			[]engine.FieldSpec{outT("Output", "Groups", engine.ListOf(groupRecordType)), out("Output", "Records Streamed", "number")}, getUsersGroups),
		// --- groups ---
		card("okta.addUserToGroup", "okta:addNewUserToGroup", "Add User to Group", "addusertogroup.htm",
			"Adds a user to an Okta group.",
			[]engine.FieldSpec{in("Group", "Group/id", "string", true, "Group ID"), in("User", "User/id", "string", true, "User ID")},
			[]engine.FieldSpec{out("Result", "status", "number")}, membership(http.MethodPut)),
		card("okta.removeUserFromGroup", "okta:removeUserFromGroup", "Remove User from Group", "removeuserfromgroup.htm",
			"Removes a user from an Okta group.",
			[]engine.FieldSpec{in("Group", "Group/id", "string", true, "Group ID"), in("User", "User/id", "string", true, "User ID")},
			[]engine.FieldSpec{out("Result", "status", "number")}, membership(http.MethodDelete)),
		card("okta.searchGroups", "okta:searchGroups", "Search Groups", "searchgroups.htm",
			"Finds groups by name prefix (Query), type, exact name or a custom search expression.",
			[]engine.FieldSpec{param("resultSet", "Result Set", FirstMatch, choices(FirstMatch, First200, StreamAll, AllMatch)),
				in("Inputs", "Query", "string", false, "Query"), in("Inputs", "type", "string", false, "Type"),
				in("Inputs", "profile.name", "string", false, "Name"), in("Inputs", "Custom Search Criteria", "string", false, "Custom Search Criteria"),
				in("Search Criteria", "Limit", "number", false, "Record Limit"), in("Streaming", "State", "any", false, "State")},
			[]engine.FieldSpec{out("Result", "ID", "string"), out("Result", "Created", "string"),
				outT("Result", "Profile", engine.Obj(map[string]*engine.Type{"Name": engine.T("string"), "Description": engine.T("string")})),
				out("Result", "Raw Object", "object"), outT("Result", "Groups", engine.ListOf(groupRecordType)),
				out("Result", "Records Streamed", "number")}, searchGroups),
		card("okta.listGroupMembers", "okta:listGroupMembers", "List Group Members", "listgroupmembers.htm",
			"Lists a group's members, or streams each one to a helper flow.",
			[]engine.FieldSpec{param("resultSet", "Result Set", StreamRecs, choices(First200Recs, StreamRecs)),
				in("Group", "groupId", "string", true, "Group ID"), in("List Criteria", "Limit", "number", false, "Record Limit"),
				in("Streaming", "State", "any", false, "State")},
			[]engine.FieldSpec{out("Result", "Records Streamed", "number"), outT("Result", "Users", engine.ListOf(userRecordType))}, listGroupMembers),
		card("okta.createGroup", "okta:createGroup", "Create Group", "creategroup.htm",
			"Creates an Okta group.",
			[]engine.FieldSpec{in("Group", "Name", "string", true, "Name"), in("Group", "Description", "string", false, "Description")},
			[]engine.FieldSpec{out("Properties", "ID", "string"), out("Properties", "Created", "date"), out("Properties", "Last Updated", "date"),
				out("Properties", "Type", "string"),
				outT("Properties", "Profile", engine.Obj(map[string]*engine.Type{"Name": engine.T("string"), "Description": engine.T("string")})),
				out("Properties", "Links", "object")}, createGroup),
		// --- applications ---
		withExt(card("okta.assignUserToApplication", "okta:assignUserToApplicationForSSO", "Assign User to Application for SSO", "assignusertoapplicationforsso.htm",
			"Assigns a user to an application, with optional app credentials and scope. Extra inputs become app user profile attributes.",
			[]engine.FieldSpec{appPicker(), in("User", "User/id", "string", true, "User ID"),
				{Key: "User/Scope", Group: "User", Label: "Scope", Type: engine.T("string"), Default: "USER", Choices: choices("USER", "GROUP")},
				in("Credentials", "Username", "string", false, "Username"), in("Credentials", "Password", "string", false, "Password")},
			append([]engine.FieldSpec(nil), appUserSystemFields...), assignApp), true, true),
		card("okta.removeUserFromApplication", "okta:removeUserFromApplication", "Remove User from Application", "removeuserfromapp.htm",
			"Unassigns a user from an application.",
			[]engine.FieldSpec{appParam(), appIDInput(),
				in("User", "id", "string", true, "User ID"), in("User", "Send Email?", "boolean", false, "Send Email?")},
			[]engine.FieldSpec{out("Result", "status", "number")}, unassignApp),
		card("okta.listUsersAssignedToApplication", "okta:listUsersAssignedToApplication", "List Users Assigned to Application", "listappusers.htm",
			"Lists an application's assigned users, or streams each one to a helper flow.",
			[]engine.FieldSpec{param("resultSet", "Result Set", First500Recs, choices(First500Recs, StreamRecs)),
				appParam(), appIDInput(),
				in("List Criteria", "Limit", "number", false, "Record Limit"), in("Streaming", "State", "any", false, "State")},
			[]engine.FieldSpec{out("Result", "Records Streamed", "number"), out("Result", "Users", "object[]")}, listAppUsers),
		// --- custom ---
		card("okta.customApiAction", "okta:hTTPRequest", "Custom API Action", "customapiaction.htm",
			"Calls any Okta API endpoint of the connection's org with its credentials. GET(Streaming) pages through a list and streams each item to a helper flow.",
			[]engine.FieldSpec{param("requestType", "Request Type", "GET", choices("GET", "GET(Streaming)", "POST", "PUT", "PATCH", "DELETE")),
				in("Request", "Relative URL", "string", true, "Relative URL"), in("Request", "Query", "object", false, "Query"),
				in("Request", "Headers", "object", false, "Headers"), in("Request", "Body", "any", false, "Body"),
				in("Streaming", "State", "any", false, "State"), in("Streaming", "Limit", "number", false, "Record Limit")},
			[]engine.FieldSpec{out("Response", "Status Code", "number"), out("Response", "Headers", "object"), out("Response", "Body", "any"),
				out("Response", "Records Streamed", "number")}, customAction),
	}, moreSpecs()...)
}

func withExt(s *engine.Spec, ins, outs bool) *engine.Spec {
	s.ExtensibleInputs, s.ExtensibleOutputs = ins, outs
	return s
}

// --- users ---

func readUser(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "ID or Login")
	if err != nil {
		return nil, err
	}
	u, _, err := do(ctx, in, "GET", "/api/v1/users/"+seg(id), nil, nil)
	if err != nil {
		return nil, err
	}
	return userOutputs(u), nil
}

// profileInputs are the card's inputs that are not its own fields.
func profileInputs(in engine.Inputs, own map[string]bool, skipEmpty bool) map[string]any {
	p := map[string]any{}
	for k, v := range in.Values {
		if own[k] {
			continue
		}
		if skipEmpty && (v == nil || v == "") {
			continue
		}
		p[k] = v
	}
	return p
}

func updateUser(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "ID")
	if err != nil {
		return nil, err
	}
	sem := strings.ToUpper(text(in, "updateSemantics"))
	if sem == "" {
		sem = "POST"
	}
	if sem != "POST" && sem != "PUT" {
		return nil, engine.InputErrorf("updateSemantics", "must be POST or PUT, not %q", sem)
	}
	prof := profileInputs(in, map[string]bool{"ID": true, "updateSemantics": true}, sem == "POST")
	if sem == "PUT" {
		// PUT replaces the profile: start from the current one so login/email stay.
		cur, _, err := do(ctx, in, "GET", "/api/v1/users/"+seg(id), nil, nil)
		if err != nil {
			return nil, err
		}
		full := map[string]any{}
		for _, k := range []string{"login", "email", "firstName", "lastName"} {
			full[k] = get(cur, "profile", k)
		}
		for k, v := range prof {
			full[k] = v
		}
		prof = full
	}
	u, _, err := do(ctx, in, sem, "/api/v1/users/"+seg(id), nil, map[string]any{"profile": prof})
	if err != nil {
		return nil, err
	}
	return userOutputs(u), nil
}

func createUser(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	own := map[string]bool{"option": true, "Activate": true, "Password": true, "Recovery Question": true,
		"Recovery Answer": true, "Group IDs": true}
	prof := profileInputs(in, own, true)
	body := map[string]any{"profile": prof}
	creds := map[string]any{}
	if pw := text(in, "Password"); pw != "" {
		creds["password"] = map[string]any{"value": pw}
	}
	if q := text(in, "Recovery Question"); q != "" {
		creds["recovery_question"] = map[string]any{"question": q, "answer": text(in, "Recovery Answer")}
	}
	if len(creds) > 0 {
		body["credentials"] = creds
	}
	if ids, ok := in.Values["Group IDs"].([]any); ok && len(ids) > 0 {
		var gs []string
		for _, g := range ids {
			if s := engine.ToText(g); s != "" {
				gs = append(gs, s)
			}
		}
		if len(gs) > 0 {
			body["groupIds"] = gs
		}
	}
	q := url.Values{"activate": {strconv.FormatBool(boolean(in, "Activate", false))}}
	u, _, err := do(ctx, in, "POST", "/api/v1/users", q, body)
	if err != nil {
		return nil, err
	}
	c := credentials(u)
	delete(c, "Emails")
	out := engine.Outputs{"ID": get(u, "id"), "Status": get(u, "status"), "Created": get(u, "created"),
		"Activated": get(u, "activated") != nil, "Status Changed": get(u, "statusChanged"), "Last Login": get(u, "lastLogin"),
		"Last Updated": get(u, "lastUpdated"), "Password Changed": get(u, "passwordChanged"), "Credentials": c, "Raw Body": u}
	// the created user's profile attributes, for the Profile Properties
	// outputs added from the org's schema (as Okta's card offers them)
	if p, ok := get(u, "profile").(map[string]any); ok {
		for k, v := range p {
			if _, clash := out[k]; !clash {
				out[k] = v
			}
		}
	}
	return out, nil
}

func lifecycle(op, emailKey string, emailDefault bool) engine.RunFunc {
	return func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
		id, err := required(in, "id")
		if err != nil {
			return nil, err
		}
		var q url.Values
		if emailKey != "" {
			q = url.Values{"sendEmail": {strconv.FormatBool(boolean(in, emailKey, emailDefault))}}
		}
		_, st, err := do(ctx, in, "POST", "/api/v1/users/"+seg(id)+"/lifecycle/"+op, q, nil)
		if err != nil {
			return nil, err
		}
		return engine.Outputs{"statusCode": float64(st)}, nil
	}
}

func resetPassword(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "userID")
	if err != nil {
		return nil, err
	}
	send := boolean(in, "email", true)
	q := url.Values{"sendEmail": {strconv.FormatBool(send)}}
	v, st, err := do(ctx, in, "POST", "/api/v1/users/"+seg(id)+"/lifecycle/reset_password", q, nil)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Status Code": float64(st), "URL": get(v, "resetPasswordUrl")}, nil
}

func expirePassword(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "id")
	if err != nil {
		return nil, err
	}
	v, st, err := do(ctx, in, "POST", "/api/v1/users/"+seg(id)+"/lifecycle/expire_password", nil, nil)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"statusCode": float64(st), "Status": get(v, "status")}, nil
}

func deleteUser(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "ID")
	if err != nil {
		return nil, err
	}
	q := url.Values{"sendEmail": {strconv.FormatBool(boolean(in, "Send Email?", false))}}
	// Okta's first DELETE deactivates an active user; the second deletes it.
	cur, _, err := do(ctx, in, "GET", "/api/v1/users/"+seg(id), nil, nil)
	if err != nil {
		return nil, err
	}
	uid := engine.ToText(get(cur, "id"))
	if get(cur, "status") != "DEPROVISIONED" {
		if _, _, err := do(ctx, in, "DELETE", "/api/v1/users/"+seg(uid), q, nil); err != nil {
			return nil, err
		}
	}
	_, st, err := do(ctx, in, "DELETE", "/api/v1/users/"+seg(uid), q, nil)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Status Code": float64(st)}, nil
}

// --- listing and streaming ---

// helperFlow is the streaming helper flow of a card: its Flow, or a "Flow" input.
func helperFlow(in engine.Inputs) string {
	if in.Card != nil && in.Card.Flow != "" {
		return in.Card.Flow
	}
	return text(in, "Flow")
}

func limitOf(in engine.Inputs, key string) int {
	n, err := engine.ToNumber(in.Values[key])
	if err != nil || n <= 0 {
		return 0
	}
	return int(n)
}

// collect lists or streams records. When stream is true every record goes
// to the helper flow as {Record, State}; else up to max are returned.
func collect(ctx context.Context, in engine.Inputs, path string, q url.Values, stream bool, max int,
	rec func(any) map[string]any) ([]any, int, error) {
	c, err := ClientFor(ctx, in)
	if err != nil {
		return nil, 0, err
	}
	if stream {
		flow := helperFlow(in)
		if flow == "" {
			return nil, 0, engine.InputErrorf("Flow", "streaming needs a helper flow")
		}
		if max <= 0 {
			max = MaxStreamed
		}
		state := streamState(in) // State plus the Streaming section's own inputs (stream.go)
		i := 0
		n, err := c.List(ctx, path, q, max, in.Run.Attempt, func(item any) error {
			args := map[string]any{"Record": rec(item), "State": state, "context": map[string]any{"index": float64(i)}}
			i++
			_, err := in.Run.CallFlow(ctx, flow, args)
			return err
		})
		return []any{}, n, err // streamed records went to the helper flow
	}
	list := []any{}
	_, err = c.List(ctx, path, q, max, in.Run.Attempt, func(item any) error {
		list = append(list, rec(item))
		return nil
	})
	return list, len(list), err
}

// listMax is how many records a list card reads: Limit, capped at one
// page (page) unless the records are streamed to a helper flow.
func listMax(in engine.Inputs, stream bool, page int) int {
	max := limitOf(in, "Limit")
	if !stream && (max == 0 || max > page) {
		max = page
	}
	return max
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func searchSpec(id, okta, title string, search bool) *engine.Spec {
	ins := []engine.FieldSpec{param("resultSet", "Result Set", First200, choices(FirstMatch, First200, StreamAll, AllMatch)),
		{Key: "status", Group: "Inputs", Label: "Status", Type: engine.T("string"), Choices: userStatuses},
		in("Inputs", "id", "string", false, "ID")}
	desc := "Lists users matching a filter (status, id, lastUpdated)."
	if search {
		ins = append(ins, in("Inputs", "created", "string", false, "Created after"), in("Inputs", "activated", "string", false, "Activated after"),
			in("Inputs", "Custom Search Criteria", "string", false, "Custom Search Criteria"),
			engine.FieldSpec{Key: "sortBy", Group: "Sort", Label: "Sort By", Type: engine.T("string"),
				Choices: choices("id", "status", "created", "activated", "statusChanged", "lastUpdated", "profile.login", "profile.firstName", "profile.lastName", "profile.email")},
			engine.FieldSpec{Key: "sortOrder", Group: "Sort", Label: "Sort Order", Type: engine.T("string"), Choices: choices("ASC", "DESC")})
		desc = "Finds users with an Okta search expression built from the inputs (and any custom criteria); returns the first, the first 200, or streams every match to a helper flow."
	} else {
		ins = append(ins, in("Inputs", "lastUpdated", "string", false, "Last updated after"))
	}
	ins = append(ins, in("Search Criteria", "Limit", "number", false, "Record Limit"), in("Streaming", "State", "any", false, "State"))
	outs := []engine.FieldSpec{outT("Result", "Users", engine.ListOf(userRecordType)), out("Result", "Records Streamed", "number")}
	page := "listuserswithfilter.htm"
	if search {
		page = "listuserswithsearch.htm"
	}
	return card(id, okta, title, page, desc, ins, outs, func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
		var terms []string
		if s := text(in, "status"); s != "" {
			terms = append(terms, "status eq "+quote(s))
		}
		if s := text(in, "id"); s != "" {
			terms = append(terms, "id eq "+quote(s))
		}
		q := url.Values{}
		key := "filter"
		if search {
			key = "search"
			for _, k := range []string{"created", "activated"} {
				if s := text(in, k); s != "" {
					d, err := engine.ToDate(s)
					if err != nil {
						return nil, engine.InputErrorf(k, "is not a date: %v", err)
					}
					terms = append(terms, k+" gt "+quote(d))
				}
			}
			pt, err := profileSearchTerms(in, ins)
			if err != nil {
				return nil, err
			}
			terms = append(terms, pt...)
			if s := text(in, "Custom Search Criteria"); s != "" {
				terms = append(terms, "("+s+")")
			}
			if s := text(in, "sortBy"); s != "" {
				q.Set("sortBy", s)
				if o := text(in, "sortOrder"); o != "" {
					q.Set("sortOrder", strings.ToLower(o))
				}
			}
		} else if s := text(in, "lastUpdated"); s != "" {
			d, err := engine.ToDate(s)
			if err != nil {
				return nil, engine.InputErrorf("lastUpdated", "is not a date: %v", err)
			}
			terms = append(terms, "lastUpdated gt "+quote(d))
		}
		if len(terms) > 0 {
			q.Set(key, strings.Join(terms, " and "))
		}
		rs := text(in, "resultSet")
		max := limitOf(in, "Limit")
		switch rs {
		case FirstMatch:
			q.Set("limit", "1")
			max = 1
		case StreamAll:
			q.Set("limit", "200")
		case AllMatch: // every page, as one list
			q.Set("limit", "200")
			if max == 0 {
				max = MaxStreamed
			}
		default:
			q.Set("limit", "200")
			if max == 0 || max > 200 {
				max = 200
			}
		}
		list, n, err := collect(ctx, in, "/api/v1/users", q, rs == StreamAll, max, userRecord)
		if err != nil {
			return nil, err
		}
		return engine.Outputs{"Users": list, "Records Streamed": float64(n)}, nil
	})
}

func getUsersGroups(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "ID")
	if err != nil {
		return nil, err
	}
	stream := text(in, "resultSet") == StreamRecs
	max := listMax(in, stream, 200)
	list, n, err := collect(ctx, in, "/api/v1/users/"+seg(id)+"/groups", nil, stream, max, groupRecord)
	if err != nil {
		return nil, err
	}
	for _, g := range list {
		delete(g.(map[string]any), "Raw Object")
	}
	return engine.Outputs{"Groups": list, "Records Streamed": float64(n)}, nil
}

// --- groups ---

func membership(method string) engine.RunFunc {
	return func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
		g, err := required(in, "Group/id")
		if err != nil {
			return nil, err
		}
		u, err := required(in, "User/id")
		if err != nil {
			return nil, err
		}
		_, st, err := do(ctx, in, method, "/api/v1/groups/"+seg(g)+"/users/"+seg(u), nil, nil)
		if err != nil {
			return nil, err
		}
		return engine.Outputs{"status": float64(st)}, nil
	}
}

func searchGroups(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	q := url.Values{}
	if s := text(in, "Query"); s != "" {
		q.Set("q", s)
	}
	var terms []string
	if s := text(in, "type"); s != "" {
		terms = append(terms, "type eq "+quote(s))
	}
	if s := text(in, "profile.name"); s != "" {
		terms = append(terms, "profile.name eq "+quote(s))
	}
	if s := text(in, "Custom Search Criteria"); s != "" {
		terms = append(terms, "("+s+")")
	}
	if len(terms) > 0 {
		q.Set("search", strings.Join(terms, " and "))
	}
	rs := text(in, "resultSet")
	max := limitOf(in, "Limit")
	switch rs {
	case FirstMatch, "":
		q.Set("limit", "1")
		max = 1
	case StreamAll:
		q.Set("limit", "200")
	case AllMatch: // every page, as one list
		q.Set("limit", "200")
		if max == 0 {
			max = MaxStreamed
		}
	default:
		q.Set("limit", "200")
		if max == 0 || max > 200 {
			max = 200
		}
	}
	list, n, err := collect(ctx, in, "/api/v1/groups", q, rs == StreamAll, max, groupRecord)
	if err != nil {
		return nil, err
	}
	out := engine.Outputs{"Groups": []any{}, "Records Streamed": float64(n)}
	if list != nil {
		out["Groups"] = list
	}
	if len(list) > 0 {
		first := list[0].(map[string]any)
		out["ID"], out["Created"], out["Profile"], out["Raw Object"] = first["ID"], first["Created"], first["Profile"], first["Raw Object"]
	}
	return out, nil
}

func listGroupMembers(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	g, err := required(in, "groupId")
	if err != nil {
		return nil, err
	}
	stream := text(in, "resultSet") != First200Recs
	max := listMax(in, stream, 200)
	list, n, err := collect(ctx, in, "/api/v1/groups/"+seg(g)+"/users", url.Values{"limit": {"200"}}, stream, max, userRecord)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Users": list, "Records Streamed": float64(n)}, nil
}

func createGroup(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	name, err := required(in, "Name")
	if err != nil {
		return nil, err
	}
	prof := map[string]any{"name": name}
	if d := text(in, "Description"); d != "" {
		prof["description"] = d
	}
	g, _, err := do(ctx, in, "POST", "/api/v1/groups", nil, map[string]any{"profile": prof})
	if err != nil {
		return nil, err
	}
	links, _ := get(g, "_links").(map[string]any)
	return engine.Outputs{"ID": get(g, "id"), "Created": get(g, "created"), "Last Updated": get(g, "lastUpdated"),
		"Type": get(g, "type"), "Profile": map[string]any{"Name": get(g, "profile", "name"), "Description": get(g, "profile", "description")},
		"Links": links}, nil
}

// --- applications ---

func appID(in engine.Inputs) (string, error) {
	// the Application dropdown's app when one is chosen (Okta then hides
	// the ID input), else the ID typed or wired ("-- Enter Application ID --")
	for _, k := range []string{"application", "applicationID"} {
		if s := text(in, k); s != "" && !strings.HasPrefix(s, "--") {
			return s, nil
		}
	}
	return "", engine.InputErrorf("application", "choose an application (its ID)")
}

func assignApp(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	return assignAppUser(ctx, in, false) // cards_appprovisioning.go
}

func unassignApp(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	app, err := appID(in)
	if err != nil {
		return nil, err
	}
	uid, err := required(in, "id")
	if err != nil {
		return nil, err
	}
	q := url.Values{"sendEmail": {strconv.FormatBool(boolean(in, "Send Email?", false))}}
	_, st, err := do(ctx, in, "DELETE", "/api/v1/apps/"+seg(app)+"/users/"+seg(uid), q, nil)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"status": float64(st)}, nil
}

func listAppUsers(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	app, err := appID(in)
	if err != nil {
		return nil, err
	}
	stream := text(in, "resultSet") == StreamRecs
	max := listMax(in, stream, 500)
	rec := func(au any) map[string]any {
		o := appUserOutputs(au)
		sys := map[string]any{}
		for _, f := range appUserSystemFields {
			sys[f.Key] = o[f.Key]
		}
		prof, _ := get(au, "profile").(map[string]any)
		return map[string]any{"System Properties": sys, "Profile Properties": prof, "Raw Output": au}
	}
	list, n, err := collect(ctx, in, "/api/v1/apps/"+seg(app)+"/users", url.Values{"limit": {"500"}}, stream, max, rec)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Users": list, "Records Streamed": float64(n)}, nil
}

// --- Custom API Action ---

func customAction(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	method := strings.ToUpper(text(in, "requestType"))
	if method == "" {
		method = "GET"
	}
	stream := method == "GET(STREAMING)"
	if stream {
		method = "GET"
	}
	switch method {
	case "GET", "POST", "PUT", "PATCH", "DELETE":
	default:
		return nil, engine.InputErrorf("requestType", "unsupported request type %q", method)
	}
	rel, err := required(in, "Relative URL")
	if err != nil {
		return nil, err
	}
	c, err := ClientFor(ctx, in)
	if err != nil {
		return nil, err
	}
	if strings.Contains(rel, "://") {
		if !strings.HasPrefix(rel, c.Base+"/") {
			return nil, engine.InputErrorf("Relative URL", "must be a path on the connection's org (e.g. /api/v1/users), not another host")
		}
		rel = strings.TrimPrefix(rel, c.Base)
	}
	if !strings.HasPrefix(rel, "/") {
		rel = "/" + rel
	}
	rel, q := splitRelativeURL(rel) // percent-encoded like Okta (relurl.go)
	if m, ok := in.Values["Query"].(map[string]any); ok {
		for k, v := range m {
			if l, ok := v.([]any); ok {
				for _, x := range l {
					q.Add(k, engine.ToText(x))
				}
				continue
			}
			if v != nil {
				q.Set(k, engine.ToText(v))
			}
		}
	}
	hdr := http.Header{}
	if m, ok := in.Values["Headers"].(map[string]any); ok {
		for k, v := range m {
			hdr.Set(k, engine.ToText(v))
		}
	}
	if stream {
		flow := helperFlow(in)
		if flow == "" {
			return nil, engine.InputErrorf("Flow", "GET(Streaming) needs a helper flow")
		}
		max := limitOf(in, "Limit")
		if max == 0 {
			max = MaxStreamed
		}
		state := streamState(in) // State plus the Streaming section's own inputs (stream.go)
		i := 0
		n, err := c.List(ctx, rel, q, max, in.Run.Attempt, func(item any) error {
			_, err := in.Run.CallFlow(ctx, flow, map[string]any{"Record": item, "State": state, "context": map[string]any{"index": float64(i)}})
			i++
			return err
		})
		if err != nil {
			return nil, err
		}
		return engine.Outputs{"Status Code": float64(200), "Headers": map[string]any{}, "Body": nil, "Records Streamed": float64(n)}, nil
	}
	var body any
	if method != "GET" && method != "DELETE" {
		body = expandDotted(in.Values["Body"]) // {"profile.name": x} → {"profile": {"name": x}} (relurl.go)
		if s, ok := body.(string); ok {
			var parsed any
			if json.Unmarshal([]byte(s), &parsed) == nil {
				body = parsed
			}
		}
	}
	resp, err := c.Do(ctx, &Call{Method: method, Path: rel, Query: q, Header: hdr, Body: body, OnAttempt: in.Run.Attempt})
	if err != nil {
		return nil, err
	}
	if resp.Status >= 400 {
		return nil, c.httpError(resp)
	}
	var outBody any
	if resp.IsJSON() {
		if outBody, err = resp.JSON(); err != nil {
			return nil, fmt.Errorf("Okta answered HTTP %d with invalid JSON", resp.Status)
		}
	} else if len(resp.Body) > 0 {
		outBody = string(resp.Body)
	}
	// an endpoint that echoes the request must not put credentials into history
	sec := c.Secrets()
	return engine.Outputs{"Status Code": float64(resp.Status), "Headers": httpx.ScrubValue(httpx.HeaderMap(resp.Header, "Set-Cookie"), sec...),
		"Body": httpx.ScrubValue(outBody, sec...)}, nil
}
