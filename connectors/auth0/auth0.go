// Package auth0 is the Auth0 connector, built on connectors/kit: the
// "auth0" connection kind (a machine-to-machine application's client
// credentials for the Management API v2), Okta's Auth0 cards under their
// corpus kinds (auth0_293ca73ef2a04fe48eaa3bb7876df2e6:searchUsers_…), a
// Custom API Action, and the local fake tenant (connectors/auth0/fake).
package auth0

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/flowbench/flowbench/connectors/auth0/fake"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

// NS is Okta's namespace of the Auth0 cards.
const NS = "auth0_293ca73ef2a04fe48eaa3bb7876df2e6"

// Scopes the cards use (granted to the application on the Management API).
var Scopes = []string{"read:users", "update:users", "delete:users"}

// Connector is Auth0's declaration.
var Connector = &kit.Connector{
	ID:      "auth0",
	Title:   "Auth0",
	DocBase: "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/auth0/actions/",
	Fields: []engine.FieldSpec{{Key: "domain", Label: "Auth0 domain", Type: engine.T("string"), Required: true,
		Description: "your-tenant.us.auth0.com (or a custom domain)"}},
	Auth:      []*kit.AuthMethod{m2m()},
	BaseURL:   "https://{domain}/api/v2",
	Errors:    Auth0Errors,
	RateLimit: kit.XRateLimit,
	Ladder: &kit.Ladder{
		Identity: kit.Call{Path: "/users", Query: url.Values{"per_page": {"1"}, "search_engine": {"v3"}, "include_totals": {"true"}}},
		Describe: func(r *kit.Result) (string, map[string]any) {
			n := engine.ToText(kit.Dig(r.Body, "total"))
			return "read access to the tenant's users (" + n + " users)", map[string]any{"users": kit.Dig(r.Body, "total")}
		},
		Fixes: map[string]string{
			"insufficient_scope": "Grant the application the read:users, update:users and delete:users permissions on the Auth0 Management API (Applications → APIs → Machine to Machine Applications).",
		},
	},
	CustomAPI: NS + ":customApiAction",
	Fake:      func() (kit.Fake, error) { return fake.New(fake.Config{}), nil },
}

func init() {
	Connector.Cards = cards()
	kit.Register(Connector)
}

// m2m is a machine-to-machine application's client credentials grant for
// the tenant's Management API (the audience https://{domain}/api/v2/).
func m2m() *kit.AuthMethod {
	m := kit.ClientCredentials("Machine-to-machine application (client credentials)", "https://{domain}/oauth/token")
	m.TokenParams = map[string]string{"audience": "https://{domain}/api/v2/"}
	return m
}

// Auth0Errors maps {"statusCode","error","message","errorCode"}.
func Auth0Errors(r *kit.Result) *engine.HTTPError {
	if r.Status < 400 {
		return nil
	}
	if m := r.Object(); m != nil {
		if msg, ok := m["message"].(string); ok {
			he := &engine.HTTPError{Status: r.Status, Code: engine.ToText(m["errorCode"]), Summary: msg}
			if r.Status == http.StatusUnauthorized {
				he.Summary += " (the access token was refused: check the application's client secret, or reconnect)"
			}
			return he
		}
	}
	return kit.StatusErrors(r)
}

var (
	in    = kit.Input
	param = kit.Param
)

func out(group, key, typ, label string) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: group, Type: engine.T(typ), Label: label}
}

func choice(key, label, def string, vals ...[2]string) engine.FieldSpec {
	f := engine.FieldSpec{Key: key, Group: "parameters", Type: engine.T("string"), Label: label, Default: def}
	for _, v := range vals {
		f.Choices = append(f.Choices, engine.Choice{Value: v[0], Label: v[1]})
	}
	return f
}

var userRecord = engine.Obj(map[string]*engine.Type{"user_id": engine.T("string"), "email": engine.T("string"),
	"name": engine.T("string"), "last_login": engine.T("string"), "identities": engine.T("object[]")})

var profileType = engine.Obj(map[string]*engine.Type{
	"Connection": engine.T("string"), "User ID": engine.T("string"), "Provider": engine.T("string"),
	"Profile Data": engine.Obj(map[string]*engine.Type{"Email": engine.T("string"), "Email Verified": engine.T("boolean"),
		"Name": engine.T("string"), "Username": engine.T("string"), "Given Name": engine.T("string"), "Phone Number": engine.T("string"),
		"Phone Verified": engine.T("boolean"), "Family Name": engine.T("string")}),
	"Is Social": engine.T("boolean"), "Access Token": engine.T("string"), "Access Token Secret": engine.T("string"),
	"Refresh Token": engine.T("string")})

