// Package fake is a local Jamf Pro server speaking the parts of the Classic
// API (/JSSResource) that the Jamf Pro connector uses, and the Jamf Pro API's
// token endpoints (/api/v1/auth/token, /api/oauth/token).
//
// Jamf publishes no machine-readable description of the Classic API in a
// public repository, so this fake follows the request and response shapes
// documented at developer.jamf.com (Classic API reference: computers,
// users, mobiledevicegroups, computercommands, mobiledevicecommands; Jamf
// Pro API: auth token, OAuth client credentials). Classic API answers are
// JSON when the client sends Accept: application/json, commands answer XML
// (as the real server does), and errors are Jamf's HTML error pages for
// the Classic API and {"httpStatus","errors":[{"code","description"}]} for
// the Jamf Pro API.
//
// The seeded organization has the Okta sandbox's people, their Jamf
// usernames being their Okta logins (as with Jamf Pro's LDAP or cloud IdP
// user lookup): each has a Mac and an iPhone (computers and mobile devices
// have their own id spaces, both 1, 2, …); two meeting-room iPads come
// after the iPhones and form the "Meeting Room iPads" group.
package fake

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/flowbench/flowbench/connectors/fakeapi"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of the seeded server.
const (
	DefaultUsername     = "flowbench-api"
	DefaultPassword     = "jamf-sandbox-password"
	DefaultClientID     = "flowbench-api-client"
	DefaultClientSecret = "jamf-sandbox-client-secret"
)

// Config configures a server; the zero value is usable.
type Config struct {
	Username, Password     string // Basic credentials of the API account
	ClientID, ClientSecret string // API client (OAuth client credentials)
	TokenTTL               time.Duration
}

// Command is an MDM command the server received.
type Command struct {
	Target  string // "computer" or "mobiledevice"
	Command string
	IDs     []int
	Param   string // passcode, lock message, device name…
}

// Server is a fake Jamf Pro instance. Safe for concurrent use.
type Server struct {
	faults   *fakeapi.Faults
	once     sync.Once
	handler  http.Handler
	cfg      Config
	mu       sync.Mutex
	tokens   map[string]time.Time
	revoked  map[string]bool
	computer []map[string]any
	users    []map[string]any
	mobiles  []map[string]any
	groups   []map[string]any
	commands []Command
	cmdID    int
}

// New returns a seeded server.
func New(cfg Config) *Server {
	if cfg.Username == "" {
		cfg.Username, cfg.Password = DefaultUsername, DefaultPassword
	}
	if cfg.ClientID == "" {
		cfg.ClientID, cfg.ClientSecret = DefaultClientID, DefaultClientSecret
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = 30 * time.Minute
	}
	s := &Server{cfg: cfg, tokens: map[string]time.Time{}, revoked: map[string]bool{}}
	s.seed()
	return s
}

