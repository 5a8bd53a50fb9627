package okta

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/engine"
)

// A fake Okta Privileged Access team: service tokens for one key, and a
// secret folder list that needs the bearer token.
func fakeOPA(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var tokens atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == "POST" && r.URL.Path == "/v1/teams/acme/service_token":
			var in map[string]string
			_ = json.NewDecoder(r.Body).Decode(&in)
			if in["key_id"] != "kid" || in["key_secret"] != "s3cret" {
				w.WriteHeader(401)
				_, _ = w.Write([]byte(`{"code":"authentication_error","message":"invalid key"}`))
				return
			}
			tokens.Add(1)
			_, _ = w.Write([]byte(`{"bearer_token":"tok-1","expires_at":"2099-01-01T00:00:00Z","team_name":"acme"}`))
		case r.Header.Get("Authorization") != "Bearer tok-1":
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"code":"authentication_error","message":"bad token"}`))
		case r.Method == "GET" && r.URL.Path == "/v1/teams/acme/resource_groups/rg1/projects":
			_, _ = w.Write([]byte(`{"list":[{"id":"p1","name":"` + r.URL.Query().Get("name") + `"}]}`))
		case r.Method == "POST" && r.URL.Path == "/v1/teams/acme/secret_folders":
			var in map[string]any
			_ = json.NewDecoder(r.Body).Decode(&in)
			w.WriteHeader(201)
			_ = json.NewEncoder(w).Encode(map[string]any{"id": "sf1", "name": in["name"]})
		default:
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`{"code":"not_found","message":"no such resource: ` + r.URL.Path + `"}`))
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &tokens
}

func TestOPACustomAPIAction(t *testing.T) {
	srv, tokens := fakeOPA(t)
	conn := &engine.Connection{ID: "opa", Name: "OPA", Kind: OPAKind.ID,
		Config:  map[string]any{OPACfgURL: srv.URL, OPACfgTeam: "acme"},
		Secrets: map[string]string{OPASecKey: "kid", OPASecSec: "s3cret"}}
	ex := engine.NewExecutor(engine.FlowMap{}, conns{"opa": conn}, &history{})
	ex.Services["governor"] = httpx.NewGovernor()
	run := func(in map[string]any) (map[string]any, error) {
		c := engine.Card{ID: "card", Type: "oktaprivilegedaccess.customApiAction", Connection: "opa"}
		for k, v := range in {
			c.Inputs = append(c.Inputs, engine.Field{Key: k, Value: v})
		}
		f := &engine.Flow{Format: engine.FlowFormat, ID: "opa-" + engine.NewID(), Name: "opa", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"}, Cards: []engine.Card{c}}
		e, err := ex.Run(context.Background(), f, nil, engine.RunOptions{})
		for _, r := range e.Cards {
			if r.ID == "card" {
				return r.Outputs, err
			}
		}
		return nil, err
	}
	if _, ok := engine.Default().ByOkta("oktaprivilegedaccess:customApiAction_KC4ijKL5WC"); !ok {
		t.Fatal("OPA Custom API Action not registered")
	}
	out, err := run(map[string]any{"relative_url_9KSKGU": "/resource_groups/rg1/projects", "query_7JH1QC": map[string]any{"name": "prod db"}})
	if err != nil || out["status_code_WGJUCK"] != 200.0 || at(out, "body_ABKPIP", "list") == nil {
		t.Fatalf("GET: %v %s", err, asJSON(out))
	}
	if l, _ := at(out, "body_ABKPIP", "list").([]any); len(l) != 1 || at(l[0], "name") != "prod db" {
		t.Fatalf("query not passed: %s", asJSON(out))
	}
	out, err = run(map[string]any{"relative_url_9KSKGU": "secret_folders", "request_type_QBJ3VI": "POST", "body_SPVYBK": map[string]any{"name": "Vault"}})
	if err != nil || out["status_code_WGJUCK"] != 201.0 || at(out, "body_ABKPIP", "name") != "Vault" {
		t.Fatalf("POST: %v %s", err, asJSON(out))
	}
	if n := tokens.Load(); n != 1 {
		t.Errorf("%d service tokens fetched, want 1 (cached)", n)
	}
	_, err = run(map[string]any{"relative_url_9KSKGU": "/nothing"})
	var he *engine.HTTPError
	if err == nil || !asHTTPError(err, &he) || he.Status != 404 || !strings.Contains(err.Error(), "no such resource") {
		t.Fatalf("404: %v", err)
	}
	if _, err = run(map[string]any{"relative_url_9KSKGU": "https://evil.example/x"}); err == nil || !strings.Contains(err.Error(), "relative_url_9KSKGU") {
		t.Fatalf("absolute URL: %v", err)
	}
	if _, err = run(map[string]any{"relative_url_9KSKGU": "/x", "request_type_QBJ3VI": "TRACE"}); err == nil || !strings.Contains(err.Error(), "request_type_QBJ3VI") {
		t.Fatalf("bad method: %v", err)
	}

	rep := testOPA(context.Background(), conn)
	if !rep.OK {
		t.Fatalf("connection test: %+v", rep)
	}
	bad := *conn
	bad.Secrets = map[string]string{OPASecKey: "kid", OPASecSec: "wrong"}
	if rep := testOPA(context.Background(), &bad); rep.OK || !strings.Contains(rep.Steps[len(rep.Steps)-1].Message, "invalid key") {
		t.Fatalf("connection test with a wrong secret: %+v", rep)
	}
	bad.Config = map[string]any{OPACfgURL: "acme", OPACfgTeam: "acme"}
	if rep := testOPA(context.Background(), &bad); rep.OK || rep.Steps[0].OK {
		t.Fatalf("connection test with a bad URL: %+v", rep)
	}
}

func asHTTPError(err error, he **engine.HTTPError) bool {
	for e := err; e != nil; {
		if h, ok := e.(*engine.HTTPError); ok {
			*he = h
			return true
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}
