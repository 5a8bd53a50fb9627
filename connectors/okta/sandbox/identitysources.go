package sandbox

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Identity Source sessions (Anything-as-a-Source): a client opens a session
// on an identity source, uploads bulk upserts/deletes of user profiles keyed
// by externalId, and starts the import. Locally any app instance can serve
// as an identity source; the import runs synchronously when started (the
// response still says TRIGGERED, like Okta's; a later GET says COMPLETED).

// maxBulkProfiles is Okta's limit of profiles per bulk upload request.
const maxBulkProfiles = 200

type importSession struct {
	ID          string
	SourceID    string
	Status      string
	ImportType  string
	Created     time.Time
	LastUpdated time.Time
	upserts     []bulkProfile
	deletes     []string
}

type bulkProfile struct {
	ExternalID string         `json:"externalId"`
	Profile    map[string]any `json:"profile"`
}

func (is *importSession) render() map[string]any {
	return map[string]any{
		"id": is.ID, "identitySourceId": is.SourceID, "status": is.Status, "importType": is.ImportType,
		"created": fmtTime(is.Created), "lastUpdated": fmtTime(is.LastUpdated),
	}
}

// identitySourceLocked resolves segs[1] to an app serving as identity source.
func (s *Server) identitySourceLocked(w http.ResponseWriter, segs []string) *app {
	a := s.apps[segs[1]]
	if a == nil {
		notFound(w, segs[1], "IdentitySource")
	}
	return a
}

func (s *Server) importSessionLocked(w http.ResponseWriter, segs []string) *importSession {
	if s.identitySourceLocked(w, segs) == nil {
		return nil
	}
	is := s.importSessions[segs[3]]
	if is == nil || is.SourceID != segs[1] {
		notFound(w, segs[3], "IdentitySourceSession")
		return nil
	}
	return is
}