// people are the Okta sandbox's users (connectors/okta/sandbox/seed.json).
var people = []struct{ login, first, last, dept, title string }{
	{"alice.nguyen", "Alice", "Nguyen", "Engineering", "Staff Software Engineer"},
	{"bob.martinez", "Bob", "Martinez", "Sales", "Account Executive"},
	{"carol.okafor", "Carol", "Okafor", "Finance", "Controller"},
	{"david.kim", "David", "Kim", "Engineering", "Engineering Manager"},
	{"emma.schmidt", "Emma", "Schmidt", "Marketing", "Product Marketing Manager"},
	{"farah.haddad", "Farah", "Haddad", "Human Resources", "HR Business Partner"},
	{"george.papadopoulos", "George", "Papadopoulos", "IT", "Systems Administrator"},
	{"hannah.johansson", "Hannah", "Johansson", "Support", "Support Engineer"},
	{"ibrahim.diallo", "Ibrahim", "Diallo", "Engineering", "Site Reliability Engineer"},
	{"julia.rossi", "Julia", "Rossi", "Sales", "Sales Director"},
	{"kenji.tanaka", "Kenji", "Tanaka", "Engineering", "Software Engineer"},
	{"laura.fernandez", "Laura", "Fernandez", "Legal", "Corporate Counsel"},
	{"mohammed.alsayed", "Mohammed", "Al-Sayed", "Finance", "Financial Analyst"},
	{"nina.petrova", "Nina", "Petrova", "Marketing", "Growth Marketer"},
	{"oliver.brown", "Oliver", "Brown", "Support", "Support Team Lead"},
	{"priya.patel", "Priya", "Patel", "Engineering", "Principal Engineer"},
	{"quentin.dubois", "Quentin", "Dubois", "IT", "IT Manager"},
	{"rosa.delgado", "Rosa", "Delgado", "Human Resources", "Recruiter"},
	{"samuel.osei", "Samuel", "Osei", "Sales", "Sales Development Rep"},
	{"tara.obrien", "Tara", "O'Brien", "Engineering", "QA Engineer"},
	{"umar.farouk", "Umar", "Farouk", "Security", "Security Engineer"},
	{"valentina.greco", "Valentina", "Greco", "Marketing", "Content Strategist"},
	{"william.chen", "William", "Chen", "Finance", "VP Finance"},
	{"ximena.lopez", "Ximena", "Lopez", "Support", "Customer Success Manager"},
	{"yusuf.demir", "Yusuf", "Demir", "Engineering", "Data Engineer"},
	{"zoe.williams", "Zoe", "Williams", "Security", "CISO"},
	{"aaron.goldberg", "Aaron", "Goldberg", "Sales", "Solutions Engineer"},
	{"beatriz.souza", "Beatriz", "Souza", "Engineering", "Frontend Engineer"},
	{"chloe.martin", "Chloe", "Martin", "IT", "Help Desk Analyst"},
}

