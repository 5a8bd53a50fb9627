package sandbox

import (
	"net/http"
	"regexp"
	"slices"
	"time"
)

// Factors and admin roles of users (issue 10 point 8):
//
//	GET    /api/v1/users/{id}/factors                     listFactors
//	POST   /api/v1/users/{id}/factors[?activate=true]     enrollFactor
//	GET    /api/v1/users/{id}/factors/catalog             listSupportedFactors
//	GET    /api/v1/users/{id}/factors/{factorId}          getFactor
//	DELETE /api/v1/users/{id}/factors/{factorId}          unenrollFactor
//	POST   /api/v1/users/{id}/factors/{factorId}/lifecycle/activate
//	POST   /api/v1/users/{id}/lifecycle/reset_factors     resetFactors
//	GET    /api/v1/users/{id}/roles                       listAssignedRolesForUser
//	POST   /api/v1/users/{id}/roles                       assignRoleToUser (201)
//	GET    /api/v1/users/{id}/roles/{roleId}              getUserAssignedRole
//	DELETE /api/v1/users/{id}/roles/{roleId}              unassignRoleFromUser (204)
//
// Every user starts with the factors an org's users usually have (an active
// email factor with the user's primary email), and the admin behind the
// default API token holds SUPER_ADMIN. Changes write System Log events with
// Okta's event types (user.mfa.factor.activate / deactivate / reset_all,
// user.account.privilege.grant / revoke), so the Okta Devices event cards
// see them.

type userFactor struct {
	ID          string
	FactorType  string
	Provider    string
	Status      string
	Created     time.Time
	LastUpdated time.Time
	Profile     map[string]any
}

type roleAssignment struct {
	ID          string
	Type        string
	Created     time.Time
	LastUpdated time.Time
}

// userExtras holds a user's factors and roles; the first access seeds them.
type userExtras struct {
	seeded  bool
	factors []*userFactor
	roles   []*roleAssignment
}

// roleLabels are Okta's standard admin roles.
var roleLabels = map[string]string{
	"SUPER_ADMIN":                 "Super Administrator",
	"ORG_ADMIN":                   "Organization Administrator",
	"APP_ADMIN":                   "Application Administrator",
	"USER_ADMIN":                  "Group Administrator",
	"HELP_DESK_ADMIN":             "Help Desk Administrator",
	"READ_ONLY_ADMIN":             "Read Only Administrator",
	"MOBILE_ADMIN":                "Mobile Administrator",
	"API_ACCESS_MANAGEMENT_ADMIN": "API Access Management Administrator",
	"REPORT_ADMIN":                "Report Administrator",
	"GROUP_MEMBERSHIP_ADMIN":      "Group Membership Administrator",
}

// factorKinds: factor type -> id prefix, default provider, vendor name.
var factorKinds = map[string]struct{ prefix, provider, vendor string }{
	"email":               {"emf", "OKTA", "OKTA"},
	"sms":                 {"mbl", "OKTA", "OKTA"},
	"call":                {"clf", "OKTA", "OKTA"},
	"question":            {"ufs", "OKTA", "OKTA"},
	"push":                {"opf", "OKTA", "OKTA"},
	"token:software:totp": {"ost", "OKTA", "OKTA"},
	"webauthn":            {"fwf", "FIDO", "FIDO"},
}

func (s *Server) extrasLocked(u *user) *userExtras {
	if s.userExtra == nil {
		s.userExtra = map[string]*userExtras{}
	}
	x := s.userExtra[u.ID]
	if x == nil {
		x = &userExtras{}
		s.userExtra[u.ID] = x
	}
	if !x.seeded {
		x.seeded = true
		if email, _ := u.Profile["email"].(string); email != "" && u.Status != StatusStaged && u.Status != StatusProvisioned {
			x.factors = append(x.factors, &userFactor{ID: "emf" + u.ID[3:], FactorType: "email", Provider: "OKTA", Status: "ACTIVE",
				Created: u.Created, LastUpdated: u.Created, Profile: map[string]any{"email": email}})
		}
		if u.ID == s.adminID || u.Admin {
			x.roles = append(x.roles, &roleAssignment{ID: "ra1" + u.ID[3:], Type: "SUPER_ADMIN", Created: u.Created, LastUpdated: u.Created})
		}
	}
	return x
}

