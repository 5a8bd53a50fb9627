package sandbox

import "fmt"

// EnrollDevice registers a new device for a user as Okta Verify's
// enrollment does (Okta has no management API for it) and writes the
// System Log events Okta writes then: device.enrollment.create with the
// user as actor, and device.user.add linking the device to the user. Both
// targets carry the device's detailEntry (platform, registration). It
// returns the device id.
func (s *Server) EnrollDevice(idOrLogin, platform, displayName string) (string, error) {
	id, ok := s.AddDevice(idOrLogin, platform, displayName)
	if !ok {
		return "", fmt.Errorf("sandbox: no user %q", idOrLogin)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.findUserLocked(nil, idOrLogin)
	d := s.devicesLocked().byID[id]
	dt := deviceTarget(d)
	dt.DetailEntry = map[string]any{"platform": platform, "registered": true, "osVersion": d.Profile["osVersion"]}
	if dt.DetailEntry["osVersion"] == nil {
		delete(dt.DetailEntry, "osVersion")
	}
	rc := &reqCtx{p: &principal{kind: "SSWS", userID: u.ID}, reqID: randID("", 27), ip: "127.0.0.1", ua: "OktaVerify", uri: "/idp/authenticators"}
	s.emitLocked(rc, "device.enrollment.create", "Enroll new device", "INFO", []LogTarget{dt})
	s.emitLocked(rc, "device.user.add", "Add device to user", "INFO", []LogTarget{dt, userTarget(u)})
	return id, nil
}
