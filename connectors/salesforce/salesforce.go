// Package salesforce is the Salesforce connector: users (create, activate,
// deactivate, search), records of any object (create, search, update), SOQL
// queries with nextRecordsUrl paging, a Custom API Action, and a New Record
// polling trigger (SOQL on CreatedDate with a stored cursor). Cards carry
// the Okta kinds and export field keys of Okta's Salesforce connector
// (namespace "salesforce2_29") so imported flows map with no renaming.
//
// Auth: OAuth 2.0 authorization code with PKCE (a connected app, loopback
// redirect), client credentials (a connected app's run-as user), or a
// session access token. The base URL is the org's My Domain instance
// ("https://acme.my.salesforce.com") plus /services/data/v59.0.
package salesforce

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/salesforce/fake"
	"github.com/flowbench/flowbench/engine"
)

// APIVersion is the REST API version the cards call.
const APIVersion = "v59.0"

// NS is the Okta namespace of Salesforce cards in exports.
const NS = "salesforce2_29"

// Connector is the Salesforce connector declaration.
var Connector = &kit.Connector{
	ID:      "salesforce",
	Title:   "Salesforce",
	DocBase: "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/salesforce/actions/",
	Fields: []engine.FieldSpec{{Key: "instanceUrl", Label: "Instance URL", Type: engine.T("string"), Required: true,
		Description: "your org's My Domain address, e.g. https://acme.my.salesforce.com"}},
	BaseURL: "{instanceUrl}/services/data/" + APIVersion,
	Auth: []*kit.AuthMethod{
		kit.OAuth2Code("OAuth 2.0 (connected app)", "https://login.salesforce.com/services/oauth2/authorize", "https://login.salesforce.com/services/oauth2/token", "api", "refresh_token"),
		kit.ClientCredentials("Client credentials (connected app run-as user)", "{instanceUrl}/services/oauth2/token", "api"),
		kit.APIToken("Access token", "Access token", "Authorization", "Bearer "),
	},
	Errors: Errors,
	Ladder: &kit.Ladder{
		Identity: kit.Call{Path: "/limits"},
		Describe: func(r *kit.Result) (string, map[string]any) {
			d, _ := r.Object()["DailyApiRequests"].(map[string]any)
			return fmt.Sprintf("connected: %v of %v daily API requests left", d["Remaining"], d["Max"]), map[string]any{"dailyApiRemaining": d["Remaining"]}
		},
		Fixes: map[string]string{
			"INVALID_SESSION_ID":     "Salesforce refused the session (revoked, expired or for another org): authorize again or paste a new access token.",
			"REQUEST_LIMIT_EXCEEDED": "The org's daily API request limit is spent: wait for it to reset (24 h rolling) or raise it.",
			"API_DISABLED_FOR_ORG":   "The org's edition has no API access (or the user lacks the \"API Enabled\" permission).",
		},
	},
	CustomAPI: NS + ":customAPICall",
	Poll:      poll,
	Fake: func() (kit.Fake, error) {
		return &fakeAdapter{Server: fake.New(fake.Config{})}, nil
	},
}

func init() {
	ext := extensibleCards()
	for _, cd := range ext {
		cd.ExtensibleInputs = true
	}
	Connector.Cards = append(cards(), ext...)
	Connector.Events = events()
	kit.Register(Connector)
}

// Errors maps Salesforce's [{"message","errorCode","fields"}] to a card
// error with the errorCode as the vendor code.
func Errors(r *kit.Result) *engine.HTTPError {
	if r.Status < 400 {
		return nil
	}
	he := kit.StatusErrors(r)
	if l, ok := r.Body.([]any); ok && len(l) > 0 {
		if m, ok := l[0].(map[string]any); ok {
			he.Code = engine.ToText(m["errorCode"])
			he.Summary = engine.ToText(m["message"])
			if f, ok := m["fields"].([]any); ok && len(f) > 0 {
				he.Summary += fmt.Sprintf(" (fields: %s)", engine.ToText(f))
			}
		}
	} else if m := r.Object(); m != nil && m["error"] != nil {
		he.Code = engine.ToText(m["error"])
	}
	return he
}

type fakeAdapter struct{ *fake.Server }

func (f *fakeAdapter) Connection(base string) *engine.Connection {
	return &engine.Connection{ID: kit.SandboxID("salesforce"), Kind: "salesforce", Name: "Sandbox Salesforce org",
		Config: map[string]any{kit.CfgAuthMethod: kit.AuthClientCredentials, "instanceUrl": base, kit.CfgClientID: fake.DefaultClientID,
			kit.CfgTokenURL: base + "/services/oauth2/token"},
		Secrets: map[string]string{kit.SecClientSecret: fake.DefaultClientSecret}}
}

