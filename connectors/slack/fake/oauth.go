package fake

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The fake's Slack app for "OAuth 2.0 (install the Slack app)": the
// installing admin approves at once, as after a click on Allow.
const (
	ClientID     = "0000000001.flowbench"
	ClientSecret = "flowbench-sandbox-client-secret"
)

type grant struct {
	challenge, redirect string
}

// serveAuthorize is https://slack.com/oauth/v2/authorize.
func (s *Server) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect := q.Get("redirect_uri")
	ru, err := url.Parse(redirect)
	if q.Get("client_id") != ClientID || err != nil || ru.Scheme != "http" || !(ru.Hostname() == "127.0.0.1" || ru.Hostname() == "localhost") {
		http.Error(w, "invalid_client_id or redirect_uri (the sandbox app allows loopback redirects only)", http.StatusBadRequest)
		return
	}
	back := url.Values{"state": {q.Get("state")}}
	if q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256" {
		back.Set("error", "invalid_code_challenge")
	} else {
		s.mu.Lock()
		s.seq++
		code := fmt.Sprintf("fbcode-%d", s.seq)
		s.grants[code] = grant{challenge: q.Get("code_challenge"), redirect: redirect}
		s.mu.Unlock()
		back.Set("code", code)
	}
	http.Redirect(w, r, redirect+"?"+back.Encode(), http.StatusFound)
}

// oauthAccess is oauth.v2.access: the code (with its PKCE verifier) or a
// refresh token for a bot token; Slack answers errors with HTTP 200.
func (s *Server) oauthAccess(w http.ResponseWriter, r *http.Request, p map[string]any) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = str(p, "client_id"), str(p, "client_secret")
	}
	fail := func(code string) { writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": code}) }
	if id != ClientID || secret != ClientSecret {
		fail("invalid_client_id")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch str(p, "grant_type") {
	case "refresh_token":
		if _, ok := s.refresh[str(p, "refresh_token")]; !ok {
			fail("invalid_refresh_token")
			return
		}
		delete(s.refresh, str(p, "refresh_token"))
	default:
		g, ok := s.grants[str(p, "code")]
		delete(s.grants, str(p, "code"))
		if !ok {
			fail("invalid_code")
			return
		}
		sum := sha256.Sum256([]byte(str(p, "code_verifier")))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			fail("invalid_code_verifier")
			return
		}
		if ru := str(p, "redirect_uri"); ru != "" && ru != g.redirect {
			fail("bad_redirect_uri")
			return
		}
	}
	s.seq++
	tok := fmt.Sprintf("xoxb-000000000009-flowbench-oauth-%d", s.seq)
	ref := fmt.Sprintf("xoxe-1-flowbench-refresh-%d", s.seq)
	s.tokens[tok] = &token{user: "U0FBBOT001", scopes: BotScopes, bot: true}
	s.refresh[ref] = true
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "access_token": tok, "token_type": "bot", "scope": strings.Join(BotScopes, ","),
		"bot_user_id": "U0FBBOT001", "app_id": "A0FBAPP001", "team": map[string]any{"id": s.team["id"], "name": s.team["name"]},
		"refresh_token": ref, "expires_in": 43200})
}