const (
	keySearchBy  = "search_by_PYUQWV"
	keyResultSet = "result_set_OBTYKK"
	firstMatch   = "first_match"
	first100     = "first_100"
	stream       = "stream"
)

func cards() []*kit.Card {
	return []*kit.Card{
		{Okta: NS + ":searchUsers_BAejT5bvR1Y", ID: "auth0.searchUsers", Title: "Search Users", Doc: "searchusers.htm",
			Description: "Finds Auth0 users by email, or by user properties (Last Login on or before a date, a custom Lucene filter): the first match, the first 100, or each match streamed to a helper flow.",
			Inputs: []engine.FieldSpec{
				choice(keySearchBy, "Search By", "properties", [2]string{"properties", "User Properties"}, [2]string{"email", "Email"}),
				choice(keyResultSet, "Result Set", firstMatch, [2]string{firstMatch, "First Matching Record"},
					[2]string{first100, "First 100 Matching Records"}, [2]string{stream, "Stream Matching Records"}),
				in("User", "email", "string", false, "Email"), // also a property to match (Okta's export puts Last Login at index 4 of the properties)
				kit.ShownWhen(in("User", "last_login", "string", false, "Last Login"), keySearchBy, "properties"),
				kit.ShownWhen(in("User", "custom_filter", "string", false, "Custom Filter"), keySearchBy, "properties"),
				kit.ShownWhen(in("Streaming", "State", "any", false, "State"), keyResultSet, stream),
			},
			Outputs: []engine.FieldSpec{out("Result", "user_id", "string", "ID"), out("Result", "name", "string", "Name"),
				out("Result", "email", "string", "Email"), {Key: "Users", Group: "Result", Label: "Users", Type: engine.ListOf(userRecord)},
				out("Result", "Records Streamed", "number", "Records Streamed")},
			// inputs added to the Streaming section go to the helper flow with each record
			ExtensibleInputs: true, ExtensibleGroups: []string{"Streaming"},
			Run: searchUsers},
		{Okta: NS + ":readUser_yV4wY1c5VT", ID: "auth0.readUser", Title: "Read User", Doc: "readuser.htm",
			Description: "Reads an Auth0 user by ID (auth0|…, google-oauth2|…).",
			Inputs:      []engine.FieldSpec{in("User", "id_QLAWX1", "string", true, "ID")},
			Outputs: []engine.FieldSpec{out("User", "user_id", "string", "ID"), out("User", "last_login", "string", "Last Login"),
				out("User", "email", "string", "Email"), out("User", "name", "string", "Name"), out("User", "Raw Output", "object", "Raw Output")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				id, err := in.Required("id_QLAWX1")
				if err != nil {
					return nil, err
				}
				r, err := in.Do(ctx, &kit.Call{Path: "/users/" + url.PathEscape(id)})
				if err != nil {
					return nil, err
				}
				u := r.Object()
				return engine.Outputs{"user_id": u["user_id"], "last_login": u["last_login"], "email": u["email"], "name": u["name"], "Raw Output": u}, nil
			}},
		{Okta: NS + ":deleteUser_5OXBSvnvar", ID: "auth0.deleteUser", Title: "Delete User", Doc: "deleteuser.htm",
			Description: "Deletes an Auth0 user permanently.",
			Inputs:      []engine.FieldSpec{in("User", "id_082NUU", "string", true, "ID")},
			Outputs:     []engine.FieldSpec{out("Response", "status_code_PT4TDP", "number", "Status Code")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				id, err := in.Required("id_082NUU")
				if err != nil {
					return nil, err
				}
				r, err := in.Do(ctx, &kit.Call{Method: http.MethodDelete, Path: "/users/" + url.PathEscape(id)})
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"status_code_PT4TDP": float64(r.Status)}, nil
			}},
		{Okta: NS + ":linkAccount_S2dv0b7CR4v", ID: "auth0.linkAccount", Title: "Link Account", Doc: "linkaccount.htm",
			Description: "Links a secondary user account (e.g. a social login) to a primary user; the secondary account stops existing on its own. Merge Metadata copies its user_metadata and app_metadata first.",
			Inputs: []engine.FieldSpec{
				choice("merge_metadata_JGGPDT", "Merge Metadata", "false", [2]string{"true", "true"}, [2]string{"false", "false"}),
				in("Inputs", "Primary User ID", "string", true, "Primary User ID"),
				in("Inputs", "Secondary User ID", "string", true, "Secondary User ID"),
				in("Inputs", "Secondary User Provider", "string", false, "Secondary User Provider"),
			},
			Outputs: []engine.FieldSpec{{Key: "profiles_ZGIS9E", Group: "User", Label: "Profiles", Type: engine.ListOf(profileType)}},
			Run:     linkAccount},
	}
}

