package sandbox

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Okta's WebAuthn Preregistration API (management API, tag
// WebAuthnPreregistration; testdata/webauthn-preregistration-openapi.yaml
// holds its description and the tests validate every exchange against it),
// which the Yubico FIDO Pre-registration template calls:
//
//	POST   /webauthn-registration/api/v1/enroll                          enrollPreregistrationEnrollment (200)
//	POST   /webauthn-registration/api/v1/activate                        activatePreregistrationEnrollment (200)
//	POST   /webauthn-registration/api/v1/send-pin                        sendPin (204)
//	POST   /webauthn-registration/api/v1/initiate-fulfillment-request    generateFulfillmentRequest (204)
//	GET    /webauthn-registration/api/v1/users/{userId}/enrollments      listWebAuthnPreregistrationFactors
//	DELETE /webauthn-registration/api/v1/users/{userId}/enrollments/{id} deleteWebAuthnPreregistrationFactor (204)
//	POST   /webauthn-registration/api/v1/users/{userId}/enrollments/{id}/mark-error  (204; status FULFILLMENT_ERRORED)
//
// An enrollment is one of the user's factors (webauthn, FIDO): enroll makes
// one PENDING_ACTIVATION factor per relying party id (the org's host when
// none is given) and answers the credential requests and PIN request for the
// fulfillment provider as compact JWEs; activate takes the provider's
// credential responses and PIN response and makes the factors ACTIVE
// (user.mfa.factor.activate in the System Log). Okta decrypts and verifies
// those JWEs with its key pairs; the sandbox checks their compact form
// (five base64url parts), the signing keys' JWK fields and that every
// enrollment belongs to the user and is pending. The fulfillment provider is
// "yubico", the only one Okta lists. Unknown users and enrollments are 404
// E0000007, a malformed body 400 E0000001.

const webauthnScopeManage, webauthnScopeRead = "okta.users.manage", "okta.users.read"

// preregistration is the provider-side state of an enrollment factor.
type preregistration struct {
	rpID    string
	pinSent int
}

// matchWebAuthnPrereg routes the parts of a path after
// /webauthn-registration/api/v1/.
func matchWebAuthnPrereg(method string, segs []string) route {
	rt := func(scope string, h handlerFunc) route {
		return route{bucket: BucketOther, auth: true, scope: scope, h: h}
	}
	nm := route{bucket: BucketOther, methodNotAllowed: true}
	switch {
	case len(segs) == 1:
		h := map[string]handlerFunc{"enroll": (*Server).webauthnEnroll, "activate": (*Server).webauthnActivate,
			"send-pin": (*Server).webauthnSendPin, "initiate-fulfillment-request": (*Server).webauthnFulfillment}[segs[0]]
		if h == nil {
			break
		}
		if method != http.MethodPost {
			return nm
		}
		return rt(webauthnScopeManage, h)
	case len(segs) == 3 && segs[0] == "users" && segs[2] == "enrollments":
		if method != http.MethodGet {
			return nm
		}
		return rt(webauthnScopeRead, (*Server).webauthnList)
	case len(segs) == 4 && segs[0] == "users" && segs[2] == "enrollments":
		if method != http.MethodDelete {
			return nm
		}
		return rt(webauthnScopeManage, (*Server).webauthnDelete)
	case len(segs) == 5 && segs[0] == "users" && segs[2] == "enrollments" && segs[4] == "mark-error":
		if method != http.MethodPost {
			return nm
		}
		return rt(webauthnScopeManage, (*Server).webauthnMarkError)
	}
	return route{bucket: BucketOther}
}

