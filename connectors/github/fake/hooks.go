package fake

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/flowbench/flowbench/connectors/fakeapi"
)

// Organization webhooks (GitHub REST "orgs/webhooks"): POST
// /orgs/{org}/hooks (name "web", config.url, content_type, secret; events,
// active) answers 201 with the org-hook and sends a signed "ping" to the URL;
// GET lists them; DELETE /orgs/{org}/hooks/{hook_id} removes one (404 when
// it is not there). Only organization owners may manage them (others get
// 404, as GitHub answers). Events of the organization (organization.*,
// pull_request in its repositories) go to every active hook subscribed to
// the event (or "*"), signed with that hook's secret.

type orgHook struct {
	ID          int64
	URL, Secret string
	ContentType string
	Events      []string
	Active      bool
	Created     time.Time
}

// Hooks lists an organization's webhooks: id and URL (tests).
func (s *Server) Hooks(org string) map[int64]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[int64]string{}
	for _, h := range s.orgHooks[strings.ToLower(org)] {
		out[h.ID] = h.URL
	}
	return out
}

func (s *Server) hookJSON(r *http.Request, org string, h *orgHook) map[string]any {
	u := base(r) + "/orgs/" + org + "/hooks/" + strconv.FormatInt(h.ID, 10)
	cfg := map[string]any{"url": h.URL, "content_type": h.ContentType, "insecure_ssl": "0"}
	if h.Secret != "" {
		cfg["secret"] = "********" // GitHub never returns the secret
	}
	at := h.Created.UTC().Format(time.RFC3339)
	return map[string]any{"id": h.ID, "url": u, "ping_url": u + "/pings", "deliveries_url": u + "/deliveries", "name": "web", "type": "Organization",
		"events": h.Events, "active": h.Active, "config": cfg, "created_at": at, "updated_at": at}
}

func (s *Server) serveOrgHooks(w http.ResponseWriter, r *http.Request, me, org string, rest []string) {
	if !s.isAdmin(org, me) {
		s.errorf(w, 404, "Not Found")
		return
	}
	if s.orgHooks == nil {
		s.orgHooks = map[string][]*orgHook{}
	}
	switch {
	case len(rest) == 1 && r.Method == http.MethodGet:
		out := []any{}
		for _, h := range s.orgHooks[org] {
			out = append(out, s.hookJSON(r, org, h))
		}
		s.page(w, r, out)
	case len(rest) == 1 && r.Method == http.MethodPost:
		var in struct {
			Name   string   `json:"name"`
			Events []string `json:"events"`
			Active *bool    `json:"active"`
			Config struct {
				URL         string `json:"url"`
				ContentType string `json:"content_type"`
				Secret      string `json:"secret"`
			} `json:"config"`
		}
		if err := fakeapi.Decode(r, &in); err != nil {
			s.errorf(w, 400, "Problems parsing JSON")
			return
		}
		if in.Name != "web" {
			s.errorf(w, 422, "Validation Failed", map[string]any{"resource": "Hook", "code": "custom", "field": "name", "message": "Name must be web"})
			return
		}
		if !strings.HasPrefix(in.Config.URL, "http://") && !strings.HasPrefix(in.Config.URL, "https://") {
			s.errorf(w, 422, "Validation Failed", map[string]any{"resource": "Hook", "code": "custom", "message": "Config must contain URL for webhooks"})
			return
		}
		for _, h := range s.orgHooks[org] {
			if h.URL == in.Config.URL {
				s.errorf(w, 422, "Validation Failed", map[string]any{"resource": "Hook", "code": "custom", "message": "Hook already exists on this organization"})
				return
			}
		}
		h := &orgHook{ID: s.ids.Next(500000), URL: in.Config.URL, Secret: in.Config.Secret, ContentType: in.Config.ContentType,
			Events: in.Events, Active: in.Active == nil || *in.Active, Created: time.Now()}
		if h.ContentType == "" {
			h.ContentType = "form"
		}
		if len(h.Events) == 0 {
			h.Events = []string{"push"}
		}
		s.orgHooks[org] = append(s.orgHooks[org], h)
		out := s.hookJSON(r, org, h)
		w.Header().Set("Location", out["url"].(string))
		fakeapi.JSON(w, 201, out)
		// GitHub pings a new webhook
		s.send(h.URL, h.Secret, "ping", map[string]any{"zen": "Keep it logically awesome.", "hook_id": h.ID, "hook": out,
			"organization": s.orgSimple(r, org), "sender": s.simpleUser(r, s.users[me])})
	case len(rest) == 2 && r.Method == http.MethodGet:
		id, _ := strconv.ParseInt(rest[1], 10, 64)
		i := slices.IndexFunc(s.orgHooks[org], func(h *orgHook) bool { return h.ID == id })
		if i < 0 {
			s.errorf(w, 404, "Not Found")
			return
		}
		fakeapi.JSON(w, 200, s.hookJSON(r, org, s.orgHooks[org][i]))
	case len(rest) == 2 && r.Method == http.MethodDelete:
		id, _ := strconv.ParseInt(rest[1], 10, 64)
		hs := s.orgHooks[org]
		i := slices.IndexFunc(hs, func(h *orgHook) bool { return h.ID == id })
		if i < 0 {
			s.errorf(w, 404, "Not Found")
			return
		}
		s.orgHooks[org] = slices.Delete(hs, i, i+1)
		w.WriteHeader(http.StatusNoContent)
	default:
		s.errorf(w, 404, "Not Found")
	}
}

// hooksFor are the organization webhooks an event goes to (s.mu held).
func (s *Server) hooksFor(event string, payload map[string]any) []*orgHook {
	org := ""
	if o, ok := payload["organization"].(map[string]any); ok {
		org, _ = o["login"].(string)
	}
	if org == "" {
		if rp, ok := payload["repository"].(map[string]any); ok {
			if ow, ok := rp["owner"].(map[string]any); ok {
				org, _ = ow["login"].(string)
			}
		}
	}
	var out []*orgHook
	for _, h := range s.orgHooks[strings.ToLower(org)] {
		if h.Active && (slices.Contains(h.Events, event) || slices.Contains(h.Events, "*")) {
			out = append(out, h)
		}
	}
	return out
}