func (f *userFactor) render(base, userID string) map[string]any {
	k := factorKinds[f.FactorType]
	self := base + "/api/v1/users/" + userID + "/factors/" + f.ID
	links := map[string]any{"self": map[string]any{"href": self, "hints": map[string]any{"allow": []string{"GET", "DELETE"}}},
		"user": map[string]any{"href": base + "/api/v1/users/" + userID, "hints": map[string]any{"allow": []string{"GET"}}}}
	if f.Status == "PENDING_ACTIVATION" {
		links["activate"] = map[string]any{"href": self + "/lifecycle/activate", "hints": map[string]any{"allow": []string{"POST"}}}
	} else {
		links["verify"] = map[string]any{"href": self + "/verify", "hints": map[string]any{"allow": []string{"POST"}}}
	}
	profile := f.Profile
	if profile == nil {
		profile = map[string]any{}
	}
	return map[string]any{"id": f.ID, "factorType": f.FactorType, "provider": f.Provider, "vendorName": k.vendor,
		"status": f.Status, "created": fmtTime(f.Created), "lastUpdated": fmtTime(f.LastUpdated),
		"profile": cloneJSON(profile), "_links": links}
}

func (r *roleAssignment) render(base, userID string) map[string]any {
	return map[string]any{"id": r.ID, "label": roleLabels[r.Type], "type": r.Type, "status": "ACTIVE",
		"created": fmtTime(r.Created), "lastUpdated": fmtTime(r.LastUpdated), "assignmentType": "USER",
		"_links": map[string]any{"assignee": map[string]any{"href": base + "/api/v1/users/" + userID}}}
}

// matchUserExtras routes /users/{id}/factors…, /users/{id}/roles… and
// /users/{id}/lifecycle/reset_factors; ok is false for other paths.
func matchUserExtras(method string, segs []string) (route, bool) {
	if len(segs) < 3 {
		return route{}, false
	}
	nm := func(b string) (route, bool) { return route{bucket: b, methodNotAllowed: true}, true }
	switch {
	case len(segs) == 4 && segs[2] == "lifecycle" && segs[3] == "reset_factors":
		if method == http.MethodPost {
			return read(BucketUserWrite, "okta.users.manage", (*Server).resetFactors), true
		}
		return nm(BucketUserWrite)
	case segs[2] == "factors":
		switch {
		case len(segs) == 3 && method == http.MethodGet:
			return read(BucketUser, "okta.users.read", (*Server).listFactors), true
		case len(segs) == 3 && method == http.MethodPost:
			return read(BucketUserWrite, "okta.users.manage", (*Server).enrollFactor), true
		case len(segs) == 4 && segs[3] == "catalog" && method == http.MethodGet:
			return read(BucketUser, "okta.users.read", (*Server).factorCatalog), true
		case len(segs) == 4 && method == http.MethodGet:
			return read(BucketUser, "okta.users.read", (*Server).getFactor), true
		case len(segs) == 4 && method == http.MethodDelete:
			return read(BucketUserWrite, "okta.users.manage", (*Server).deleteFactor), true
		case len(segs) == 6 && segs[4] == "lifecycle" && segs[5] == "activate" && method == http.MethodPost:
			return read(BucketUserWrite, "okta.users.manage", (*Server).activateFactor), true
		case len(segs) <= 6:
			return nm(BucketUserWrite)
		}
	case segs[2] == "roles":
		switch {
		case len(segs) == 3 && method == http.MethodGet:
			return read(BucketUser, "okta.roles.read", (*Server).listUserRoles), true
		case len(segs) == 3 && method == http.MethodPost:
			return read(BucketUserWrite, "okta.roles.manage", (*Server).assignUserRole), true
		case len(segs) == 4 && method == http.MethodGet:
			return read(BucketUser, "okta.roles.read", (*Server).getUserRole), true
		case len(segs) == 4 && method == http.MethodDelete:
			return read(BucketUserWrite, "okta.roles.manage", (*Server).unassignUserRole), true
		case len(segs) <= 4:
			return nm(BucketUserWrite)
		}
	}
	return route{}, false
}

// withUserExtras runs fn under s.mu with the user named by segs[1] and its extras; a missing user
// answers 404 and fn does not run.
func (s *Server) withUserExtras(w http.ResponseWriter, rc *reqCtx, segs []string, fn func(u *user, x *userExtras)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userOr404(w, rc, segs[1])
	if u == nil {
		return
	}
	fn(u, s.extrasLocked(u))
}

