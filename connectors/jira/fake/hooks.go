package fake

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/flowbench/flowbench/connectors/fakeapi"
)

// Admin webhooks through Jira's webhooks REST API (/rest/webhooks/1.0/webhook,
// the documented shapes: name, url, events, filters
// {"issue-related-events-section": JQL}, excludeBody, secret; 201 with
// "self" ending in the webhook's id; DELETE …/webhook/{id} 204, 404 when
// absent). Of a filter only a leading "project = KEY" is read (the rest, and
// other JQL, match every issue). Deliveries are signed with the webhook's secret
// (X-Hub-Signature). Only the site admin may manage them (403 otherwise).

type adminHook struct {
	ID          int
	Name, URL   string
	Secret      string
	Events      []string
	JQL         string
	ExcludeBody bool
}

var projectJQL = regexp.MustCompile(`(?is)^\s*project\s*=\s*"?([A-Z][A-Z0-9_]*)"?\s*(AND\s.*)?$`)

func (h *adminHook) wants(event, project string) bool {
	if !slices.Contains(h.Events, event) {
		return false
	}
	if m := projectJQL.FindStringSubmatch(h.JQL); m != nil {
		return strings.EqualFold(m[1], project)
	}
	return true
}

// Webhooks lists the admin webhooks: id → URL (tests).
func (s *Server) Webhooks() map[int]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[int]string{}
	for _, h := range s.hooks {
		out[h.ID] = h.URL
	}
	return out
}

func (s *Server) hookJSON(r *http.Request, h *adminHook) map[string]any {
	return map[string]any{"self": base(r) + "/rest/webhooks/1.0/webhook/" + strconv.Itoa(h.ID), "name": h.Name, "url": h.URL,
		"events": h.Events, "filters": map[string]any{"issue-related-events-section": h.JQL}, "excludeBody": h.ExcludeBody, "enabled": true,
		"lastUpdatedUser": s.users[0].AccountID, "lastUpdatedDisplayName": s.users[0].Name, "lastUpdated": s.now().UnixMilli()}
}

func (s *Server) serveHooks(w http.ResponseWriter, r *http.Request, me *user) {
	if me != s.users[0] {
		jErr(w, http.StatusForbidden, "You do not have permission to manage webhooks (Jira administrators only).")
		return
	}
	rest := strings.Trim(strings.TrimPrefix(r.URL.Path, "/rest/webhooks/1.0/webhook"), "/")
	switch {
	case rest == "" && r.Method == http.MethodGet:
		out := []any{}
		for _, h := range s.hooks {
			out = append(out, s.hookJSON(r, h))
		}
		fakeapi.JSON(w, 200, out)
	case rest == "" && r.Method == http.MethodPost:
		var in struct {
			Name        string            `json:"name"`
			URL         string            `json:"url"`
			Events      []string          `json:"events"`
			Filters     map[string]string `json:"filters"`
			ExcludeBody bool              `json:"excludeBody"`
			Secret      string            `json:"secret"`
		}
		if err := fakeapi.Decode(r, &in); err != nil {
			jErr(w, 400, "Invalid JSON: "+err.Error())
			return
		}
		if in.Name == "" || !strings.HasPrefix(in.URL, "http://") && !strings.HasPrefix(in.URL, "https://") {
			jErr(w, 400, "", "name", "A webhook needs a name.", "url", "A webhook needs a valid http(s) URL.")
			return
		}
		for _, e := range in.Events {
			if !strings.HasPrefix(e, "jira:") && !strings.Contains(e, "_") {
				jErr(w, 400, "", "events", e+" is not a webhook event.")
				return
			}
		}
		s.hookSeq++
		h := &adminHook{ID: s.hookSeq, Name: in.Name, URL: in.URL, Secret: in.Secret, Events: in.Events,
			JQL: in.Filters["issue-related-events-section"], ExcludeBody: in.ExcludeBody}
		s.hooks = append(s.hooks, h)
		fakeapi.JSON(w, 201, s.hookJSON(r, h))
	case rest != "" && r.Method == http.MethodGet:
		id, _ := strconv.Atoi(rest)
		i := slices.IndexFunc(s.hooks, func(h *adminHook) bool { return h.ID == id })
		if i < 0 {
			jErr(w, 404, "Webhook "+rest+" does not exist.")
			return
		}
		fakeapi.JSON(w, 200, s.hookJSON(r, s.hooks[i]))
	case rest != "" && r.Method == http.MethodDelete:
		id, _ := strconv.Atoi(rest)
		i := slices.IndexFunc(s.hooks, func(h *adminHook) bool { return h.ID == id })
		if i < 0 {
			jErr(w, 404, "Webhook "+rest+" does not exist.")
			return
		}
		s.hooks = slices.Delete(s.hooks, i, i+1)
		w.WriteHeader(http.StatusNoContent)
	default:
		jErr(w, 405, "Method not allowed")
	}
}
