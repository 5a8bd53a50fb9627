package sandbox

import (
	"encoding/json"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// Okta user statuses.
const (
	StatusStaged          = "STAGED"
	StatusProvisioned     = "PROVISIONED"
	StatusActive          = "ACTIVE"
	StatusRecovery        = "RECOVERY"
	StatusPasswordExpired = "PASSWORD_EXPIRED"
	StatusLockedOut       = "LOCKED_OUT"
	StatusSuspended       = "SUSPENDED"
	StatusDeprovisioned   = "DEPROVISIONED"
)

const timeLayout = "2006-01-02T15:04:05.000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func fmtTimePtr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := fmtTime(t)
	return &s
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// idGen produces Okta-style 20 character ids ("00u" + 17 chars). The first 7
// characters after the prefix encode a counter (base62 in ASCII order), so
// lexicographic id order equals creation order, which the list endpoints use
// for their `after` cursors. The rest is pseudo-random but deterministic per
// server, so the built-in seed yields the same ids on every run.
type idGen struct {
	n   uint64
	rnd *rand.Rand
}

func newIDGen() *idGen {
	return &idGen{n: 1_000_000, rnd: rand.New(rand.NewPCG(0x0f1a, 0x5eed))}
}

func (g *idGen) next(prefix string) string {
	g.n++
	var b [20]byte
	copy(b[:], prefix)
	n := g.n
	for i := 9; i >= 3; i-- {
		b[i] = base62[n%62]
		n /= 62
	}
	for i := 10; i < 20; i++ {
		b[i] = base62[g.rnd.IntN(62)]
	}
	return string(b[:])
}

func (g *idGen) token(prefix string, n int) string {
	b := make([]byte, 0, len(prefix)+n)
	b = append(b, prefix...)
	for i := 0; i < n; i++ {
		b = append(b, base62[g.rnd.IntN(62)])
	}
	return string(b)
}

type user struct {
	ID              string
	Status          string
	Created         time.Time
	Activated       time.Time
	StatusChanged   time.Time
	LastLogin       time.Time
	LastUpdated     time.Time
	PasswordChanged time.Time
	TypeID          string
	Profile         map[string]any
	HasPassword     bool
	RecoveryQ       string
	Groups          map[string]bool // group ids
	Admin           bool
	// Classification is LITE or STANDARD ("" = STANDARD), classification.go.
	Classification        string
	ClassificationUpdated time.Time
	// RealmID is the user's realm ("" = the default realm), realms.go.
	RealmID string
	// Provider is the user's authentication provider (nil = OKTA), realmusers.go.
	Provider *provider
}

func (u *user) login() string {
	s, _ := u.Profile["login"].(string)
	return s
}

func (u *user) displayName() string {
	f, _ := u.Profile["firstName"].(string)
	l, _ := u.Profile["lastName"].(string)
	return strings.TrimSpace(f + " " + l)
}

type hrefObj struct {
	Href   string `json:"href"`
	Method string `json:"method,omitempty"`
	Name   string `json:"name,omitempty"`
	Type   string `json:"type,omitempty"`
}

type provider struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

type userCredsJSON struct {
	Password         *struct{}          `json:"password,omitempty"`
	RecoveryQuestion *map[string]string `json:"recovery_question,omitempty"`
	Provider         provider           `json:"provider"`
}

type userJSON struct {
	ID                    string             `json:"id"`
	Status                string             `json:"status"`
	Created               string             `json:"created"`
	Activated             *string            `json:"activated"`
	StatusChanged         *string            `json:"statusChanged"`
	LastLogin             *string            `json:"lastLogin"`
	LastUpdated           string             `json:"lastUpdated"`
	PasswordChanged       *string            `json:"passwordChanged"`
	Type                  map[string]string  `json:"type"`
	Profile               map[string]any     `json:"profile"`
	Credentials           userCredsJSON      `json:"credentials"`
	Links                 map[string]hrefObj `json:"_links"`
	TransitioningToStatus *string            `json:"transitioningToStatus,omitempty"`
	RealmID               string             `json:"realmId,omitempty"`
}

// render builds the Okta User representation. full adds the lifecycle links
// of a single-user response; collections carry only `self`.
func (u *user) render(base string, full bool) *userJSON {
	self := base + "/api/v1/users/" + u.ID
	j := &userJSON{
		ID:              u.ID,
		Status:          u.Status,
		Created:         fmtTime(u.Created),
		Activated:       fmtTimePtr(u.Activated),
		StatusChanged:   fmtTimePtr(u.StatusChanged),
		LastLogin:       fmtTimePtr(u.LastLogin),
		LastUpdated:     fmtTime(u.LastUpdated),
		PasswordChanged: fmtTimePtr(u.PasswordChanged),
		Type:            map[string]string{"id": u.TypeID},
		Profile:         u.Profile,
		Credentials:     userCredsJSON{Provider: provider{Type: "OKTA", Name: "OKTA"}},
		Links:           map[string]hrefObj{"self": {Href: self}},
		RealmID:         u.realm(),
	}
	if u.Provider != nil {
		j.Credentials.Provider = *u.Provider
	}
	if u.HasPassword {
		j.Credentials.Password = &struct{}{}
	}
	if u.RecoveryQ != "" {
		j.Credentials.RecoveryQuestion = &map[string]string{"question": u.RecoveryQ}
	}
	if full {
		lc := self + "/lifecycle/"
		post := func(op string) hrefObj { return hrefObj{Href: lc + op, Method: "POST"} }
		switch u.Status {
		case StatusStaged:
			j.Links["activate"] = post("activate")
		case StatusProvisioned:
			j.Links["reactivate"] = post("reactivate")
		case StatusDeprovisioned:
			j.Links["activate"] = post("activate")
		case StatusSuspended:
			j.Links["unsuspend"] = post("unsuspend")
		case StatusLockedOut:
			j.Links["unlock"] = post("unlock")
		case StatusActive:
			j.Links["suspend"] = post("suspend")
			j.Links["resetPassword"] = post("reset_password")
			j.Links["expirePassword"] = post("expire_password")
			j.Links["changePassword"] = hrefObj{Href: self + "/credentials/change_password", Method: "POST"}
		}
		if u.Status != StatusDeprovisioned {
			j.Links["deactivate"] = post("deactivate")
		}
		j.Links["schema"] = hrefObj{Href: base + "/api/v1/meta/schemas/user/" + u.TypeID}
		j.Links["type"] = hrefObj{Href: base + "/api/v1/meta/types/user/" + u.TypeID}
	}
	return j
}

// field resolves a dotted attribute path for filter/search expressions.
func (u *user) field(path string) (any, bool) {
	switch path {
	case "id":
		return u.ID, true
	case "status":
		return u.Status, true
	case "created":
		return u.Created, true
	case "lastUpdated":
		return u.LastUpdated, true
	case "activated":
		return zeroNil(u.Activated)
	case "statusChanged":
		return zeroNil(u.StatusChanged)
	case "lastLogin":
		return zeroNil(u.LastLogin)
	case "passwordChanged":
		return zeroNil(u.PasswordChanged)
	case "type.id":
		return u.TypeID, true
	case "realmId":
		return u.realm(), true
	}
	if p, ok := strings.CutPrefix(path, "profile."); ok {
		v, ok := u.Profile[p]
		return v, ok
	}
	return nil, false
}

func zeroNil(t time.Time) (any, bool) {
	if t.IsZero() {
		return nil, true
	}
	return t, true
}

type group struct {
	ID                    string
	Created               time.Time
	LastUpdated           time.Time
	LastMembershipUpdated time.Time
	Type                  string
	Name                  string
	Description           string
	Extra                 map[string]any // custom profile attributes (group schema extensions)
	Members               map[string]bool
}

type groupJSON struct {
	ID                    string         `json:"id"`
	Created               string         `json:"created"`
	LastUpdated           string         `json:"lastUpdated"`
	LastMembershipUpdated string         `json:"lastMembershipUpdated"`
	ObjectClass           []string       `json:"objectClass"`
	Type                  string         `json:"type"`
	Profile               map[string]any `json:"profile"`
	Links                 map[string]any `json:"_links"`
}

func (g *group) render(base string) *groupJSON {
	self := base + "/api/v1/groups/" + g.ID
	return &groupJSON{
		ID:                    g.ID,
		Created:               fmtTime(g.Created),
		LastUpdated:           fmtTime(g.LastUpdated),
		LastMembershipUpdated: fmtTime(g.LastMembershipUpdated),
		ObjectClass:           []string{"okta:user_group"},
		Type:                  g.Type,
		Profile:               g.profile(),
		Links: map[string]any{
			"logo": []hrefObj{
				{Name: "medium", Href: "https://ok12static.oktacdn.com/assets/img/logos/groups/okta-medium.png", Type: "image/png"},
				{Name: "large", Href: "https://ok12static.oktacdn.com/assets/img/logos/groups/okta-large.png", Type: "image/png"},
			},
			"users": hrefObj{Href: self + "/users"},
			"apps":  hrefObj{Href: self + "/apps"},
		},
	}
}

func (g *group) profile() map[string]any {
	p := make(map[string]any, len(g.Extra)+2)
	for k, v := range g.Extra {
		p[k] = v
	}
	p["name"], p["description"] = g.Name, g.Description
	return p
}

func (g *group) field(path string) (any, bool) {
	if k, ok := strings.CutPrefix(path, "profile."); ok && k != "name" && k != "description" {
		v, ok := g.Extra[k]
		return v, ok
	}
	switch path {
	case "id":
		return g.ID, true
	case "type":
		return g.Type, true
	case "created":
		return g.Created, true
	case "lastUpdated":
		return g.LastUpdated, true
	case "lastMembershipUpdated":
		return g.LastMembershipUpdated, true
	case "profile.name":
		return g.Name, true
	case "profile.description":
		return g.Description, true
	}
	return nil, false
}

type appUser struct {
	UserID        string
	Scope         string // USER or GROUP
	Created       time.Time
	LastUpdated   time.Time
	StatusChanged time.Time
	UserName      string
	Profile       map[string]any
}

type appGroup struct {
	GroupID     string
	Priority    int
	LastUpdated time.Time
	Profile     map[string]any
}

type app struct {
	ID          string
	Name        string
	Label       string
	Status      string
	SignOnMode  string
	Created     time.Time
	LastUpdated time.Time
	URL         string
	Users       map[string]*appUser
	Groups      map[string]*appGroup
}

func (a *app) render(base string) map[string]any {
	self := base + "/api/v1/apps/" + a.ID
	m := map[string]any{
		"id":          a.ID,
		"name":        a.Name,
		"label":       a.Label,
		"status":      a.Status,
		"created":     fmtTime(a.Created),
		"lastUpdated": fmtTime(a.LastUpdated),
		"signOnMode":  a.SignOnMode,
		"features":    []string{},
		"accessibility": map[string]any{
			"selfService": false, "errorRedirectUrl": "", "loginRedirectUrl": "",
		},
		"visibility": map[string]any{
			"autoSubmitToolbar": false,
			"hide":              map[string]any{"iOS": false, "web": false},
			"appLinks":          map[string]any{a.Name + "_link": true},
		},
		"_links": map[string]any{
			"self":         hrefObj{Href: self},
			"users":        hrefObj{Href: self + "/users"},
			"groups":       hrefObj{Href: self + "/groups"},
			"deactivate":   hrefObj{Href: self + "/lifecycle/deactivate"},
			"appLinks":     []hrefObj{{Name: a.Name + "_link", Href: base + "/home/" + a.Name + "/" + a.ID + "/" + a.Name + "_link", Type: "text/html"}},
			"uploadLogo":   hrefObj{Href: self + "/logo", Method: "POST"},
			"metadata":     hrefObj{Href: self + "/sso/saml/metadata", Type: "application/xml"},
			"logo":         []hrefObj{{Name: "medium", Href: "https://ok12static.oktacdn.com/assets/img/logos/default.png", Type: "image/png"}},
			"accessPolicy": hrefObj{Href: base + "/api/v1/policies/rst" + a.ID[3:]},
		},
	}
	if a.Status != "ACTIVE" {
		m["_links"].(map[string]any)["activate"] = hrefObj{Href: self + "/lifecycle/activate"}
		delete(m["_links"].(map[string]any), "deactivate")
	}
	switch a.SignOnMode {
	case "BOOKMARK":
		m["credentials"] = map[string]any{"userNameTemplate": map[string]any{"template": "${source.login}", "type": "BUILT_IN"}, "signing": map[string]any{}}
		m["settings"] = map[string]any{"app": map[string]any{"url": a.URL, "requestIntegration": false}, "notifications": map[string]any{}}
	case "AUTO_LOGIN":
		m["credentials"] = map[string]any{"scheme": "EDIT_USERNAME_AND_PASSWORD", "userNameTemplate": map[string]any{"template": "${source.login}", "type": "BUILT_IN"}, "revealPassword": false, "signing": map[string]any{}}
		m["settings"] = map[string]any{"app": map[string]any{}, "signOn": map[string]any{"loginUrl": a.URL, "redirectUrl": a.URL}, "notifications": map[string]any{}}
	default:
		m["credentials"] = map[string]any{"userNameTemplate": map[string]any{"template": "${source.login}", "type": "BUILT_IN"}, "signing": map[string]any{"kid": "sandbox-signing-key"}}
		m["settings"] = map[string]any{"app": map[string]any{}, "notifications": map[string]any{}}
	}
	return m
}

func (a *app) field(path string) (any, bool) {
	switch path {
	case "id":
		return a.ID, true
	case "name":
		return a.Name, true
	case "label":
		return a.Label, true
	case "status":
		return a.Status, true
	case "signOnMode":
		return a.SignOnMode, true
	case "lastUpdated":
		return a.LastUpdated, true
	case "created":
		return a.Created, true
	}
	return nil, false
}

func (au *appUser) render(base, appID string, u *user) map[string]any {
	status := "ACTIVE"
	if u != nil && u.Status == StatusDeprovisioned {
		status = "INACTIVE"
	}
	prof := au.Profile
	if prof == nil {
		prof = map[string]any{}
	}
	m := map[string]any{
		"id":            au.UserID,
		"externalId":    "",
		"created":       fmtTime(au.Created),
		"lastUpdated":   fmtTime(au.LastUpdated),
		"scope":         au.Scope,
		"status":        status,
		"statusChanged": fmtTime(au.StatusChanged),
		"syncState":     "DISABLED",
		"credentials":   map[string]any{"userName": au.UserName},
		"profile":       prof,
		"_links": map[string]any{
			"app":  hrefObj{Href: base + "/api/v1/apps/" + appID},
			"user": hrefObj{Href: base + "/api/v1/users/" + au.UserID},
		},
	}
	if au.UserName == "" {
		delete(m, "credentials")
	}
	return m
}

func (ag *appGroup) render(base, appID string) map[string]any {
	prof := ag.Profile
	if prof == nil {
		prof = map[string]any{}
	}
	return map[string]any{
		"id":          ag.GroupID,
		"lastUpdated": fmtTime(ag.LastUpdated),
		"priority":    ag.Priority,
		"profile":     prof,
		"_links": map[string]any{
			"app":   hrefObj{Href: base + "/api/v1/apps/" + appID},
			"group": hrefObj{Href: base + "/api/v1/groups/" + ag.GroupID},
			"self":  hrefObj{Href: base + "/api/v1/apps/" + appID + "/groups/" + ag.GroupID},
		},
	}
}

// sortedInsert inserts id into the sorted slice ids.
func sortedInsert(ids []string, id string) []string {
	i := sort.SearchStrings(ids, id)
	if i < len(ids) && ids[i] == id {
		return ids
	}
	ids = append(ids, "")
	copy(ids[i+1:], ids[i:])
	ids[i] = id
	return ids
}

func sortedRemove(ids []string, id string) []string {
	i := sort.SearchStrings(ids, id)
	if i < len(ids) && ids[i] == id {
		return append(ids[:i], ids[i+1:]...)
	}
	return ids
}

func cloneJSON(v any) map[string]any {
	b, _ := json.Marshal(v)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}
