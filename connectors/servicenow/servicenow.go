// Package servicenow is the ServiceNow connector: the Custom API Action
// (Okta's "HTTP request" card, servicenow:hTTPRequest, the most used
// third-party card of the Okta Workflows templates), Create Incident,
// Update Task (task and catalog task, with the fields added to the card),
// and Table API records (create, read, update, search, delete) of any
// table. Cards carry the Okta kinds and export field keys of Okta's
// ServiceNow connector so imported flows map with no renaming.
//
// Auth: Basic (a ServiceNow user with the rest_api_explorer / itil roles)
// or OAuth 2.0 (an application registry entry: client credentials, or the
// authorization code flow). The base URL is the instance
// ("https://acme.service-now.com").
package servicenow

import (
	"context"
	"net/url"
	"sort"
	"strings"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/servicenow/fake"
	"github.com/flowbench/flowbench/engine"
)

// Connector is the ServiceNow connector declaration.
var Connector = &kit.Connector{
	ID:      "servicenow",
	Title:   "ServiceNow",
	DocBase: "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/servicenow/actions/",
	Fields: []engine.FieldSpec{{Key: "instance", Label: "Instance", Type: engine.T("string"), Required: true,
		Description: "the instance name (acme for https://acme.service-now.com)"}},
	BaseURL: "https://{instance}.service-now.com",
	Auth: []*kit.AuthMethod{
		kit.Basic("Basic (user and password)"),
		kit.ClientCredentials("OAuth 2.0 client credentials", "https://{instance}.service-now.com/oauth_token.do", "useraccount"),
		kit.OAuth2Code("OAuth 2.0 (authorization code)", "https://{instance}.service-now.com/oauth_auth.do", "https://{instance}.service-now.com/oauth_token.do", "useraccount"),
	},
	Errors: Errors,
	Ladder: &kit.Ladder{
		Identity: kit.Call{Path: "/api/now/table/sys_user", Query: url.Values{"sysparm_limit": {"1"}, "sysparm_fields": {"user_name"}}},
		Describe: func(r *kit.Result) (string, map[string]any) {
			return "the Table API answers (sys_user readable)", nil
		},
		Fixes: map[string]string{
			"User Not Authenticated": "ServiceNow refused the credentials: check the user name and password (or authorize again); the user needs the rest_api_explorer and itil roles.",
		},
	},
	CustomAPI: "servicenow:hTTPRequest",
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
	kit.Register(Connector)
}

// Errors maps {"error":{"message","detail"},"status":"failure"} to a card
// error (the message is ServiceNow's code).
func Errors(r *kit.Result) *engine.HTTPError {
	if r.Status < 400 {
		return nil
	}
	he := kit.StatusErrors(r)
	if e, ok := r.Object()["error"].(map[string]any); ok {
		he.Code = engine.ToText(e["message"])
		he.Summary = engine.ToText(e["message"])
		if d := engine.ToText(e["detail"]); d != "" {
			he.Summary += ": " + d
		}
	}
	return he
}

type fakeAdapter struct{ *fake.Server }

func (f *fakeAdapter) Connection(base string) *engine.Connection {
	return &engine.Connection{ID: kit.SandboxID("servicenow"), Kind: "servicenow", Name: "Sandbox ServiceNow instance",
		Config:  map[string]any{kit.CfgAuthMethod: kit.AuthBasic, "instance": "sandbox", kit.CfgBaseURL: base, kit.CfgUsername: fake.AdminUser},
		Secrets: map[string]string{kit.SecPassword: fake.AdminPassword}}
}

func (f *fakeAdapter) SetFaults(fs []kit.Fault) { f.Server.SetFaults(fs) }

func tablePath(table string) (string, error) {
	t := strings.TrimSpace(table)
	if t == "" {
		return "", kit.Errorf("table", "choose a table (e.g. incident, sc_task, sys_user)")
	}
	for _, c := range t {
		if !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return "", kit.Errorf("table", "%q is not a table name", t)
		}
	}
	return "/api/now/table/" + t, nil
}

