package okta

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// Cards for sessions, group profiles, applications, the System Log and
// Identity Source imports (Anything-as-a-Source).

// enterAppID is the Application option's "type the ID" choice.
const enterAppID = "-- Enter Application ID --"

func appParam() engine.FieldSpec {
	f := param("application", "Application", enterAppID, nil)
	f.ChoicesFrom = ChoicesApps // the org's active applications (choicesources.go)
	return f
}

// appIDInput is asked for while the Application option is "-- Enter
// Application ID --" (its default), as Okta's card shows it.
func appIDInput() engine.FieldSpec {
	return shownBy(in("Application", "applicationID", "string", false, "ID"), "application", enterAppID)
}

var groupProfileType = engine.Obj(map[string]*engine.Type{"Name": str("string"), "Description": str("string")})

var appRecordType = engine.Obj(map[string]*engine.Type{
	"ID": str("string"), "Name": str("string"), "Label": str("string"), "Status": str("string"),
	"Created": str("string"), "Last Updated": str("string"), "Sign On Mode": str("string"),
	"Features": str("string[]"), "Settings": str("object"), "Raw Output": str("object"),
})

// appFields are an application's outputs (Read Application, and the first
// match of Search Applications), in group.
func appFields(group string) []engine.FieldSpec {
	return []engine.FieldSpec{out(group, "ID", "string"), out(group, "Name", "string"), out(group, "Label", "string"),
		out(group, "Status", "string"), out(group, "Created", "date"), out(group, "Last Updated", "date"),
		out(group, "Sign On Mode", "string"), out(group, "Features", "string[]"), out(group, "Settings", "object"),
		out(group, "Raw Output", "object")}
}

func appRecord(a any) map[string]any {
	feats, _ := get(a, "features").([]any)
	if feats == nil {
		feats = []any{}
	}
	return map[string]any{"ID": get(a, "id"), "Name": get(a, "name"), "Label": get(a, "label"), "Status": get(a, "status"),
		"Created": get(a, "created"), "Last Updated": get(a, "lastUpdated"), "Sign On Mode": get(a, "signOnMode"),
		"Features": feats, "Settings": objOrNil(get(a, "settings")), "Raw Output": a}
}

var appGroupType = engine.Obj(map[string]*engine.Type{
	"ID": str("string"), "Last Updated": str("string"), "Priority": str("number"), "Links": str("object"), "Profile": str("object"),
})

func appGroupRecord(ag any) map[string]any {
	prof, _ := get(ag, "profile").(map[string]any)
	if prof == nil {
		prof = map[string]any{}
	}
	return map[string]any{"ID": get(ag, "id"), "Last Updated": get(ag, "lastUpdated"), "Priority": get(ag, "priority"),
		"Links": objOrNil(get(ag, "_links")), "Profile": prof}
}

var logActorType = engine.Obj(map[string]*engine.Type{"ID": str("string"), "Type": str("string"), "Alternate ID": str("string"), "Display Name": str("string")})
var logClientType = engine.Obj(map[string]*engine.Type{"ID": str("string"), "User Agent": str("object"), "Geographical Context": str("object"),
	"Zone": str("string"), "IP Address": str("string"), "Device": str("string")})
var logRequestType = engine.Obj(map[string]*engine.Type{"IP Chain": str("object[]")})

var logRecordType = engine.Obj(map[string]*engine.Type{
	"UUID": str("string"), "Published": str("string"), "Event Type": str("string"), "Severity": str("string"),
	"Display Message": str("string"), "Actor": logActorType, "Target": str("object[]"), "Client": logClientType,
	"Request": logRequestType, "Raw Output": str("object"),
})

