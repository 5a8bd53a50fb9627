package sandbox

import (
	"net/http"
	"strings"
	"time"
)

// Realm users (Okta Realms connector; issue 10 point 8): a user's realmId is
// set when it is created (POST /api/v1/users {realmId}) and changed with a
// user update (POST|PUT /api/v1/users/{id} {realmId}), as Okta's
// CreateUserRequest and UpdateUserRequest carry it. A realm the org lacks is
// 400 E0000001 naming it. Create also takes credentials.provider (the Create
// User option "With Authentication Provider", with ?provider=true).

// realmExistsLocked answers 400 when id names no realm of the org.
func (s *Server) realmExistsLocked(w http.ResponseWriter, id string) bool {
	id = strings.TrimSpace(id)
	if id == "" || s.realmsLocked().byID[id] != nil {
		return true
	}
	validationErr(w, "realmId: The realm "+id+" does not exist in the org")
	return false
}

// moveUserRealmLocked puts u in realm id ("" = the default realm).
func (s *Server) moveUserRealmLocked(u *user, id string, now time.Time) {
	id = strings.TrimSpace(id)
	if id == DefaultRealmID {
		id = ""
	}
	if id == u.RealmID {
		return
	}
	u.RealmID, u.LastUpdated = id, now
}

// userRealmAndProviderLocked applies a create request's realmId and
// credentials.provider to the new user u (not yet inserted).
func (s *Server) userRealmAndProviderLocked(w http.ResponseWriter, u *user, in *userIn, providerFlag bool) bool {
	for _, gid := range in.GroupIDs {
		if g := s.groups[gid]; g != nil && g.Type == "BUILT_IN" {
			validationErr(w, "groupIds: Group "+gid+" ("+g.Name+") is a built-in group every user belongs to; it cannot be assigned")
			return false
		}
	}
	if in.RealmID != nil {
		if !s.realmExistsLocked(w, *in.RealmID) {
			return false
		}
		s.moveUserRealmLocked(u, *in.RealmID, u.Created)
	}
	if in.Credentials != nil && in.Credentials.Provider != nil {
		p := *in.Credentials.Provider
		switch p.Type {
		case "OKTA", "ACTIVE_DIRECTORY", "LDAP", "FEDERATION", "SOCIAL", "IMPORT":
		default:
			validationErr(w, "credentials.provider.type: must be one of OKTA, ACTIVE_DIRECTORY, LDAP, FEDERATION, SOCIAL, IMPORT")
			return false
		}
		if p.Name == "" {
			p.Name = p.Type
		}
		if p.Type != "OKTA" && !providerFlag {
			validationErr(w, "provider: A user with an authentication provider other than OKTA needs provider=true")
			return false
		}
		u.Provider = &p
	}
	return true
}

// GroupIDByName returns the id of the group named name ("" when none; tests).
func (s *Server) GroupIDByName(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, g := range s.groups {
		if g.Name == name {
			return id
		}
	}
	return ""
}

// IsMember reports whether user userID is in group groupID (tests).
func (s *Server) IsMember(groupID, userID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[groupID]
	return g != nil && g.Members[userID]
}
