// Package opsgenie is the Opsgenie connector, built on connectors/kit: the
// "opsgenie" connection kind (an API integration's key, sent as
// "Authorization: GenieKey …"), Okta's Opsgenie cards under their corpus
// kinds (opsgenie:createTeam, opsgenie:createScheduleRotation, …), the two
// builder cards that shape participants and time restrictions, a Custom API
// Action, and the local fake account (connectors/opsgenie/fake).
package opsgenie

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/opsgenie/fake"
	"github.com/flowbench/flowbench/engine"
)

// NS is Okta's namespace of the Opsgenie cards.
const NS = "opsgenie"

// Connector is Opsgenie's declaration.
var Connector = &kit.Connector{
	ID:      "opsgenie",
	Title:   "Opsgenie",
	DocBase: "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/opsgenie/actions/",
	Fields: []engine.FieldSpec{{Key: "apiHost", Label: "API host", Type: engine.T("string"), Required: true, Default: "api.opsgenie.com",
		Choices:     []engine.Choice{{Value: "api.opsgenie.com", Label: "api.opsgenie.com (US)"}, {Value: "api.eu.opsgenie.com", Label: "api.eu.opsgenie.com (EU)"}},
		Description: "the EU instance has its own API host"}},
	Auth:    []*kit.AuthMethod{kit.APIToken("API key (GenieKey)", "API key", "Authorization", "GenieKey ")},
	BaseURL: "https://{apiHost}",
	Ladder: &kit.Ladder{
		Identity: kit.Call{Path: "/v2/account"},
		Describe: func(r *kit.Result) (string, map[string]any) {
			d, _ := r.Object()["data"].(map[string]any)
			plan, _ := d["plan"].(map[string]any)
			return fmt.Sprintf("account %v (%v plan, %v users)", d["name"], plan["name"], d["userCount"]),
				map[string]any{"account": d["name"], "plan": plan["name"]}
		},
	},
	CustomAPI: NS + ":customApiAction",
	Fake:      func() (kit.Fake, error) { return fake.New(fake.Config{}), nil },
}

func init() {
	Connector.Cards = cards()
	kit.Register(Connector)
	for _, s := range builders() {
		engine.Register(s)
	}
}

func out(group, key, typ, label string) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: group, Type: engine.T(typ), Label: label}
}

func in(group, key, typ string, req bool, label string) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: group, Type: engine.T(typ), Required: req, Label: label}
}

func choice(group, key, label string, def any, vals ...string) engine.FieldSpec {
	f := engine.FieldSpec{Key: key, Group: group, Type: engine.T("string"), Label: label, Default: def}
	for _, v := range vals {
		f.Choices = append(f.Choices, engine.Choice{Value: v, Label: v})
	}
	return f
}

var participantType = engine.Obj(map[string]*engine.Type{"type": engine.T("string"), "username": engine.T("string")})
var memberType = engine.Obj(map[string]*engine.Type{"User ID": engine.T("string"), "Username": engine.T("string"), "Role": engine.T("string")})

// ident turns an identifier-type choice ("Team Name", "Schedule ID") into
// the API's identifierType value (name, id).
func ident(in *kit.In, key, def string) (string, error) {
	v := in.Text(key)
	if v == "" {
		v = def
	}
	switch {
	case strings.HasSuffix(v, "Name"), strings.EqualFold(v, "name"), strings.EqualFold(v, "username"):
		return "name", nil
	case strings.HasSuffix(v, "ID"), strings.EqualFold(v, "id"):
		return "id", nil
	}
	return "", kit.Errorf(key, "%q is not an identifier type (ID or Name)", v)
}

func status(r *kit.Result) engine.Outputs {
	return engine.Outputs{"Status Code": float64(r.Status), "Result": r.Object()["result"]}
}

