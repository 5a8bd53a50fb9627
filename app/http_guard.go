package app

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"unicode"
)

// Browser-side protections of `flowbench serve`, around every route (UI,
// API, hooks, endpoints, metrics):
//
//   - Host check: a request is served only when its Host names this server
//     (localhost, a loopback or the bound IP, with the bound port), so a page
//     on a rebinding DNS name (attacker.example → 127.0.0.1) cannot reach
//     the API, hook routes or /metrics. Tunnels and reverse proxies that keep
//     their own Host add it with FLOWBENCH_ALLOWED_HOSTS=host[:port],….
//   - Origin check: a state-changing request (anything but GET, HEAD,
//     OPTIONS) that a browser marks as coming from another site (Origin, or
//     Sec-Fetch-Site) is refused, whatever it authenticates with. Servers
//     calling hooks and API endpoints send neither header.
//   - Content-Security-Policy on every response: scripts, styles, fonts,
//     frames and connections only from the server itself.
//
// The token must be strong (CheckServeToken) and the API takes it only as
// "Authorization: Bearer TOKEN" (or the session cookie / ?token=).

// ContentSecurityPolicy is sent with every response of `serve`. Inline
// style attributes are allowed (the canvas positions nodes with them);
// inline and foreign scripts are not.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// MinTokenLength is the shortest --token accepted (the random one has 32
// hex characters, 128 bits).
const MinTokenLength = 32

// CheckServeToken refuses a token an attacker could guess: shorter than
// MinTokenLength, fewer than 10 distinct characters, or with whitespace.
func CheckServeToken(tok string) error {
	if len(tok) < MinTokenLength {
		return fmt.Errorf("the token is %d characters long; use at least %d random characters (e.g. `openssl rand -hex 16`), or leave --token out for a random one", len(tok), MinTokenLength)
	}
	distinct := map[rune]bool{}
	for _, r := range tok {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return fmt.Errorf("the token holds whitespace or control characters")
		}
		distinct[r] = true
	}
	if len(distinct) < 10 {
		return fmt.Errorf("the token repeats too few characters (%d distinct) to be random; use `openssl rand -hex 16`", len(distinct))
	}
	return nil
}

// hostGuard holds what Host values this server answers to.
type hostGuard struct {
	port     string
	bound    net.IP // nil for loopback bindings
	wildcard bool   // bound to 0.0.0.0 or ::
	extra    map[string]bool
}

func newHostGuard(addr net.Addr) *hostGuard {
	g := &hostGuard{extra: map[string]bool{}}
	host, port, _ := net.SplitHostPort(addr.String())
	g.port = port
	if ip := net.ParseIP(host); ip != nil && !ip.IsLoopback() {
		if ip.IsUnspecified() {
			g.wildcard = true
		} else {
			g.bound = ip
		}
	}
	for _, h := range strings.Split(os.Getenv("FLOWBENCH_ALLOWED_HOSTS"), ",") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			g.extra[h] = true
		}
	}
	if g.wildcard || g.bound != nil {
		if hn, err := os.Hostname(); err == nil && hn != "" {
			g.extra[strings.ToLower(hn)+":"+port] = true
		}
	}
	return g
}

// allowed reports whether a request's Host names this server.
func (g *hostGuard) allowed(hostport string) bool {
	hp := strings.ToLower(strings.TrimSuffix(hostport, "."))
	if g.extra[hp] {
		return true
	}
	host, port, err := net.SplitHostPort(hp)
	if err != nil {
		host, port = strings.Trim(hp, "[]"), ""
	}
	if g.extra[host] {
		return true // a listed name without a port: any port (proxies on 80/443)
	}
	if port != g.port {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	switch {
	case ip == nil:
		return false // a DNS name: only those listed
	case ip.IsLoopback():
		return true
	case g.wildcard:
		return true // an address literal cannot be rebound
	case g.bound != nil:
		return ip.Equal(g.bound)
	}
	return false
}

// crossSite reports whether a browser says the request comes from a page of
// another origin.
func crossSite(r *http.Request) (bool, string) {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if o == "null" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.EqualFold(u.Host, r.Host) {
			return true, "Origin " + o
		}
		return false, ""
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return true, "Sec-Fetch-Site " + r.Header.Get("Sec-Fetch-Site")
	}
	return false, ""
}

// guard wraps the whole server handler with the Host check, the Origin
// check for state changes, and the CSP.
func guard(next http.Handler, addr net.Addr) http.Handler {
	g := newHostGuard(addr)
	// canonical keys and values made once: Header.Set would canonicalize the
	// key and allocate a slice on every request (the API Endpoint hot path)
	csp, nosniff := []string{ContentSecurityPolicy}, []string{"nosniff"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Security-Policy"] = csp
		h["X-Content-Type-Options"] = nosniff
		if !g.allowed(r.Host) {
			writeErr(w, http.StatusMisdirectedRequest, "host %q is not this server: open Flowbench at the address `flowbench serve` printed "+
				"(a tunnel or proxy host can be allowed with FLOWBENCH_ALLOWED_HOSTS)", r.Host)
			return
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if bad, why := crossSite(r); bad {
				writeErr(w, http.StatusForbidden, "cross-site request refused (%s): state changes must come from Flowbench's own page or a non-browser client", why)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
