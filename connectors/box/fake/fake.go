// Package fake is a local Box enterprise speaking the parts of the Box
// Platform API (api.box.com/2.0) that the Box connector uses: the client
// credentials grant (/oauth2/token), users (list with filter_term, create,
// update, delete, /users/me), transfer of a user's root folder
// (/users/{id}/folders/0), folders and collaborations. Requests and
// responses follow Box's published OpenAPI description (box/box-openapi);
// the tests validate them against the trimmed copy in ../testdata.
//
// Errors are Box's ClientError ({"type":"error","status","code","message",
// "request_id"}); 429s carry Retry-After.
//
// The seeded enterprise has the Okta sandbox's people as managed users, each
// with a folder of their own, and the service account that the client
// credentials grant signs in as.
package fake

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/flowbench/flowbench/connectors/fakeapi"
	"github.com/golang-jwt/jwt/v5"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of the seeded enterprise.
const (
	DefaultClientID     = "fbboxsandboxclientid00000000000001"
	DefaultClientSecret = "box-sandbox-client-secret"
	DefaultEnterpriseID = "1234567"
	// DeveloperToken is a developer token of the service account (Box's
	// Developer Console issues one for testing: valid 60 minutes there, for
	// the fake's lifetime here).
	DeveloperToken = "fbBoxDeveloperTokenSandbox0000001"
	AdminID        = "10000"
)

// Config configures an enterprise; the zero value is usable.
type Config struct {
	ClientID, ClientSecret, EnterpriseID string
	// JWTKey and JWTKeyID are the public key the app registered for JWT
	// server authentication (nil: the JWT grant is refused).
	JWTKey   *rsa.PublicKey
	JWTKeyID string
	TokenTTL time.Duration
}

type folder struct {
	ID, Name, Parent, Owner, Sync string
	Created                       time.Time
}

// Server is a fake Box enterprise. Safe for concurrent use.
type Server struct {
	faults  *fakeapi.Faults
	once    sync.Once
	handler http.Handler
	cfg     Config
	mu      sync.Mutex
	tokens  map[string]time.Time
	revoked map[string]bool
	users   map[string]map[string]any
	folders map[string]*folder
	collabs []map[string]any
	nextID  int
}

// New returns a seeded enterprise.
func New(cfg Config) *Server {
	if cfg.ClientID == "" {
		cfg.ClientID, cfg.ClientSecret = DefaultClientID, DefaultClientSecret
	}
	if cfg.EnterpriseID == "" {
		cfg.EnterpriseID = DefaultEnterpriseID
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = time.Hour
	}
	s := &Server{cfg: cfg, tokens: map[string]time.Time{}, revoked: map[string]bool{}, users: map[string]map[string]any{},
		folders: map[string]*folder{}, nextID: 20000}
	s.tokens[DeveloperToken] = time.Now().Add(100 * 365 * 24 * time.Hour)
	s.seed()
	return s
}

var people = []struct{ first, last, title string }{
	{"Alice", "Nguyen", "Software Engineer"}, {"Bob", "Martinez", "Account Executive"}, {"Carol", "Okafor", "Controller"},
	{"David", "Kim", "Engineering Manager"}, {"Emma", "Schmidt", "IT Administrator"},
}

var seedTime = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func (s *Server) seed() {
	s.users[AdminID] = s.newUser(AdminID, "Flowbench Service Account", "AutomationUser_1234567@boxdevedition.com", "admin", "")
	for i, p := range people {
		id := strconv.Itoa(10001 + i)
		s.users[id] = s.newUser(id, p.first+" "+p.last, strings.ToLower(p.first+"."+p.last)+"@example.com", "user", p.title)
		s.addFolder(p.first+"'s Projects", "0", id, "not_synced")
	}
}