func (f *fakeAdapter) SetFaults(fs []kit.Fault) { f.Server.SetFaults(fs) }

// soqlText quotes a value as a SOQL string literal.
func soqlText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "'" + r.Replace(s) + "'"
}

// query runs SOQL and follows nextRecordsUrl to the end (at most max
// records; 0: all).
func query(ctx context.Context, in *kit.In, soql string, max int) ([]map[string]any, int, error) {
	var out []map[string]any
	total := 0
	call := &kit.Call{Path: "/query", Query: url.Values{"q": {soql}}}
	for page := 0; call != nil && page < 500; page++ {
		r, err := in.Do(ctx, call)
		if err != nil {
			return nil, 0, err
		}
		m := r.Object()
		if n, err := engine.ToNumber(m["totalSize"]); err == nil && page == 0 {
			total = int(n)
		}
		recs, _ := m["records"].([]any)
		for _, x := range recs {
			if rec, ok := x.(map[string]any); ok {
				delete(rec, "attributes")
				out = append(out, rec)
				if max > 0 && len(out) >= max {
					return out, total, nil
				}
			}
		}
		call = nil
		if next, _ := m["nextRecordsUrl"].(string); next != "" && m["done"] != true {
			// nextRecordsUrl is absolute from the host: /services/data/vNN/query/…
			if i := strings.Index(next, "/query/"); i >= 0 {
				call = &kit.Call{Path: next[i:]}
			}
		}
	}
	return out, total, nil
}

func objectParam(key, label string) engine.FieldSpec {
	f := kit.Param(key, label, nil)
	f.Description = "the object's API name (Contact, Account, Lead, Case, a custom Object__c)"
	return f
}

func objectOf(in *kit.In) (string, error) {
	o := in.Text("recordType")
	if o == "" {
		return "", kit.Errorf("recordType", "choose the record type (object API name, e.g. Contact)")
	}
	for _, c := range o {
		if !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return "", kit.Errorf("recordType", "%q is not an object API name", o)
		}
	}
	return o, nil
}

// addedFields are the card's user-added inputs (an object's fields), by key.
func addedFields(in *kit.In, fixed ...string) map[string]any {
	out := map[string]any{}
	skip := map[string]bool{"recordType": true}
	for _, k := range fixed {
		skip[k] = true
	}
	for k, v := range in.Values {
		if skip[k] || v == nil {
			continue
		}
		out[k] = v
	}
	return out
}

func fieldName(k string) error {
	for _, c := range k {
		if !(c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return kit.Errorf(k, "%q is not a Salesforce field API name", k)
		}
	}
	return nil
}