func (s *Server) seed() {
	site := map[string]any{"id": -1, "name": "None"}
	var groupDevices []any
	for i, p := range people {
		id := i + 1
		email := p.login + "@example.com"
		name := p.first + " " + p.last
		serial := fmt.Sprintf("C02FB%05d", id)
		udid := fmt.Sprintf("55900BDC-347C-58B1-D249-F32244B1%04d", id)
		when := time.Date(2026, 11, 20+i%5, 9, 30, 0, 0, time.UTC)
		s.computer = append(s.computer, map[string]any{
			"general": map[string]any{"id": id, "name": p.first + "'s MacBook Pro", "mac_address": fmt.Sprintf("A8:20:66:4B:%02X:01", id),
				"alt_mac_address": fmt.Sprintf("A8:20:66:4B:%02X:02", id), "ip_address": fmt.Sprintf("10.0.0.%d", 10+id),
				"last_reported_ip": fmt.Sprintf("192.168.1.%d", 10+id), "serial_number": serial, "udid": udid, "jamf_version": "11.12.0",
				"platform": "Mac", "barcode_1": "", "barcode_2": "", "asset_tag": fmt.Sprintf("FB-%04d", id), "supervised": true, "mdm_capable": true,
				"report_date_utc": when.Format("2006-01-02T15:04:05.000-0700"), "report_date_epoch": when.UnixMilli(),
				"last_contact_time_utc":  when.Add(time.Hour).Format("2006-01-02T15:04:05.000-0700"),
				"initial_entry_date_utc": "2025-01-06T08:00:00.000+0000", "last_enrollment_date_utc": "2025-01-06T08:05:00.000+0000",
				"remote_management": map[string]any{"managed": true}, "site": site},
			"location": map[string]any{"username": email, "realname": name, "real_name": name, "email_address": email,
				"position": p.title, "phone": "", "phone_number": "", "department": p.dept, "building": "HQ", "room": fmt.Sprintf("%d0%d", 1+i%3, id)},
			"hardware": map[string]any{"make": "Apple", "model": "MacBook Pro (14-inch, 2023)", "model_identifier": "Mac14,9",
				"os_name": "macOS", "os_version": "15.1", "os_build": "24B83", "active_directory_status": "Not Bound",
				"sip_status": "Enabled", "disk_encryption_configuration": "FileVault 2"},
			"extension_attributes": []any{map[string]any{"id": 1, "name": "Okta Verified", "type": "String", "multi_value": false, "value": "Yes"}},
		})
		mid := id // mobile devices have their own id space
		mobile := map[string]any{"id": mid, "name": p.first + "'s iPhone", "mac_address": fmt.Sprintf("F0:99:B6:12:%02X:01", id),
			"udid": fmt.Sprintf("d1a5b7c2e3f4%028d", id), "wifi_mac_address": fmt.Sprintf("F0:99:B6:12:%02X:01", id),
			"serial_number": fmt.Sprintf("F17XQ%05d", id)}
		s.mobiles = append(s.mobiles, mobile)
		groupDevices = append(groupDevices, mobile)
		s.users = append(s.users, map[string]any{"id": id, "name": email, "full_name": name, "email": email, "email_address": email,
			"phone_number": "", "position": p.title, "enable_custom_photo_url": false, "custom_photo_url": "",
			"ldap_server": map[string]any{"id": -1, "name": "None"}, "extension_attributes": []any{},
			"sites": []any{},
			"links": map[string]any{
				"computers":       []any{map[string]any{"id": id, "name": p.first + "'s MacBook Pro"}},
				"peripherals":     []any{},
				"mobile_devices":  []any{map[string]any{"id": mid, "name": p.first + "'s iPhone"}},
				"vpp_assignments": []any{}, "total_vpp_code_count": 0}})
	}
	s.groups = []map[string]any{
		{"id": 1, "name": "All Managed iPhones", "is_smart": true, "criteria": []any{map[string]any{"name": "Model", "priority": 0,
			"and_or": "and", "search_type": "like", "value": "iPhone", "opening_paren": false, "closing_paren": false}},
			"site": site, "mobile_devices": groupDevices},
		{"id": 2, "name": "Weekly Restart", "is_smart": false, "criteria": []any{}, "site": site, "mobile_devices": groupDevices[:3]},
	}
	var ipads []any
	for i := 1; i <= 2; i++ {
		ipad := map[string]any{"id": len(people) + i, "name": fmt.Sprintf("Meeting Room iPad %d", i), "mac_address": fmt.Sprintf("F0:99:B6:20:00:%02X", i),
			"udid": fmt.Sprintf("a7c9e1f3b5d7%028d", i), "wifi_mac_address": fmt.Sprintf("F0:99:B6:20:00:%02X", i),
			"serial_number": fmt.Sprintf("DMPXR%05d", i)}
		s.mobiles = append(s.mobiles, ipad)
		ipads = append(ipads, ipad)
	}
	s.groups = append(s.groups, map[string]any{"id": 3, "name": "Meeting Room iPads", "is_smart": false, "criteria": []any{},
		"site": site, "mobile_devices": ipads})
}

// Commands returns the MDM commands received so far.
func (s *Server) Commands() []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Command(nil), s.commands...)
}

