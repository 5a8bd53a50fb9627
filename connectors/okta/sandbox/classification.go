package sandbox

import (
	"net/http"
	"time"
)

// User classification (LITE / STANDARD), Okta's newer Users API
// (GET/PUT /api/v1/users/{id}/classification). It is not in okta-sdk-golang
// v5.0.2's spec, so the fidelity test does not cover it; the shape follows
// Okta's API reference: {"type": "LITE", "lastUpdated": "…"}.

type classification struct {
	Type        string    `json:"type"`
	LastUpdated time.Time `json:"lastUpdated"`
}

func (s *Server) getClassification(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u := s.userOr404(w, rc, segs[1])
	if u == nil {
		return
	}
	writeJSON(w, http.StatusOK, u.classification())
}

func (s *Server) putClassification(w http.ResponseWriter, r *http.Request, rc *reqCtx, segs []string) {
	var in struct {
		Type string `json:"type"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if in.Type != "LITE" && in.Type != "STANDARD" {
		validationErr(w, "type: must be LITE or STANDARD")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userOr404(w, rc, segs[1])
	if u == nil {
		return
	}
	now := time.Now().UTC()
	u.Classification, u.ClassificationUpdated, u.LastUpdated = in.Type, now, now
	s.emitLocked(rc, "user.classification.update", "Update user classification", "INFO", []LogTarget{userTarget(u)})
	writeJSON(w, http.StatusOK, u.classification())
}

func (u *user) classification() classification {
	c := classification{Type: u.Classification, LastUpdated: u.ClassificationUpdated}
	if c.Type == "" {
		c.Type, c.LastUpdated = "STANDARD", u.Created
	}
	return c
}
