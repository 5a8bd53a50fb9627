package sandbox

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

const userTypeID = "oty1sandboxdefault00"

func (s *Server) insertUserLocked(u *user) {
	s.users[u.ID] = u
	s.userByLogin[strings.ToLower(u.login())] = u
	s.userIDs = sortedInsert(s.userIDs, u.ID)
}

// findUserLocked resolves an id, a login, or "me".
func (s *Server) findUserLocked(rc *reqCtx, idOrLogin string) *user {
	if idOrLogin == "me" && rc != nil && rc.p != nil {
		return s.users[rc.p.userID]
	}
	if u := s.users[idOrLogin]; u != nil {
		return u
	}
	if strings.ContainsAny(idOrLogin, "%+") {
		if d, err := url.PathUnescape(idOrLogin); err == nil {
			idOrLogin = d
		}
	}
	return s.userByLogin[strings.ToLower(idOrLogin)]
}

// userOr404, groupOr404 and appOr404 look a resource up (the caller holds
// s.mu) and answer Okta's 404 when it is missing.
func (s *Server) userOr404(w http.ResponseWriter, rc *reqCtx, idOrLogin string) *user {
	u := s.findUserLocked(rc, idOrLogin)
	if u == nil {
		notFound(w, idOrLogin, "User")
	}
	return u
}

func (s *Server) groupOr404(w http.ResponseWriter, id string) *group {
	g := s.groups[id]
	if g == nil {
		notFound(w, id, "UserGroup")
	}
	return g
}

func (s *Server) appOr404(w http.ResponseWriter, id string) *app {
	a := s.apps[id]
	if a == nil {
		notFound(w, id, "AppInstance")
	}
	return a
}

// User returns a snapshot of a user (Okta JSON shape) by id or login.
func (s *Server) User(idOrLogin string) (map[string]any, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u := s.findUserLocked(nil, idOrLogin)
	if u == nil {
		return nil, false
	}
	return cloneJSON(u.render(s.URL(), true)), true
}

// AdminUserID returns the id of the admin user behind the default API token.
func (s *Server) AdminUserID() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.adminID
}

// paginate walks sorted ids after the cursor, collecting up to limit matches.
func paginate(ids []string, after string, limit int, match func(id string) bool) (out []string, next string) {
	start := 0
	if after != "" {
		start = sort.SearchStrings(ids, after)
		if start < len(ids) && ids[start] == after {
			start++
		}
	}
	for i := start; i < len(ids); i++ {
		if match == nil || match(ids[i]) {
			if len(out) == limit {
				return out, out[len(out)-1]
			}
			out = append(out, ids[i])
		}
	}
	return out, ""
}

func setPageLinks(w http.ResponseWriter, r *http.Request, rc *reqCtx, next string, limit int) {
	h := w.Header()
	h.Add("Link", "<"+rc.base+r.URL.RequestURI()+`>; rel="self"`)
	if next != "" {
		q := r.URL.Query()
		q.Set("after", next)
		q.Set("limit", strconv.Itoa(limit))
		h.Add("Link", "<"+rc.base+r.URL.Path+"?"+q.Encode()+`>; rel="next"`)
	}
}

func parseQueryExpr(w http.ResponseWriter, name, v string, filterOnly bool) (*exprNode, bool) {
	if v == "" {
		return nil, true
	}
	n, err := parseExprCached(v)
	if err == nil && filterOnly {
		ops := map[string]bool{}
		n.ops(ops)
		for op := range ops {
			switch op {
			case "eq", "gt", "ge", "lt", "le":
			default:
				err = errUnsupportedOp(op)
			}
		}
	}
	if err != nil {
		writeErr(w, http.StatusBadRequest, "E0000031", "Invalid search criteria.", name+": "+err.Error())
		return nil, false
	}
	return n, true
}

type errUnsupportedOp string

func (e errUnsupportedOp) Error() string {
	return "operator " + string(e) + " is not supported by filter; use search"
}

