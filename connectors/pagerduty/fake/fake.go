// Package fake is a local PagerDuty account speaking the two APIs the
// PagerDuty connector uses: the Events API v1 (POST
// /generic/2010-04-15/create_event.json with a service's integration key)
// that Okta's Create Incident card sends, and the REST API v2 (Authorization:
// Token token=KEY, Accept: application/vnd.pagerduty+json;version=2) for the
// connection test (/abilities, /users/me) and the Custom API Action
// (/incidents, /services).
//
// PagerDuty/api-schema publishes both descriptions but carries no licence,
// so they are not copied into this repository: the fake follows their
// request and response shapes, and ../testdata/pagerduty-api.json is a
// hand-written OpenAPI description of the few operations used (field names,
// enums, required fields as published) that the tests validate against.
// Errors are {"error":{"message","code","errors":[…]}} on the REST API and
// {"status":"invalid event","message","errors":[…]} on the Events API.
package fake

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/flowbench/flowbench/connectors/fakeapi"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Defaults of the seeded account.
const (
	DefaultAPIKey     = "u+flowbenchSandboxKey00"
	DefaultServiceKey = "e93facc04764012d7bfb002500d5d1a6"
)

// Config configures the account; the zero value is usable.
type Config struct {
	APIKey     string
	ServiceKey string // integration key of the "Okta Security" service
}

// Incident is an incident the account holds.
type Incident struct {
	Key, Status, Description, Client, ClientURL string
	Number                                      int
	Created                                     time.Time
}

// Server is a fake PagerDuty account. Safe for concurrent use.
type Server struct {
	faults    *fakeapi.Faults
	once      sync.Once
	handler   http.Handler
	cfg       Config
	mu        sync.Mutex
	revoked   bool
	incidents map[string]*Incident
}

// New returns a seeded account.
func New(cfg Config) *Server {
	if cfg.APIKey == "" {
		cfg.APIKey = DefaultAPIKey
	}
	if cfg.ServiceKey == "" {
		cfg.ServiceKey = DefaultServiceKey
	}
	return &Server{cfg: cfg, incidents: map[string]*Incident{}}
}

// Incidents returns the incidents by key.
func (s *Server) Incidents() []Incident {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Incident
	for _, i := range s.incidents {
		out = append(out, *i)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Number < out[b].Number })
	return out
}

// Revoke disables the REST API key.
func (s *Server) Revoke() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked = true
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.URL.Path == "/generic/2010-04-15/create_event.json" {
		if r.Method != http.MethodPost {
			restError(w, 405, 2000, "Method Not Allowed")
			return
		}
		s.event(w, r)
		return
	}
	key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Token token=")
	if !ok || key != s.cfg.APIKey || s.revoked {
		restError(w, 401, 2006, "Invalid Credentials")
		return
	}
	switch {
	case r.URL.Path == "/abilities" && r.Method == http.MethodGet:
		writeJSON(w, 200, map[string]any{"abilities": []any{"teams", "read_only_users", "incident_workflows", "event_rules"}})
	case r.URL.Path == "/users/me" && r.Method == http.MethodGet:
		// an account (general access) key has no user
		restError(w, 400, 2100, "Because this request was made using an account-level access token, we were unable to determine the user.")
	case r.URL.Path == "/services" && r.Method == http.MethodGet:
		writeJSON(w, 200, map[string]any{"services": []any{map[string]any{"id": "PSEC001", "type": "service", "summary": "Okta Security",
			"name": "Okta Security", "status": "active", "self": "https://api.pagerduty.com/services/PSEC001"}},
			"limit": 25, "offset": 0, "more": false, "total": nil})
	case r.URL.Path == "/incidents" && r.Method == http.MethodGet:
		list := []any{}
		for _, i := range s.incidents {
			list = append(list, incidentJSON(i))
		}
		sort.Slice(list, func(a, b int) bool {
			return list[a].(map[string]any)["incident_number"].(int) < list[b].(map[string]any)["incident_number"].(int)
		})
		writeJSON(w, 200, map[string]any{"incidents": list, "limit": 25, "offset": 0, "more": false, "total": nil})
	default:
		restError(w, 404, 2100, "Not Found")
	}
}

func incidentJSON(i *Incident) map[string]any {
	return map[string]any{"id": fmt.Sprintf("Q%07d", i.Number), "type": "incident", "incident_number": i.Number, "title": i.Description,
		"status": i.Status, "incident_key": i.Key, "created_at": i.Created.Format(time.RFC3339), "urgency": "high",
		"service": map[string]any{"id": "PSEC001", "type": "service_reference", "summary": "Okta Security"}}
}

func (s *Server) event(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		eventError(w, "Event object is invalid", "Invalid JSON")
		return
	}
	str := func(k string) string { v, _ := body[k].(string); return v }
	if str("service_key") == "" {
		eventError(w, "Event object is invalid", "'service_key' is missing or blank")
		return
	}
	if str("service_key") != s.cfg.ServiceKey {
		eventError(w, "Event object is invalid", "'service_key' is invalid")
		return
	}
	typ := str("event_type")
	key := str("incident_key")
	switch typ {
	case "trigger":
		if str("description") == "" {
			eventError(w, "Event object is invalid", "'description' is missing or blank")
			return
		}
		if key == "" {
			h := sha256.Sum256([]byte(fmt.Sprintf("%d|%s", len(s.incidents)+1, str("description"))))
			key = hex.EncodeToString(h[:16])
		}
		if i := s.incidents[key]; i == nil || i.Status == "resolved" {
			s.incidents[key] = &Incident{Key: key, Status: "triggered", Description: str("description"), Client: str("client"),
				ClientURL: str("client_url"), Number: len(s.incidents) + 1, Created: time.Now().UTC()}
		}
	case "acknowledge", "resolve":
		if key == "" {
			eventError(w, "Event object is invalid", "'incident_key' is required for "+typ+" events")
			return
		}
		if i := s.incidents[key]; i != nil && i.Status != "resolved" {
			i.Status = map[string]string{"acknowledge": "acknowledged", "resolve": "resolved"}[typ]
		}
	default:
		eventError(w, "Event object is invalid", "'event_type' is invalid (must be trigger, acknowledge or resolve)")
		return
	}
	writeJSON(w, 200, map[string]any{"status": "success", "message": "Event processed", "incident_key": key})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func restError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"message": msg, "code": code, "errors": []any{msg}}})
}

func eventError(w http.ResponseWriter, msg, detail string) {
	writeJSON(w, 400, map[string]any{"status": "invalid event", "message": msg, "errors": []any{detail}})
}