// RevokeAll invalidates every issued token (as an admin revoking the
// account's sessions would).
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.tokens {
		s.revoked[t] = true
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/api/v1/auth/token" && r.Method == http.MethodPost:
		s.basicToken(w, r)
	case p == "/api/oauth/token" && r.Method == http.MethodPost:
		s.clientToken(w, r)
	case p == "/api/v1/auth/invalidate-token" && r.Method == http.MethodPost:
		if tok, ok := s.bearer(r); ok {
			s.mu.Lock()
			s.revoked[tok] = true
			s.mu.Unlock()
			w.WriteHeader(http.StatusNoContent)
			return
		}
		proError(w, http.StatusUnauthorized, "INVALID_TOKEN", "Unauthorized")
	case p == "/api/v1/auth" && r.Method == http.MethodGet:
		if _, ok := s.bearer(r); !ok {
			proError(w, http.StatusUnauthorized, "INVALID_TOKEN", "Unauthorized")
			return
		}
		writeJSON(w, 200, map[string]any{"account": map[string]any{"id": "1", "username": s.cfg.Username, "accessLevel": "FullAccess",
			"privilegeSet": "CUSTOM", "privileges": []any{"Read Computers", "Read Users", "Read Mobile Device Groups",
				"Send Computer Remote Lock Command", "Send Mobile Device Remote Command"}}})
	case strings.HasPrefix(p, "/JSSResource/"):
		if _, ok := s.bearer(r); !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="Jamf Pro"`)
			classicError(w, http.StatusUnauthorized, "The request requires user authentication")
			return
		}
		s.classic(w, r, strings.Split(strings.TrimPrefix(p, "/JSSResource/"), "/"))
	default:
		classicError(w, http.StatusNotFound, "The server has not found anything matching the request URI")
	}
}

func (s *Server) issue(w http.ResponseWriter, oauth bool) {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	tok := "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString(b)
	exp := time.Now().Add(s.cfg.TokenTTL)
	s.mu.Lock()
	s.tokens[tok] = exp
	s.mu.Unlock()
	if oauth {
		writeJSON(w, 200, map[string]any{"access_token": tok, "scope": "api-role:1", "token_type": "Bearer",
			"expires_in": int(s.cfg.TokenTTL.Seconds())})
		return
	}
	writeJSON(w, 200, map[string]any{"token": tok, "expires": exp.UTC().Format("2006-01-02T15:04:05.000Z")})
}

func (s *Server) basicToken(w http.ResponseWriter, r *http.Request) {
	u, p, ok := r.BasicAuth()
	if !ok || u != s.cfg.Username || p != s.cfg.Password {
		proError(w, http.StatusUnauthorized, "INVALID_CREDENTIALS", "Unauthorized")
		return
	}
	s.issue(w, false)
}

func (s *Server) clientToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		writeJSON(w, 400, map[string]any{"error": "unsupported_grant_type"})
		return
	}
	if r.PostForm.Get("client_id") != s.cfg.ClientID || r.PostForm.Get("client_secret") != s.cfg.ClientSecret {
		writeJSON(w, 401, map[string]any{"error": "invalid_client"})
		return
	}
	s.issue(w, true)
}

func (s *Server) bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, known := s.tokens[tok]
	return tok, known && !s.revoked[tok] && time.Now().Before(exp)
}

func (s *Server) classic(w http.ResponseWriter, r *http.Request, seg []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	get := r.Method == http.MethodGet
	switch {
	case get && len(seg) == 3 && seg[0] == "computers":
		for _, c := range s.computer {
			g := c["general"].(map[string]any)
			if match(seg[1], seg[2], map[string]any{"id": g["id"], "udid": g["udid"], "serialnumber": g["serial_number"], "name": g["name"]}) {
				writeJSON(w, 200, map[string]any{"computer": c})
				return
			}
		}
	case get && len(seg) == 3 && seg[0] == "users":
		for _, u := range s.users {
			if match(seg[1], seg[2], map[string]any{"id": u["id"], "name": u["name"], "email": u["email"]}) {
				writeJSON(w, 200, map[string]any{"user": u})
				return
			}
		}
	case get && len(seg) == 3 && seg[0] == "mobiledevicegroups":
		for _, g := range s.groups {
			if match(seg[1], seg[2], map[string]any{"id": g["id"], "name": g["name"]}) {
				writeJSON(w, 200, map[string]any{"mobile_device_group": g})
				return
			}
		}
	case r.Method == http.MethodPost && (seg[0] == "computercommands" || seg[0] == "mobiledevicecommands") &&
		len(seg) >= 5 && seg[1] == "command" && seg[len(seg)-2] == "id":
		s.command(w, seg)
		return
	default:
		classicError(w, http.StatusNotFound, "The server has not found anything matching the request URI")
		return
	}
	classicError(w, http.StatusNotFound, "The server has not found anything matching the request URI")
}

// Commands the Classic API accepts with the parameter segment between the
// command name and /id/ (passcode, lock message, device name).
var withParam = map[string]bool{"DeviceLock": true, "EraseDevice": true, "DeviceName": true, "PasscodeLockGracePeriod": true}

func (s *Server) command(w http.ResponseWriter, seg []string) {
	target := strings.TrimSuffix(seg[0], "commands")
	name := seg[2]
	param := ""
	if len(seg) == 6 {
		param, _ = url.PathUnescape(seg[3])
	} else if len(seg) != 5 {
		classicError(w, http.StatusNotFound, "The server has not found anything matching the request URI")
		return
	}
	valid := computerCommands
	if target == "mobiledevice" {
		valid = mobileCommands
	}
	if !valid[name] || param != "" && !withParam[name] {
		classicError(w, http.StatusBadRequest, "Invalid command: "+name)
		return
	}
	var ids []int
	for _, part := range strings.Split(seg[len(seg)-1], ",") {
		id, err := strconv.Atoi(part)
		if err != nil || !s.deviceExists(target, id) {
			classicError(w, http.StatusNotFound, "The server has not found anything matching the request URI")
			return
		}
		ids = append(ids, id)
	}
	s.commands = append(s.commands, Command{Target: target, Command: name, IDs: ids, Param: param})
	s.cmdID++
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(http.StatusCreated)
	var devs strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&devs, "<%s><id>%d</id><status/></%s>", target, id, target)
	}
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><%s_command><command>%s</command><command_uuid>%s</command_uuid><%ss>%s</%ss></%s_command>`,
		target, name, uuidFor(s.cmdID), target, devs.String(), target, target)
}