func (s *Server) newUser(id, name, login, role, title string) map[string]any {
	at := seedTime.Format(time.RFC3339)
	return map[string]any{"type": "user", "id": id, "name": name, "login": login, "created_at": at, "modified_at": at,
		"language": "en", "timezone": "America/Los_Angeles", "space_amount": 10737418240, "space_used": 0, "max_upload_size": 5368709120,
		"status": "active", "job_title": title, "phone": "", "address": "", "avatar_url": "https://app.box.com/api/avatar/large/" + id,
		"role": role, "tracking_codes": []any{}, "can_see_managed_users": true, "is_sync_enabled": true, "is_external_collab_restricted": false,
		"is_exempt_from_device_limits": false, "is_exempt_from_login_verification": false, "is_platform_access_only": false,
		"is_password_reset_required": false, "enterprise": map[string]any{"type": "enterprise", "id": s.cfg.EnterpriseID, "name": "Flowbench Sandbox"},
		"my_tags": []any{}, "hostname": "https://flowbench.app.box.com/", "notification_email": map[string]any{"email": login, "is_confirmed": true},
		"external_app_user_id": ""}
}

func (s *Server) addFolder(name, parent, owner, sync string) *folder {
	s.nextID++
	f := &folder{ID: strconv.Itoa(s.nextID), Name: name, Parent: parent, Owner: owner, Sync: sync, Created: seedTime}
	s.folders[f.ID] = f
	return f
}

// Folders returns the folders a user owns, by name.
func (s *Server) Folders(owner string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, f := range s.folders {
		if f.Owner == owner {
			out = append(out, f.Name)
		}
	}
	sort.Strings(out)
	return out
}

// User returns a user by id (nil when absent).
func (s *Server) User(id string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users[id]
}

