// Package fake is a local Opsgenie account speaking the parts of the
// Opsgenie REST API v2 that the Opsgenie connector uses: teams (create,
// read, add member), schedules (create, list) and schedule rotations
// (create, read, update), users and the account (the connection test).
// Requests and responses follow Opsgenie's published API description
// (opsgenie/opsgenie-oas, Swagger 2.0); the tests validate them against the
// trimmed copy in ../testdata. Authentication is "Authorization: GenieKey
// KEY"; errors are {"message","took","requestId"} (422 adds "errors"), and
// every answer carries X-Request-ID and the X-RateLimit-State header.
//
// The seeded account has the Okta sandbox's people as users (usernames are
// their emails) and an "IT Operations" team.
package fake

import (
	"encoding/json"
	"fmt"
	"github.com/flowbench/flowbench/connectors/fakeapi"
	"net/http"
	"strings"
	"sync"
	"time"
)

// DefaultAPIKey is the seeded account's API integration key.
const DefaultAPIKey = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"

// Config configures an account; the zero value is usable.
type Config struct {
	APIKey   string
	ReadOnly bool // the key lacks write access (a "Read" API integration)
}

type team struct {
	ID, Name, Description string
	Members               []map[string]any
}

type schedule struct {
	ID, Name, Timezone string
	Owner              map[string]any
	Rotations          []map[string]any
}

// Server is a fake Opsgenie account. Safe for concurrent use.
type Server struct {
	faults    *fakeapi.Faults
	once      sync.Once
	handler   http.Handler
	cfg       Config
	mu        sync.Mutex
	revoked   bool
	users     []map[string]any
	teams     []*team
	schedules []*schedule
	n         int
	reqs      int
}

// New returns a seeded account.
func New(cfg Config) *Server {
	if cfg.APIKey == "" {
		cfg.APIKey = DefaultAPIKey
	}
	s := &Server{cfg: cfg}
	for i, p := range []string{"Alice Nguyen", "Bob Martinez", "Carol Okafor", "David Kim", "Emma Schmidt"} {
		username := strings.ToLower(strings.ReplaceAll(p, " ", ".")) + "@example.com"
		s.users = append(s.users, map[string]any{"id": fmt.Sprintf("b5b92115-bfe7-43eb-8c2a-e467f2e5ddc%d", i), "username": username,
			"fullName": p, "role": map[string]any{"id": "User", "name": "User"}, "blocked": false, "verified": true,
			"timeZone": "America/New_York", "locale": "en_US", "createdAt": "2025-02-01T10:00:00.000Z"})
	}
	s.teams = append(s.teams, &team{ID: s.id(), Name: "IT Operations", Description: "On-call for IT",
		Members: []map[string]any{{"user": map[string]any{"id": s.users[3]["id"], "username": s.users[3]["username"]}, "role": "admin"}}})
	return s
}

func (s *Server) id() string {
	s.n++
	return fmt.Sprintf("%08x-5d2b-4b9d-9f3c-%012x", 0x90000000+s.n, s.n)
}

// Revoke disables the API key (as deleting the API integration does).
func (s *Server) Revoke() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked = true
}

// Rotation returns a schedule's rotation by name (nil when absent).
func (s *Server) Rotation(scheduleName, rotation string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sc := range s.schedules {
		if sc.Name == scheduleName {
			for _, r := range sc.Rotations {
				if r["name"] == rotation {
					return r
				}
			}
		}
	}
	return nil
}

