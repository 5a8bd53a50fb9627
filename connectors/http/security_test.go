package http

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// authConns are one connection per auth kind, without a base URL (the card's
// URL decides the host), against a token endpoint at tokenURL.
func authConns(tokenURL string) conns {
	return conns{
		"basic":   {ID: "basic", Kind: "http", Config: map[string]any{CfgAuthType: AuthBasic, CfgUsername: "ann"}, Secrets: map[string]string{SecPassword: "pa55word-secret"}},
		"apikey":  {ID: "apikey", Kind: "http", Config: map[string]any{CfgAuthType: AuthHeader, CfgHeaderName: "X-API-Key"}, Secrets: map[string]string{SecHeaderValue: "k3y-secret-value"}},
		"bearer":  {ID: "bearer", Kind: "http", Config: map[string]any{CfgAuthType: AuthHeader, CfgHeaderPrefix: "Bearer "}, Secrets: map[string]string{SecHeaderValue: "b3arer-secret"}},
		"headers": {ID: "headers", Kind: "http", Config: map[string]any{CfgAuthType: AuthHeader}, Secrets: map[string]string{SecHeaders: `{"X-Tenant-Secret":"t3nant-secret","Private-Token":"pr1vate-token"}`}},
		"cc": {ID: "cc", Kind: "http", Config: map[string]any{CfgAuthType: AuthClientCredentials, CfgTokenURL: tokenURL, CfgClientID: "cid"},
			Secrets: map[string]string{SecClientSecret: "csecret-value"}},
	}
}

// wireSecrets are the credentials in every form they take on the wire.
var wireSecrets = []string{"pa55word-secret", base64.StdEncoding.EncodeToString([]byte("ann:pa55word-secret")), "k3y-secret-value",
	"b3arer-secret", "t3nant-secret", "pr1vate-token", "csecret-value", "at-issued-456"}

func tokenServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"access_token":"at-issued-456","token_type":"Bearer","expires_in":3600}`))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Issue 15 point 4: for every auth kind, a redirect from the host a card
// called to another host carries none of the connection's credentials.
func TestRedirectToOtherHostCarriesNoCredentials(t *testing.T) {
	var mu sync.Mutex
	var foreign []http.Header
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		foreign = append(foreign, r.Header.Clone())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true}`))
	}))
	defer evil.Close()
	var ownAuth []string
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ownAuth = append(ownAuth, r.Header.Get("Authorization")+r.Header.Get("X-API-Key")+r.Header.Get("X-Tenant-Secret"))
		mu.Unlock()
		code, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/r/"))
		http.Redirect(w, r, evil.URL+"/landing", code)
	}))
	defer home.Close()
	cs := authConns(tokenServer(t).URL)
	hops := 0
	for _, id := range []string{"basic", "apikey", "bearer", "headers", "cc"} {
		for _, code := range []int{302, 307, 308} {
			typ := "http.get"
			if code != 302 {
				typ = "http.post"
			}
			in := map[string]any{"URL": home.URL + "/r/" + strconv.Itoa(code)}
			if typ == "http.post" {
				in["Body"] = map[string]any{"a": 1.0}
			}
			out, _, err := runCard(t, cs, typ, id, in)
			if code == 302 {
				if err != nil || out["Status Code"] != 200.0 {
					t.Fatalf("%s %d: %v %v", id, code, out, err)
				}
				hops++
				continue
			}
			// a 307/308 would re-send the body to the other host: not followed
			if err != nil || out["Status Code"] != float64(code) {
				t.Fatalf("%s %d: %v %v", id, code, out, err)
			}
		}
	}
	leaks := 0
	for _, h := range foreign {
		b, _ := json.Marshal(h)
		for _, s := range wireSecrets {
			if strings.Contains(string(b), s) {
				leaks++
				t.Errorf("foreign host received %q in %s", s, b)
			}
		}
	}
	t.Logf("redirect hops to a foreign host: %d, credentials received there: %d", len(foreign), leaks)
	if len(foreign) != hops {
		t.Fatalf("foreign host saw %d hops, want %d", len(foreign), hops)
	}
	for i, a := range ownAuth {
		if a == "" {
			t.Fatalf("request %d to the card's own host carried no credentials", i)
		}
	}
}

// Issue 15 point 7: a service that echoes the request (headers in its
// response headers and body, and in an error body) puts none of the
// connection's secrets into history, in any form.
func TestEchoedCredentialsRedactedInHistory(t *testing.T) {
	echoAll := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range r.Header {
			w.Header()["Echo-"+k] = v
		}
		w.Header().Set("Content-Type", "application/json")
		if strings.HasPrefix(r.URL.Path, "/fail") {
			w.WriteHeader(400)
		}
		json.NewEncoder(w).Encode(map[string]any{"received": r.Header, "message": "echo " + r.Header.Get("Authorization") + r.Header.Get("X-API-Key")})
	}))
	defer echoAll.Close()
	cs := authConns(tokenServer(t).URL)
	found := 0
	for _, id := range []string{"basic", "apikey", "bearer", "headers", "cc"} {
		for _, path := range []string{"/ok", "/fail"} {
			for _, typ := range []string{"http.get", "http.raw"} {
				_, ex, err := runCard(t, cs, typ, id, map[string]any{"URL": echoAll.URL + path})
				if (err != nil) != (path == "/fail") {
					t.Fatalf("%s %s: %v", id, path, err)
				}
				b, _ := json.Marshal(ex)
				hist := string(b)
				if err != nil {
					hist += err.Error()
				}
				if path == "/ok" && !strings.Contains(hist, "REDACTED") {
					t.Errorf("%s %s %s: the echo did not reach history at all: %s", id, typ, path, hist)
				}
				for _, s := range wireSecrets {
					if strings.Contains(hist, s) {
						found++
						t.Errorf("%s %s %s: history holds %q", id, typ, path, s)
					}
				}
			}
		}
	}
	t.Logf("secrets found in history: %d", found)
}

// Issue 15 point 6: a POST is retried on 5xx only when the card itself sets
// an Idempotency-Key (the service honours it); the key Flowbench adds for
// resumes may be ignored by the service, so that POST is sent once.
func TestPostRetriedOnlyWithCardsIdempotencyKey(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.Path]++
		n := seen[r.URL.Path]
		mu.Unlock()
		if n == 1 {
			w.WriteHeader(503)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	out, _, err := runCard(t, conns{}, "http.post", "", map[string]any{"URL": srv.URL + "/plain", "Body": map[string]any{"a": 1.0}})
	if err == nil || seen["/plain"] != 1 {
		t.Fatalf("POST without the card's key: %v %v, sent %d times", out, err, seen["/plain"])
	}
	out, _, err = runCard(t, conns{}, "http.post", "", map[string]any{"URL": srv.URL + "/keyed", "Body": map[string]any{"a": 1.0},
		"Headers": map[string]any{"Idempotency-Key": "order-42"}})
	if err != nil || out["Status Code"] != 200.0 || seen["/keyed"] != 2 {
		t.Fatalf("POST with the card's key: %v %v, sent %d times", out, err, seen["/keyed"])
	}
}
