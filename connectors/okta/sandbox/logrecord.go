package sandbox

import "fmt"

// RecordEvent writes a System Log event that the sandbox has no API for
// (a sign-in, a verification SMS, an import run, an authenticator changed
// in the Admin Console): actor the admin, the given targets, outcome
// SUCCESS with reason. Like every event it reaches the System Log API and
// the org's event hooks. It returns the event's uuid.
func (s *Server) RecordEvent(eventType, message, reason string, targets ...LogTarget) (string, error) {
	if eventType == "" {
		return "", fmt.Errorf("sandbox: RecordEvent needs an event type")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rc := &reqCtx{p: &principal{kind: "SSWS", userID: s.adminID}, reqID: randID("", 27), ip: "127.0.0.1", uri: "/admin"}
	hooks := s.hooks // the reason goes out with the event: enqueue after setting it
	s.hooks = nil
	e := s.emitLocked(rc, eventType, message, "INFO", targets)
	s.hooks = hooks
	e.Outcome.Reason = reason
	if hooks != nil {
		hooks.enqueue(e)
	}
	return e.UUID, nil
}

// UserTarget is the System Log target of a user (by id or login).
func (s *Server) UserTarget(idOrLogin string) (LogTarget, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.findUserLocked(nil, idOrLogin)
	if u == nil {
		return LogTarget{}, false
	}
	return userTarget(u), true
}