func cards() []*kit.Card {
	hours := make([]string, 24)
	for i := range hours {
		hours[i] = fmt.Sprint(i)
	}
	rotationIns := func(update bool) []engine.FieldSpec {
		fs := []engine.FieldSpec{choice("parameters", "scheduleIdentifierType", "Schedule Identifier", "Schedule Name", "Schedule ID", "Schedule Name")}
		if update {
			fs = append(fs, choice("parameters", "updateTimeRestriction", "Update Time Restriction?", "No", "No", "Time Only", "Day and Time"))
		} else {
			fs = append(fs, choice("parameters", "addTimeRestrictions", "Add Time Restrictions?", "No", "No", "Time Only", "Day and Time"))
		}
		fs = append(fs, in("Rotation", "scheduleIdentifier", "string", true, "Schedule Name"))
		if update {
			fs = append(fs, in("Rotation", "scheduleRotationID", "string", true, "Rotation ID"), in("Rotation", "name", "string", false, "Name"),
				in("Rotation", "startDate", "date", false, "Start Date"), in("Rotation", "endDate", "date", false, "End Date"),
				choice("Rotation", "type", "Type", nil, "hourly", "daily", "weekly"), in("Rotation", "length", "number", false, "Length"),
				engine.FieldSpec{Key: "participants", Group: "Rotation", Label: "Participants", Type: engine.ListOf(participantType)},
				in("Rotation", "timeRestriction", "any", false, "Time Restrictions"))
		} else {
			fs = append(fs, in("Rotation", "name", "string", true, "Name"), in("Rotation", "startDate", "date", true, "Start Date"),
				in("Rotation", "endDate", "date", false, "End Date"),
				choice("Rotation", "type", "Type", "weekly", "hourly", "daily", "weekly"), in("Rotation", "length", "number", false, "Length"),
				engine.FieldSpec{Key: "participants", Group: "Rotation", Label: "Participants", Type: engine.ListOf(participantType), Required: true},
				in("Rotation", "timeRestriction", "any", false, "Time Restrictions"))
		}
		return fs
	}
	return []*kit.Card{
		{Okta: NS + ":createTeam", Title: "Create Team", Doc: "createteam.htm", Description: "Creates an Opsgenie team.",
			Inputs:  []engine.FieldSpec{in("Team", "name", "string", true, "Name"), in("Team", "description", "string", false, "Description")},
			Outputs: []engine.FieldSpec{out("Team", "ID", "string", "ID"), out("Team", "Name", "string", "Name")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				name, err := in.Required("name")
				if err != nil {
					return nil, err
				}
				body := map[string]any{"name": name}
				if d := in.Text("description"); d != "" {
					body["description"] = d
				}
				r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/v2/teams", JSON: body})
				if err != nil {
					return nil, err
				}
				d, _ := r.Object()["data"].(map[string]any)
				return engine.Outputs{"ID": d["id"], "Name": d["name"]}, nil
			}},
		{Okta: NS + ":readTeam", Title: "Read Team", Doc: "readteam.htm", Description: "Reads a team and its members, by team ID or name.",
			Inputs: []engine.FieldSpec{choice("parameters", "identifierType", "Team Identifier", "Team Name", "Team ID", "Team Name"),
				in("Team", "identifier", "string", true, "Team Name")},
			Outputs: []engine.FieldSpec{out("Team", "Team ID", "string", "Team ID"), out("Team", "Name", "string", "Name"),
				out("Team", "Number of Members", "number", "Number of Members"),
				{Key: "Members", Group: "Team", Label: "Members", Type: engine.ListOf(memberType)}},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				id, err := in.Required("identifier")
				if err != nil {
					return nil, err
				}
				typ, err := ident(in, "identifierType", "Team Name")
				if err != nil {
					return nil, err
				}
				r, err := in.Do(ctx, &kit.Call{Path: "/v2/teams/" + url.PathEscape(id), Query: url.Values{"identifierType": {typ}}})
				if err != nil {
					return nil, err
				}
				d, _ := r.Object()["data"].(map[string]any)
				ms, _ := d["members"].([]any)
				members := []any{}
				for _, m := range ms {
					mm, _ := m.(map[string]any)
					u, _ := mm["user"].(map[string]any)
					members = append(members, map[string]any{"User ID": u["id"], "Username": u["username"], "Role": mm["role"]})
				}
				return engine.Outputs{"Team ID": d["id"], "Name": d["name"], "Number of Members": float64(len(members)), "Members": members}, nil
			}},
		{Okta: NS + ":addTeamMember", Title: "Add Team Member", Doc: "addteammember.htm", Description: "Adds a user to a team as user or admin.",
			Inputs: []engine.FieldSpec{choice("parameters", "teamIdentifierType", "Team Identifier", "Team Name", "Team ID", "Team Name"),
				choice("parameters", "userIdentifierType", "User Identifier", "Username", "User ID", "Username"),
				in("Info", "teamIdentifier", "string", true, "Team Name"), in("Info", "userIdentifier", "string", true, "Username"),
				choice("Info", "role", "User Role", "User", "User", "Admin")},
			Outputs: []engine.FieldSpec{out("Response", "Status Code", "number", "Status Code"), out("Response", "Result", "string", "Result")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				team, err := in.Required("teamIdentifier")
				if err != nil {
					return nil, err
				}
				user, err := in.Required("userIdentifier")
				if err != nil {
					return nil, err
				}
				tt, err := ident(in, "teamIdentifierType", "Team Name")
				if err != nil {
					return nil, err
				}
				ut, err := ident(in, "userIdentifierType", "Username")
				if err != nil {
					return nil, err
				}
				u := map[string]any{"id": user}
				if ut == "name" {
					u = map[string]any{"username": user}
				}
				role := strings.ToLower(in.Text("role"))
				if role == "" {
					role = "user"
				}
				r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/v2/teams/" + url.PathEscape(team) + "/members",
					Query: url.Values{"teamIdentifierType": {tt}}, JSON: map[string]any{"user": u, "role": role}})
				if err != nil {
					return nil, err
				}
				return status(r), nil
			}},
		{Okta: NS + ":createSchedule", Title: "Create Schedule", Doc: "createschedule.htm",
			Description: "Creates an on-call schedule, optionally owned by a team.",
			Inputs: []engine.FieldSpec{choice("parameters", "addOwnerTeam", "Add Owner Team?", "No", "No", "Team ID", "Team Name"),
				in("Schedule Info", "name", "string", true, "Name"), in("Schedule Info", "ownerTeam", "string", false, "Team Name"),
				in("Schedule Info", "timezone", "string", false, "Timezone"), in("Schedule Info", "description", "string", false, "Description")},
			Outputs: []engine.FieldSpec{out("Schedule", "Name", "string", "Name"), out("Schedule", "ID", "string", "ID")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				name, err := in.Required("name")
				if err != nil {
					return nil, err
				}
				body := map[string]any{"name": name, "enabled": true}
				for _, k := range []string{"timezone", "description"} {
					if v := in.Text(k); v != "" {
						body[k] = v
					}
				}
				switch owner := in.Text("addOwnerTeam"); owner {
				case "", "No":
				case "Team ID", "Team Name":
					t, err := in.Required("ownerTeam")
					if err != nil {
						return nil, err
					}
					if owner == "Team ID" {
						body["ownerTeam"] = map[string]any{"id": t}
					} else {
						body["ownerTeam"] = map[string]any{"name": t}
					}
				default:
					return nil, kit.Errorf("addOwnerTeam", "%q is not No, Team ID or Team Name", owner)
				}
				r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: "/v2/schedules", JSON: body})
				if err != nil {
					return nil, err
				}
				d, _ := r.Object()["data"].(map[string]any)
				return engine.Outputs{"Name": d["name"], "ID": d["id"]}, nil
			}},
		{Okta: NS + ":createScheduleRotation", Title: "Create Schedule Rotation", Doc: "createschedulerotation.htm",
			Description: "Adds a rotation to a schedule: participants taking turns hourly, daily or weekly from a start date, optionally only at certain times.",
			Inputs:      rotationIns(false),
			Outputs:     []engine.FieldSpec{out("Rotation", "ID", "string", "ID"), out("Rotation", "Name", "string", "Name")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				r, err := rotationCall(ctx, in, false)
				if err != nil {
					return nil, err
				}
				d, _ := r.Object()["data"].(map[string]any)
				return engine.Outputs{"ID": d["id"], "Name": d["name"]}, nil
			}},
		{Okta: NS + ":updateScheduleRotation", Title: "Update Schedule Rotation", Doc: "updateschedulerotation.htm",
			Description: "Changes a schedule rotation (only the fields given), e.g. its time restrictions.",
			Inputs:      rotationIns(true),
			Outputs:     []engine.FieldSpec{out("Response", "Status Code", "number", "Status Code"), out("Response", "Result", "string", "Result")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				r, err := rotationCall(ctx, in, true)
				if err != nil {
					return nil, err
				}
				return status(r), nil
			}},
		{Okta: NS + ":readScheduleRotation", Title: "Read Schedule Rotation", Doc: "readschedulerotation.htm",
			Description: "Reads a schedule rotation: dates, type, participants and time restrictions.",
			Inputs: []engine.FieldSpec{choice("parameters", "scheduleIdentifierType", "Schedule Identifier", "Schedule Name", "Schedule ID", "Schedule Name"),
				in("Rotation", "scheduleIdentifier", "string", true, "Schedule Name"), in("Rotation", "scheduleRotationID", "string", true, "Rotation ID")},
			Outputs: []engine.FieldSpec{out("Rotation", "ID", "string", "ID"), out("Rotation", "Name", "string", "Name"),
				out("Rotation", "Start Date", "date", "Start Date"), out("Rotation", "End Date", "date", "End Date"),
				out("Rotation", "Type", "string", "Type"), out("Rotation", "Length", "number", "Length"),
				out("Rotation", "Participants", "object[]", "Participants"), out("Rotation", "Time Restrictions", "object", "Time Restrictions")},
			Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
				path, q, err := rotationPath(in, true)
				if err != nil {
					return nil, err
				}
				r, err := in.Do(ctx, &kit.Call{Path: path, Query: q})
				if err != nil {
					return nil, err
				}
				d, _ := r.Object()["data"].(map[string]any)
				o := engine.Outputs{"ID": d["id"], "Name": d["name"], "Type": d["type"], "Length": d["length"],
					"Participants": d["participants"], "Time Restrictions": d["timeRestriction"]}
				for k, f := range map[string]string{"Start Date": "startDate", "End Date": "endDate"} {
					if s := engine.ToText(d[f]); s != "" {
						if v, err := engine.ToDate(s); err == nil {
							o[k] = v
						}
					}
				}
				if o["Participants"] == nil {
					o["Participants"] = []any{}
				}
				return o, nil
			}},
	}
}

