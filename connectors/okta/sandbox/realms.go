package sandbox

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Realms (Okta Identity Engine, okta.realms.*; issue 10 point 8), used by
// the Okta Realms connector:
//
//	GET    /api/v1/realms[?limit&after&search]   listRealms
//	POST   /api/v1/realms                        createRealm
//	GET    /api/v1/realms/{realmId}              getRealm
//	PUT    /api/v1/realms/{realmId}              replaceRealm (profile)
//	DELETE /api/v1/realms/{realmId}              deleteRealm (204; not the default realm)
//
// Every org has a default realm; users carry realmId (the default realm's
// unless set) and /api/v1/users?search=realmId eq "…" lists a realm's users.
// The seed adds a Partners realm (PARTNER) holding no users.

const (
	DefaultRealmID  = "guo0000sandboxdeflt0"
	PartnerRealmID  = "guo0000sandboxprtnr0"
	realmsUpdatedAt = "2024-01-15T10:00:00.000Z"
)

type realm struct {
	ID          string
	Name        string
	Type        string // DEFAULT or PARTNER
	IsDefault   bool
	Created     time.Time
	LastUpdated time.Time
}

type realmState struct {
	byID map[string]*realm
	ids  []string
}

func (u *user) realm() string {
	if u.RealmID == "" {
		return DefaultRealmID
	}
	return u.RealmID
}

func (s *Server) realmsLocked() *realmState {
	if s.realms == nil {
		t, _ := time.Parse(timeLayout, realmsUpdatedAt)
		s.realms = &realmState{byID: map[string]*realm{}}
		for _, r := range []*realm{
			{ID: DefaultRealmID, Name: "Default Realm", Type: "DEFAULT", IsDefault: true, Created: s.orgCreated, LastUpdated: s.orgCreated},
			{ID: PartnerRealmID, Name: "Partners", Type: "PARTNER", Created: t, LastUpdated: t},
		} {
			s.realms.byID[r.ID] = r
			s.realms.ids = sortedInsert(s.realms.ids, r.ID)
		}
	}
	return s.realms
}

func (r *realm) render(base string) map[string]any {
	return map[string]any{"id": r.ID, "isDefault": r.IsDefault, "created": fmtTime(r.Created), "lastUpdated": fmtTime(r.LastUpdated),
		"profile": map[string]any{"name": r.Name, "realmType": r.Type},
		"_links":  map[string]any{"self": map[string]any{"href": base + "/api/v1/realms/" + r.ID}}}
}

func (r *realm) field(path string) (any, bool) {
	switch path {
	case "id":
		return r.ID, true
	case "profile.name":
		return r.Name, true
	case "profile.realmType":
		return r.Type, true
	case "isDefault":
		return r.IsDefault, true
	case "created":
		return r.Created, true
	case "lastUpdated":
		return r.LastUpdated, true
	}
	return nil, false
}

func matchRealms(method string, segs []string) route {
	nm := route{bucket: BucketOther, methodNotAllowed: true}
	switch len(segs) {
	case 1:
		switch method {
		case http.MethodGet:
			return read(BucketOther, "okta.realms.read", (*Server).listRealms)
		case http.MethodPost:
			return read(BucketOther, "okta.realms.manage", (*Server).createRealm)
		}
		return nm
	case 2:
		switch method {
		case http.MethodGet:
			return read(BucketOther, "okta.realms.read", (*Server).getRealm)
		case http.MethodPut:
			return read(BucketOther, "okta.realms.manage", (*Server).replaceRealm)
		case http.MethodDelete:
			return read(BucketOther, "okta.realms.manage", (*Server).deleteRealm)
		}
		return nm
	}
	return route{bucket: BucketOther}
}

func (s *Server) listRealms(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	q := r.URL.Query()
	limit, expr, ok := parseSearchList(w, q)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.realmsLocked()
	ids, next := searchPage(rs.ids, rs.byID, q.Get("after"), limit, expr)
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = rs.byID[id].render(rc.base)
	}
	setPageLinks(w, r, rc, next, limit)
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) realmOr404(w http.ResponseWriter, id string) *realm {
	r := s.realmsLocked().byID[id]
	if r == nil {
		notFound(w, id, "Realm")
	}
	return r
}

func (s *Server) getRealm(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if re := s.realmOr404(w, segs[1]); re != nil {
		writeJSON(w, http.StatusOK, re.render(rc.base))
	}
}

type realmBody struct {
	Profile struct {
		Name      string `json:"name"`
		RealmType string `json:"realmType"`
	} `json:"profile"`
}

func (b *realmBody) check(w http.ResponseWriter) bool {
	b.Profile.Name = strings.TrimSpace(b.Profile.Name)
	if b.Profile.Name == "" {
		validationErr(w, "profile.name: The field cannot be left blank")
		return false
	}
	switch b.Profile.RealmType {
	case "":
		b.Profile.RealmType = "PARTNER"
	case "PARTNER", "DEFAULT":
	default:
		validationErr(w, "profile.realmType: must be PARTNER or DEFAULT")
		return false
	}
	return true
}

func (s *Server) createRealm(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	var in realmBody
	if !readJSON(w, r, &in) || !in.check(w) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.realmsLocked()
	now := time.Now().UTC()
	re := &realm{ID: s.ids.next("guo"), Name: in.Profile.Name, Type: in.Profile.RealmType, Created: now, LastUpdated: now}
	rs.byID[re.ID] = re
	rs.ids = sortedInsert(rs.ids, re.ID)
	s.emitLocked(rc, "iam.realm.create", "Create realm", "INFO", []LogTarget{{ID: re.ID, Type: "Realm", AlternateID: re.Name, DisplayName: re.Name}})
	writeJSON(w, http.StatusOK, re.render(rc.base))
}

func (s *Server) replaceRealm(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	var in realmBody
	if !readJSON(w, r, &in) || !in.check(w) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	re := s.realmOr404(w, segs[1])
	if re == nil {
		return
	}
	re.Name, re.LastUpdated = in.Profile.Name, time.Now().UTC()
	if !re.IsDefault {
		re.Type = in.Profile.RealmType
	}
	writeJSON(w, http.StatusOK, re.render(rc.base))
}

func (s *Server) deleteRealm(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	re := s.realmOr404(w, segs[1])
	if re == nil {
		return
	}
	if re.IsDefault {
		writeErr(w, http.StatusBadRequest, "E0000001", "Api validation failed: realm", "The default realm cannot be deleted.")
		return
	}
	for _, u := range s.users {
		if u.RealmID == re.ID {
			writeErr(w, http.StatusBadRequest, "E0000001", "Api validation failed: realm", "The realm still has users; move them to another realm first.")
			return
		}
	}
	rs := s.realmsLocked()
	delete(rs.byID, re.ID)
	if i, ok := slices.BinarySearch(rs.ids, re.ID); ok {
		rs.ids = slices.Delete(rs.ids, i, i+1)
	}
	w.WriteHeader(http.StatusNoContent)
}

// SetUserRealm moves a user to a realm (tests and seeds; Okta does it with
// realm assignments or the user's realmId).
func (s *Server) SetUserRealm(idOrLogin, realmID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.findUserLocked(nil, idOrLogin)
	if u == nil || s.realmsLocked().byID[realmID] == nil {
		return false
	}
	u.RealmID = realmID
	if realmID == DefaultRealmID {
		u.RealmID = ""
	}
	return true
}