// jwePart is base64url text, as each part of a compact JWE.
func jwePart(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// isCompactJWE: five base64url parts, the first a JSON header.
func isCompactJWE(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 5 {
		return false
	}
	h, err := base64.RawURLEncoding.DecodeString(parts[0])
	return err == nil && strings.HasPrefix(strings.TrimSpace(string(h)), "{")
}

// fakeJWE is a compact JWE-shaped token (ECDH-ES on P-384) for a payload the
// fulfillment provider would decrypt; the sandbox does not encrypt it.
func (s *Server) fakeJWE(kid, payload string) string {
	hdr := fmt.Sprintf(`{"alg":"ECDH-ES","enc":"A256GCM","kid":%q}`, kid)
	return jwePart([]byte(hdr)) + ".." + jwePart([]byte(s.ids.token("", 16))) + "." + jwePart([]byte(payload)) + "." + jwePart([]byte(s.ids.token("", 16)))
}

// checkECJWK checks an ECKeyJWK (all of x, y, kty EC, crv P-384, use, kid).
func (c *govCheck) ecJWK(m map[string]any, path, use string) {
	if m == nil {
		c.fail("%s: The field cannot be left blank", path)
		return
	}
	c.str(m, "x", path+".x", true, 1, 0)
	c.str(m, "y", path+".y", true, 1, 0)
	c.str(m, "kid", path+".kid", true, 1, 0)
	c.enum(m, "kty", path+".kty", true, "EC")
	c.enum(m, "crv", path+".crv", true, "P-384")
	if u := c.enum(m, "use", path+".use", true, "enc", "sig"); u != "" && u != use {
		c.fail("%s.use: must be %q here", path, use)
	}
}

// webauthnUserLocked reads the body's userId: nil after answering 400 (no
// id) or 404 (no such user).
func (s *Server) webauthnUserLocked(w http.ResponseWriter, c *govCheck, b map[string]any) *user {
	c.enum(b, "fulfillmentProvider", "fulfillmentProvider", true, "yubico")
	id := c.str(b, "userId", "userId", true, 1, 0)
	if len(c.causes) > 0 {
		validationErr(w, c.causes...)
		return nil
	}
	u := s.users[id]
	if u == nil {
		notFound(w, id, "User")
	}
	return u
}

// preregFactorLocked finds a user's preregistered factor; nil when none.
func (s *Server) preregFactorLocked(u *user, id string) *userFactor {
	if s.prereg[id] == nil {
		return nil
	}
	for _, f := range s.extrasLocked(u).factors {
		if f.ID == id {
			return f
		}
	}
	return nil
}

func (s *Server) webauthnEnroll(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	var b map[string]any
	if !readJSON(w, r, &b) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &govCheck{s: s}
	key, _ := b["yubicoTransportKeyJWK"].(map[string]any)
	c.ecJWK(key, "yubicoTransportKeyJWK", "enc")
	var rps []string
	for i, v := range govList(b["enrollmentRpIds"]) {
		h, _ := v.(string)
		if h == "" || strings.ContainsAny(h, "/:") {
			c.fail("enrollmentRpIds[%d]: %q is not a relying party host name", i, h)
		}
		rps = append(rps, h)
	}
	u := s.webauthnUserLocked(w, c, b)
	if u == nil {
		return
	}
	if len(rps) == 0 {
		rps = []string{strings.TrimPrefix(strings.TrimPrefix(rc.base, "http://"), "https://")}
	}
	if s.prereg == nil {
		s.prereg = map[string]*preregistration{}
	}
	now := time.Now().UTC()
	x := s.extrasLocked(u)
	reqs := []any{}
	for _, rp := range rps {
		f := &userFactor{ID: s.ids.next("fwf"), FactorType: "webauthn", Provider: "FIDO", Status: "PENDING_ACTIVATION",
			Created: now, LastUpdated: now, Profile: map[string]any{"authenticatorName": "Preregistered security key", "rpId": rp}}
		x.factors = append(x.factors, f)
		s.prereg[f.ID] = &preregistration{rpID: rp}
		kid := s.ids.token("okta-", 12)
		reqs = append(reqs, map[string]any{"authenticatorEnrollmentId": f.ID, "keyId": kid,
			"credRequestJwe": s.fakeJWE(key["kid"].(string), fmt.Sprintf(`{"rpId":%q,"userId":%q,"enrollmentId":%q}`, rp, u.ID, f.ID))})
	}
	writeJSON(w, http.StatusOK, map[string]any{"credRequests": reqs, "fulfillmentProvider": "yubico", "userId": u.ID,
		"pinRequestJwe": s.fakeJWE(key["kid"].(string), fmt.Sprintf(`{"userId":%q}`, u.ID))})
}

func (s *Server) webauthnActivate(w http.ResponseWriter, r *http.Request, rc *reqCtx, _ []string) {
	var b map[string]any
	if !readJSON(w, r, &b) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &govCheck{s: s}
	if p := c.str(b, "pinResponseJwe", "pinResponseJwe", true, 1, 0); p != "" && !isCompactJWE(p) {
		c.fail("pinResponseJwe: is not a compact JWE")
	}
	keys := govList(b["yubicoSigningJwks"])
	if len(keys) == 0 {
		c.fail("yubicoSigningJwks: The field cannot be left blank")
	}
	for i, k := range keys {
		km, _ := k.(map[string]any)
		c.ecJWK(km, fmt.Sprintf("yubicoSigningJwks[%d]", i), "sig")
	}
	resps := govList(b["credResponses"])
	if len(resps) == 0 {
		c.fail("credResponses: The field cannot be left blank")
	}
	u := s.webauthnUserLocked(w, c, b)
	if u == nil {
		return
	}
	var fs []*userFactor
	for i, cr := range resps {
		m, _ := cr.(map[string]any)
		id, _ := m["authenticatorEnrollmentId"].(string)
		if j, _ := m["credResponseJwe"].(string); !isCompactJWE(j) {
			c.fail("credResponses[%d].credResponseJwe: is not a compact JWE", i)
		}
		switch f := s.preregFactorLocked(u, id); {
		case f == nil:
			c.fail("credResponses[%d].authenticatorEnrollmentId: no preregistered enrollment %s of user %s", i, id, u.ID)
		case f.Status != "PENDING_ACTIVATION":
			c.fail("credResponses[%d].authenticatorEnrollmentId: enrollment %s is %s, not PENDING_ACTIVATION", i, id, f.Status)
		default:
			fs = append(fs, f)
		}
	}
	if len(c.causes) > 0 {
		validationErr(w, c.causes...)
		return
	}
	ids := []any{}
	now := time.Now().UTC()
	for _, f := range fs {
		f.Status, f.LastUpdated = "ACTIVE", now
		if v, ok := b["serial"].(string); ok {
			f.Profile["serial"] = v
		}
		if v, ok := b["version"].(string); ok {
			f.Profile["version"] = v
		}
		ids = append(ids, f.ID)
		s.emitLocked(rc, "user.mfa.factor.activate", "User set up MFA factor", "INFO", []LogTarget{userTarget(u)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"authenticatorEnrollmentIds": ids, "fulfillmentProvider": "yubico", "userId": u.ID})
}

// enrollmentBodyLocked reads {authenticatorEnrollmentId, userId,
// fulfillmentProvider}: the user's preregistered factor, nil after an answer.
func (s *Server) enrollmentBodyLocked(w http.ResponseWriter, b map[string]any) (*user, *userFactor) {
	c := &govCheck{s: s}
	id := c.str(b, "authenticatorEnrollmentId", "authenticatorEnrollmentId", true, 1, 0)
	u := s.webauthnUserLocked(w, c, b)
	if u == nil {
		return nil, nil
	}
	f := s.preregFactorLocked(u, id)
	if f == nil {
		notFound(w, id, "WebAuthnPreregistrationFactor")
	}
	return u, f
}

// webauthnSendPin: Okta emails the user the PIN it decoded at activation
// (the reference declares no 400 for it: any enrollment of the user is 204).
func (s *Server) webauthnSendPin(w http.ResponseWriter, r *http.Request, _ *reqCtx, _ []string) {
	var b map[string]any
	if !readJSON(w, r, &b) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, f := s.enrollmentBodyLocked(w, b)
	if f == nil {
		return
	}
	s.prereg[f.ID].pinSent++
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) webauthnFulfillment(w http.ResponseWriter, r *http.Request, _ *reqCtx, _ []string) {
	var b map[string]any
	if !readJSON(w, r, &b) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &govCheck{s: s}
	for i, d := range govList(b["fulfillmentData"]) {
		m, _ := d.(map[string]any)
		if m == nil {
			c.fail("fulfillmentData[%d]: must be an object", i)
			continue
		}
		c.str(m, "productId", fmt.Sprintf("fulfillmentData[%d].productId", i), true, 1, 0)
	}
	if s.webauthnUserLocked(w, c, b) == nil {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) renderPrereg(base, userID string, f *userFactor) map[string]any {
	return map[string]any{"id": f.ID, "factorType": f.FactorType, "provider": f.Provider, "vendorName": factorKinds[f.FactorType].vendor,
		"status": f.Status, "created": fmtTime(f.Created), "lastUpdated": fmtTime(f.LastUpdated), "profile": cloneJSON(f.Profile),
		"_links": map[string]any{"self": map[string]any{"href": base + "/webauthn-registration/api/v1/users/" + userID + "/enrollments/" + f.ID}}}
}

// pathPreregLocked is the user and the preregistered factor of a path's
// …/users/{userId}/…/{factorId}; a nil factor after a 404.
func (s *Server) pathPreregLocked(w http.ResponseWriter, segs []string) (*user, *userFactor) {
	u := s.pathUserLocked(w, segs[1])
	if u == nil {
		return nil, nil
	}
	f := s.preregFactorLocked(u, segs[3])
	if f == nil {
		notFound(w, segs[3], "WebAuthnPreregistrationFactor")
	}
	return u, f
}

// pathUserLocked is the user of a path's {userId}; nil after a 404.
func (s *Server) pathUserLocked(w http.ResponseWriter, id string) *user {
	u := s.users[id]
	if u == nil {
		notFound(w, id, "User")
	}
	return u
}

func (s *Server) webauthnList(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.pathUserLocked(w, segs[1])
	if u == nil {
		return
	}
	out := []any{}
	for _, f := range s.extrasLocked(u).factors {
		if s.prereg[f.ID] != nil {
			out = append(out, s.renderPrereg(rc.base, u.ID, f))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) webauthnDelete(w http.ResponseWriter, _ *http.Request, rc *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, f := s.pathPreregLocked(w, segs)
	if f == nil {
		return
	}
	x := s.extrasLocked(u)
	for i, g := range x.factors {
		if g == f {
			x.factors = append(x.factors[:i:i], x.factors[i+1:]...)
			break
		}
	}
	delete(s.prereg, f.ID)
	if f.Status == "ACTIVE" {
		s.emitLocked(rc, "user.mfa.factor.deactivate", "Reset factor for user", "INFO", []LogTarget{userTarget(u)})
	}
	w.WriteHeader(http.StatusNoContent)
}

// webauthnMarkError sets the FULFILLMENT_ERRORED status (the provider could
// not fulfil the order).
func (s *Server) webauthnMarkError(w http.ResponseWriter, _ *http.Request, _ *reqCtx, segs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, f := s.pathPreregLocked(w, segs)
	if f == nil {
		return
	}
	f.Status, f.LastUpdated = "FULFILLMENT_ERRORED", time.Now().UTC()
	w.WriteHeader(http.StatusNoContent)
}

// seedWebAuthnLocked gives the built-in seed's org one preregistered
// security key underway: Carol Okafor's enrollment, PENDING_ACTIVATION
// (its own id sequence, as seedGovernanceLocked).
func (s *Server) seedWebAuthnLocked() {
	u := s.userByLogin["carol.okafor@example.com"]
	if u == nil {
		return
	}
	ids := &idGen{n: 41_000_000, rnd: newIDGen().rnd}
	when := s.orgCreated.AddDate(1, 10, 0)
	rp := s.cfg.Subdomain + ".okta.com"
	f := &userFactor{ID: ids.next("fwf"), FactorType: "webauthn", Provider: "FIDO", Status: "PENDING_ACTIVATION",
		Created: when, LastUpdated: when, Profile: map[string]any{"authenticatorName": "Preregistered security key", "rpId": rp}}
	x := s.extrasLocked(u)
	x.factors = append(x.factors, f)
	if s.prereg == nil {
		s.prereg = map[string]*preregistration{}
	}
	s.prereg[f.ID] = &preregistration{rpID: rp}
}

// PendingPreregistration is a preregistered WebAuthn enrollment waiting for
// its security key (PENDING_ACTIVATION): its user's id and its id; ok is
// false when the org has none.
func (s *Server) PendingPreregistration() (userID, enrollmentID string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, uid := range s.userIDs {
		u := s.users[uid]
		if u == nil || s.userExtra[uid] == nil {
			continue
		}
		for _, f := range s.userExtra[uid].factors {
			if s.prereg[f.ID] != nil && f.Status == "PENDING_ACTIVATION" {
				return uid, f.ID, true
			}
		}
	}
	return "", "", false
}
