package http

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

type conns map[string]*engine.Connection

func (m conns) Connection(_ context.Context, id string) (*engine.Connection, error) {
	c, ok := m[id]
	if !ok {
		return nil, fmt.Errorf("connection %q not found", id)
	}
	return c, nil
}

// lastHeaders are the request headers the echo server last received (what
// went on the wire; the card's output has the connection's secrets redacted).
var lastHeaders atomic.Pointer[http.Header]

// echo answers with what it received, as JSON.
func echo(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Clone()
		lastHeaders.Store(&h)
		b, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/text" {
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte("plain " + r.Method))
			return
		}
		if r.URL.Path == "/fail" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(422)
			w.Write([]byte(`{"message":"bad thing"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"method": r.Method, "path": r.URL.Path, "query": r.URL.RawQuery,
			"auth": r.Header.Get("Authorization"), "key": r.Header.Get("X-API-Key"), "ct": r.Header.Get("Content-Type"),
			"x": r.Header.Get("X-Custom"), "body": string(b)})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func runCard(t *testing.T, cs conns, typ, conn string, in map[string]any) (map[string]any, *engine.Execution, error) {
	t.Helper()
	c := engine.Card{ID: "card", Type: typ, Connection: conn}
	for k, v := range in {
		c.Inputs = append(c.Inputs, engine.Field{Key: k, Value: v})
	}
	f := &engine.Flow{Format: engine.FlowFormat, ID: "t" + engine.NewID(), Name: "t", Settings: engine.Settings{History: true},
		Trigger: engine.Card{ID: "trigger", Type: "flow.manual"}, Cards: []engine.Card{c}}
	ex := engine.NewExecutor(nil, cs, nil)
	res, err := ex.Run(context.Background(), f, nil, engine.RunOptions{})
	for _, r := range res.Cards {
		if r.ID == "card" {
			return r.Outputs, res, err
		}
	}
	return nil, res, err
}

func TestCards(t *testing.T) {
	srv := echo(t)
	cs := conns{
		"basic":  {ID: "basic", Kind: "http", Config: map[string]any{CfgAuthType: AuthBasic, CfgUsername: "ann"}, Secrets: map[string]string{SecPassword: "pa55word-secret"}},
		"apikey": {ID: "apikey", Kind: "http", Config: map[string]any{CfgAuthType: AuthHeader, CfgHeaderName: "X-API-Key"}, Secrets: map[string]string{SecHeaderValue: "k3y-secret-value"}},
		"bearer": {ID: "bearer", Kind: "http", Config: map[string]any{CfgAuthType: AuthHeader, CfgHeaderPrefix: "Bearer ", CfgBaseURL: srv.URL}, Secrets: map[string]string{SecHeaderValue: "b3arer-secret"}},
	}
	for _, tc := range []struct {
		name, typ, conn string
		in              map[string]any
		check           func(body map[string]any) bool
	}{
		{"get none", "http.get", "", map[string]any{"URL": srv.URL + "/a", "Query": "?x=1&y=2"},
			func(b map[string]any) bool { return b["method"] == "GET" && b["query"] == "x=1&y=2" && b["auth"] == "" }},
		{"get basic", "http.get", "basic", map[string]any{"URL": srv.URL + "/a", "Query": map[string]any{"q": "v"}},
			func(b map[string]any) bool {
				return lastHeaders.Load().Get("Authorization") == "Basic "+base64.StdEncoding.EncodeToString([]byte("ann:pa55word-secret")) &&
					b["auth"] == "Basic REDACTED" && b["query"] == "q=v"
			}},
		{"post json", "http.post", "apikey", map[string]any{"URL": srv.URL + "/p", "Body": map[string]any{"a": 1.0}},
			func(b map[string]any) bool {
				return b["method"] == "POST" && lastHeaders.Load().Get("X-API-Key") == "k3y-secret-value" && b["key"] == "REDACTED" &&
					b["body"] == `{"a":1}` && b["ct"] == "application/json"
			}},
		{"put text body", "http.put", "", map[string]any{"URL": srv.URL + "/p", "Body": "hello", "Headers": map[string]any{"X-Custom": "c"}},
			func(b map[string]any) bool { return b["method"] == "PUT" && b["body"] == "hello" && b["x"] == "c" }},
		{"patch", "http.patch", "", map[string]any{"URL": srv.URL + "/p", "Body": map[string]any{"z": true}},
			func(b map[string]any) bool { return b["method"] == "PATCH" && b["body"] == `{"z":true}` }},
		{"delete relative with base", "http.delete", "bearer", map[string]any{"URL": "/things/1"},
			func(b map[string]any) bool {
				return b["method"] == "DELETE" && b["path"] == "/things/1" && lastHeaders.Load().Get("Authorization") == "Bearer b3arer-secret" &&
					b["auth"] == "Bearer REDACTED"
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, ex, err := runCard(t, cs, tc.typ, tc.conn, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := out["Body"].(map[string]any)
			if out["Status Code"] != 200.0 || body == nil || !tc.check(body) {
				t.Fatalf("%v", out)
			}
			rec := ex.Cards[1]
			if len(rec.Attempts) != 1 || rec.Attempts[0].Status != 200 {
				t.Fatalf("attempts %+v", rec.Attempts)
			}
			b, _ := json.Marshal(rec.Attempts)
			for _, c := range cs {
				for _, s := range c.Secrets {
					if strings.Contains(string(b), s) {
						t.Fatalf("secret in attempts: %s", b)
					}
				}
			}
		})
	}
	// raw: text in, text out
	out, _, err := runCard(t, cs, "http.raw", "", map[string]any{"URL": srv.URL + "/text", "Method": "POST", "Body": "x"})
	if err != nil || out["Body"] != "plain POST" || out["Status Code"] != 200.0 {
		t.Fatalf("raw: %v %v", out, err)
	}
	// errors carry status and message
	_, _, err = runCard(t, cs, "http.get", "", map[string]any{"URL": srv.URL + "/fail"})
	var ce *engine.CardError
	if !errors.As(err, &ce) || ce.Status != 422 || !strings.Contains(ce.Message, "bad thing") {
		t.Fatalf("error: %v", err)
	}
	// credentials of a base-URL connection are not sent to other hosts
	other := echo(t)
	out, _, err = runCard(t, cs, "http.get", "bearer", map[string]any{"URL": other.URL + "/x"})
	if err != nil || out["Body"].(map[string]any)["auth"] != "" {
		t.Fatalf("credentials leaked to another host: %v %v", out, err)
	}
}

func TestClientCredentials(t *testing.T) {
	var tokens atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			id, sec, _ := r.BasicAuth()
			r.ParseForm()
			if id != "cid" || sec != "csecret-value" || r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("scope") != "read write" {
				w.WriteHeader(401)
				w.Write([]byte(`{"error":"invalid_client"}`))
				return
			}
			tokens.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token":"at-123","token_type":"Bearer","expires_in":3600}`))
			return
		}
		if r.Header.Get("Authorization") != "Bearer at-123" {
			w.WriteHeader(401)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	c := &engine.Connection{ID: "cc", Kind: "http", Config: map[string]any{CfgAuthType: AuthClientCredentials, CfgTokenURL: srv.URL + "/token",
		CfgClientID: "cid", CfgScopes: "read write"}, Secrets: map[string]string{SecClientSecret: "csecret-value"}}
	cs := conns{"cc": c}
	for i := 0; i < 3; i++ {
		out, _, err := runCard(t, cs, "http.get", "cc", map[string]any{"URL": srv.URL + "/api"})
		if err != nil || out["Body"].(map[string]any)["ok"] != true {
			t.Fatalf("%v %v", out, err)
		}
	}
	if tokens.Load() != 1 {
		t.Fatalf("%d tokens fetched; want 1 (cached)", tokens.Load())
	}
	if rep := TestConnection(context.Background(), c); !rep.OK {
		t.Fatalf("test connection: %+v", rep)
	}
	bad := *c
	bad.Secrets = map[string]string{SecClientSecret: "wrong"}
	bad.ID = "bad"
	rep := TestConnection(context.Background(), &bad)
	if rep.OK || rep.Steps[len(rep.Steps)-1].Name != "token" {
		t.Fatalf("bad secret: %+v", rep)
	}
	b, _ := json.Marshal(rep)
	if strings.Contains(string(b), "csecret-value") || strings.Contains(string(b), `"wrong"`) {
		t.Fatalf("secret in report: %s", b)
	}
}

