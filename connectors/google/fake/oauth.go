package fake

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2/jws"
)

func tokenErr(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]any{"error": code, "error_description": desc})
}

// token is Google's token endpoint: the JWT bearer grant of service
// accounts, the authorization code grant with PKCE, and refresh tokens.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		tokenErr(w, 400, "invalid_request", "The request body is not a form.")
		return
	}
	switch r.PostForm.Get("grant_type") {
	case "urn:ietf:params:oauth:grant-type:jwt-bearer":
		s.jwtGrant(w, r)
	case "authorization_code":
		s.codeGrant(w, r)
	case "refresh_token":
		s.refreshGrant(w, r)
	default:
		tokenErr(w, 400, "unsupported_grant_type", "Invalid grant_type: "+r.PostForm.Get("grant_type"))
	}
}

func (s *Server) jwtGrant(w http.ResponseWriter, r *http.Request) {
	a := r.PostForm.Get("assertion")
	s.mu.Lock()
	gone := s.keyGone
	s.mu.Unlock()
	if err := jws.Verify(a, &s.key.PublicKey); err != nil || gone {
		tokenErr(w, 400, "invalid_grant", "Invalid JWT Signature.")
		return
	}
	c, err := jws.Decode(a)
	if err != nil {
		tokenErr(w, 400, "invalid_grant", "Invalid JWT: the claim set cannot be read.")
		return
	}
	now := time.Now()
	switch {
	case c.Iss != ServiceAccountEmail:
		tokenErr(w, 401, "invalid_client", "The OAuth client was not found.")
		return
	case !strings.HasSuffix(c.Aud, "/token"):
		tokenErr(w, 400, "invalid_grant", "Invalid JWT: audience must be the token endpoint.")
		return
	case c.Exp < now.Unix() || c.Iat > now.Add(5*time.Minute).Unix() || c.Exp-c.Iat > 3600+60:
		tokenErr(w, 400, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.")
		return
	case c.Scope == "":
		tokenErr(w, 400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	scopes := map[string]bool{}
	for _, sc := range strings.Fields(c.Scope) {
		if !s.granted[sc] {
			tokenErr(w, 401, "unauthorized_client", "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.")
			return
		}
		scopes[sc] = true
	}
	if c.Sub != "" {
		u := s.userLocked(c.Sub)
		if u == nil || u.Suspended {
			tokenErr(w, 400, "invalid_grant", "Invalid email or User ID")
			return
		}
	}
	tok := "ya29.fake-" + randHex(24)
	s.sessions[tok] = &session{subject: c.Sub, scopes: scopes, expiry: now.Add(time.Hour)}
	writeJSON(w, 200, map[string]any{"access_token": tok, "expires_in": 3599, "token_type": "Bearer"})
}

// authorize page: auto-approves as the admin and redirects with a code.
func (s *Server) authPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || redirect.Scheme == "" || q.Get("client_id") == "" {
		http.Error(w, "Error 400: invalid_request (missing client_id or redirect_uri)", http.StatusBadRequest)
		return
	}
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		http.Error(w, "Error 400: invalid_request (PKCE with S256 is required)", http.StatusBadRequest)
		return
	}
	code := "4/fake-" + randHex(16)
	s.mu.Lock()
	s.codes[code] = authCode{challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri"), scope: q.Get("scope")}
	s.mu.Unlock()
	rq := redirect.Query()
	rq.Set("code", code)
	rq.Set("state", q.Get("state"))
	rq.Set("scope", q.Get("scope"))
	redirect.RawQuery = rq.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

func (s *Server) codeGrant(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	code := r.PostForm.Get("code")
	ac, ok := s.codes[code]
	delete(s.codes, code)
	if !ok {
		tokenErr(w, 400, "invalid_grant", "Malformed auth code.")
		return
	}
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if base64.RawURLEncoding.EncodeToString(sum[:]) != ac.challenge {
		tokenErr(w, 400, "invalid_grant", "Invalid code verifier.")
		return
	}
	if r.PostForm.Get("redirect_uri") != ac.redirect {
		tokenErr(w, 400, "redirect_uri_mismatch", "Bad Request")
		return
	}
	scopes := map[string]bool{}
	for _, sc := range strings.Fields(ac.scope) {
		scopes[sc] = true
	}
	rt := "1//fake-" + randHex(20)
	s.refreshes[rt] = &session{subject: s.users[0].Email, scopes: scopes}
	tok := "ya29.fake-" + randHex(24)
	s.sessions[tok] = &session{subject: s.users[0].Email, scopes: scopes, expiry: time.Now().Add(time.Hour), refresh: rt}
	writeJSON(w, 200, map[string]any{"access_token": tok, "expires_in": 3599, "token_type": "Bearer", "refresh_token": rt, "scope": ac.scope})
}

func (s *Server) refreshGrant(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.refreshes[r.PostForm.Get("refresh_token")]
	if rs == nil || rs.revoked {
		tokenErr(w, 400, "invalid_grant", "Token has been expired or revoked.")
		return
	}
	tok := "ya29.fake-" + randHex(24)
	s.sessions[tok] = &session{subject: rs.subject, scopes: rs.scopes, expiry: time.Now().Add(time.Hour), refresh: r.PostForm.Get("refresh_token")}
	var sc []string
	for k := range rs.scopes {
		sc = append(sc, k)
	}
	writeJSON(w, 200, map[string]any{"access_token": tok, "expires_in": 3599, "token_type": "Bearer", "scope": strings.Join(sc, " ")})
}

// revoke is Google's revocation endpoint: an access or refresh token, and
// every token of the same grant.
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	t := r.Form.Get("token")
	s.mu.Lock()
	defer s.mu.Unlock()
	refresh := ""
	if ss := s.sessions[t]; ss != nil {
		ss.revoked = true
		refresh = ss.refresh
	}
	if rs := s.refreshes[t]; rs != nil {
		refresh = t
	}
	if rs := s.refreshes[refresh]; rs != nil {
		rs.revoked = true
		for _, ss := range s.sessions {
			if ss.refresh == refresh {
				ss.revoked = true
			}
		}
	}
	w.WriteHeader(http.StatusOK)
}
