package fake

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
)

// Slack's SCIM API (Business+ and Enterprise Grid): user lifecycle. Errors
// are {"Errors":{"description","code"}}. Only an admin token may call it.

func scimErr(w http.ResponseWriter, status int, desc string) {
	writeJSONType(w, status, map[string]any{"Errors": map[string]any{"description": desc, "code": status}}, "application/json")
}

func writeJSONType(w http.ResponseWriter, status int, v any, ct string) {
	w.Header().Set("Content-Type", ct+"; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) scimUser(u *User) map[string]any {
	return map[string]any{"schemas": []string{"urn:scim:schemas:core:1.0"}, "id": u.ID, "userName": u.Name, "active": !u.Deleted,
		"displayName": u.Name, "title": u.Title,
		"name":   map[string]any{"givenName": u.First, "familyName": u.Last},
		"emails": []any{map[string]any{"value": u.Email, "primary": true}},
		"meta":   map[string]any{"created": "2024-06-01T09:00:00-00:00", "location": "https://api.slack.com/scim/v1/Users/" + u.ID}}
}

var scimFilter = regexp.MustCompile(`^(?i)(email|userName)\s+eq\s+"([^"]*)"$`)

func (s *Server) serveSCIM(w http.ResponseWriter, r *http.Request) {
	tokText := strings.TrimSpace(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	s.mu.Lock()
	defer s.mu.Unlock()
	tk := s.tokens[tokText]
	switch {
	case tk == nil || tokText == "":
		scimErr(w, http.StatusUnauthorized, "invalid_authentication")
		return
	case tk.revoked:
		scimErr(w, http.StatusUnauthorized, "token_revoked")
		return
	case !contains(tk.scopes, "admin"):
		scimErr(w, http.StatusForbidden, "missing_scope: admin (SCIM needs a user token of an Org Owner or Admin)")
		return
	}
	id := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/scim/v1/Users"), "/")
	if id == "" {
		if r.Method != http.MethodGet {
			scimErr(w, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		var res []any
		f := strings.TrimSpace(r.URL.Query().Get("filter"))
		m := scimFilter.FindStringSubmatch(f)
		if f != "" && m == nil {
			scimErr(w, http.StatusBadRequest, "invalid_filter: "+f)
			return
		}
		for _, u := range s.users {
			if u.Bot {
				continue
			}
			if m != nil && !(strings.EqualFold(m[1], "email") && strings.EqualFold(u.Email, m[2]) || strings.EqualFold(m[1], "userName") && u.Name == m[2]) {
				continue
			}
			res = append(res, s.scimUser(u))
		}
		if res == nil {
			res = []any{}
		}
		writeJSONType(w, http.StatusOK, map[string]any{"schemas": []string{"urn:scim:schemas:core:1.0"}, "totalResults": len(res),
			"itemsPerPage": len(res), "startIndex": 1, "Resources": res}, "application/json")
		return
	}
	u := s.user(id)
	if u == nil || u.Bot {
		scimErr(w, http.StatusNotFound, "user_not_found")
		return
	}
	switch r.Method {
	case http.MethodGet:
		writeJSONType(w, http.StatusOK, s.scimUser(u), "application/json")
	case http.MethodDelete:
		if u.ID == tk.user {
			scimErr(w, http.StatusForbidden, "cannot_disable_primary_owner")
			return
		}
		u.Deleted = true
		for _, c := range s.channels {
			for i, m := range c.Members {
				if m == u.ID && !c.IM {
					c.Members = append(c.Members[:i], c.Members[i+1:]...)
					break
				}
			}
		}
		w.WriteHeader(http.StatusNoContent)
	case http.MethodPatch:
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			scimErr(w, http.StatusBadRequest, "invalid_json")
			return
		}
		if a, ok := body["active"].(bool); ok {
			u.Deleted = !a
		}
		writeJSONType(w, http.StatusOK, s.scimUser(u), "application/json")
	default:
		scimErr(w, http.StatusMethodNotAllowed, "method not allowed")
	}
}