func cards() []*kit.Card {
	uid := kit.Input("User", "User ID", "string", true, "User ID")
	status := []engine.FieldSpec{kit.Output("Response", "Status Code", "number")}
	setActive := func(active bool) func(context.Context, *kit.In) (engine.Outputs, error) {
		return func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
			id, err := in.Required("User ID")
			if err != nil {
				return nil, err
			}
			r, err := in.Do(ctx, &kit.Call{Method: "PATCH", Path: "/sobjects/User/" + url.PathEscape(id), JSON: map[string]any{"IsActive": active}, Idempotent: true})
			if err != nil {
				return nil, err
			}
			return engine.Outputs{"Status Code": float64(r.Status)}, nil
		}
	}
	var userIn []engine.FieldSpec
	for _, k := range []string{"FirstName", "LastName", "Username", "Email", "Profile Name", "EmailEncodingKey", "LocaleSidKey", "LanguageLocaleKey", "TimeZoneSidKey"} {
		userIn = append(userIn, kit.Input("User", k, "string", true, k))
	}
	userIn = append(userIn, kit.Input("User", "Department", "string", false, "Department"), kit.Input("User", "Alias", "string", false, "Alias"),
		kit.Input("User", "FederationIdentifier", "string", false, "FederationIdentifier"), kit.Input("User", "Title", "string", false, "Title"))
	return []*kit.Card{
		{Okta: NS + ":createUser", Title: "Create User", Doc: "createuser.htm",
			Description: "Creates a Salesforce user with a profile chosen by name (its id is looked up), an alias made from the name when none is given.",
			Inputs:      userIn, Outputs: []engine.FieldSpec{kit.Output("User", "User ID", "string")}, Run: createUser},
		{Okta: NS + ":activateUser", Title: "Activate User", Doc: "activateuser.htm", Description: "Activates a user (IsActive = true).",
			Inputs: []engine.FieldSpec{uid}, Outputs: status, Run: setActive(true)},
		{Okta: NS + ":deactivateUser", Title: "Deactivate User", Doc: "deactivateuser.htm", Description: "Deactivates a user (IsActive = false); Salesforce users are never deleted.",
			Inputs: []engine.FieldSpec{uid}, Outputs: status, Run: setActive(false)},
		{Okta: NS + ":searchUsers", Title: "Search Users", Doc: "searchusers.htm",
			Description: "Finds a user by username or email; Is Frozen? comes from the user's UserLogin.",
			Inputs:      []engine.FieldSpec{kit.Input("Query", "keyword", "string", true, "Keyword"), kit.Param("searchBy", "Search By", "Username", "Username", "Email")},
			Outputs: []engine.FieldSpec{kit.Output("Result", "User ID", "string"), kit.Output("Result", "First Name", "string"), kit.Output("Result", "Last Name", "string"),
				kit.Output("Result", "Username", "string"), kit.Output("Result", "Email", "string"), kit.Output("Result", "Is Active?", "boolean"),
				kit.Output("Result", "Is Frozen?", "boolean")},
			Run: searchUsers},
		{Okta: NS + ":soqlQuery", Title: "Perform SOQL Query", Doc: "performsoqlquery.htm",
			Description: "Runs a SOQL query and returns every record (following nextRecordsUrl), without the attributes entries.",
			Inputs:      []engine.FieldSpec{kit.Input("Query", "SOQL Query", "string", true, "SOQL Query"), kit.Input("Query", "Max Records", "number", false, "Max Records")},
			Outputs:     []engine.FieldSpec{kit.Output("Result", "Records", "object[]"), kit.Output("Result", "Total Size", "number")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				q, err := in.Required("SOQL Query")
				if err != nil {
					return nil, err
				}
				max := 0
				if n, err := engine.ToNumber(in.Values["Max Records"]); err == nil && n > 0 {
					max = int(n)
				}
				recs, total, err := query(ctx, in, q, max)
				if err != nil {
					return nil, err
				}
				list := make([]any, len(recs))
				for i, r := range recs {
					list[i] = r
				}
				return engine.Outputs{"Records": list, "Total Size": float64(total)}, nil
			}},
	}
}

// extensibleCards take an object's fields as user-added inputs.
func extensibleCards() []*kit.Card {
	return []*kit.Card{
		{Okta: NS + ":createRecord", Title: "Create Record", Doc: "createrecord.htm",
			Description: "Creates a record of the chosen object with the fields added to the card (Record Fields: API names, e.g. LastName, Email).",
			Inputs:      []engine.FieldSpec{objectParam("recordType", "Record Type")},
			Outputs:     []engine.FieldSpec{kit.Output("New Record", "Record ID", "string")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				obj, err := objectOf(in)
				if err != nil {
					return nil, err
				}
				body := addedFields(in)
				for k := range body {
					if err := fieldName(k); err != nil {
						return nil, err
					}
				}
				if len(body) == 0 {
					return nil, kit.Errorf("recordType", "add the %s fields to set as inputs of the card (Record Fields)", obj)
				}
				r, err := in.Do(ctx, &kit.Call{Method: "POST", Path: "/sobjects/" + obj, JSON: body})
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"Record ID": r.Object()["id"]}, nil
			}},
		{Okta: NS + ":searchRecords", Title: "Search Records", Doc: "searchrecords.htm",
			Description: "Finds the records of the chosen object whose added fields (Fields group) equal the given values; empty values are not used.",
			Inputs:      []engine.FieldSpec{objectParam("recordType", "Record Type")},
			Outputs:     []engine.FieldSpec{kit.Output("Records", "Record IDs", "string[]"), kit.Output("Records", "Records", "object[]")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				obj, err := objectOf(in)
				if err != nil {
					return nil, err
				}
				fields := addedFields(in)
				keys := make([]string, 0, len(fields))
				for k := range fields {
					if engine.IsEmpty(fields[k]) {
						continue
					}
					if err := fieldName(k); err != nil {
						return nil, err
					}
					keys = append(keys, k)
				}
				sort.Strings(keys)
				sel := []string{"Id"}
				var where []string
				for _, k := range keys {
					sel = append(sel, k)
					switch v := fields[k].(type) {
					case bool, float64:
						where = append(where, k+" = "+engine.ToText(v))
					default:
						where = append(where, k+" = "+soqlText(engine.ToText(v)))
					}
				}
				q := "SELECT " + strings.Join(sel, ", ") + " FROM " + obj
				if len(where) > 0 {
					q += " WHERE " + strings.Join(where, " AND ")
				}
				q += " LIMIT 2000"
				recs, _, err := query(ctx, in, q, 2000)
				if err != nil {
					return nil, err
				}
				ids, list := []any{}, []any{}
				for _, r := range recs {
					ids = append(ids, r["Id"])
					list = append(list, r)
				}
				return engine.Outputs{"Record IDs": ids, "Records": list}, nil
			}},
		{Okta: NS + ":updateRecord", Title: "Update Record", Doc: "updaterecord.htm",
			Description: "Updates the added fields (Record Fields) of a record of the chosen object.",
			Inputs:      []engine.FieldSpec{objectParam("recordType", "Record Type"), kit.Input("Record", "Record ID", "string", true, "Record ID")},
			Outputs:     []engine.FieldSpec{kit.Output("Response", "Status Code", "number")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				obj, err := objectOf(in)
				if err != nil {
					return nil, err
				}
				id, err := in.Required("Record ID")
				if err != nil {
					return nil, err
				}
				body := addedFields(in, "Record ID")
				for k := range body {
					if err := fieldName(k); err != nil {
						return nil, err
					}
				}
				if len(body) == 0 {
					return nil, kit.Errorf("Record ID", "add the fields to update as inputs of the card (Record Fields)")
				}
				r, err := in.Do(ctx, &kit.Call{Method: "PATCH", Path: "/sobjects/" + obj + "/" + url.PathEscape(id), JSON: body, Idempotent: true})
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"Status Code": float64(r.Status)}, nil
			}},
	}
}