func logRecord(e any) map[string]any {
	targets, _ := get(e, "target").([]any)
	if targets == nil {
		targets = []any{}
	}
	chain, _ := get(e, "request", "ipChain").([]any)
	if chain == nil {
		chain = []any{}
	}
	return map[string]any{
		"UUID": get(e, "uuid"), "Published": get(e, "published"), "Event Type": get(e, "eventType"), "Severity": get(e, "severity"),
		"Display Message": get(e, "displayMessage"),
		"Actor": map[string]any{"ID": get(e, "actor", "id"), "Type": get(e, "actor", "type"),
			"Alternate ID": get(e, "actor", "alternateId"), "Display Name": get(e, "actor", "displayName")},
		"Target": targets,
		"Client": map[string]any{"ID": get(e, "client", "id"), "User Agent": objOrNil(get(e, "client", "userAgent")),
			"Geographical Context": objOrNil(get(e, "client", "geographicalContext")), "Zone": get(e, "client", "zone"),
			"IP Address": get(e, "client", "ipAddress"), "Device": get(e, "client", "device")},
		"Request":    map[string]any{"IP Chain": chain},
		"Raw Output": e,
	}
}

var sessionType = engine.Obj(map[string]*engine.Type{"id": str("string"), "identitySourceId": str("string"), "status": str("string"), "importType": str("string")})

func sessionFields() []engine.FieldSpec {
	return []engine.FieldSpec{out("Session", "id", "string"), out("Session", "identitySourceId", "string"),
		out("Session", "status", "string"), out("Session", "importType", "string")}
}

func sessionRecord(s any) map[string]any {
	return map[string]any{"id": get(s, "id"), "identitySourceId": get(s, "identitySourceId"), "status": get(s, "status"), "importType": get(s, "importType")}
}

var logSearchKeys = []struct{ key, attr string }{
	{"Event Type", "eventType"}, {"UUID", "uuid"}, {"Display Message", "displayMessage"}, {"Actor ID", "actor.id"},
	{"Actor Display Name", "actor.displayName"}, {"Actor Type", "actor.type"}, {"Target ID", "target.id"},
	{"Target Display Name", "target.displayName"}, {"Target Type", "target.type"}, {"Severity", "severity"},
}