// lucene quotes a value for Auth0's user search.
func lucene(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func searchQuery(in *kit.In) (string, error) {
	var terms []string
	if e := in.Text("email"); e != "" {
		terms = append(terms, "email:"+lucene(e))
	}
	if l := in.Text("last_login"); l != "" {
		switch {
		case strings.HasPrefix(l, "[") || strings.HasPrefix(l, "{"):
			terms = append(terms, "last_login:"+l) // a Lucene range as typed
		default:
			d, err := engine.ParseDate(l)
			if err != nil {
				return "", kit.Errorf("last_login", "is neither a date nor a Lucene range ([from TO to]): %q", l)
			}
			// users whose last sign-in is on or before the date
			terms = append(terms, "last_login:[* TO "+lucene(d.UTC().Format("2006-01-02T15:04:05.000Z"))+"]")
		}
	}
	if f := in.Text("custom_filter"); f != "" {
		terms = append(terms, "("+f+")")
	}
	return strings.Join(terms, " AND "), nil
}

func searchUsers(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	set := in.Text(keyResultSet)
	if set == "" {
		set = firstMatch
	}
	if set != firstMatch && set != first100 && set != stream {
		return nil, kit.Errorf(keyResultSet, "%q is not a Result Set (first_match, first_100, stream)", set)
	}
	var first *kit.Call
	switch by := in.Text(keySearchBy); by {
	case "email":
		e, err := in.Required("email")
		if err != nil {
			return nil, err
		}
		first = &kit.Call{Path: "/users-by-email", Query: url.Values{"email": {e}}}
	case "", "properties":
		q, err := searchQuery(in)
		if err != nil {
			return nil, err
		}
		per := "100"
		if set == firstMatch {
			per = "1"
		}
		first = &kit.Call{Path: "/users", Query: url.Values{"search_engine": {"v3"}, "per_page": {per}, "page": {"0"}, "sort": {"created_at:1"}}}
		if q != "" {
			first.Query.Set("q", q)
		}
	default:
		return nil, kit.Errorf(keySearchBy, "%q is not a Search By choice (properties, email)", by)
	}
	var users []any
	var flow string
	if set == stream {
		flow = helperFlow(in)
		if flow == "" {
			return nil, kit.Errorf(keyResultSet, "streaming needs a helper flow: choose the flow that gets each record")
		}
	}
	state := streamState(in)
	streamed := 0
	var streamErr error
	// Auth0 pages with page/per_page (at most 1000 results per query)
	pages := kit.PaginatorFunc(func(prev *kit.Call, r *kit.Result) *kit.Call {
		list, _ := r.Body.([]any)
		if set != stream || prev.Path != "/users" || len(list) < 100 {
			return nil
		}
		n := *prev
		n.Query = url.Values{}
		for k, v := range prev.Query {
			n.Query[k] = v
		}
		var page int
		fmt.Sscan(prev.Query.Get("page"), &page)
		if (page+2)*100 > 1000 {
			return nil
		}
		n.Query.Set("page", fmt.Sprint(page+1))
		return &n
	})
	call := first
	for call != nil {
		r, err := in.Do(ctx, call)
		if err != nil {
			return nil, err
		}
		list, _ := r.Body.([]any)
		for _, u := range list {
			if set != stream {
				users = append(users, u)
				continue
			}
			args := map[string]any{"Record": u, "State": state, "context": map[string]any{"index": float64(streamed)}}
			if _, err := in.Run.CallFlow(ctx, flow, args); err != nil {
				streamErr = err
				break
			}
			streamed++
		}
		if streamErr != nil {
			return nil, streamErr
		}
		call = pages.Next(call, r)
	}
	o := engine.Outputs{"Records Streamed": float64(streamed), "Users": []any{}, "user_id": nil, "name": nil, "email": nil}
	if set == firstMatch && len(users) > 1 {
		users = users[:1]
	}
	if set == first100 && len(users) > 100 {
		users = users[:100]
	}
	if users != nil {
		o["Users"] = users
	}
	if len(users) > 0 {
		u, _ := users[0].(map[string]any)
		o["user_id"], o["name"], o["email"] = u["user_id"], u["name"], u["email"]
	}
	return o, nil
}

func helperFlow(in *kit.In) string {
	if in.Inputs.Card != nil && in.Inputs.Card.Flow != "" {
		return in.Inputs.Card.Flow
	}
	return ""
}

// streamState is the State handed to the helper with each record: the
// State input plus every input added to the Streaming section (Okta passes
// those as State's fields, e.g. expiration_date).
func streamState(in *kit.In) any {
	state := in.Values["State"]
	extra := map[string]any{}
	if in.Inputs.Card != nil {
		for _, f := range in.Inputs.Card.Inputs {
			if f.Group != "Streaming" || f.Key == "State" || f.Key == "Flow" {
				continue
			}
			if v, ok := in.Values[f.Key]; ok {
				extra[f.Key] = v
			}
		}
	}
	if len(extra) == 0 {
		return state
	}
	if m, ok := state.(map[string]any); ok {
		for k, v := range m {
			if _, set := extra[k]; !set {
				extra[k] = v
			}
		}
	}
	return extra
}

func linkAccount(ctx context.Context, in *kit.In) (engine.Outputs, error) {
	primary, err := in.Required("Primary User ID")
	if err != nil {
		return nil, err
	}
	secondary, err := in.Required("Secondary User ID")
	if err != nil {
		return nil, err
	}
	provider := in.Text("Secondary User Provider")
	uid := secondary
	if p, rest, ok := strings.Cut(secondary, "|"); ok {
		// a full Auth0 user id carries its provider
		if provider == "" {
			provider = p
		}
		if p == provider {
			uid = rest
		}
	}
	if provider == "" {
		return nil, kit.Errorf("Secondary User Provider", "is required when the Secondary User ID has no provider prefix (e.g. google-oauth2|…)")
	}
	if in.Bool("merge_metadata_JGGPDT", false) {
		// Auth0 drops the secondary account's metadata when linking: copy it first
		sr, err := in.Do(ctx, &kit.Call{Path: "/users/" + url.PathEscape(provider+"|"+uid)})
		if err != nil {
			return nil, err
		}
		pr, err := in.Do(ctx, &kit.Call{Path: "/users/" + url.PathEscape(primary)})
		if err != nil {
			return nil, err
		}
		patch := map[string]any{}
		for _, k := range []string{"user_metadata", "app_metadata"} {
			merged := map[string]any{}
			sm, _ := sr.Object()[k].(map[string]any)
			pm, _ := pr.Object()[k].(map[string]any)
			for kk, v := range sm {
				merged[kk] = v
			}
			for kk, v := range pm { // the primary's own values win
				merged[kk] = v
			}
			if len(merged) > len(pm) {
				patch[k] = merged
			}
		}
		if len(patch) > 0 {
			if _, err := in.Do(ctx, &kit.Call{Method: http.MethodPatch, Path: "/users/" + url.PathEscape(primary), JSON: patch}); err != nil {
				return nil, err
			}
		}
	}
	r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/users/" + url.PathEscape(primary) + "/identities",
		JSON: map[string]any{"provider": provider, "user_id": uid}})
	if err != nil {
		return nil, err
	}
	list, _ := r.Body.([]any)
	profiles := []any{}
	for _, x := range list {
		id, _ := x.(map[string]any)
		pd, _ := id["profileData"].(map[string]any)
		profiles = append(profiles, map[string]any{"Connection": id["connection"], "User ID": engine.ToText(id["user_id"]),
			"Provider": id["provider"], "Is Social": id["isSocial"], "Access Token": id["access_token"],
			"Access Token Secret": id["access_token_secret"], "Refresh Token": id["refresh_token"],
			"Profile Data": map[string]any{"Email": pd["email"], "Email Verified": pd["email_verified"], "Name": pd["name"],
				"Username": pd["username"], "Given Name": pd["given_name"], "Phone Number": pd["phone_number"],
				"Phone Verified": pd["phone_verified"], "Family Name": pd["family_name"]}})
	}
	return engine.Outputs{"profiles_ZGIS9E": profiles}, nil
}
