package httpx

import (
	"net/http"
	"strings"
)

// Okta rate-limit buckets (see ../shared/docs/okta-api.md, "Okta management
// API rate limits"). The names match the sandbox tenant's.
const (
	OktaUsers       = "users"         // GET/POST /api/v1/users
	OktaUser        = "user"          // GET /api/v1/users/{idOrLogin}[/…]
	OktaUserWrite   = "user-write"    // POST/PUT/DELETE /api/v1/users/{id}[/…]
	OktaGroups      = "groups"        // /api/v1/groups
	OktaGroup       = "group"         // /api/v1/groups/{id}[/…]
	OktaApps        = "apps"          // /api/v1/apps
	OktaApp         = "app"           // /api/v1/apps/{id}[/…]
	OktaLogs        = "logs"          // /api/v1/logs
	OktaOAuth       = "oauth2"        // /oauth2/v1/* except /clients
	OktaOAuthClient = "oauth2-client" // /oauth2/v1/clients
	OktaOther       = "other"         // most other /api/v1
)

// OktaBucket classifies an Okta request path into its rate-limit bucket.
func OktaBucket(method, path string) string {
	if rest, ok := strings.CutPrefix(path, "/oauth2/v1/"); ok {
		if strings.HasPrefix(rest, "clients") {
			return OktaOAuthClient
		}
		return OktaOAuth
	}
	rest, ok := strings.CutPrefix(path, "/api/v1/")
	if !ok {
		return OktaOther
	}
	rest = strings.TrimSuffix(rest, "/")
	segs := strings.Split(rest, "/")
	switch segs[0] {
	case "users":
		if len(segs) == 1 {
			return OktaUsers
		}
		if method == http.MethodGet || method == http.MethodHead {
			return OktaUser
		}
		return OktaUserWrite
	case "groups":
		if len(segs) == 1 {
			return OktaGroups
		}
		return OktaGroup
	case "apps":
		if len(segs) == 1 {
			return OktaApps
		}
		return OktaApp
	case "logs":
		return OktaLogs
	}
	return OktaOther
}