func moreSpecs() []*engine.Spec {
	statusOut := []engine.FieldSpec{out("Output", "Status Code", "number")}
	resultSet := param("resultSet", "Result Set", FirstMatch, choices(FirstMatch, First200, StreamAll))
	streaming := []engine.FieldSpec{in("Search Criteria", "Limit", "number", false, "Record Limit"), in("Streaming", "State", "any", false, "State")}

	logIns := []engine.FieldSpec{param("searchBy", "Search By", "Expression", choices("Expression", "Keyword")), resultSet}
	for _, k := range logSearchKeys {
		f := shownBy(in("Search By", k.key, "string", false, k.key), "searchBy", "Expression") // shown.go
		if k.key == "Severity" {
			f.Choices = choices("DEBUG", "INFO", "WARN", "ERROR")
		}
		logIns = append(logIns, f)
	}
	logIns = append(logIns, shownBy(in("Search By", "Custom Filter", "string", false, "Custom Filter"), "searchBy", "Expression"),
		shownBy(in("Search By", "Keyword", "string", false, "Keyword"), "searchBy", "Keyword"),
		in("Date", "since", "date", false, "Since"), in("Date", "until", "date", false, "Until"))
	logIns = append(logIns, streaming...)
	logOuts := []engine.FieldSpec{out("Result", "UUID", "string"), out("Result", "Published", "date"), out("Result", "Event Type", "string"),
		out("Result", "Severity", "string"), out("Result", "Display Message", "string"), outT("Result", "Actor", logActorType),
		out("Result", "Target", "object[]"), outT("Result", "Client", logClientType), outT("Result", "Request", logRequestType),
		out("Result", "Raw Output", "object"), outT("Result", "System Logs", engine.ListOf(logRecordType)), out("Result", "Records Streamed", "number")}

	findUserOuts := []engine.FieldSpec{outT("Result", "Users", engine.ListOf(userRecordType))}
	for _, k := range []string{"Raw Output", "ID", "Status", "Created", "Activated", "Status Changed", "Last Login", "Last Updated",
		"Password Changed", "First Name", "Last Name", "Mobile Phone", "Second Email", "Login", "Email"} {
		typ := "string"
		if k == "Raw Output" {
			typ = "object"
		}
		findUserOuts = append(findUserOuts, out("Result", k, typ))
	}
	findUserOuts = append(findUserOuts, out("Result", "Records Streamed", "number"))

	searchAppOuts := append(appFields("Result"), outT("Result", "Applications", engine.ListOf(appRecordType)), out("Result", "Records Streamed", "number"))

	return []*engine.Spec{
		card("okta.clearUserSessions", "okta:clearUserSessions", "Clear User Sessions", "clearusersessions.htm",
			"Removes all of the user's active identity provider sessions, forcing them to sign in again; optionally revokes the OpenID Connect and OAuth tokens issued to them.",
			[]engine.FieldSpec{in("User", "ID", "string", true, "User ID"), in("User", "Revoke oauthTokens?", "boolean", false, "Revoke oauthTokens?")},
			statusOut, clearUserSessions),
		card("okta.findUsers", "okta:searchUsers", "Find Users", "findusers.htm",
			"Finds users whose first name, last name or email starts with the query; returns the first match, the first 200, or streams every match to a helper flow.",
			append([]engine.FieldSpec{resultSet, in("Inputs", "Query", "string", false, "Query")}, streaming...),
			findUserOuts, findUsers),
		withExt(card("okta.readGroup", "okta:readGroup", "Read Group", "readgroup.htm",
			"Reads a group by ID: its properties, and custom profile attributes under Custom Properties.",
			[]engine.FieldSpec{in("Group", "ID", "string", true, "ID")},
			[]engine.FieldSpec{out("Properties", "ID", "string"), out("Properties", "Created", "date"), out("Properties", "Last Updated", "date"),
				out("Properties", "Last Membership Updated", "date"), out("Properties", "Type", "string"),
				outT("Properties", "Profile", groupProfileType), out("Properties", "Raw Output", "object")}, readGroup), false, true),
		withExt(card("okta.updateGroup", "okta:updateGroup", "Update Group", "updategroup.htm",
			"Updates the profile of an OKTA_GROUP group: name, description and custom attributes (extra inputs). Empty inputs leave the attribute as it is.",
			[]engine.FieldSpec{in("Group", "ID", "string", true, "ID"), in("Group", "Name", "string", true, "Name"), in("Group", "Description", "string", false, "Description")},
			[]engine.FieldSpec{out("Properties", "ID", "string"), out("Properties", "Created", "date"), out("Properties", "Last Updated", "date"),
				outT("Properties", "Profile", groupProfileType)}, updateGroup), true, true),
		card("okta.searchApplications", "okta:searchApplications", "Search Applications", "searchapplications.htm",
			"Finds applications whose name or label starts with the query (and that match an optional filter expression); returns the first match, the first 200, or streams every match to a helper flow.",
			append([]engine.FieldSpec{resultSet, in("Search", "Query", "string", false, "Query"), in("Search", "Filter", "string", false, "Filter")}, streaming...),
			searchAppOuts, searchApplications),
		card("okta.readApplication", "okta:readApplication", "Read Application", "readapplication.htm",
			"Reads an application by ID.",
			[]engine.FieldSpec{appParam(), appIDInput()}, appFields("Application"), readApplication),
		card("okta.assignGroupToApplication", "okta:assignGroupToApplication", "Assign Group to Application", "assigngrouptoapplication.htm",
			"Assigns a group to an application: its members get the application.",
			[]engine.FieldSpec{in("Group", "groupID", "string", true, "Group ID"), appParam(), appIDInput()},
			[]engine.FieldSpec{out("Group", "ID", "string"), out("Group", "Last Updated", "date"), out("Group", "Priority", "number"),
				out("Group", "Links", "object"), out("Group", "Profile", "object")}, assignGroupToApp),
		card("okta.listGroupsAssignedToApplication", "okta:listGroupsAssignedToApplication", "List Groups Assigned to Application", "listgroupsassignedtoapplication.htm",
			"Lists an application's group assignments, or streams each one to a helper flow.",
			[]engine.FieldSpec{appParam(), param("resultSet", "Result Set", First200Recs, choices(First200Recs, StreamRecs)), appIDInput(),
				in("List Criteria", "Limit", "number", false, "Record Limit"), in("Streaming", "State", "any", false, "State")},
			[]engine.FieldSpec{outT("Result", "Groups", engine.ListOf(appGroupType)), out("Result", "Records Streamed", "number")}, listAppGroups),
		withExt(card("okta.getAssignedUserForApplication", "okta:getAssignedUserForApplication", "Get Assigned User for Application", "getassigneduserforapplication.htm",
			"Reads a user's assignment to an application (direct or through a group): system properties and app profile attributes.",
			[]engine.FieldSpec{in("User", "id", "string", true, "User ID"), appParam(), appIDInput()},
			append([]engine.FieldSpec(nil), appUserSystemFields...), getAssignedUser), false, true),
		card("okta.searchSystemLogs", "okta:searchSystemLogs", "Search System Logs", "searchsystemlogs.htm",
			"Searches the org's System Log by an expression (the Search By fields and a custom filter) or keywords, between Since (default: 7 days ago) and Until (default: now); returns the first match, the first 200, or streams every match to a helper flow.",
			logIns, logOuts, searchSystemLogs),
		// --- Identity Source imports (Anything-as-a-Source) ---
		card("okta.createImportSession", "okta:createAnImportSession", "Create an Import Session", "createimportsession.htm",
			"Opens an import session on a Custom Identity Source application.",
			[]engine.FieldSpec{appParam(), appIDInput()}, sessionFields(), createImportSession),
		card("okta.bulkUserImport", "okta:bulkUserImport", "Bulk User Import", "bulkuserimport.htm",
			"Uploads users to an import session: upsert (externalId and profile) or delete (externalId), 200 per request.",
			[]engine.FieldSpec{appParam(), param("importOperation", "Import Operation", "upsert", choices("upsert", "delete")),
				in("Application", "sessionId", "string", true, "Session ID"), appIDInput(), in("Data", "Users", "object[]", false, "Users")},
			[]engine.FieldSpec{out("Response", "recordsImported", "number")}, bulkUserImport),
		card("okta.triggerImportSession", "okta:triggerImportSession", "Trigger Import Session", "triggerimportsession.htm",
			"Starts processing an import session's uploaded users.",
			[]engine.FieldSpec{appParam(), in("Application", "sessionId", "string", true, "Session ID"), appIDInput()}, sessionFields(), triggerImportSession),
		card("okta.listImportSessions", "okta:listImportSessions", "List Import Sessions", "listimportsession.htm",
			"Lists the active (CREATED or TRIGGERED) import sessions of a Custom Identity Source application.",
			[]engine.FieldSpec{appParam(), appIDInput()},
			[]engine.FieldSpec{outT("Result", "Sessions", engine.ListOf(sessionType))}, listImportSessions),
		card("okta.deleteImportSession", "okta:deleteImportSession", "Delete Import Session", "deleteimportsession.htm",
			"Deletes an import session.",
			[]engine.FieldSpec{appParam(), in("Application", "sessionId", "string", true, "Session ID"), appIDInput()},
			[]engine.FieldSpec{out("Response", "statusCode", "number")}, deleteImportSession),
		card("okta.mapProfileSourceAttributes", "okta:mapProfileSourceAttributes", "Map Profile Source Attributes", "mapprofilesourceattributes.htm",
			"Turns source-system user records into the list Bulk User Import expects: externalId from the External ID Key attribute and, for UPSERT, the other attributes as the profile (userName defaults to email or login).",
			[]engine.FieldSpec{appParam(), param("importOperation", "Import Operation", "UPSERT", choices("UPSERT", "DELETE")), appIDInput(),
				{Key: "externalIdKey", Group: "Import Data", Label: "External ID Key", Type: engine.T("string"), Default: "id"},
				in("Import Data", "users", "object[]", false, "Users")},
			[]engine.FieldSpec{out("Result", "Users", "object[]")}, mapProfileSourceAttributes),
	}
}