// GET /api/v1/users
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	q := r.URL.Query()
	kw := strings.ToLower(strings.TrimSpace(q.Get("q")))
	def := 200
	if kw != "" {
		def = 10
	}
	limit, ok := parseLimit(w, q, def, 200)
	if !ok {
		return
	}
	lq, ok := parseListQuery(w, q)
	if !ok {
		return
	}
	inclDeprov := lq.filter.mentions("status") || lq.search.mentions("status")
	s.mu.RLock()
	ids, next := paginate(s.userIDs, q.Get("after"), limit, func(id string) bool {
		u := s.users[id]
		if u.Status == StatusDeprovisioned && !inclDeprov {
			return false
		}
		if kw != "" {
			match := false
			for _, k := range [...]string{"firstName", "lastName", "email", "login"} {
				if v, _ := u.Profile[k].(string); strings.HasPrefix(strings.ToLower(v), kw) {
					match = true
					break
				}
			}
			if !match {
				return false
			}
		}
		return lq.matches(u.field)
	})
	out := make([]*userJSON, len(ids))
	for i, id := range ids {
		out[i] = s.users[id].render(rc.base, false)
	}
	b := marshal(out)
	s.mu.RUnlock()
	setPageLinks(w, r, rc, next, limit)
	writeRaw(w, http.StatusOK, b)
}

// GET /api/v1/users/{idOrLogin}
func (s *Server) getUser(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.RLock()
	u := s.userOr404(w, rc, segs[1])
	if u == nil {
		s.mu.RUnlock()
		return
	}
	b := marshal(u.render(rc.base, true))
	s.mu.RUnlock()
	writeRaw(w, http.StatusOK, b)
}

type passwordIn struct {
	Value string `json:"value"`
	Hash  any    `json:"hash"`
}

type credsIn struct {
	Password         *passwordIn `json:"password"`
	RecoveryQuestion *struct {
		Question string `json:"question"`
		Answer   string `json:"answer"`
	} `json:"recovery_question"`
	Provider *provider `json:"provider"` // realmusers.go
}

type userIn struct {
	Profile     map[string]any `json:"profile"`
	Credentials *credsIn       `json:"credentials"`
	GroupIDs    []string       `json:"groupIds"`
	Type        *struct {
		ID string `json:"id"`
	} `json:"type"`
	RealmID *string `json:"realmId"` // realmusers.go
}

func boolParam(w http.ResponseWriter, q url.Values, name string, def bool) (bool, bool) {
	v := q.Get(name)
	if v == "" {
		return def, true
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		validationErr(w, name+": must be true or false")
		return false, false
	}
	return b, true
}

func (s *Server) validateProfileLocked(p map[string]any, self *user) []string {
	var causes []string
	for _, k := range [...]string{"login", "email", "firstName", "lastName"} {
		v, _ := p[k].(string)
		if strings.TrimSpace(v) == "" {
			causes = append(causes, k+": The field cannot be left blank")
		}
	}
	if login, _ := p["login"].(string); login != "" {
		if !strings.Contains(login, "@") || len(login) < 5 {
			causes = append(causes, "login: Username must be in the form of an email address")
		} else if o := s.userByLogin[strings.ToLower(login)]; o != nil && o != self {
			causes = append(causes, "login: An object with this field already exists in the current organization")
		}
	}
	if email, _ := p["email"].(string); email != "" && !strings.Contains(email, "@") {
		causes = append(causes, "email: Does not match required pattern")
	}
	return append(causes, s.customTypeCausesLocked(p)...)
}