// indexOr404 is the index of the item whose id is id, or -1 after answering 404 for kind.
func indexOr404[T any](w http.ResponseWriter, items []T, id, kind string, idOf func(T) string) int {
	i := slices.IndexFunc(items, func(it T) bool { return idOf(it) == id })
	if i < 0 {
		notFound(w, id, kind)
	}
	return i
}

func (s *Server) factorOr404(w http.ResponseWriter, x *userExtras, id string) int {
	return indexOr404(w, x.factors, id, "UserFactor", func(f *userFactor) string { return f.ID })
}

func (s *Server) roleOr404(w http.ResponseWriter, x *userExtras, id string) int {
	return indexOr404(w, x.roles, id, "Role", func(ra *roleAssignment) string { return ra.ID })
}

// userRenderer is an item listed under a user (factor, role assignment).
type userRenderer interface {
	render(base, userID string) map[string]any
}

// renderAll answers 200 with every item rendered for the user.
func renderAll[T userRenderer](w http.ResponseWriter, rc *reqCtx, u *user, items []T) {
	out := []any{}
	for _, it := range items {
		out = append(out, it.render(rc.base, u.ID))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) listFactors(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.withUserExtras(w, rc, segs, func(u *user, x *userExtras) { renderAll(w, rc, u, x.factors) })
}

func (s *Server) factorCatalog(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.withUserExtras(w, rc, segs, func(u *user, x *userExtras) {
		types := make([]string, 0, len(factorKinds))
		for t := range factorKinds {
			types = append(types, t)
		}
		slices.Sort(types)
		out := []any{}
		for _, t := range types {
			status := "NOT_SETUP"
			for _, f := range x.factors {
				if f.FactorType == t {
					status = f.Status
				}
			}
			out = append(out, map[string]any{"factorType": t, "provider": factorKinds[t].provider, "vendorName": factorKinds[t].vendor,
				"status": status, "enrollment": "OPTIONAL", "_links": map[string]any{}})
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func (s *Server) getFactor(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.withUserExtras(w, rc, segs, func(u *user, x *userExtras) {
		if i := s.factorOr404(w, x, segs[3]); i >= 0 {
			writeJSON(w, http.StatusOK, x.factors[i].render(rc.base, u.ID))
		}
	})
}

var phoneRe = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`) // E.164, as the spec

func (s *Server) enrollFactor(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	var in struct {
		FactorType string         `json:"factorType"`
		Provider   string         `json:"provider"`
		Profile    map[string]any `json:"profile"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	k, ok := factorKinds[in.FactorType]
	if !ok {
		validationErr(w, "factorType: unsupported factor type "+quote(in.FactorType))
		return
	}
	if in.Provider == "" {
		in.Provider = k.provider
	}
	str := func(key string) string { v, _ := in.Profile[key].(string); return v }
	switch in.FactorType {
	case "email":
		if str("email") == "" {
			validationErr(w, "profile.email: The field cannot be left blank")
			return
		}
	case "sms", "call":
		if !phoneRe.MatchString(str("phoneNumber")) {
			validationErr(w, "profile.phoneNumber: Invalid Phone Number (E.164, such as +14155550100).")
			return
		}
	case "question":
		if str("question") == "" || len(str("answer")) < 4 {
			validationErr(w, "profile.answer: The security question answer must be at least 4 characters in length")
			return
		}
	}
	activate, ok := boolParam(w, r.URL.Query(), "activate", false)
	if !ok {
		return
	}
	s.withUserExtras(w, rc, segs, func(u *user, x *userExtras) {
		for _, f := range x.factors {
			if f.FactorType == in.FactorType && f.Status == "ACTIVE" {
				writeErr(w, http.StatusBadRequest, "E0000001", "Api validation failed: factorEnrollRequest",
					"A factor of this type is already set up.")
				return
			}
		}
		now := time.Now().UTC()
		profile := map[string]any{}
		for key, v := range in.Profile {
			if key != "answer" {
				profile[key] = v
			}
		}
		f := &userFactor{ID: s.ids.next(k.prefix), FactorType: in.FactorType, Provider: in.Provider, Status: "PENDING_ACTIVATION",
			Created: now, LastUpdated: now, Profile: profile}
		if activate || in.FactorType == "question" {
			f.Status = "ACTIVE"
			s.emitLocked(rc, "user.mfa.factor.activate", "Activate factor or authenticator", "INFO", []LogTarget{userTarget(u)})
		}
		x.factors = append(x.factors, f)
		writeJSON(w, http.StatusOK, f.render(rc.base, u.ID))
	})
}

var passCodeRe = regexp.MustCompile(`^[0-9]{6,8}$`)

func (s *Server) activateFactor(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	var in struct {
		PassCode string `json:"passCode"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	s.withUserExtras(w, rc, segs, func(u *user, x *userExtras) {
		i := s.factorOr404(w, x, segs[3])
		if i < 0 {
			return
		}
		f := x.factors[i]
		if f.Status != "PENDING_ACTIVATION" {
			writeErr(w, http.StatusBadRequest, "E0000001", "Api validation failed: factor", "The factor is not pending activation.")
			return
		}
		if !passCodeRe.MatchString(in.PassCode) {
			writeErr(w, http.StatusForbidden, "E0000068", "Invalid Passcode/Answer", "Your passcode doesn't match our records. Please try again.")
			return
		}
		f.Status, f.LastUpdated = "ACTIVE", time.Now().UTC()
		s.emitLocked(rc, "user.mfa.factor.activate", "Activate factor or authenticator", "INFO", []LogTarget{userTarget(u)})
		writeJSON(w, http.StatusOK, f.render(rc.base, u.ID))
	})
}

func (s *Server) deleteFactor(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.withUserExtras(w, rc, segs, func(u *user, x *userExtras) {
		if i := s.factorOr404(w, x, segs[3]); i >= 0 {
			x.factors = slices.Delete(x.factors, i, i+1)
			s.emitLocked(rc, "user.mfa.factor.deactivate", "Reset factor for user", "INFO", []LogTarget{userTarget(u)})
			w.WriteHeader(http.StatusNoContent)
		}
	})
}

func (s *Server) resetFactors(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	if _, ok := boolParam(w, r.URL.Query(), "removeRecoveryEnrollment", false); !ok {
		return
	}
	s.withUserExtras(w, rc, segs, func(u *user, x *userExtras) {
		x.factors = nil
		s.emitLocked(rc, "user.mfa.factor.reset_all", "Reset all factors for user", "INFO", []LogTarget{userTarget(u)})
		writeJSON(w, http.StatusOK, map[string]any{})
	})
}

func (s *Server) listUserRoles(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.withUserExtras(w, rc, segs, func(u *user, x *userExtras) { renderAll(w, rc, u, x.roles) })
}

func (s *Server) getUserRole(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.withUserExtras(w, rc, segs, func(u *user, x *userExtras) {
		if i := s.roleOr404(w, x, segs[3]); i >= 0 {
			writeJSON(w, http.StatusOK, x.roles[i].render(rc.base, u.ID))
		}
	})
}

func (s *Server) assignUserRole(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	var in struct {
		Type string `json:"type"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if _, ok := roleLabels[in.Type]; !ok {
		validationErr(w, "type: Invalid role type "+quote(in.Type))
		return
	}
	if _, ok := boolParam(w, r.URL.Query(), "disableNotifications", false); !ok {
		return
	}
	s.withUserExtras(w, rc, segs, func(u *user, x *userExtras) {
		for _, ra := range x.roles {
			if ra.Type == in.Type {
				writeErr(w, http.StatusConflict, "E0000090", "Duplicate role assignment exception.",
					"The role specified is already assigned to the user.")
				return
			}
		}
		now := time.Now().UTC()
		ra := &roleAssignment{ID: s.ids.next("ra1"), Type: in.Type, Created: now, LastUpdated: now}
		x.roles = append(x.roles, ra)
		s.emitLocked(rc, "user.account.privilege.grant", "Grant user privilege", "INFO", []LogTarget{userTarget(u)})
		writeJSON(w, http.StatusCreated, ra.render(rc.base, u.ID))
	})
}

func (s *Server) unassignUserRole(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.withUserExtras(w, rc, segs, func(u *user, x *userExtras) {
		if i := s.roleOr404(w, x, segs[3]); i >= 0 {
			x.roles = slices.Delete(x.roles, i, i+1)
			s.emitLocked(rc, "user.account.privilege.revoke", "Revoke user privilege", "INFO", []LogTarget{userTarget(u)})
			w.WriteHeader(http.StatusNoContent)
		}
	})
}

func quote(s string) string { return "\"" + s + "\"" }