func clearUserSessions(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "ID")
	if err != nil {
		return nil, err
	}
	q := url.Values{"oauthTokens": {strconv.FormatBool(boolean(in, "Revoke oauthTokens?", false))}}
	_, st, err := do(ctx, in, http.MethodDelete, "/api/v1/users/"+seg(id)+"/sessions", q, nil)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Status Code": float64(st)}, nil
}

// searchLimits maps a Result Set to the page size and the most records.
func searchLimits(in engine.Inputs, page int) (q string, max int, stream bool) {
	max = limitOf(in, "Limit")
	switch text(in, "resultSet") {
	case StreamAll:
		return strconv.Itoa(page), max, true
	case First200:
		if max == 0 || max > 200 {
			max = 200
		}
		if page > 200 {
			page = 200
		}
		return strconv.Itoa(page), max, false
	default:
		return "1", 1, false
	}
}

// firstOf copies the first record's fields into out (First Matching Record).
func firstOf(out engine.Outputs, list []any, keys ...string) {
	if len(list) == 0 {
		return
	}
	first, _ := list[0].(map[string]any)
	for _, k := range keys {
		out[k] = first[k]
	}
}

func keysOf(t *engine.Type) []string {
	keys := make([]string, 0, len(t.Fields))
	for k := range t.Fields {
		keys = append(keys, k)
	}
	return keys
}