// TeamMembers returns the usernames of a team's members.
func (s *Server) TeamMembers(name string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, t := range s.teams {
		if t.Name == name {
			for _, m := range t.Members {
				out = append(out, m["user"].(map[string]any)["username"].(string))
			}
		}
	}
	return out
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs++
	w.Header().Set("X-Request-ID", fmt.Sprintf("fbreq-%06d", s.reqs))
	w.Header().Set("X-RateLimit-State", "OK")
	key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "GenieKey ")
	if !ok || key != s.cfg.APIKey || s.revoked {
		s.fail(w, 401, "Could not authenticate")
		return
	}
	if s.cfg.ReadOnly && r.Method != http.MethodGet {
		s.fail(w, 403, "You are not authorized for this operation: API key does not have write access")
		return
	}
	seg := strings.Split(strings.TrimPrefix(r.URL.Path, "/v2/"), "/")
	q := r.URL.Query()
	switch {
	case r.URL.Path == "/v2/account" && r.Method == http.MethodGet:
		s.ok(w, 200, map[string]any{"data": map[string]any{"name": "flowbench-sandbox", "userCount": len(s.users),
			"plan": map[string]any{"maxUserCount": 100, "name": "Standard", "isYearly": true}}})
	case len(seg) == 2 && seg[0] == "users" && r.Method == http.MethodGet:
		if u := s.user(seg[1], ""); u != nil {
			s.ok(w, 200, map[string]any{"data": u})
			return
		}
		s.fail(w, 404, "No user exists with identifier ["+seg[1]+"]")
	case r.URL.Path == "/v2/teams" && r.Method == http.MethodPost:
		s.createTeam(w, r)
	case len(seg) == 2 && seg[0] == "teams" && r.Method == http.MethodGet:
		t := s.team(seg[1], q.Get("identifierType"))
		if t == nil {
			s.fail(w, 404, "No team exists with "+idWord(q.Get("identifierType"))+" ["+seg[1]+"]")
			return
		}
		s.ok(w, 200, map[string]any{"data": map[string]any{"id": t.ID, "name": t.Name, "description": t.Description, "members": t.Members}})
	case len(seg) == 3 && seg[0] == "teams" && seg[2] == "members" && r.Method == http.MethodPost:
		s.addMember(w, r, seg[1], q.Get("teamIdentifierType"))
	case r.URL.Path == "/v2/schedules" && r.Method == http.MethodPost:
		s.createSchedule(w, r)
	case r.URL.Path == "/v2/schedules" && r.Method == http.MethodGet:
		list := []any{}
		for _, sc := range s.schedules {
			list = append(list, s.scheduleJSON(sc))
		}
		s.ok(w, 200, map[string]any{"data": list, "expandable": []any{"rotation"}})
	case len(seg) == 3 && seg[0] == "schedules" && seg[2] == "rotations" && r.Method == http.MethodPost:
		s.createRotation(w, r, seg[1], q.Get("scheduleIdentifierType"))
	case len(seg) == 4 && seg[0] == "schedules" && seg[2] == "rotations":
		sc := s.schedule(seg[1], q.Get("scheduleIdentifierType"))
		if sc == nil {
			s.fail(w, 404, "No schedule exists with "+idWord(q.Get("scheduleIdentifierType"))+" ["+seg[1]+"]")
			return
		}
		var rot map[string]any
		for _, x := range sc.Rotations {
			if x["id"] == seg[3] {
				rot = x
			}
		}
		if rot == nil {
			s.fail(w, 404, "No rotation exists with id ["+seg[3]+"]")
			return
		}
		switch r.Method {
		case http.MethodGet:
			out := map[string]any{}
			for k, v := range rot {
				out[k] = v
			}
			out["_parent"] = map[string]any{"id": sc.ID, "name": sc.Name, "enabled": true}
			s.ok(w, 200, map[string]any{"data": out})
		case http.MethodPatch:
			s.updateRotation(w, r, rot)
		default:
			s.fail(w, 405, "Method not allowed")
		}
	default:
		s.fail(w, 404, "Requested resource does not exist")
	}
}

func idWord(t string) string {
	if t == "name" {
		return "name"
	}
	return "id"
}

func (s *Server) user(ident, typ string) map[string]any {
	for _, u := range s.users {
		if u["id"] == ident && typ != "username" || strings.EqualFold(fmt.Sprint(u["username"]), ident) && typ != "id" {
			return u
		}
	}
	return nil
}

func (s *Server) team(ident, typ string) *team {
	for _, t := range s.teams {
		if typ == "name" && t.Name == ident || typ != "name" && t.ID == ident {
			return t
		}
	}
	return nil
}

func (s *Server) schedule(ident, typ string) *schedule {
	for _, sc := range s.schedules {
		if typ == "name" && sc.Name == ident || typ != "name" && sc.ID == ident {
			return sc
		}
	}
	return nil
}

func decode(r *http.Request) (map[string]any, error) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("Invalid JSON: %v", err)
	}
	return body, nil
}

func (s *Server) createTeam(w http.ResponseWriter, r *http.Request) {
	body, err := decode(r)
	if err != nil {
		s.fail(w, 400, err.Error())
		return
	}
	name, _ := body["name"].(string)
	if name == "" {
		s.invalid(w, "name", "Name can not be empty")
		return
	}
	if s.team(name, "name") != nil {
		s.invalid(w, "name", "Team with name ["+name+"] already exists")
		return
	}
	desc, _ := body["description"].(string)
	t := &team{ID: s.id(), Name: name, Description: desc, Members: []map[string]any{}}
	s.teams = append(s.teams, t)
	s.ok(w, 201, map[string]any{"result": "Created team", "data": map[string]any{"id": t.ID, "name": t.Name}})
}

