package app

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// startServe runs Serve on a free loopback port and returns its base URL and token.
func startServe(t *testing.T, a *App, token string) (base, tok string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuf{}
	done := make(chan error, 1)
	assets := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Flowbench</title>")}}
	go func() { done <- Serve(ctx, a, "127.0.0.1:0", token, assets, out) }()
	t.Cleanup(func() { cancel(); <-done })
	re := regexp.MustCompile(`Flowbench serving on (http://127\.0\.0\.1:\d+)/\?token=(\S+)`)
	for range 500 {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1], m[2]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no URL line in %q", out.String())
	return "", ""
}

func do(t *testing.T, method, u string, hdr map[string]string, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

// Issue 15 point 9: a request whose Host is not this server (DNS
// rebinding: attacker.example resolving to 127.0.0.1) reaches nothing —
// not the UI, the API, /metrics, /healthz nor the hook and endpoint routes.
func TestForeignHostRefused(t *testing.T) {
	a := testApp(t)
	base, tok := startServe(t, a, "")
	port := base[strings.LastIndexByte(base, ':')+1:]
	served := 0
	for _, host := range []string{"rebind.attacker.example:" + port, "attacker.example", "127.0.0.1.nip.io:" + port, "localhost:1"} {
		for _, p := range []struct{ method, path string }{{"GET", "/"}, {"GET", "/metrics"}, {"GET", "/healthz"},
			{"POST", "/api/ListFlows"}, {"POST", "/hooks/flow/x"}, {"POST", "/api/flo/x/invoke"}} {
			st, _, body := do(t, p.method, base+p.path, map[string]string{"Host": host, "Authorization": "Bearer " + tok}, "[]")
			if st != http.StatusMisdirectedRequest {
				served++
				t.Errorf("Host %s %s %s: %d %.80s", host, p.method, p.path, st, body)
			}
		}
	}
	t.Logf("requests with a foreign Host that were served: %d of 24", served)
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port} {
		if st, _, body := do(t, "POST", base+"/api/ListFlows", map[string]string{"Host": host, "Authorization": "Bearer " + tok}, "[]"); st != 200 {
			t.Fatalf("own host %s refused: %d %s", host, st, body)
		}
	}
}

// A cross-origin text/plain POST (a form or fetch from another site, the
// "simple request" that needs no preflight) changes nothing, even with the
// token in the URL.
func TestCrossOriginPostRefused(t *testing.T) {
	a := testApp(t)
	base, tok := startServe(t, a, "")
	before := len(a.Store.Flows())
	for _, h := range []map[string]string{
		{"Origin": "http://evil.example", "Content-Type": "text/plain"},
		{"Origin": "null", "Content-Type": "text/plain"},
		{"Sec-Fetch-Site": "cross-site", "Content-Type": "text/plain"},
		{"Origin": "http://127.0.0.1:1", "Content-Type": "text/plain"},
	} {
		st, _, body := do(t, "POST", base+"/api/CreateFlow?token="+tok, h, `["pwned",""]`)
		if st != http.StatusForbidden {
			t.Errorf("%v: %d %s", h, st, body)
		}
	}
	if n := len(a.Store.Flows()) - before; n != 0 {
		t.Fatalf("%d flows created by cross-origin requests", n)
	}
	// the page's own origin still works
	if st, _, body := do(t, "POST", base+"/api/CreateFlow", map[string]string{"Origin": base, "Authorization": "Bearer " + tok}, `["mine",""]`); st != 200 {
		t.Fatalf("same-origin: %d %s", st, body)
	}
}

func TestCSPOnEveryResponse(t *testing.T) {
	a := testApp(t)
	base, tok := startServe(t, a, "")
	for _, p := range []string{"/", "/api/Info", "/metrics", "/nope"} {
		_, h, _ := do(t, "GET", base+p, map[string]string{"Authorization": "Bearer " + tok}, "")
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP %q", p, csp)
		}
	}
}

// The API takes the token only with the Bearer scheme.
func TestBearerPrefixRequired(t *testing.T) {
	a := testApp(t)
	base, tok := startServe(t, a, "")
	for _, auth := range []string{tok, "Basic " + tok, "Token " + tok, "Bearer" + tok, "Bearer  " + tok + "x"} {
		if st, _, _ := do(t, "POST", base+"/api/ListFlows", map[string]string{"Authorization": auth}, "[]"); st != http.StatusUnauthorized {
			t.Errorf("Authorization %q: %d", strings.Replace(auth, tok, "TOKEN", 1), st)
		}
	}
	for _, auth := range []string{"Bearer " + tok, "bearer " + tok} {
		if st, _, body := do(t, "POST", base+"/api/ListFlows", map[string]string{"Authorization": auth}, "[]"); st != 200 {
			t.Errorf("Authorization %q: %d %s", strings.Replace(auth, tok, "TOKEN", 1), st, body)
		}
	}
}

// A weak --token is refused before anything listens.
func TestWeakTokenRefused(t *testing.T) {
	a := testApp(t)
	for _, tok := range []string{"x", "secret", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "0123456789abcdef0123456789abcde", "has space 0123456789abcdef0123456789"} {
		err := Serve(context.Background(), a, "127.0.0.1:0", tok, nil, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "token") {
			t.Errorf("token %q: %v", tok, err)
		}
	}
	if err := CheckServeToken(RandomToken()); err != nil {
		t.Fatal(err)
	}
}

// The Host check for the other bindings: a specific address answers to
// itself and loopback names; a wildcard (--allow-remote on 0.0.0.0) to any
// address literal and the machine's name, never to another DNS name unless
// FLOWBENCH_ALLOWED_HOSTS lists it (tunnels, proxies).
func TestHostGuardBindings(t *testing.T) {
	t.Setenv("FLOWBENCH_ALLOWED_HOSTS", "flows.example.com, tunnel.example.net:443")
	hn, _ := os.Hostname()
	for _, c := range []struct {
		bind string
		ok   []string
		bad  []string
	}{
		{"127.0.0.1:8080", []string{"localhost:8080", "127.0.0.1:8080", "[::1]:8080", "flows.example.com", "tunnel.example.net:443"},
			[]string{"evil.example:8080", "127.0.0.1:9090", "192.168.1.5:8080", "tunnel.example.net:80", "localhost"}},
		{"192.168.1.5:8080", []string{"192.168.1.5:8080", "localhost:8080"}, []string{"192.168.1.6:8080", "rebind.example:8080"}},
		{"0.0.0.0:8080", []string{"10.0.0.7:8080", "[fe80::1]:8080", strings.ToLower(hn) + ":8080"}, []string{"rebind.example:8080", "10.0.0.7:9"}},
	} {
		addr, _ := net.ResolveTCPAddr("tcp", c.bind)
		g := newHostGuard(addr)
		for _, h := range c.ok {
			if !g.allowed(h) {
				t.Errorf("bound %s: %s refused", c.bind, h)
			}
		}
		for _, h := range c.bad {
			if g.allowed(h) {
				t.Errorf("bound %s: %s allowed", c.bind, h)
			}
		}
	}
}