func findUsers(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	q := url.Values{}
	if s := text(in, "Query"); s != "" {
		q.Set("q", s)
	}
	lim, max, stream := searchLimits(in, 200)
	q.Set("limit", lim)
	list, n, err := collect(ctx, in, "/api/v1/users", q, stream, max, userRecord)
	if err != nil {
		return nil, err
	}
	out := engine.Outputs{"Users": list, "Records Streamed": float64(n)}
	firstOf(out, list, keysOf(userRecordType)...)
	return out, nil
}

func groupProfileOut(g any) map[string]any {
	return map[string]any{"Name": get(g, "profile", "name"), "Description": get(g, "profile", "description")}
}

func readGroup(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "ID")
	if err != nil {
		return nil, err
	}
	g, _, err := do(ctx, in, http.MethodGet, "/api/v1/groups/"+seg(id), nil, nil)
	if err != nil {
		return nil, err
	}
	out := engine.Outputs{"ID": get(g, "id"), "Created": get(g, "created"), "Last Updated": get(g, "lastUpdated"),
		"Last Membership Updated": get(g, "lastMembershipUpdated"), "Type": get(g, "type"), "Profile": groupProfileOut(g), "Raw Output": g}
	if p, ok := get(g, "profile").(map[string]any); ok {
		for k, v := range p {
			if _, clash := out[k]; !clash && k != "name" && k != "description" {
				out[k] = v // Custom Properties
			}
		}
	}
	return out, nil
}

func updateGroup(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "ID")
	if err != nil {
		return nil, err
	}
	name, err := required(in, "Name")
	if err != nil {
		return nil, err
	}
	// PUT replaces the profile: start from the current one so attributes
	// the card leaves empty keep their values.
	cur, _, err := do(ctx, in, http.MethodGet, "/api/v1/groups/"+seg(id), nil, nil)
	if err != nil {
		return nil, err
	}
	prof := map[string]any{}
	if p, ok := get(cur, "profile").(map[string]any); ok {
		for k, v := range p {
			prof[k] = v
		}
	}
	prof["name"] = name
	if d := text(in, "Description"); d != "" {
		prof["description"] = d
	}
	for k, v := range profileInputs(in, map[string]bool{"ID": true, "Name": true, "Description": true}, true) {
		prof[k] = v
	}
	g, _, err := do(ctx, in, http.MethodPut, "/api/v1/groups/"+seg(id), nil, map[string]any{"profile": prof})
	if err != nil {
		return nil, err
	}
	out := engine.Outputs{"ID": get(g, "id"), "Created": get(g, "created"), "Last Updated": get(g, "lastUpdated"), "Profile": groupProfileOut(g)}
	if p, ok := get(g, "profile").(map[string]any); ok {
		for k, v := range p {
			if _, clash := out[k]; !clash && k != "name" && k != "description" {
				out[k] = v
			}
		}
	}
	return out, nil
}