// POST /api/v1/users
func (s *Server) createUser(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	q := r.URL.Query()
	activate, ok := boolParam(w, q, "activate", true)
	if !ok {
		return
	}
	providerFlag, ok := boolParam(w, q, "provider", false)
	if !ok {
		return
	}
	var in userIn
	if !readJSON(w, r, &in) {
		return
	}
	if in.Profile == nil {
		validationErr(w, "profile: The field cannot be left blank")
		return
	}
	hasPwd := in.Credentials != nil && in.Credentials.Password != nil && (in.Credentials.Password.Value != "" || in.Credentials.Password.Hash != nil)
	if q.Get("nextLogin") == "changePassword" && !activate {
		validationErr(w, "nextLogin: Setting nextLogin to changePassword requires activate=true")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if causes := s.validateProfileLocked(in.Profile, nil); len(causes) > 0 {
		validationErr(w, causes...)
		return
	}
	var groups []*group
	for _, gid := range in.GroupIDs {
		g := s.groups[gid]
		if g == nil {
			validationErr(w, "groupIds: Group "+gid+" does not exist")
			return
		}
		groups = append(groups, g)
	}
	now := time.Now().UTC()
	u := &user{
		ID: s.ids.next("00u"), Status: StatusStaged, Created: now, LastUpdated: now,
		TypeID: userTypeID, Profile: in.Profile, HasPassword: hasPwd, Groups: map[string]bool{},
	}
	if in.Type != nil && in.Type.ID != "" {
		u.TypeID = in.Type.ID
	}
	if hasPwd {
		u.PasswordChanged = now
	}
	if in.Credentials != nil && in.Credentials.RecoveryQuestion != nil {
		u.RecoveryQ = in.Credentials.RecoveryQuestion.Question
	}
	if !s.userRealmAndProviderLocked(w, u, &in, providerFlag) {
		return
	}
	s.insertUserLocked(u)
	s.emitLocked(rc, "user.lifecycle.create", "Create okta user", "INFO", []LogTarget{userTarget(u)})
	if activate {
		u.Activated, u.StatusChanged = now, now
		switch {
		case hasPwd || providerFlag:
			u.Status = StatusActive
			if q.Get("nextLogin") == "changePassword" {
				u.Status = StatusPasswordExpired
			}
		default:
			u.Status = StatusProvisioned
		}
		s.emitLocked(rc, "user.lifecycle.activate", "Activate Okta user", "INFO", []LogTarget{userTarget(u)})
	}
	for _, g := range groups {
		s.addMemberLocked(rc, g, u, now)
	}
	writeJSON(w, http.StatusOK, u.render(rc.base, true))
}

// POST /api/v1/users/{id} (partial update)
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.writeUser(w, r, rc, segs, false)
}

// PUT /api/v1/users/{id} (full replace)
func (s *Server) replaceUser(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.writeUser(w, r, rc, segs, true)
}

