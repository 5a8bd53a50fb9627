package sandbox

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"
)

//go:embed seed.json
var defaultSeed string

// The built-in seed's API Services app: it may get access tokens with the
// scope okta.workflows.invoke.manage (client_credentials) to call API
// Endpoint flows secured with OAuth 2.0.
const (
	CallerClientID     = "0oaflowbenchcaller00"
	CallerClientSecret = "sandbox-caller-secret-do-not-use-in-production"
)

// Seed is the JSON seed format (see seed.json for the built-in one).
// Users, groups and apps reference each other by login / group name / app
// name. Ids are generated unless given.
type Seed struct {
	Org *struct {
		CompanyName string `json:"companyName"`
		Subdomain   string `json:"subdomain"`
	} `json:"org"`
	// UserSchema holds the custom user profile attributes (Okta
	// UserSchemaAttribute objects by variable name).
	UserSchema *struct {
		Custom map[string]map[string]any `json:"custom"`
	} `json:"userSchema"`
	Users  []SeedUser  `json:"users"`
	Groups []SeedGroup `json:"groups"`
	Apps   []SeedApp   `json:"apps"`
	// OAuthClients are API Services apps that get access tokens from the
	// org authorization server with client_credentials (client_secret_basic
	// or client_secret_post), e.g. to call OAuth-secured API Endpoint flows.
	OAuthClients []struct {
		ClientID     string   `json:"clientId"`
		ClientSecret string   `json:"clientSecret"`
		Scopes       []string `json:"scopes"`
	} `json:"oauthClients"`
	// APITokens are extra SSWS tokens acting as the admin.
	APITokens []struct {
		Name   string   `json:"name"`
		Token  string   `json:"token"`
		Scopes []string `json:"scopes"`
	} `json:"apiTokens"`
}

// SeedUser is a user in a Seed.
type SeedUser struct {
	ID        string         `json:"id"`
	Status    string         `json:"status"` // default ACTIVE
	Admin     bool           `json:"admin"`  // the "me" behind the default API token
	Password  bool           `json:"password"`
	Created   string         `json:"created"`
	LastLogin string         `json:"lastLogin"`
	Profile   map[string]any `json:"profile"`
}

// SeedGroup is a group in a Seed.
type SeedGroup struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Type        string   `json:"type"`    // default OKTA_GROUP
	Members     []string `json:"members"` // logins or ids
}

// SeedApp is an app in a Seed.
type SeedApp struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Label      string   `json:"label"`
	SignOnMode string   `json:"signOnMode"` // BOOKMARK (default) or AUTO_LOGIN
	Status     string   `json:"status"`     // default ACTIVE
	URL        string   `json:"url"`
	Users      []string `json:"users"`  // logins or ids
	Groups     []string `json:"groups"` // names or ids
}