func searchApplications(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	q := url.Values{}
	if s := text(in, "Query"); s != "" {
		q.Set("q", s)
	}
	if s := text(in, "Filter"); s != "" {
		q.Set("filter", s)
	}
	lim, max, stream := searchLimits(in, 200)
	q.Set("limit", lim)
	list, n, err := collect(ctx, in, "/api/v1/apps", q, stream, max, appRecord)
	if err != nil {
		return nil, err
	}
	out := engine.Outputs{"Applications": list, "Records Streamed": float64(n)}
	firstOf(out, list, keysOf(appRecordType)...)
	return out, nil
}

func readApplication(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	app, err := appID(in)
	if err != nil {
		return nil, err
	}
	a, _, err := do(ctx, in, http.MethodGet, "/api/v1/apps/"+seg(app), nil, nil)
	if err != nil {
		return nil, err
	}
	return engine.Outputs(appRecord(a)), nil
}

func assignGroupToApp(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	app, err := appID(in)
	if err != nil {
		return nil, err
	}
	gid, err := required(in, "groupID")
	if err != nil {
		return nil, err
	}
	ag, _, err := do(ctx, in, http.MethodPut, "/api/v1/apps/"+seg(app)+"/groups/"+seg(gid), nil, nil)
	if err != nil {
		return nil, err
	}
	return engine.Outputs(appGroupRecord(ag)), nil
}

func listAppGroups(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	app, err := appID(in)
	if err != nil {
		return nil, err
	}
	stream := text(in, "resultSet") == StreamRecs
	max := listMax(in, stream, 200)
	// Okta's limit for this list is 20..200
	list, n, err := collect(ctx, in, "/api/v1/apps/"+seg(app)+"/groups", url.Values{"limit": {"200"}}, stream, max, appGroupRecord)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Groups": list, "Records Streamed": float64(n)}, nil
}

func getAssignedUser(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	app, err := appID(in)
	if err != nil {
		return nil, err
	}
	uid, err := required(in, "id")
	if err != nil {
		return nil, err
	}
	au, _, err := do(ctx, in, http.MethodGet, "/api/v1/apps/"+seg(app)+"/users/"+seg(uid), nil, nil)
	if err != nil {
		return nil, err
	}
	return appUserOutputs(au), nil
}

func searchSystemLogs(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	q := url.Values{}
	if text(in, "searchBy") == "Keyword" {
		if s := text(in, "Keyword"); s != "" {
			q.Set("q", s)
		}
	} else {
		var terms []string
		for _, k := range logSearchKeys {
			if s := text(in, k.key); s != "" {
				terms = append(terms, k.attr+" eq "+quote(s))
			}
		}
		if s := text(in, "Custom Filter"); s != "" {
			terms = append(terms, "("+s+")")
		}
		if len(terms) == 1 {
			terms[0] = strings.TrimSuffix(strings.TrimPrefix(terms[0], "("), ")")
		}
		if len(terms) > 0 {
			q.Set("filter", strings.Join(terms, " and "))
		}
	}
	for _, k := range []string{"since", "until"} {
		if s := text(in, k); s != "" {
			d, err := engine.ToDate(s)
			if err != nil {
				return nil, engine.InputErrorf(k, "is not a date: %v", err)
			}
			q.Set(k, d)
		}
	}
	// Without until Okta treats the request as a poll whose next link never
	// ends; a search ends now.
	if !q.Has("until") {
		q.Set("until", time.Now().Add(time.Millisecond).UTC().Format(engine.DateLayout))
	}
	lim, max, stream := searchLimits(in, 1000)
	q.Set("limit", lim)
	list, n, err := collect(ctx, in, "/api/v1/logs", q, stream, max, logRecord)
	if err != nil {
		return nil, err
	}
	out := engine.Outputs{"System Logs": list, "Records Streamed": float64(n)}
	firstOf(out, list, keysOf(logRecordType)...)
	return out, nil
}

// --- Identity Source import sessions ---

func sessionPath(in engine.Inputs, withSession bool) (string, error) {
	app, err := appID(in)
	if err != nil {
		return "", err
	}
	p := "/api/v1/identity-sources/" + seg(app) + "/sessions"
	if withSession {
		sid, err := required(in, "sessionId")
		if err != nil {
			return "", err
		}
		p += "/" + seg(sid)
	}
	return p, nil
}