func createUser(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	body := map[string]any{}
	for _, k := range []string{"FirstName", "LastName", "Username", "Email", "EmailEncodingKey", "LocaleSidKey", "LanguageLocaleKey", "TimeZoneSidKey"} {
		v, err := in.Required(k)
		if err != nil {
			return nil, err
		}
		body[k] = v
	}
	for _, k := range []string{"Department", "FederationIdentifier", "Title"} {
		if v := in.Text(k); v != "" {
			body[k] = v
		}
	}
	prof, err := in.Required("Profile Name")
	if err != nil {
		return nil, err
	}
	recs, _, err := query(ctx, in, "SELECT Id FROM Profile WHERE Name = "+soqlText(prof)+" LIMIT 1", 1)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, kit.Errorf("Profile Name", "no profile named %q in the org", prof)
	}
	body["ProfileId"] = recs[0]["Id"]
	alias := in.Text("Alias")
	if alias == "" {
		alias = makeAlias(in.Text("FirstName"), in.Text("LastName"))
	}
	body["Alias"] = alias
	r, err := in.Do(ctx, &kit.Call{Method: "POST", Path: "/sobjects/User", JSON: body})
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"User ID": r.Object()["id"]}, nil
}

// makeAlias is Salesforce's default alias: the first letter of the first
// name and up to four of the last name (at most 8 characters).
func makeAlias(first, last string) string {
	a := []rune(strings.ToLower(first))
	if len(a) > 1 {
		a = a[:1]
	}
	l := []rune(strings.ToLower(strings.ReplaceAll(last, " ", "")))
	if len(l) > 4 {
		l = l[:4]
	}
	s := string(a) + string(l)
	if s == "" {
		s = "user"
	}
	return s
}

func searchUsers(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	kw, err := in.Required("keyword")
	if err != nil {
		return nil, err
	}
	field := "Username"
	if strings.EqualFold(in.Text("searchBy"), "Email") {
		field = "Email"
	}
	recs, _, err := query(ctx, in, "SELECT Id, FirstName, LastName, Username, Email, IsActive FROM User WHERE "+field+" = "+soqlText(kw)+" LIMIT 1", 1)
	if err != nil {
		return nil, err
	}
	out := engine.Outputs{"User ID": nil, "First Name": nil, "Last Name": nil, "Username": nil, "Email": nil, "Is Active?": nil, "Is Frozen?": nil}
	if len(recs) == 0 {
		return out, nil
	}
	u := recs[0]
	out["User ID"], out["First Name"], out["Last Name"], out["Username"], out["Email"], out["Is Active?"] = u["Id"], u["FirstName"], u["LastName"], u["Username"], u["Email"], u["IsActive"]
	logins, _, err := query(ctx, in, "SELECT Id, IsFrozen FROM UserLogin WHERE UserId = "+soqlText(engine.ToText(u["Id"]))+" LIMIT 1", 1)
	if err != nil {
		return nil, err
	}
	out["Is Frozen?"] = false
	if len(logins) > 0 {
		out["Is Frozen?"] = logins[0]["IsFrozen"] == true
	}
	return out, nil
}