func rotationPath(in *kit.In, withID bool) (string, url.Values, error) {
	sched, err := in.Required("scheduleIdentifier")
	if err != nil {
		return "", nil, err
	}
	typ, err := ident(in, "scheduleIdentifierType", "Schedule Name")
	if err != nil {
		return "", nil, err
	}
	path := "/v2/schedules/" + url.PathEscape(sched) + "/rotations"
	if withID {
		id, err := in.Required("scheduleRotationID")
		if err != nil {
			return "", nil, err
		}
		path += "/" + url.PathEscape(id)
	}
	return path, url.Values{"scheduleIdentifierType": {typ}}, nil
}

// rotationCall creates (POST) or updates (PATCH, only the fields given) a rotation.
func rotationCall(ctx context.Context, in *kit.In, update bool) (*kit.Result, error) {
	path, q, err := rotationPath(in, update)
	if err != nil {
		return nil, err
	}
	body := map[string]any{}
	if v := in.Text("name"); v != "" {
		body["name"] = v
	}
	for _, k := range []string{"startDate", "endDate"} {
		if v := in.Text(k); v != "" {
			t, err := engine.ParseDate(v)
			if err != nil {
				return nil, kit.Errorf(k, "is not a date: %q", v)
			}
			body[k] = t.UTC().Format("2006-01-02T15:04:05Z")
		}
	}
	if v := in.Text("type"); v != "" {
		if v != "hourly" && v != "daily" && v != "weekly" {
			return nil, kit.Errorf("type", "%q is not hourly, daily or weekly", v)
		}
		body["type"] = v
	}
	if v, ok := in.Values["length"]; ok && v != nil {
		n, err := engine.ToNumber(v)
		if err != nil || n < 1 || n != float64(int(n)) {
			return nil, kit.Errorf("length", "must be a whole number of hours, days or weeks (1 or more)")
		}
		body["length"] = n
	}
	if ps, ok := in.Values["participants"].([]any); ok && len(ps) > 0 {
		body["participants"] = ps
	}
	optKey := "addTimeRestrictions"
	if update {
		optKey = "updateTimeRestriction"
	}
	if mode := in.Text(optKey); mode != "" && mode != "No" {
		tr, err := restriction(mode, in.Values["timeRestriction"])
		if err != nil {
			return nil, kit.Errorf("timeRestriction", "%v", err)
		}
		body["timeRestriction"] = tr
	}
	if !update {
		if body["startDate"] == nil {
			return nil, kit.Errorf("startDate", "is required")
		}
		if body["participants"] == nil {
			return nil, kit.Errorf("participants", "is required: build each with Build Participant Object")
		}
		return in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: path, Query: q, JSON: body})
	}
	if len(body) == 0 {
		return nil, kit.Errorf("scheduleRotationID", "nothing to update: set a field or a time restriction")
	}
	return in.Do(ctx, &kit.Call{Method: http.MethodPatch, Path: path, Query: q, JSON: body})
}