func createImportSession(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	p, err := sessionPath(in, false)
	if err != nil {
		return nil, err
	}
	s, _, err := do(ctx, in, http.MethodPost, p, nil, nil)
	if err != nil {
		return nil, err
	}
	return engine.Outputs(sessionRecord(s)), nil
}

func triggerImportSession(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	p, err := sessionPath(in, true)
	if err != nil {
		return nil, err
	}
	s, _, err := do(ctx, in, http.MethodPost, p+"/start-import", nil, nil)
	if err != nil {
		return nil, err
	}
	return engine.Outputs(sessionRecord(s)), nil
}

func listImportSessions(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	p, err := sessionPath(in, false)
	if err != nil {
		return nil, err
	}
	v, _, err := do(ctx, in, http.MethodGet, p, nil, nil)
	if err != nil {
		return nil, err
	}
	items, _ := v.([]any)
	list := make([]any, len(items))
	for i, s := range items {
		list[i] = sessionRecord(s)
	}
	return engine.Outputs{"Sessions": list}, nil
}

func deleteImportSession(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	p, err := sessionPath(in, true)
	if err != nil {
		return nil, err
	}
	_, st, err := do(ctx, in, http.MethodDelete, p, nil, nil)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"statusCode": float64(st)}, nil
}

// bulkBatch is Okta's limit of profiles per bulk upload request.
const bulkBatch = 200

func bulkUserImport(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	p, err := sessionPath(in, true)
	if err != nil {
		return nil, err
	}
	op := strings.ToLower(text(in, "importOperation"))
	if op == "" {
		op = "upsert"
	}
	if op != "upsert" && op != "delete" {
		return nil, engine.InputErrorf("importOperation", "must be upsert or delete, not %q", op)
	}
	users, _ := in.Values["Users"].([]any)
	var profiles []any
	for i, u := range users {
		ext := strings.TrimSpace(engine.ToText(get(u, "externalId")))
		if ext == "" {
			return nil, engine.InputErrorf("Users", "user %d has no externalId", i)
		}
		rec := map[string]any{"externalId": ext}
		if op == "upsert" {
			prof, _ := get(u, "profile").(map[string]any)
			if prof == nil {
				return nil, engine.InputErrorf("Users", "user %d (%s) has no profile", i, ext)
			}
			clean := map[string]any{}
			for k, v := range prof {
				if v != nil && v != "" {
					clean[k] = v
				}
			}
			rec["profile"] = clean
		}
		profiles = append(profiles, rec)
	}
	for start := 0; start < len(profiles); start += bulkBatch {
		end := min(start+bulkBatch, len(profiles))
		body := map[string]any{"entityType": "USERS", "profiles": profiles[start:end]}
		if _, _, err := do(ctx, in, http.MethodPost, p+"/bulk-"+op, nil, body); err != nil {
			return nil, err
		}
	}
	return engine.Outputs{"recordsImported": float64(len(profiles))}, nil
}

func mapProfileSourceAttributes(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	key := text(in, "externalIdKey")
	if key == "" {
		key = "id"
	}
	del := strings.EqualFold(text(in, "importOperation"), "DELETE")
	users, _ := in.Values["users"].([]any)
	list := make([]any, 0, len(users))
	for i, u := range users {
		src, ok := u.(map[string]any)
		if !ok {
			return nil, engine.InputErrorf("users", "user %d is not an object", i)
		}
		ext := engine.ToText(get(src, strings.Split(key, ".")...))
		if ext == "" {
			return nil, engine.InputErrorf("externalIdKey", "user %d has no %q attribute", i, key)
		}
		rec := map[string]any{"externalId": ext}
		if !del {
			attrs := src
			if p, ok := src["profile"].(map[string]any); ok {
				attrs = p
			}
			prof := map[string]any{}
			for k, v := range attrs {
				if k != key {
					prof[k] = v
				}
			}
			if prof["userName"] == nil {
				for _, k := range []string{"login", "email"} {
					if v := prof[k]; v != nil && v != "" {
						prof["userName"] = v
						break
					}
				}
			}
			delete(prof, "login")
			rec["profile"] = prof
		}
		list = append(list, rec)
	}
	return engine.Outputs{"Users": list}, nil
}