// LoadSeed adds the users, groups and apps of a JSON seed to the tenant.
// It writes no System Log events.
func (s *Server) LoadSeed(r io.Reader) error {
	var sd Seed
	dec := json.NewDecoder(r)
	if err := dec.Decode(&sd); err != nil {
		return fmt.Errorf("sandbox: seed: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if sd.Org != nil {
		if sd.Org.CompanyName != "" {
			s.cfg.CompanyName = sd.Org.CompanyName
		}
		if sd.Org.Subdomain != "" {
			s.cfg.Subdomain = sd.Org.Subdomain
		}
	}
	parse := func(v string, def time.Time) (time.Time, error) {
		if v == "" {
			return def, nil
		}
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return def, fmt.Errorf("sandbox: seed: bad time %q", v)
		}
		return t.UTC(), nil
	}
	for _, c := range sd.OAuthClients {
		if c.ClientID == "" || c.ClientSecret == "" {
			return fmt.Errorf("sandbox: seed: an OAuth client needs clientId and clientSecret")
		}
		s.RegisterSecretClient(c.ClientID, c.ClientSecret, c.Scopes)
	}
	if sd.UserSchema != nil {
		if err := s.setSeedSchemaLocked(sd.UserSchema.Custom); err != nil {
			return err
		}
	}
	jitter := rand.New(rand.NewPCG(42, 42))
	for i, su := range sd.Users {
		if causes := s.validateProfileLocked(su.Profile, nil); len(causes) > 0 {
			return fmt.Errorf("sandbox: seed user %d: %s", i, strings.Join(causes, "; "))
		}
		created, err := parse(su.Created, s.orgCreated.Add(time.Duration(i)*time.Hour))
		if err != nil {
			return err
		}
		lastLogin, err := parse(su.LastLogin, time.Time{})
		if err != nil {
			return err
		}
		status := strings.ToUpper(su.Status)
		if status == "" {
			status = StatusActive
		}
		switch status {
		case StatusStaged, StatusProvisioned, StatusActive, StatusRecovery, StatusPasswordExpired, StatusLockedOut, StatusSuspended, StatusDeprovisioned:
		default:
			return fmt.Errorf("sandbox: seed user %d: bad status %q", i, su.Status)
		}
		id := su.ID
		if id == "" {
			id = s.ids.next("00u")
		}
		u := &user{ID: id, Status: status, Created: created, LastUpdated: created, StatusChanged: created,
			LastLogin: lastLogin, TypeID: userTypeID, Profile: su.Profile, HasPassword: su.Password,
			Groups: map[string]bool{}, Admin: su.Admin}
		if status != StatusStaged {
			u.Activated = created.Add(time.Duration(5+jitter.IntN(600)) * time.Second)
			u.StatusChanged = u.Activated
		}
		if status != StatusStaged && status != StatusActive {
			u.StatusChanged = created.Add(time.Duration(30+jitter.IntN(200)) * 24 * time.Hour)
		}
		u.LastUpdated = u.StatusChanged
		if su.Password {
			u.PasswordChanged = u.Activated
			if u.PasswordChanged.IsZero() {
				u.PasswordChanged = created
			}
		}
		if !u.LastLogin.IsZero() && u.LastLogin.After(u.LastUpdated) {
			u.LastUpdated = u.LastLogin
		}
		s.insertUserLocked(u)
		if su.Admin && s.adminID == "" {
			s.adminID = u.ID
		}
	}
	findUser := func(ref string) *user {
		if u := s.users[ref]; u != nil {
			return u
		}
		return s.userByLogin[strings.ToLower(ref)]
	}
	for _, sg := range sd.Groups {
		if sg.Name == "" {
			return fmt.Errorf("sandbox: seed group without name")
		}
		id := sg.ID
		if id == "" {
			id = s.ids.next("00g")
		}
		typ := sg.Type
		if typ == "" {
			typ = "OKTA_GROUP"
		}
		g := &group{ID: id, Created: s.orgCreated, LastUpdated: s.orgCreated, LastMembershipUpdated: s.orgCreated,
			Type: typ, Name: sg.Name, Description: sg.Description, Members: map[string]bool{}}
		s.insertGroupLocked(g)
		for _, m := range sg.Members {
			u := findUser(m)
			if u == nil {
				return fmt.Errorf("sandbox: seed group %q: unknown member %q", sg.Name, m)
			}
			g.Members[u.ID] = true
			u.Groups[g.ID] = true
			if u.Created.After(g.LastMembershipUpdated) {
				g.LastMembershipUpdated = u.Created
			}
		}
	}
	for _, sa := range sd.Apps {
		if sa.Name == "" {
			return fmt.Errorf("sandbox: seed app without name")
		}
		id := sa.ID
		if id == "" {
			id = s.ids.next("0oa")
		}
		mode := sa.SignOnMode
		if mode == "" {
			mode = "BOOKMARK"
		}
		name := sa.Name
		if mode == "BOOKMARK" {
			name = "bookmark" // Okta's key name for every Bookmark app
		}
		status := sa.Status
		if status == "" {
			status = "ACTIVE"
		}
		label := sa.Label
		if label == "" {
			label = sa.Name
		}
		created := s.orgCreated.Add(48 * time.Hour)
		a := &app{ID: id, Name: name, Label: label, Status: status, SignOnMode: mode, Created: created,
			LastUpdated: created, URL: sa.URL, Users: map[string]*appUser{}, Groups: map[string]*appGroup{}}
		s.insertAppLocked(a)
		for _, ref := range sa.Users {
			u := findUser(ref)
			if u == nil {
				return fmt.Errorf("sandbox: seed app %q: unknown user %q", sa.Name, ref)
			}
			a.Users[u.ID] = &appUser{UserID: u.ID, Scope: "USER", Created: created, LastUpdated: created, StatusChanged: created, UserName: u.login()}
		}
		for i, ref := range sa.Groups {
			g := s.groups[ref]
			if g == nil {
				g = s.groupByNameLocked(ref)
			}
			if g == nil {
				return fmt.Errorf("sandbox: seed app %q: unknown group %q", sa.Name, ref)
			}
			a.Groups[g.ID] = &appGroup{GroupID: g.ID, Priority: i, LastUpdated: created}
		}
	}
	for _, t := range sd.APITokens {
		if t.Token == "" {
			continue
		}
		s.ssws[t.Token] = &principal{kind: "SSWS", name: t.Name, all: len(t.Scopes) == 0, scopes: setOf(t.Scopes)}
	}
	if s.adminID != "" {
		for _, p := range s.ssws {
			if p.userID == "" {
				p.userID = s.adminID
			}
		}
	}
	return nil
}