func (s *Server) addMember(w http.ResponseWriter, r *http.Request, ident, typ string) {
	t := s.team(ident, typ)
	if t == nil {
		s.fail(w, 404, "No team exists with "+idWord(typ)+" ["+ident+"]")
		return
	}
	body, err := decode(r)
	if err != nil {
		s.fail(w, 400, err.Error())
		return
	}
	um, _ := body["user"].(map[string]any)
	var u map[string]any
	if id, _ := um["id"].(string); id != "" {
		u = s.user(id, "id")
	} else if name, _ := um["username"].(string); name != "" {
		u = s.user(name, "username")
	} else {
		s.invalid(w, "user", "User should have id or username")
		return
	}
	if u == nil {
		s.invalid(w, "user", "User does not exist")
		return
	}
	role, _ := body["role"].(string)
	if role == "" {
		role = "user"
	}
	if role != "user" && role != "admin" {
		s.invalid(w, "role", "Role ["+role+"] is not a valid team role")
		return
	}
	for _, m := range t.Members {
		if m["user"].(map[string]any)["id"] == u["id"] {
			m["role"] = role
			s.ok(w, 200, map[string]any{"result": "Added", "data": map[string]any{"id": t.ID}})
			return
		}
	}
	t.Members = append(t.Members, map[string]any{"user": map[string]any{"id": u["id"], "username": u["username"]}, "role": role})
	s.ok(w, 200, map[string]any{"result": "Added", "data": map[string]any{"id": t.ID}})
}

func (s *Server) createSchedule(w http.ResponseWriter, r *http.Request) {
	body, err := decode(r)
	if err != nil {
		s.fail(w, 400, err.Error())
		return
	}
	name, _ := body["name"].(string)
	if name == "" {
		s.invalid(w, "name", "Name can not be empty")
		return
	}
	if s.schedule(name, "name") != nil {
		s.invalid(w, "name", "Schedule with name ["+name+"] already exists")
		return
	}
	sc := &schedule{ID: s.id(), Name: name, Timezone: "America/New_York"}
	if tz, _ := body["timezone"].(string); tz != "" {
		if _, err := time.LoadLocation(tz); err != nil {
			s.invalid(w, "timezone", "Timezone ["+tz+"] is not valid")
			return
		}
		sc.Timezone = tz
	}
	if ot, ok := body["ownerTeam"].(map[string]any); ok {
		var t *team
		if id, _ := ot["id"].(string); id != "" {
			t = s.team(id, "id")
		} else if n, _ := ot["name"].(string); n != "" {
			t = s.team(n, "name")
		}
		if t == nil {
			s.invalid(w, "ownerTeam", "Owner team does not exist")
			return
		}
		sc.Owner = map[string]any{"id": t.ID, "name": t.Name}
	}
	s.schedules = append(s.schedules, sc)
	s.ok(w, 201, map[string]any{"result": "Created", "data": map[string]any{"id": sc.ID, "name": sc.Name, "enabled": true}})
}

func (s *Server) scheduleJSON(sc *schedule) map[string]any {
	out := map[string]any{"id": sc.ID, "name": sc.Name, "description": "", "timezone": sc.Timezone, "enabled": true}
	if sc.Owner != nil {
		out["ownerTeam"] = sc.Owner
	}
	return out
}

// rotationFields checks and normalizes the fields of a create or update.
func (s *Server) rotationFields(body map[string]any, rot map[string]any, create bool) (string, string) {
	if v, ok := body["name"].(string); ok && v != "" {
		rot["name"] = v
	}
	if v, ok := body["type"]; ok || create {
		t, _ := v.(string)
		if t != "hourly" && t != "daily" && t != "weekly" {
			return "type", "Rotation type [" + t + "] is not valid: hourly, daily or weekly"
		}
		rot["type"] = t
	}
	if v, ok := body["startDate"]; ok || create {
		sd, _ := v.(string)
		d, err := time.Parse(time.RFC3339, sd)
		if err != nil {
			return "startDate", "Start date [" + sd + "] is not a date-time"
		}
		rot["startDate"] = d.UTC().Format("2006-01-02T15:04:05Z")
	}
	if v, ok := body["endDate"].(string); ok && v != "" {
		d, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return "endDate", "End date [" + v + "] is not a date-time"
		}
		rot["endDate"] = d.UTC().Format("2006-01-02T15:04:05Z")
	}
	if v, ok := body["length"].(float64); ok {
		if v < 1 {
			return "length", "Length must be positive"
		}
		rot["length"] = v
	} else if create {
		rot["length"] = 1.0
	}
	if v, ok := body["participants"]; ok || create {
		list, _ := v.([]any)
		if len(list) == 0 {
			return "participants", "Participants can not be empty"
		}
		var out []any
		for _, p := range list {
			pm, _ := p.(map[string]any)
			typ, _ := pm["type"].(string)
			switch typ {
			case "none":
				out = append(out, map[string]any{"type": "none"})
			case "user":
				var u map[string]any
				if id, _ := pm["id"].(string); id != "" {
					u = s.user(id, "id")
				} else if n, _ := pm["username"].(string); n != "" {
					u = s.user(n, "username")
				}
				if u == nil {
					return "participants", fmt.Sprintf("Participant %v does not exist", pm)
				}
				out = append(out, map[string]any{"type": "user", "id": u["id"], "username": u["username"]})
			case "team":
				var t *team
				if id, _ := pm["id"].(string); id != "" {
					t = s.team(id, "id")
				} else if n, _ := pm["name"].(string); n != "" {
					t = s.team(n, "name")
				}
				if t == nil {
					return "participants", fmt.Sprintf("Participant %v does not exist", pm)
				}
				out = append(out, map[string]any{"type": "team", "id": t.ID, "name": t.Name})
			case "escalation":
				return "participants", "No escalation exists with the given identifier"
			default:
				return "participants", "Participant type [" + typ + "] is not valid"
			}
		}
		rot["participants"] = out
	}
	if v, ok := body["timeRestriction"]; ok && v != nil {
		tr, _ := v.(map[string]any)
		if field, msg := checkRestriction(tr); msg != "" {
			return field, msg
		}
		rot["timeRestriction"] = tr
	}
	return "", ""
}