var computerCommands = set("BlankPush", "DeleteUser", "DeviceLock", "DisableRemoteDesktop", "EnableRemoteDesktop", "EraseDevice",
	"ScheduleOSUpdate", "SettingsDisableBluetooth", "SettingsEnableBluetooth", "UnlockUserAccount", "UnmanageDevice")
var mobileCommands = set("DeviceName", "DeviceLocation", "DeviceLock", "DisableLostMode", "EnableLostMode", "EraseDevice",
	"PasscodeLockGracePeriod", "PlayLostModeSound", "RestartDevice", "ScheduleOSUpdate", "SettingsDisableBluetooth", "ShutDownDevice",
	"Wallpaper", "RefreshCellularPlans", "BlankPush", "UpdateInventory")

func set(v ...string) map[string]bool {
	m := map[string]bool{}
	for _, s := range v {
		m[s] = true
	}
	return m
}

func (s *Server) deviceExists(target string, id int) bool {
	if target == "computer" {
		for _, c := range s.computer {
			if c["general"].(map[string]any)["id"] == id {
				return true
			}
		}
		return false
	}
	for _, m := range s.mobiles {
		if m["id"] == id {
			return true
		}
	}
	return false
}

func match(by, raw string, keys map[string]any) bool {
	v, ok := keys[by]
	if !ok {
		return false
	}
	want, err := url.PathUnescape(raw)
	if err != nil {
		return false
	}
	return strings.EqualFold(fmt.Sprint(v), want)
}

func uuidFor(n int) string {
	b := make([]byte, 16)
	copy(b, fmt.Sprintf("jamfcmd%09d", n))
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// classicError answers as the Classic API does: an HTML page naming the status.
func classicError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html;charset=UTF-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<html>\n<head>\n   <title>Status page</title>\n</head>\n<body style=\"font-family: sans-serif;\">\n<p style=\"font-size: 1.2em;font-weight: bold;margin: 1em 0px;\">%s</p>\n<p>%s</p>\n<p>You can get technical details <a href=\"http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.%d\">here</a>.<br>\nPlease continue your visit at our <a href=\"/\">home page</a>.\n</p>\n</body>\n</html>\n",
		http.StatusText(status), msg, status%100+1)
}

// proError answers as the Jamf Pro API does.
func proError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]any{"httpStatus": status, "errors": []any{map[string]any{"code": code, "description": desc, "id": "0", "field": nil}}})
}
