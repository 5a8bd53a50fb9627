// Package fake is a local 1Password Connect server: a net/http server
// speaking the 1Password Connect REST API (/v1/vaults, /v1/vaults/{id},
// /v1/vaults/{id}/items with filter, create, read and delete, /heartbeat),
// held by the tests to an OpenAPI description of those operations written
// from 1Password's Connect API reference (connectors/onepassword/testdata;
// 1Password's own spec.yaml carries no licence, so it is not copied).
//
// It is seeded with one shared vault per manager of the Okta sandbox (named
// by the manager's login, e.g. "david.kim@example.com") and an "IT
// Onboarding" vault. Auth is a Connect token (Bearer); a missing or wrong
// one answers 401 {"status":401,"message":"Invalid token signature"}. A
// field with "generate": true gets a generated value from its recipe, as
// Connect does. Faults are injected with fakeapi.Fault rules.
package fake

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/connectors/fakeapi"
)

// DefaultToken is the seeded Connect token.
const DefaultToken = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImZsb3diZW5jaCJ9.flowbench-sandbox-connect-token.c2lnbmF0dXJl"

// Config configures a fake. The zero value is usable.
type Config struct {
	Token  string // default DefaultToken
	Faults []fakeapi.Fault
}

type vault struct {
	ID, Name, Description string
	Created               time.Time
	Items                 []map[string]any
}

// Server is one fake Connect server.
type Server struct {
	mu     sync.Mutex
	cfg    Config
	faults *fakeapi.Faults
	h      http.Handler
	vaults []*vault
	seq    int
}

// Managers are the logins whose vaults are seeded (the sandbox's managers).
var Managers = []string{"david.kim@example.com", "julia.rossi@example.com", "william.chen@example.com", "quentin.dubois@example.com", "oliver.brown@example.com"}

// New builds a fake with its seed.
func New(cfg Config) *Server {
	if cfg.Token == "" {
		cfg.Token = DefaultToken
	}
	s := &Server{cfg: cfg}
	s.faults = fakeapi.NewFaults(func(w http.ResponseWriter, r *http.Request, status int) {
		fakeapi.JSON(w, status, map[string]any{"status": status, "message": http.StatusText(status)})
	})
	s.faults.Set(cfg.Faults)
	t0 := time.Date(2024, 1, 10, 8, 0, 0, 0, time.UTC)
	s.vaults = append(s.vaults, &vault{ID: s.id(), Name: "IT Onboarding", Description: "Shared with IT", Created: t0})
	for _, m := range Managers {
		s.vaults = append(s.vaults, &vault{ID: s.id(), Name: m, Description: "Onboarding credentials for the reports of " + m, Created: t0})
	}
	s.h = s.faults.Wrap(http.HandlerFunc(s.serve))
	return s
}

// SetFaults replaces the fault rules.
func (s *Server) SetFaults(f []fakeapi.Fault) { s.faults.Set(f) }

// Items returns copies of a vault's items (by vault name).
func (s *Server) Items(vaultName string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.vaults {
		if v.Name == vaultName {
			var out []map[string]any
			for _, it := range v.Items {
				b, _ := json.Marshal(it)
				var c map[string]any
				_ = json.Unmarshal(b, &c)
				out = append(out, c)
			}
			return out
		}
	}
	return nil
}

// id is a 26-character [0-9a-z] id, as 1Password's.
func (s *Server) id() string {
	s.seq++
	const al = "0123456789abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, 26)
	for i := range b {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(al))))
		b[i] = al[n.Int64()]
	}
	return string(b)
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.h.ServeHTTP(w, r) }

func errJSON(w http.ResponseWriter, status int, msg string) {
	fakeapi.JSON(w, status, map[string]any{"status": status, "message": msg})
}

