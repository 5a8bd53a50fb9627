package app

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
)

// Session cookie of `flowbench serve`: opening the printed URL
// (…/?token=TOKEN) sets an HttpOnly, SameSite=Strict cookie holding the
// token, so reloading the page (whose address no longer shows the token)
// keeps the session. Scripts cannot read the cookie, other sites' pages do
// not send it (SameSite=Strict), and a POST authenticated by the cookie
// alone must come from the page's own origin (Origin, or Sec-Fetch-Site when
// a browser sends no Origin), so the API is not open to cross-site request
// forgery. The Bearer header keeps working for scripts and the CLI.

// sessionCookieName is per port: browsers send cookies of 127.0.0.1 to
// every port, and two `serve`s (two data folders) have different tokens.
func sessionCookieName(host string) string {
	name := "flowbench_session"
	if i := strings.LastIndexByte(host, ':'); i >= 0 && i < len(host)-1 && !strings.Contains(host[i:], "]") {
		name += "_" + host[i+1:]
	}
	return name
}

func tokenMatches(got, want string) bool {
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// sessionCookieToken returns the token in the request's session cookie ("" if none).
func sessionCookieToken(r *http.Request) string {
	c, err := r.Cookie(sessionCookieName(r.Host))
	if err != nil {
		return ""
	}
	return c.Value
}

// sameOrigin says whether a request came from a page of this server: its
// Origin names this host, or (no Origin header) the browser says
// Sec-Fetch-Site: same-origin. A request with neither is refused: every
// browser that sends SameSite cookies sends one of them on a fetch POST.
func sameOrigin(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		return err == nil && (u.Scheme == "http" || u.Scheme == "https") && strings.EqualFold(u.Host, r.Host)
	}
	return r.Header.Get("Sec-Fetch-Site") == "same-origin"
}

// withSessionCookie wraps the page handler: a GET carrying the right
// ?token= gets the session cookie. A wrong token sets nothing.
func withSessionCookie(token string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) && tokenMatches(r.URL.Query().Get("token"), token) {
			http.SetCookie(w, &http.Cookie{
				Name:     sessionCookieName(r.Host),
				Value:    token,
				Path:     "/",
				HttpOnly: true,
				SameSite: http.SameSiteStrictMode,
				Secure:   r.TLS != nil,
			})
		}
		next.ServeHTTP(w, r)
	})
}

// authorize checks an API request: the Bearer header (or ?token=) as
// before, else the session cookie, which for state changes (every API call
// is a POST) also needs a same-origin request. It returns a message for the
// caller when refused.
func (h *apiHandler) authorize(r *http.Request) (ok bool, why string) {
	if h.authorized(r) {
		return true, ""
	}
	if !tokenMatches(sessionCookieToken(r), h.token) {
		return false, "missing or wrong token: open the URL printed by `flowbench serve`"
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && !sameOrigin(r) {
		return false, "cross-site request refused: the session cookie only works from Flowbench's own page"
	}
	return true, ""
}