// GET /api/v1/identity-sources/{id}/sessions: the active sessions
// (CREATED or TRIGGERED), like Okta's.
func (s *Server) listImportSessions(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.identitySourceLocked(w, segs) == nil {
		return
	}
	var list []*importSession
	for _, is := range s.importSessions {
		if is.SourceID == segs[1] && (is.Status == "CREATED" || is.Status == "TRIGGERED") {
			list = append(list, is)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	out := make([]map[string]any, len(list))
	for i, is := range list {
		out[i] = is.render()
	}
	writeJSON(w, http.StatusOK, out)
}

// POST /api/v1/identity-sources/{id}/sessions
func (s *Server) createImportSession(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.identitySourceLocked(w, segs) == nil {
		return
	}
	for _, is := range s.importSessions {
		if is.SourceID == segs[1] && (is.Status == "CREATED" || is.Status == "TRIGGERED" || is.Status == "IN_PROGRESS") {
			validationErr(w, "identitySourceId: An open session ("+is.ID+") already exists for this identity source; delete it or wait for it to complete")
			return
		}
	}
	now := time.Now().UTC()
	is := &importSession{ID: s.ids.next("uij"), SourceID: segs[1], Status: "CREATED", ImportType: "INCREMENTAL", Created: now, LastUpdated: now}
	s.importSessions[is.ID] = is
	writeJSON(w, http.StatusOK, is.render())
}

// GET /api/v1/identity-sources/{id}/sessions/{sessionId}
func (s *Server) getImportSession(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if is := s.importSessionLocked(w, segs); is != nil {
		writeJSON(w, http.StatusOK, is.render())
	}
}

// DELETE /api/v1/identity-sources/{id}/sessions/{sessionId}
func (s *Server) deleteImportSession(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.importSessionLocked(w, segs)
	if is == nil {
		return
	}
	if is.Status == "TRIGGERED" || is.Status == "IN_PROGRESS" {
		validationErr(w, "sessionId: A session that is being processed cannot be deleted")
		return
	}
	delete(s.importSessions, is.ID)
	w.WriteHeader(http.StatusNoContent)
}

// POST /api/v1/identity-sources/{id}/sessions/{sessionId}/bulk-upsert and /bulk-delete
func bulkImportUpload(del bool) handlerFunc {
	return func(s *Server, w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
		var in struct {
			EntityType string        `json:"entityType"`
			Profiles   []bulkProfile `json:"profiles"`
		}
		if !readJSON(w, r, &in) {
			return
		}
		if in.EntityType != "USERS" {
			validationErr(w, "entityType: must be USERS")
			return
		}
		if len(in.Profiles) == 0 || len(in.Profiles) > maxBulkProfiles {
			validationErr(w, "profiles: between 1 and 200 profiles are required")
			return
		}
		for i, p := range in.Profiles {
			if strings.TrimSpace(p.ExternalID) == "" {
				validationErr(w, "profiles["+strconv.Itoa(i)+"].externalId: The field cannot be left blank")
				return
			}
			if !del {
				if un, _ := p.Profile["userName"].(string); strings.TrimSpace(un) == "" {
					validationErr(w, "profiles["+strconv.Itoa(i)+"].profile.userName: The field cannot be left blank")
					return
				}
			}
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		is := s.importSessionLocked(w, segs)
		if is == nil {
			return
		}
		if is.Status != "CREATED" {
			validationErr(w, "sessionId: Data can only be uploaded to a session in CREATED status (this one is "+is.Status+")")
			return
		}
		for _, p := range in.Profiles {
			if del {
				is.deletes = append(is.deletes, p.ExternalID)
			} else {
				is.upserts = append(is.upserts, p)
			}
		}
		is.LastUpdated = time.Now().UTC()
		w.WriteHeader(http.StatusAccepted)
	}
}

// POST /api/v1/identity-sources/{id}/sessions/{sessionId}/start-import
func (s *Server) startImport(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.importSessionLocked(w, segs)
	if is == nil {
		return
	}
	if is.Status != "CREATED" {
		validationErr(w, "sessionId: Only a session in CREATED status can be started (this one is "+is.Status+")")
		return
	}
	now := time.Now().UTC()
	is.Status, is.LastUpdated = "TRIGGERED", now
	out := is.render()
	s.runImportLocked(rc, is, now)
	is.Status, is.upserts, is.deletes = "COMPLETED", nil, nil
	writeJSON(w, http.StatusOK, out)
}

// runImportLocked applies a session's uploads: upserts create (ACTIVE) or
// update users linked to the source by externalId (or found by login);
// deletes deactivate the linked users.
func (s *Server) runImportLocked(rc *reqCtx, is *importSession, now time.Time) {
	key := func(ext string) string { return is.SourceID + "/" + ext }
	for _, p := range is.upserts {
		prof := map[string]any{}
		for k, v := range p.Profile {
			if k != "userName" && v != nil {
				prof[k] = v
			}
		}
		login, _ := p.Profile["userName"].(string)
		prof["login"] = login
		if _, ok := prof["email"]; !ok {
			prof["email"] = login
		}
		u := s.users[s.importLinks[key(p.ExternalID)]]
		if u == nil {
			u = s.findUserLocked(nil, login)
		}
		if u == nil {
			if causes := s.validateProfileLocked(prof, nil); len(causes) > 0 {
				continue // Okta skips the record and reports it in the import summary
			}
			u = &user{ID: s.ids.next("00u"), Status: StatusActive, Created: now, LastUpdated: now, Activated: now,
				StatusChanged: now, TypeID: userTypeID, Profile: prof, Groups: map[string]bool{}}
			s.insertUserLocked(u)
			s.emitLocked(rc, "user.lifecycle.create", "Create okta user", "INFO", []LogTarget{userTarget(u)})
			s.emitLocked(rc, "user.lifecycle.activate", "Activate Okta user", "INFO", []LogTarget{userTarget(u)})
		} else {
			merged := make(map[string]any, len(u.Profile)+len(prof))
			for k, v := range u.Profile {
				merged[k] = v
			}
			for k, v := range prof {
				merged[k] = v
			}
			if causes := s.validateProfileLocked(merged, u); len(causes) > 0 {
				continue
			}
			old := strings.ToLower(u.login())
			u.Profile, u.LastUpdated = merged, now
			if nl := strings.ToLower(u.login()); nl != old {
				delete(s.userByLogin, old)
				s.userByLogin[nl] = u
			}
			s.emitLocked(rc, "user.account.update_profile", "Update user profile for Okta", "INFO", []LogTarget{userTarget(u)})
		}
		s.importLinks[key(p.ExternalID)] = u.ID
	}
	for _, ext := range is.deletes {
		if u := s.users[s.importLinks[key(ext)]]; u != nil && u.Status != StatusDeprovisioned {
			s.deactivateLocked(rc, u, now)
		}
	}
}