// restriction builds Opsgenie's timeRestriction from what Build Time
// Restriction Object made: one restriction, a list of them, or a whole
// timeRestriction object.
func restriction(mode string, v any) (map[string]any, error) {
	var items []map[string]any
	var collect func(x any) error
	collect = func(x any) error {
		switch t := x.(type) {
		case nil:
		case []any:
			for _, e := range t {
				if err := collect(e); err != nil {
					return err
				}
			}
		case map[string]any:
			switch {
			case t["restriction"] != nil:
				return collect(t["restriction"])
			case t["restrictions"] != nil:
				return collect(t["restrictions"])
			case len(t) == 0:
			default:
				items = append(items, t)
			}
		default:
			return fmt.Errorf("must be a time restriction object (from Build Time Restriction Object) or a list of them")
		}
		return nil
	}
	if err := collect(v); err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("is empty: build it with Build Time Restriction Object")
	}
	switch mode {
	case "Time Only":
		if len(items) != 1 {
			return nil, fmt.Errorf("a Time Only restriction is one time range, got %d", len(items))
		}
		r := map[string]any{}
		for _, k := range []string{"startHour", "startMin", "endHour", "endMin"} {
			r[k] = items[0][k]
		}
		return map[string]any{"type": "time-of-day", "restriction": r}, nil
	case "Day and Time":
		var list []any
		for _, it := range items {
			if it["startDay"] == nil || it["endDay"] == nil {
				return nil, fmt.Errorf("a Day and Time restriction needs startDay and endDay")
			}
			list = append(list, it)
		}
		return map[string]any{"type": "weekday-and-time-of-day", "restrictions": list}, nil
	}
	return nil, fmt.Errorf("%q is not Time Only or Day and Time", mode)
}