func (s *Server) writeUser(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string, replace bool) {
	var in userIn
	if !readJSON(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userOr404(w, rc, segs[1])
	if u == nil {
		return
	}
	if replace && in.Profile == nil {
		validationErr(w, "profile: The field cannot be left blank")
		return
	}
	var prof map[string]any
	if in.Profile != nil {
		if replace {
			prof = in.Profile
		} else {
			prof = make(map[string]any, len(u.Profile)+len(in.Profile))
			for k, v := range u.Profile {
				prof[k] = v
			}
			for k, v := range in.Profile {
				prof[k] = v
			}
		}
		if causes := s.validateProfileLocked(prof, u); len(causes) > 0 {
			validationErr(w, causes...)
			return
		}
	}
	if in.RealmID != nil && !s.realmExistsLocked(w, *in.RealmID) {
		return
	}
	now := time.Now().UTC()
	if prof != nil {
		oldLogin := strings.ToLower(u.login())
		u.Profile = prof
		if nl := strings.ToLower(u.login()); nl != oldLogin {
			delete(s.userByLogin, oldLogin)
			s.userByLogin[nl] = u
		}
		u.LastUpdated = now
		s.emitLocked(rc, "user.account.update_profile", "Update user profile for Okta", "INFO", []LogTarget{userTarget(u)})
	}
	if replace && in.Type != nil && in.Type.ID != "" {
		u.TypeID = in.Type.ID
	}
	if in.RealmID != nil {
		s.moveUserRealmLocked(u, *in.RealmID, now)
	}
	if in.Credentials != nil {
		if p := in.Credentials.Password; p != nil && (p.Value != "" || p.Hash != nil) {
			u.HasPassword, u.PasswordChanged, u.LastUpdated = true, now, now
			s.emitLocked(rc, "user.account.update_password", "Update password for user", "INFO", []LogTarget{userTarget(u)})
		}
		if rq := in.Credentials.RecoveryQuestion; rq != nil {
			u.RecoveryQ, u.LastUpdated = rq.Question, now
		}
	}
	writeJSON(w, http.StatusOK, u.render(rc.base, true))
}

func (s *Server) setStatusLocked(u *user, status string, now time.Time) {
	u.Status, u.StatusChanged, u.LastUpdated = status, now, now
}

// POST /api/v1/users/{id}/lifecycle/{op}
func (s *Server) userLifecycle(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	q := r.URL.Query()
	op := segs[3]
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userOr404(w, rc, segs[1])
	if u == nil {
		return
	}
	now := time.Now().UTC()
	tgt := []LogTarget{userTarget(u)}
	notAllowed := func() {
		writeErr(w, http.StatusForbidden, "E0000038", "This operation is not allowed in the user's current status.")
	}
	switch op {
	case "activate":
		if u.Status != StatusStaged && u.Status != StatusDeprovisioned {
			writeErr(w, http.StatusForbidden, "E0000016", "Activation failed because the user is already active")
			return
		}
		sendEmail, ok := boolParam(w, q, "sendEmail", true)
		if !ok {
			return
		}
		status := StatusProvisioned
		if u.HasPassword {
			status = StatusActive
		}
		s.setStatusLocked(u, status, now)
		u.Activated = now
		s.emitLocked(rc, "user.lifecycle.activate", "Activate Okta user", "INFO", tgt)
		s.writeActivation(w, rc, sendEmail)
	case "reactivate":
		if u.Status != StatusProvisioned {
			notAllowed()
			return
		}
		sendEmail, ok := boolParam(w, q, "sendEmail", false)
		if !ok {
			return
		}
		u.LastUpdated = now
		s.emitLocked(rc, "user.lifecycle.reactivate", "Reactivate Okta user", "INFO", tgt)
		s.writeActivation(w, rc, sendEmail)
	case "deactivate":
		if u.Status == StatusDeprovisioned {
			notAllowed()
			return
		}
		s.deactivateLocked(rc, u, now)
		writeJSON(w, http.StatusOK, struct{}{})
	case "suspend", "unsuspend", "unlock":
		t := simpleTransitions[op]
		if u.Status != t.from {
			t.refuse(w)
			return
		}
		s.setStatusLocked(u, t.to, now)
		s.emitLocked(rc, t.event, t.message, "INFO", tgt)
		writeJSON(w, http.StatusOK, struct{}{})
	case "reset_password":
		switch u.Status {
		case StatusActive, StatusPasswordExpired, StatusLockedOut, StatusRecovery:
		default:
			notAllowed()
			return
		}
		sendEmail, ok := boolParam(w, q, "sendEmail", true)
		if !ok {
			return
		}
		s.setStatusLocked(u, StatusRecovery, now)
		s.emitLocked(rc, "user.account.reset_password", "Fired when the user's Okta password is reset", "INFO", tgt)
		if sendEmail {
			writeJSON(w, http.StatusOK, struct{}{})
		} else {
			writeJSON(w, http.StatusOK, map[string]string{"resetPasswordUrl": rc.base + "/signin/reset-password/" + randID("", 20)})
		}
	case "expire_password":
		switch u.Status {
		case StatusActive, StatusPasswordExpired, StatusRecovery, StatusLockedOut:
		default:
			notAllowed()
			return
		}
		s.setStatusLocked(u, StatusPasswordExpired, now)
		s.emitLocked(rc, "user.account.expire_password", "Expire user password", "INFO", tgt)
		writeJSON(w, http.StatusOK, u.render(rc.base, true))
	default:
		notFound(w, r.URL.Path, "POST")
	}
}

// simpleTransitions are the lifecycle operations that only move a user
// from one status to another, with Okta's refusal when it is not allowed.
var simpleTransitions = map[string]struct {
	from, to, event, message string
	refuse                   func(w http.ResponseWriter)
}{
	"suspend": {StatusActive, StatusSuspended, "user.lifecycle.suspend", "Suspend Okta user",
		func(w http.ResponseWriter) { validationErr(w, "Cannot suspend a user that is not active") }},
	"unsuspend": {StatusSuspended, StatusActive, "user.lifecycle.unsuspend", "Unsuspend Okta user",
		func(w http.ResponseWriter) { validationErr(w, "Cannot unsuspend a user that is not suspended") }},
	"unlock": {StatusLockedOut, StatusActive, "user.account.unlock", "Unlock user account",
		func(w http.ResponseWriter) {
			writeErr(w, http.StatusForbidden, "E0000032", "Unlock is not allowed for this user.")
		}},
}

func (s *Server) writeActivation(w http.ResponseWriter, rc *reqCtx, sendEmail bool) {
	if sendEmail {
		writeJSON(w, http.StatusOK, struct{}{})
		return
	}
	tok := randID("", 20)
	writeJSON(w, http.StatusOK, map[string]string{
		"activationUrl":   rc.base + "/welcome/" + tok,
		"activationToken": tok,
	})
}

func (s *Server) deactivateLocked(rc *reqCtx, u *user, now time.Time) {
	s.setStatusLocked(u, StatusDeprovisioned, now)
	s.emitLocked(rc, "user.lifecycle.deactivate", "Deactivate Okta user", "INFO", []LogTarget{userTarget(u)})
}

// DELETE /api/v1/users/{id}: deactivates first, deletes when already
// DEPROVISIONED (like Okta).
func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userOr404(w, rc, segs[1])
	if u == nil {
		return
	}
	now := time.Now().UTC()
	if u.Status != StatusDeprovisioned {
		s.deactivateLocked(rc, u, now)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	tgt := []LogTarget{userTarget(u)}
	s.emitLocked(rc, "user.lifecycle.delete.initiated", "Delete Okta user", "INFO", tgt)
	for gid := range u.Groups {
		if g := s.groups[gid]; g != nil {
			delete(g.Members, u.ID)
			g.LastMembershipUpdated = now
		}
	}
	for _, a := range s.apps {
		delete(a.Users, u.ID)
	}
	delete(s.users, u.ID)
	delete(s.userByLogin, strings.ToLower(u.login()))
	s.userIDs = sortedRemove(s.userIDs, u.ID)
	if u.ID == s.adminID {
		s.adminID = ""
	}
	s.emitLocked(rc, "user.lifecycle.delete.completed", "Delete Okta user completed", "INFO", tgt)
	w.WriteHeader(http.StatusNoContent)
}

// GET /api/v1/users/{id}/groups
func (s *Server) listUserGroups(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	q := r.URL.Query()
	limit, ok := parseLimit(w, q, 10000, 10000)
	if !ok {
		return
	}
	s.mu.RLock()
	u := s.userOr404(w, rc, segs[1])
	if u == nil {
		s.mu.RUnlock()
		return
	}
	ids, next := paginate(s.groupIDs, q.Get("after"), limit, func(id string) bool { return u.Groups[id] })
	out := make([]*groupJSON, len(ids))
	for i, id := range ids {
		out[i] = s.groups[id].render(rc.base)
	}
	b := marshal(out)
	s.mu.RUnlock()
	setPageLinks(w, r, rc, next, limit)
	writeRaw(w, http.StatusOK, b)
}

// GET /api/v1/users/{id}/appLinks
func (s *Server) listAppLinks(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u := s.userOr404(w, rc, segs[1])
	if u == nil {
		return
	}
	out := []map[string]any{}
	for i, aid := range s.appIDs {
		a := s.apps[aid]
		if !s.appHasUserLocked(a, u) {
			continue
		}
		out = append(out, map[string]any{
			"id":               "00a" + a.ID[3:],
			"label":            a.Label,
			"linkUrl":          rc.base + "/home/" + a.Name + "/" + a.ID + "/" + a.Name + "_link",
			"logoUrl":          "https://ok12static.oktacdn.com/assets/img/logos/default.png",
			"appName":          a.Name,
			"appInstanceId":    a.ID,
			"appAssignmentId":  "0ua" + u.ID[3:],
			"credentialsSetup": false,
			"hidden":           false,
			"sortOrder":        i,
		})
	}
	writeJSON(w, http.StatusOK, out)
}

// DELETE /api/v1/users/{id}/sessions[?oauthTokens=true]: revokes the
// user's IdP sessions (and, optionally, the OAuth tokens issued to them).
func (s *Server) clearUserSessions(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	tokens, ok := boolParam(w, r.URL.Query(), "oauthTokens", false)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userOr404(w, rc, segs[1])
	if u == nil {
		return
	}
	_ = tokens // no user-issued OAuth tokens are kept locally
	s.emitLocked(rc, "user.session.clear", "Clear user session", "INFO", []LogTarget{userTarget(u)})
	w.WriteHeader(http.StatusNoContent)
}
