package app

import (
	"encoding/json"
	"strings"
	"testing"
)

// `flowbench connection add` refuses keys the kind does not declare and a
// connection without its auth method's required settings, naming them; it
// types settings as declared and files ENV:KEY into the environment binding
// (a secret stays a secret).
func TestConnectionAddChecksKeys(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"okta", "typo", "domian=acme.okta.com", "apiToken=x"}, 2, `okta connections have no setting "domian"; settings: domain, authMethod`},
		{[]string{"okta", "notoken", "domain=acme.okta.com"}, 2, `okta "notoken" needs apiToken (API token)`},
		{[]string{"okta", "noclient", "domain=acme.okta.com", "authMethod=clientSecret", "clientSecret=s"}, 2, `needs clientId (Client ID)`},
		{[]string{"okta", "badmethod", "domain=acme.okta.com", "authMethod=password"}, 2, `authMethod (Authentication): "password" is not one of token, privateKey, clientSecret`},
		{[]string{"okta", "badenv", "domain=acme.okta.com", "apiToken=x", "qa:apiToken=y"}, 2, `"qa" is not an environment to bind`},
		{[]string{"okta", "badnum", "domain=acme.okta.com", "apiToken=x", "concurrencyLimit=many"}, 2, `concurrencyLimit (Concurrency limit): "many" is not a number`},
		{[]string{"okta", "prod", "domain=acme.okta.com", "apiToken=t0k", "concurrencyLimit=10", "prod:domain=acme-prod.okta.com", "prod:apiToken=pr0d"}, 0, "saved connection prod"},
		// replacing keeps the stored token: no need to give it again
		{[]string{"okta", "prod", "domain=acme.okta.com", "concurrencyLimit=10", "prod:domain=acme-prod.okta.com"}, 0, "saved connection prod"},
	} {
		out, errs, code := cli(t, dir, append([]string{"connection", "add"}, tc.args...)...)
		if code != tc.code || !strings.Contains(out+errs, tc.msg) {
			t.Errorf("connection add %s: exit %d, want %d with %q:\n%s%s", strings.Join(tc.args, " "), code, tc.code, tc.msg, out, errs)
		}
	}
	out, _, code := cli(t, dir, "connection", "list")
	if code != 0 || strings.Contains(out, "t0k") || strings.Contains(out, "pr0d") || !strings.Contains(out, "prod") {
		t.Fatalf("list (exit %d) shows a secret or misses prod:\n%s", code, out)
	}
	for _, name := range []string{"typo", "notoken", "noclient", "badmethod", "badenv", "badnum"} {
		if strings.Contains(out, name) {
			t.Errorf("refused connection %q was saved:\n%s", name, out)
		}
	}
	a, err := Open(t.Context(), Options{DataDir: dir, Out: &strings.Builder{}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	c, err := a.Store.Connection(t.Context(), "prod")
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := json.Marshal(c.Config)
	if c.Config["concurrencyLimit"] != 10.0 || !strings.Contains(string(cfg), `"environments":{"prod":{"domain":"acme-prod.okta.com"}}`) ||
		c.Secrets["apiToken"] != "t0k" || c.Secrets["prod:apiToken"] != "pr0d" {
		t.Fatalf("stored: config %s, secrets %v", cfg, c.Secrets)
	}
	b, _ := bindEnv(c, "prod")
	if b.Config["domain"] != "acme-prod.okta.com" || b.Secrets["apiToken"] != "pr0d" {
		t.Fatalf("prod binding: %v %v", b.Config, b.Secrets)
	}
}

// A file that is not a flow, a truncated .flopack and a connection without a
// name are the caller's mistakes: the API answers 400 (it answered 500) with
// the message naming the file or the field.
func TestBadImportsAndConnectionsAre400(t *testing.T) {
	c := serveTestClient(t, testApp(t))
	for _, tc := range []struct {
		method string
		args   []any
		match  string
	}{
		{"ImportText", []any{"notflow.json", `{"hello":"world"}`}, "notflow.json"},
		{"ImportText", []any{"trunc.flopack", `{"data":{"flos":[`}, "trunc.flopack"},
		{"ImportText", []any{"empty.flopack", ``}, "empty.flopack"},
		{"SaveConnection", []any{map[string]any{"name": "  ", "kind": "okta"}}, "a connection needs a name"},
		{"SaveConnection", []any{map[string]any{"name": "x", "kind": "nope"}}, `unknown connection kind`},
	} {
		st, body := c.call(tc.method, tc.args...)
		if st != 400 || !strings.Contains(string(body), tc.match) {
			t.Errorf("%s %v: %d %s, want 400 naming %q", tc.method, tc.args, st, body, tc.match)
		}
	}
}