func checkRestriction(tr map[string]any) (string, string) {
	hm := func(m map[string]any) string {
		for _, k := range []string{"startHour", "endHour"} {
			if h, ok := m[k].(float64); !ok || h < 0 || h > 23 {
				return k + " must be between 0 and 23"
			}
		}
		for _, k := range []string{"startMin", "endMin"} {
			if v, ok := m[k]; ok {
				if n, _ := v.(float64); n != 0 && n != 30 {
					return k + " must be 0 or 30"
				}
			}
		}
		return ""
	}
	switch tr["type"] {
	case "time-of-day":
		m, _ := tr["restriction"].(map[string]any)
		if m == nil {
			return "timeRestriction", "restriction is required for time-of-day"
		}
		if msg := hm(m); msg != "" {
			return "timeRestriction", msg
		}
	case "weekday-and-time-of-day":
		list, _ := tr["restrictions"].([]any)
		if len(list) == 0 {
			return "timeRestriction", "restrictions are required for weekday-and-time-of-day"
		}
		days := map[string]bool{"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true}
		for _, x := range list {
			m, _ := x.(map[string]any)
			if !days[fmt.Sprint(m["startDay"])] || !days[fmt.Sprint(m["endDay"])] {
				return "timeRestriction", "startDay and endDay must be week days"
			}
			if msg := hm(m); msg != "" {
				return "timeRestriction", msg
			}
		}
	default:
		return "timeRestriction", fmt.Sprintf("Time restriction type [%v] is not valid", tr["type"])
	}
	return "", ""
}

func (s *Server) createRotation(w http.ResponseWriter, r *http.Request, ident, typ string) {
	sc := s.schedule(ident, typ)
	if sc == nil {
		s.fail(w, 404, "No schedule exists with "+idWord(typ)+" ["+ident+"]")
		return
	}
	body, err := decode(r)
	if err != nil {
		s.fail(w, 400, err.Error())
		return
	}
	rot := map[string]any{"id": s.id(), "name": fmt.Sprintf("Rot%d", len(sc.Rotations)+1)}
	if field, msg := s.rotationFields(body, rot, true); msg != "" {
		s.invalid(w, field, msg)
		return
	}
	sc.Rotations = append(sc.Rotations, rot)
	s.ok(w, 201, map[string]any{"result": "Created", "data": map[string]any{"id": rot["id"], "name": rot["name"]}})
}

func (s *Server) updateRotation(w http.ResponseWriter, r *http.Request, rot map[string]any) {
	body, err := decode(r)
	if err != nil {
		s.fail(w, 400, err.Error())
		return
	}
	next := map[string]any{}
	for k, v := range rot {
		next[k] = v
	}
	if field, msg := s.rotationFields(body, next, false); msg != "" {
		s.invalid(w, field, msg)
		return
	}
	for k, v := range next {
		rot[k] = v
	}
	s.ok(w, 200, map[string]any{"result": "Updated", "data": map[string]any{"id": rot["id"], "name": rot["name"]}})
}

func (s *Server) ok(w http.ResponseWriter, status int, body map[string]any) {
	body["took"] = 0.012
	body["requestId"] = w.Header().Get("X-Request-ID")
	writeJSON(w, status, body)
}

func (s *Server) fail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"message": msg, "took": 0.002, "requestId": w.Header().Get("X-Request-ID")})
}

func (s *Server) invalid(w http.ResponseWriter, field, msg string) {
	writeJSON(w, 422, map[string]any{"message": msg, "errors": map[string]any{field: msg}, "took": 0.002,
		"requestId": w.Header().Get("X-Request-ID")})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