// RevokeAll revokes every issued token.
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.tokens {
		s.revoked[t] = true
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/oauth2/token" && r.Method == http.MethodPost {
		s.token(w, r)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/2.0/")
	if !ok {
		boxError(w, 404, "not_found", "Not Found")
		return
	}
	if !s.auth(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="Service", error="invalid_token", error_description="The access token provided is invalid."`)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	asUser := r.Header.Get("As-User")
	s.mu.Lock()
	defer s.mu.Unlock()
	if asUser != "" && s.users[asUser] == nil {
		boxError(w, 403, "forbidden", "As-User names no user of this enterprise")
		return
	}
	seg := strings.Split(rest, "/")
	switch {
	case rest == "users" && r.Method == http.MethodGet:
		s.listUsers(w, r)
	case rest == "users" && r.Method == http.MethodPost:
		s.createUser(w, r)
	case rest == "users/me" && r.Method == http.MethodGet:
		writeJSON(w, 200, s.users[AdminID])
	case len(seg) == 2 && seg[0] == "users" && r.Method == http.MethodGet:
		if u := s.users[seg[1]]; u != nil {
			writeJSON(w, 200, u)
			return
		}
		boxError(w, 404, "not_found", "Not Found")
	case len(seg) == 2 && seg[0] == "users" && r.Method == http.MethodPut:
		s.updateUser(w, r, seg[1])
	case len(seg) == 2 && seg[0] == "users" && r.Method == http.MethodDelete:
		s.deleteUser(w, r, seg[1])
	case len(seg) == 4 && seg[0] == "users" && seg[2] == "folders" && seg[3] == "0" && r.Method == http.MethodPut:
		s.transfer(w, r, seg[1])
	case rest == "folders" && r.Method == http.MethodPost:
		s.createFolder(w, r, asUser)
	case rest == "collaborations" && r.Method == http.MethodPost:
		s.collaborate(w, r)
	default:
		boxError(w, 404, "not_found", "Not Found")
	}
}

func codeFor(st int) string {
	switch st {
	case 400:
		return "bad_request"
	case 401:
		return "unauthorized"
	case 403:
		return "forbidden"
	case 404:
		return "not_found"
	case 409:
		return "conflict"
	case 429:
		return "too_many_requests"
	case 503:
		return "unavailable"
	}
	return "internal_server_error"
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	term := strings.ToLower(q.Get("filter_term"))
	limit, offset := 100, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			boxError(w, 400, "bad_request", "Invalid value for limit")
			return
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		offset, _ = strconv.Atoi(v)
	}
	var ids []string
	for id, u := range s.users {
		if term == "" || strings.HasPrefix(strings.ToLower(u["name"].(string)), term) || strings.HasPrefix(strings.ToLower(u["login"].(string)), term) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	entries := []any{}
	for i := offset; i < len(ids) && i < offset+limit; i++ {
		entries = append(entries, s.users[ids[i]])
	}
	writeJSON(w, 200, map[string]any{"total_count": len(ids), "limit": limit, "offset": offset, "entries": entries})
}

func decode(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		boxError(w, 400, "bad_request", "Could not parse JSON")
		return nil, false
	}
	return body, true
}

var userEditable = []string{"name", "role", "language", "is_sync_enabled", "job_title", "phone", "address", "space_amount",
	"can_see_managed_users", "timezone", "is_exempt_from_device_limits", "is_exempt_from_login_verification", "status",
	"is_external_collab_restricted", "tracking_codes", "external_app_user_id", "is_password_reset_required", "notification_email"}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	body, ok := decode(w, r)
	if !ok {
		return
	}
	name, _ := body["name"].(string)
	login, _ := body["login"].(string)
	if name == "" {
		boxError(w, 400, "bad_request", "Bad Request: 'name' is required")
		return
	}
	if login == "" {
		boxError(w, 400, "bad_request", "Bad Request: 'login' is required for managed users")
		return
	}
	for _, u := range s.users {
		if strings.EqualFold(u["login"].(string), login) {
			boxError(w, 409, "conflict", "User with the specified login already exists")
			return
		}
	}
	if role, _ := body["role"].(string); role != "" && role != "coadmin" && role != "user" {
		boxError(w, 400, "bad_request", "Bad Request: role must be coadmin or user")
		return
	}
	s.nextID++
	id := strconv.Itoa(s.nextID)
	u := s.newUser(id, name, login, "user", "")
	u["created_at"] = time.Now().UTC().Format(time.RFC3339)
	u["modified_at"] = u["created_at"]
	for _, k := range userEditable {
		if v, ok := body[k]; ok && v != nil {
			u[k] = v
		}
	}
	s.users[id] = u
	writeJSON(w, 201, u)
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, id string) {
	u := s.users[id]
	if u == nil {
		boxError(w, 404, "not_found", "Not Found")
		return
	}
	body, ok := decode(w, r)
	if !ok {
		return
	}
	if st, ok := body["status"].(string); ok {
		switch st {
		case "active", "inactive", "cannot_delete_edit", "cannot_delete_edit_upload":
		default:
			boxError(w, 400, "bad_request", "Bad Request: invalid status "+st)
			return
		}
	}
	for _, k := range append(userEditable, "login") {
		if v, ok := body[k]; ok && v != nil {
			u[k] = v
		}
	}
	u["modified_at"] = time.Now().UTC().Format(time.RFC3339)
	writeJSON(w, 200, u)
}

func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request, id string) {
	if s.users[id] == nil {
		boxError(w, 404, "not_found", "Not Found")
		return
	}
	if id == AdminID {
		boxError(w, 403, "forbidden", "The service account cannot be deleted")
		return
	}
	owns := false
	for _, f := range s.folders {
		owns = owns || f.Owner == id
	}
	if owns && r.URL.Query().Get("force") != "true" {
		boxError(w, 400, "bad_request", "The user owns content; transfer it first or delete with force=true")
		return
	}
	for fid, f := range s.folders {
		if f.Owner == id {
			delete(s.folders, fid)
		}
	}
	delete(s.users, id)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) transfer(w http.ResponseWriter, r *http.Request, from string) {
	src := s.users[from]
	if src == nil {
		boxError(w, 404, "not_found", "Not Found")
		return
	}
	body, ok := decode(w, r)
	if !ok {
		return
	}
	ob, _ := body["owned_by"].(map[string]any)
	to, _ := ob["id"].(string)
	if s.users[to] == nil {
		boxError(w, 400, "bad_request", "Bad Request: owned_by.id names no user")
		return
	}
	if to == from {
		boxError(w, 400, "bad_request", "Bad Request: cannot transfer to the same user")
		return
	}
	dest := s.addFolder(src["name"].(string)+"'s Files and Folders", "0", to, "not_synced")
	dest.Created = time.Now().UTC()
	for _, f := range s.folders {
		if f.Owner == from && f.Parent == "0" {
			f.Owner, f.Parent = to, dest.ID
		}
	}
	writeJSON(w, 200, s.folderJSON(dest))
}

func (s *Server) createFolder(w http.ResponseWriter, r *http.Request, asUser string) {
	body, ok := decode(w, r)
	if !ok {
		return
	}
	name, _ := body["name"].(string)
	parent, _ := body["parent"].(map[string]any)
	pid, _ := parent["id"].(string)
	if name == "" || strings.ContainsAny(name, `/\`) || strings.TrimSpace(name) != name {
		boxError(w, 400, "item_name_invalid", "Item name invalid")
		return
	}
	if pid == "" {
		boxError(w, 400, "bad_request", "Bad Request: parent.id is required")
		return
	}
	if pid != "0" && s.folders[pid] == nil {
		boxError(w, 404, "not_found", "Not Found")
		return
	}
	owner := AdminID
	if asUser != "" {
		owner = asUser
	}
	for _, f := range s.folders {
		if f.Parent == pid && f.Owner == owner && strings.EqualFold(f.Name, name) {
			boxError(w, 409, "conflict", "Item with the same name already exists")
			return
		}
	}
	sync, _ := body["sync_state"].(string)
	if sync == "" {
		sync = "not_synced"
	}
	f := s.addFolder(name, pid, owner, sync)
	f.Created = time.Now().UTC()
	writeJSON(w, 201, s.folderJSON(f))
}

func (s *Server) collaborate(w http.ResponseWriter, r *http.Request) {
	body, ok := decode(w, r)
	if !ok {
		return
	}
	item, _ := body["item"].(map[string]any)
	who, _ := body["accessible_by"].(map[string]any)
	role, _ := body["role"].(string)
	fid, _ := item["id"].(string)
	uid, _ := who["id"].(string)
	f := s.folders[fid]
	if f == nil || item["type"] != "folder" {
		boxError(w, 404, "not_found", "Not Found")
		return
	}
	if s.users[uid] == nil {
		boxError(w, 400, "bad_request", "Bad Request: accessible_by.id names no user")
		return
	}
	switch role {
	case "editor", "viewer", "previewer", "uploader", "previewer uploader", "viewer uploader", "co-owner":
	default:
		boxError(w, 400, "bad_request", "Bad Request: invalid role")
		return
	}
	s.nextID++
	c := map[string]any{"type": "collaboration", "id": strconv.Itoa(s.nextID), "role": role, "status": "accepted",
		"item":          map[string]any{"type": "folder", "id": f.ID, "name": f.Name, "etag": "0", "sequence_id": "0"},
		"accessible_by": map[string]any{"type": "user", "id": uid, "name": s.users[uid]["name"], "login": s.users[uid]["login"]},
		"created_by":    s.mini(AdminID), "created_at": time.Now().UTC().Format(time.RFC3339), "modified_at": time.Now().UTC().Format(time.RFC3339)}
	s.collabs = append(s.collabs, c)
	writeJSON(w, 201, c)
}

func (s *Server) mini(id string) map[string]any {
	u := s.users[id]
	if u == nil {
		return map[string]any{"type": "user", "id": id}
	}
	return map[string]any{"type": "user", "id": id, "name": u["name"], "login": u["login"]}
}

func (s *Server) folderJSON(f *folder) map[string]any {
	at := f.Created.Format(time.RFC3339)
	parent := map[string]any{"type": "folder", "id": "0", "name": "All Files"}
	if p := s.folders[f.Parent]; p != nil {
		parent = map[string]any{"type": "folder", "id": p.ID, "sequence_id": "0", "etag": "0", "name": p.Name}
	}
	return map[string]any{"type": "folder", "id": f.ID, "sequence_id": "0", "etag": "0", "name": f.Name,
		"created_at": at, "modified_at": at, "description": "", "size": 0,
		"path_collection": map[string]any{"total_count": 1, "entries": []any{parent}},
		"created_by":      s.mini(AdminID), "modified_by": s.mini(AdminID), "owned_by": s.mini(f.Owner), "parent": parent,
		"item_status": "active", "sync_state": f.Sync, "has_collaborations": false,
		"item_collection": map[string]any{"total_count": 0, "limit": 100, "offset": 0, "entries": []any{}, "order": []any{}}}
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, 400, "invalid_request", "Invalid form body")
		return
	}
	f := r.PostForm
	if f.Get("grant_type") == "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		if f.Get("client_id") != s.cfg.ClientID || f.Get("client_secret") != s.cfg.ClientSecret {
			oauthError(w, 400, "invalid_client", "The client credentials are invalid")
			return
		}
		if msg := s.checkAssertion(f.Get("assertion")); msg != "" {
			oauthError(w, 400, "invalid_grant", msg)
			return
		}
		s.issue(w)
		return
	}
	if f.Get("grant_type") != "client_credentials" {
		oauthError(w, 400, "unsupported_grant_type", "Grant type is unsupported")
		return
	}
	if f.Get("client_id") != s.cfg.ClientID || f.Get("client_secret") != s.cfg.ClientSecret {
		oauthError(w, 400, "invalid_client", "The client credentials are invalid")
		return
	}
	if f.Get("box_subject_type") != "enterprise" || f.Get("box_subject_id") != s.cfg.EnterpriseID {
		oauthError(w, 400, "invalid_grant", "Grant credentials are invalid")
		return
	}
	s.issue(w)
}

// checkAssertion verifies a JWT grant's assertion as Box does; "" when good.
func (s *Server) checkAssertion(a string) string {
	if s.cfg.JWTKey == nil {
		return "Please check the 'kid' header parameter in the JWT: no public key is registered for the app"
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(a, claims, func(t *jwt.Token) (any, error) {
		if t.Header["kid"] != s.cfg.JWTKeyID {
			return nil, fmt.Errorf("unknown kid %v", t.Header["kid"])
		}
		return s.cfg.JWTKey, nil
	}, jwt.WithValidMethods([]string{"RS256", "RS384", "RS512"}), jwt.WithAudience("https://api.box.com/oauth2/token"), jwt.WithExpirationRequired())
	if err != nil {
		return "Invalid JWT assertion: " + err.Error()
	}
	if exp, _ := claims.GetExpirationTime(); exp != nil && time.Until(exp.Time) > 60*time.Second {
		return "Please check the 'exp' claim: it is more than 60 seconds away"
	}
	if claims["iss"] != s.cfg.ClientID || claims["sub"] != s.cfg.EnterpriseID || claims["box_sub_type"] != "enterprise" {
		return "Please check the 'iss', 'sub' and 'box_sub_type' claims"
	}
	if jti, _ := claims["jti"].(string); len(jti) < 16 {
		return "Please check the 'jti' claim: at least 16 characters"
	}
	return ""
}

func (s *Server) issue(w http.ResponseWriter) {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := "T9cE5asGnuyYCCqIZFoWjFHvNbvVqHjl" + hex.EncodeToString(b)
	s.mu.Lock()
	s.tokens[tok] = time.Now().Add(s.cfg.TokenTTL)
	s.mu.Unlock()
	writeJSON(w, 200, map[string]any{"access_token": tok, "expires_in": int(s.cfg.TokenTTL.Seconds()), "token_type": "bearer",
		"restricted_to": []any{}, "issued_token_type": "urn:ietf:params:oauth:token-type:access_token"})
}

func (s *Server) auth(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, known := s.tokens[tok]
	return known && !s.revoked[tok] && time.Now().Before(exp)
}

var reqSeq int64
var reqMu sync.Mutex

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func boxError(w http.ResponseWriter, status int, code, msg string) {
	reqMu.Lock()
	reqSeq++
	id := fmt.Sprintf("fb%010d", reqSeq)
	reqMu.Unlock()
	writeJSON(w, status, map[string]any{"type": "error", "status": status, "code": code, "message": msg,
		"help_url": "https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/", "request_id": id})
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]any{"error": code, "error_description": desc})
}