func cards() []*kit.Card {
	tableParam := kit.Param("table", "Table", "incident")
	tableParam.Description = "the table's name (incident, sc_task, sys_user, cmdb_ci, a custom u_ table)"
	return []*kit.Card{
		{Okta: "servicenow:createIncident", Title: "Create Incident", Doc: "createincident.htm",
			Description: "Creates an incident (POST /api/now/table/incident) and returns its number and sys_id.",
			Inputs: []engine.FieldSpec{kit.Input("Incident", "Short description", "string", false, "Short description"), kit.Input("Incident", "Description", "string", false, "Description"),
				kit.Input("Incident", "Caller", "string", false, "Caller (sys_id or user name)"), kit.Input("Incident", "Urgency", "number", false, "Urgency (1-3)"),
				kit.Input("Incident", "Impact", "number", false, "Impact (1-3)"), kit.Input("Incident", "Category", "string", false, "Category"),
				kit.Input("Incident", "Assignment group", "string", false, "Assignment group (sys_id)")},
			Outputs: []engine.FieldSpec{kit.Output("Incident", "Incident Number", "string"), kit.Output("Incident", "System ID", "string")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				body := map[string]any{}
				for k, f := range map[string]string{"Short description": "short_description", "Description": "description", "Caller": "caller_id",
					"Urgency": "urgency", "Impact": "impact", "Category": "category", "Assignment group": "assignment_group"} {
					if v := in.Text(k); v != "" {
						body[f] = v
					}
				}
				if len(body) == 0 {
					return nil, kit.Errorf("Short description", "give at least a short description")
				}
				r, err := in.Do(ctx, &kit.Call{Method: "POST", Path: "/api/now/table/incident", Query: url.Values{"sysparm_fields": {"number,sys_id"}}, JSON: body})
				if err != nil {
					return nil, err
				}
				res, _ := r.Object()["result"].(map[string]any)
				return engine.Outputs{"Incident Number": res["number"], "System ID": res["sys_id"]}, nil
			}},
		{Okta: "servicenow:readRecord", Title: "Read Record", Doc: "readrecord.htm",
			Description: "Reads one record of a table by sys_id (GET /api/now/table/{table}/{sys_id}).",
			Inputs:      []engine.FieldSpec{tableParam, kit.Input("Record", "System ID", "string", true, "System ID"), kit.Input("Record", "Fields", "string", false, "Fields (comma-separated; empty: all)")},
			Outputs:     []engine.FieldSpec{kit.Output("Record", "Record", "object")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				p, err := tablePath(in.Text("table"))
				if err != nil {
					return nil, err
				}
				id, err := in.Required("System ID")
				if err != nil {
					return nil, err
				}
				q := url.Values{}
				if f := in.Text("Fields"); f != "" {
					q.Set("sysparm_fields", f)
				}
				r, err := in.Do(ctx, &kit.Call{Path: p + "/" + url.PathEscape(id), Query: q})
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"Record": r.Object()["result"]}, nil
			}},
		{Okta: "servicenow:searchRecords", Title: "Search Records", Doc: "searchrecords.htm",
			Description: "Lists the records of a table matching an encoded query (sysparm_query, e.g. active=true^priority=1), all pages up to Max Records.",
			Inputs: []engine.FieldSpec{tableParam, kit.Input("Query", "Encoded Query", "string", false, "Encoded Query"), kit.Input("Query", "Fields", "string", false, "Fields (comma-separated)"),
				kit.Input("Query", "Max Records", "number", false, "Max Records (default 1000)")},
			Outputs: []engine.FieldSpec{kit.Output("Result", "Records", "object[]"), kit.Output("Result", "Count", "number")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				p, err := tablePath(in.Text("table"))
				if err != nil {
					return nil, err
				}
				max := 1000
				if n, err := engine.ToNumber(in.Values["Max Records"]); err == nil && n > 0 {
					max = int(n)
				}
				q := url.Values{"sysparm_limit": {"100"}}
				if s := in.Text("Encoded Query"); s != "" {
					q.Set("sysparm_query", s)
				}
				if f := in.Text("Fields"); f != "" {
					q.Set("sysparm_fields", f)
				}
				var recs []any
				err = in.Client.Pages(ctx, &kit.Call{Path: p, Query: q, OnAttempt: in.Run.Attempt}, kit.LinkHeader, 100, []string{"result"}, func(items []any) bool {
					recs = append(recs, items...)
					return len(recs) < max
				})
				if err != nil {
					return nil, err
				}
				if len(recs) > max {
					recs = recs[:max]
				}
				if recs == nil {
					recs = []any{}
				}
				return engine.Outputs{"Records": recs, "Count": float64(len(recs))}, nil
			}},
		{Okta: "servicenow:deleteRecord", Title: "Delete Record", Doc: "deleterecord.htm",
			Description: "Deletes a record of a table by sys_id.",
			Inputs:      []engine.FieldSpec{tableParam, kit.Input("Record", "System ID", "string", true, "System ID")},
			Outputs:     []engine.FieldSpec{kit.Output("Response", "Status Code", "number")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				p, err := tablePath(in.Text("table"))
				if err != nil {
					return nil, err
				}
				id, err := in.Required("System ID")
				if err != nil {
					return nil, err
				}
				r, err := in.Do(ctx, &kit.Call{Method: "DELETE", Path: p + "/" + url.PathEscape(id)})
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"Status Code": float64(r.Status)}, nil
			}},
	}
}

// taskFields are the task fields Okta's Update Task card offers; any other
// field added to the card is sent too.
var taskFields = []struct{ key, typ string }{
	{"state", "number"}, {"work_notes", "string"}, {"comments", "string"}, {"work_notes_list", "string"}, {"comments_and_work_notes", "string"},
	{"short_description", "string"}, {"description", "string"}, {"assigned_to", "string"}, {"assignment_group", "string"},
	{"priority", "number"}, {"service_offering", "string"}, {"close_notes", "string"},
}

