package sandbox

import (
	"net/http"
	"time"
)

// Application lifecycle (issue 10 point 8: the Okta connector's Activate and
// Deactivate Application cards; Delete for Custom API Action flows):
//
//	POST   /api/v1/apps/{id}/lifecycle/activate     activateApplication (200, {})
//	POST   /api/v1/apps/{id}/lifecycle/deactivate   deactivateApplication (200, {})
//	DELETE /api/v1/apps/{id}                        deleteApplication (204; 403 E0000056 while ACTIVE)
//
// Changes write application.lifecycle.* System Log events, which the
// Application Activated / Deactivated / Deleted event cards see.

// matchAppExtras routes the application lifecycle and delete; ok is false
// for other /apps paths.
func matchAppExtras(method string, segs []string) (route, bool) {
	switch {
	case len(segs) == 4 && segs[2] == "lifecycle" && (segs[3] == "activate" || segs[3] == "deactivate"):
		if method != http.MethodPost {
			return route{bucket: BucketApp, methodNotAllowed: true}, true
		}
		return read(BucketApp, "okta.apps.manage", (*Server).appLifecycle), true
	case len(segs) == 2 && method == http.MethodDelete:
		return read(BucketApp, "okta.apps.manage", (*Server).deleteApp), true
	}
	return route{}, false
}

func (s *Server) appLifecycle(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.appOr404(w, segs[1])
	if a == nil {
		return
	}
	to := map[string]string{"activate": StatusActive, "deactivate": "INACTIVE"}[segs[3]]
	if a.Status != to { // Okta answers 200 for an app already in the state, without an event
		a.Status, a.LastUpdated = to, time.Now().UTC()
		msg := map[string]string{"activate": "Activate application", "deactivate": "Deactivate application"}[segs[3]]
		s.emitLocked(rc, "application.lifecycle."+segs[3], msg, "INFO", []LogTarget{appTarget(a)})
	}
	writeRaw(w, http.StatusOK, []byte("{}"))
}

func (s *Server) deleteApp(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.appOr404(w, segs[1])
	if a == nil {
		return
	}
	if a.Status == StatusActive {
		writeErr(w, http.StatusForbidden, "E0000056", "Delete application forbidden.",
			"The application must be deactivated before it can be deleted.")
		return
	}
	delete(s.apps, a.ID)
	s.appIDs = sortedRemove(s.appIDs, a.ID)
	s.emitLocked(rc, "application.lifecycle.delete", "Delete application", "INFO", []LogTarget{appTarget(a)})
	w.WriteHeader(http.StatusNoContent)
}