func TestAuthorizePKCE(t *testing.T) {
	var mu sync.Mutex
	challenges := map[string]string{} // code -> challenge
	var redirect string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/authorize":
			q := r.URL.Query()
			if q.Get("code_challenge_method") != "S256" || q.Get("client_id") != "app" || q.Get("response_type") != "code" {
				http.Error(w, "bad authorize request", 400)
				return
			}
			mu.Lock()
			challenges["code-1"] = q.Get("code_challenge")
			redirect = q.Get("redirect_uri")
			mu.Unlock()
			http.Redirect(w, r, q.Get("redirect_uri")+"?code=code-1&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
		case "/token":
			r.ParseForm()
			mu.Lock()
			ch := challenges[r.PostForm.Get("code")]
			mu.Unlock()
			sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
			if ch == "" || base64.RawURLEncoding.EncodeToString(sum[:]) != ch || r.PostForm.Get("redirect_uri") != redirect {
				w.WriteHeader(400)
				w.Write([]byte(`{"error":"invalid_grant"}`))
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token":"user-token","refresh_token":"rt","token_type":"Bearer","expires_in":3600}`))
		case "/me":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"auth":%q}`, r.Header.Get("Authorization"))
		}
	}))
	defer srv.Close()
	c := &engine.Connection{ID: "ac", Kind: "http", Config: map[string]any{CfgAuthType: AuthCode, CfgAuthURL: srv.URL + "/authorize",
		CfgTokenURL: srv.URL + "/token", CfgClientID: "app", CfgScopes: "profile"}, Secrets: map[string]string{SecClientSecret: "s"}}
	ctx, cancel := context.WithTimeout(context.Background(), 10e9)
	defer cancel()
	u, wait := Authorize(ctx, c)
	if u == "" {
		_, err := wait()
		t.Fatal(err)
	}
	// the "browser": follow the authorize URL to the loopback redirect
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	tok, err := wait()
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "user-token" || !strings.HasPrefix(redirect, "http://127.0.0.1:") {
		t.Fatalf("token %+v redirect %s", tok, redirect)
	}
	if err := StoreToken(c, tok); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCard(t, conns{"ac": c}, "http.get", "ac", map[string]any{"URL": srv.URL + "/me"})
	// the server received the token (its echo is redacted in the output)
	if err != nil || out["Body"].(map[string]any)["auth"] != "Bearer REDACTED" {
		t.Fatalf("%v %v", out, err)
	}
	// a forged state is refused
	c2 := *c
	u2, wait2 := Authorize(ctx, &c2)
	pu, _ := url.Parse(u2)
	cb := pu.Query().Get("redirect_uri")
	r2, err := http.Get(cb + "?code=x&state=forged")
	if err == nil {
		r2.Body.Close()
	}
	if _, err := wait2(); err == nil || !strings.Contains(err.Error(), "state") {
		t.Fatalf("forged state accepted: %v", err)
	}
}

// savedConns is a ConnectionSource that also saves (like the store).
type savedConns struct {
	mu sync.Mutex
	m  map[string]*engine.Connection
}

func (s *savedConns) Connection(_ context.Context, id string) (*engine.Connection, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.m[id]
	if !ok {
		return nil, fmt.Errorf("connection %q not found", id)
	}
	return c, nil
}

func (s *savedConns) PutConnection(c *engine.Connection) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[c.ID] = c
	return nil
}

// An expired authorization-code token is refreshed on use, and the new
// token (with the rotated refresh token) is written back to the store.
func TestRefreshedTokenIsStored(t *testing.T) {
	var refreshes atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			r.ParseForm()
			if r.PostForm.Get("grant_type") != "refresh_token" || r.PostForm.Get("refresh_token") != "rt-1" {
				w.WriteHeader(400)
				w.Write([]byte(`{"error":"invalid_grant"}`))
				return
			}
			refreshes.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token":"at-2","refresh_token":"rt-2","token_type":"Bearer","expires_in":3600}`))
			return
		}
		if r.Header.Get("Authorization") != "Bearer at-2" {
			w.WriteHeader(401)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	c := &engine.Connection{ID: "ac", Kind: "http", Config: map[string]any{CfgAuthType: AuthCode, CfgTokenURL: srv.URL + "/token",
		CfgAuthURL: srv.URL + "/authorize", CfgClientID: "cid"},
		Secrets: map[string]string{SecClientSecret: "s", SecToken: `{"access_token":"at-1","refresh_token":"rt-1","token_type":"Bearer","expiry":"2020-01-01T00:00:00Z"}`}}
	store := &savedConns{m: map[string]*engine.Connection{"ac": c}}
	f := &engine.Flow{Format: engine.FlowFormat, ID: "refresh", Name: "refresh", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards: []engine.Card{{ID: "get", Type: "http.get", Connection: "ac", Inputs: []engine.Field{{Key: "URL", Value: srv.URL + "/api"}}}}}
	ex := engine.NewExecutor(nil, store, nil)
	ex.Services["connections"] = store
	if _, err := ex.Run(context.Background(), f, nil, engine.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	saved, _ := store.Connection(context.Background(), "ac")
	if refreshes.Load() != 1 || !strings.Contains(saved.Secrets[SecToken], `"access_token":"at-2"`) || !strings.Contains(saved.Secrets[SecToken], `"rt-2"`) {
		t.Fatalf("refreshes %d, stored token %s", refreshes.Load(), saved.Secrets[SecToken])
	}
	if saved.Secrets[SecClientSecret] != "s" {
		t.Fatal("other secrets lost")
	}
}