func extensibleCards() []*kit.Card {
	tableParam := kit.Param("table", "Table", "incident")
	up := []engine.FieldSpec{kit.Input("Task", "System ID", "string", true, "System ID"),
		kit.Param("task_type", "Task Type", "task", "task", "sc_task"), kit.Param("updateEmptyInputs", "Pass Empty Values?", "No", "Yes", "No")}
	up[1].Choices = []engine.Choice{{Value: "task", Label: "Task"}, {Value: "sc_task", Label: "Catalog Task"}}
	for _, f := range taskFields {
		up = append(up, kit.Input("Task", f.key, f.typ, false, f.key))
	}
	return []*kit.Card{
		{Okta: "servicenow:updateTask", Title: "Update Task", Doc: "updatetask.htm",
			Description: "Updates a task or catalog task (PATCH /api/now/table/{task|sc_task}/{sys_id}) with the task fields given; with Pass Empty Values? = Yes an empty field clears the task's value, with No it is left out.",
			Inputs:      up, Outputs: []engine.FieldSpec{kit.Output("Response", "Status Code", "number")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				id, err := in.Required("System ID")
				if err != nil {
					return nil, err
				}
				table := in.Text("task_type")
				if table == "" {
					table = "task"
				}
				if table != "task" && table != "sc_task" {
					return nil, kit.Errorf("task_type", "must be task or sc_task, not %q", table)
				}
				pass := in.Bool("updateEmptyInputs", false)
				body := map[string]any{}
				for _, k := range fieldKeys(in, "System ID", "task_type", "updateEmptyInputs") {
					v := in.Values[k]
					if engine.IsEmpty(v) {
						if !pass {
							continue
						}
						v = ""
					}
					body[k] = v
				}
				if len(body) == 0 {
					return nil, kit.Errorf("System ID", "give at least one task field to update")
				}
				r, err := in.Do(ctx, &kit.Call{Method: "PATCH", Path: "/api/now/table/" + table + "/" + url.PathEscape(id), JSON: body, Idempotent: true})
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"Status Code": float64(r.Status)}, nil
			}},
		{Okta: "servicenow:createRecord", Title: "Create Record", Doc: "createrecord.htm",
			Description: "Creates a record in a table with the fields added to the card (their keys are the column names).",
			Inputs:      []engine.FieldSpec{tableParam},
			Outputs:     []engine.FieldSpec{kit.Output("Record", "System ID", "string"), kit.Output("Record", "Number", "string"), kit.Output("Record", "Record", "object")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				p, err := tablePath(in.Text("table"))
				if err != nil {
					return nil, err
				}
				body := map[string]any{}
				for _, k := range fieldKeys(in, "table") {
					body[k] = in.Values[k]
				}
				r, err := in.Do(ctx, &kit.Call{Method: "POST", Path: p, JSON: body})
				if err != nil {
					return nil, err
				}
				res, _ := r.Object()["result"].(map[string]any)
				return engine.Outputs{"System ID": res["sys_id"], "Number": res["number"], "Record": res}, nil
			}},
		{Okta: "servicenow:updateRecord", Title: "Update Record", Doc: "updaterecord.htm",
			Description: "Updates the fields added to the card on a record of a table (PATCH).",
			Inputs:      []engine.FieldSpec{tableParam, kit.Input("Record", "System ID", "string", true, "System ID")},
			Outputs:     []engine.FieldSpec{kit.Output("Record", "Record", "object")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				p, err := tablePath(in.Text("table"))
				if err != nil {
					return nil, err
				}
				id, err := in.Required("System ID")
				if err != nil {
					return nil, err
				}
				body := map[string]any{}
				for _, k := range fieldKeys(in, "table", "System ID") {
					body[k] = in.Values[k]
				}
				if len(body) == 0 {
					return nil, kit.Errorf("System ID", "add the fields to update as inputs of the card")
				}
				r, err := in.Do(ctx, &kit.Call{Method: "PATCH", Path: p + "/" + url.PathEscape(id), JSON: body, Idempotent: true})
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"Record": r.Object()["result"]}, nil
			}},
	}
}

// fieldKeys are the card's field inputs (declared and added), sorted,
// without the named ones.
func fieldKeys(in *kit.In, skip ...string) []string {
	sk := map[string]bool{}
	for _, s := range skip {
		sk[s] = true
	}
	seen := map[string]bool{}
	var out []string
	if in.Inputs.Card != nil {
		for _, f := range in.Inputs.Card.Inputs {
			if !sk[f.Key] && f.Group != "parameters" && !seen[f.Key] {
				seen[f.Key] = true
				out = append(out, f.Key)
			}
		}
	}
	for k := range in.Values {
		if !sk[k] && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