var filterRe = regexp.MustCompile(`^\s*(name|title)\s+eq\s+"(.*)"\s*$`)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := strings.TrimPrefix(r.URL.Path, "/v1")
	if p == "/heartbeat" || r.URL.Path == "/heartbeat" {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("."))
		return
	}
	if fakeapi.Bearer(r) != s.cfg.Token {
		errJSON(w, 401, "Invalid token signature")
		return
	}
	if !strings.HasPrefix(r.URL.Path, "/v1/") {
		errJSON(w, 404, "not found")
		return
	}
	seg := strings.Split(strings.Trim(p, "/"), "/")
	if seg[0] != "vaults" {
		errJSON(w, 404, "not found")
		return
	}
	filter := r.URL.Query().Get("filter")
	var fname, fval string
	if filter != "" {
		m := filterRe.FindStringSubmatch(filter)
		if m == nil {
			errJSON(w, 400, "Invalid filter query: "+filter)
			return
		}
		fname, fval = m[1], m[2]
	}
	if len(seg) == 1 && r.Method == "GET" {
		out := []any{}
		for _, v := range s.vaults {
			if fname == "" || fname == "name" && v.Name == fval {
				out = append(out, s.vaultJSON(v))
			}
		}
		fakeapi.JSON(w, 200, out)
		return
	}
	var v *vault
	for _, x := range s.vaults {
		if x.ID == seg[1] {
			v = x
		}
	}
	if v == nil {
		errJSON(w, 404, "vault "+seg[1]+" not found")
		return
	}
	switch {
	case len(seg) == 2 && r.Method == "GET":
		fakeapi.JSON(w, 200, s.vaultJSON(v))
	case len(seg) == 3 && seg[2] == "items" && r.Method == "GET":
		out := []any{}
		for _, it := range v.Items {
			if fname == "" || fname == "title" && it["title"] == fval {
				summary := map[string]any{}
				for k, x := range it {
					if k != "fields" && k != "sections" && k != "files" {
						summary[k] = x
					}
				}
				out = append(out, summary)
			}
		}
		fakeapi.JSON(w, 200, out)
	case len(seg) == 3 && seg[2] == "items" && r.Method == "POST":
		s.create(w, r, v)
	case len(seg) == 4 && seg[2] == "items":
		idx := -1
		for i, it := range v.Items {
			if it["id"] == seg[3] {
				idx = i
			}
		}
		if idx < 0 {
			errJSON(w, 404, "item "+seg[3]+" not found")
			return
		}
		switch r.Method {
		case "GET":
			fakeapi.JSON(w, 200, v.Items[idx])
		case "DELETE":
			v.Items = append(v.Items[:idx:idx], v.Items[idx+1:]...)
			w.WriteHeader(http.StatusNoContent)
		default:
			errJSON(w, 405, "method not allowed")
		}
	default:
		errJSON(w, 404, "not found")
	}
}

func (s *Server) vaultJSON(v *vault) map[string]any {
	return map[string]any{"id": v.ID, "name": v.Name, "description": v.Description, "attributeVersion": 1, "contentVersion": len(v.Items) + 1,
		"items": len(v.Items), "type": "USER_CREATED", "createdAt": v.Created.Format(time.RFC3339), "updatedAt": v.Created.Format(time.RFC3339)}
}

var categories = map[string]bool{"LOGIN": true, "PASSWORD": true, "API_CREDENTIAL": true, "SERVER": true, "DATABASE": true, "SECURE_NOTE": true, "CUSTOM": true}

func (s *Server) create(w http.ResponseWriter, r *http.Request, v *vault) {
	var item map[string]any
	if err := fakeapi.Decode(r, &item); err != nil || item == nil {
		errJSON(w, 400, "Invalid request body or parameter")
		return
	}
	vm, _ := item["vault"].(map[string]any)
	if vm == nil || vm["id"] != v.ID {
		errJSON(w, 400, "Invalid Item UUID or vault UUID: the item's vault.id must be the vault of the URL")
		return
	}
	cat, _ := item["category"].(string)
	if !categories[cat] {
		errJSON(w, 400, fmt.Sprintf("Invalid item category: %q", cat))
		return
	}
	now := time.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
	item["id"], item["version"], item["createdAt"], item["updatedAt"], item["lastEditedBy"] = s.id(), 1, now, now, "flowbench-connect"
	if item["title"] == nil || item["title"] == "" {
		item["title"] = "Untitled " + strings.ToLower(cat)
	}
	fields, _ := item["fields"].([]any)
	for _, f := range fields {
		fm, ok := f.(map[string]any)
		if !ok {
			continue
		}
		if fm["type"] == nil {
			fm["type"] = "STRING"
		}
		if fm["generate"] == true {
			fm["value"] = generate(fm["recipe"])
			delete(fm, "generate")
		}
		if fm["purpose"] == "PASSWORD" || fm["type"] == "CONCEALED" {
			fm["entropy"] = float64(len(fmt.Sprint(fm["value"]))) * 5.9
		}
	}
	v.Items = append(v.Items, item)
	sort.SliceStable(v.Items, func(i, j int) bool { return fmt.Sprint(v.Items[i]["title"]) < fmt.Sprint(v.Items[j]["title"]) })
	fakeapi.JSON(w, 200, item)
}

func generate(recipe any) string {
	n, sets := 32, []any{"LETTERS", "DIGITS"}
	if m, ok := recipe.(map[string]any); ok {
		if l, ok := m["length"].(float64); ok && l >= 1 && l <= 64 {
			n = int(l)
		}
		if c, ok := m["characterSets"].([]any); ok && len(c) > 0 {
			sets = c
		}
	}
	al := ""
	for _, c := range sets {
		switch c {
		case "LETTERS":
			al += "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		case "DIGITS":
			al += "0123456789"
		case "SYMBOLS":
			al += "!@#$%^&*()-_=+"
		}
	}
	b := make([]byte, n)
	for i := range b {
		k, _ := rand.Int(rand.Reader, big.NewInt(int64(len(al))))
		b[i] = al[k.Int64()]
	}
	return string(b)
}
