package onepassword

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/fakeapi"
	_ "github.com/flowbench/flowbench/connectors/functions"
	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/connectors/okta"
	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/connectors/onepassword/fake"
	"github.com/flowbench/flowbench/engine"
)

type conns map[string]*engine.Connection

func (m conns) Connection(_ context.Context, id string) (*engine.Connection, error) {
	c, ok := m[id]
	if !ok {
		return nil, os.ErrNotExist
	}
	cp := *c
	return &cp, nil
}

type history struct{ ex []*engine.Execution }

func (h *history) Save(e *engine.Execution) { h.ex = append(h.ex, e) }

// route validates the exchanges with one host against the vendor's
// description and sends the rest as they are.
type route struct {
	host      string
	validated http.RoundTripper
	other     http.RoundTripper
}

func (r *route) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host == r.host {
		return r.validated.RoundTrip(req)
	}
	return r.other.RoundTrip(req)
}

func examplePath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "examples", "onboarding-1password.flow.json")
}

// TestOnboarding1PasswordExample runs examples/onboarding-1password.flow.json
// against the Okta sandbox and the 1Password Connect fake: the new hire's
// password lands in the manager's vault, every 1Password exchange follows
// the Connect API description, and history never holds the password.
func TestOnboarding1PasswordExample(t *testing.T) {
	tenant, err := sandbox.New(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	oktaURL, err := tenant.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tenant.Close)
	op := &Fake{Server: fake.New(fake.Config{})}
	opSrv := httptest.NewServer(op)
	t.Cleanup(opSrv.Close)
	v, err := fakeapi.NewValidator("testdata/connect-api.yaml", "/v1")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(opSrv.URL)
	opConn := op.Connection(opSrv.URL)
	cs := conns{
		"sandbox": {ID: "sandbox", Kind: "okta", Config: map[string]any{okta.CfgDomain: oktaURL, okta.CfgAuthMethod: okta.AuthToken},
			Secrets: map[string]string{okta.SecAPIToken: sandbox.DefaultAPIToken}},
		opConn.ID: opConn,
	}
	hist := &history{}
	ex := engine.NewExecutor(engine.FlowMap{}, cs, hist)
	ex.Services["http"] = &route{host: u.Host, validated: v.Transport(t, httpx.DefaultTransport()), other: httpx.DefaultTransport()}
	ex.Services["governor"] = httpx.NewGovernor()

	data, err := os.ReadFile(examplePath())
	if err != nil {
		t.Fatal(err)
	}
	f, err := engine.ParseFlow("onboarding-1password.flow.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if probs := engine.Validate(f, &engine.ValidateEnv{Connections: map[string]bool{"sandbox": true, opConn.ID: true}}); len(probs) > 0 {
		t.Fatalf("example flow problems: %v", probs)
	}
	alice, ok := tenant.User("alice.nguyen@example.com")
	if !ok {
		t.Fatal("seed user missing")
	}
	input := map[string]any{"Okta User": map[string]any{"ID": alice["id"], "Alternate ID": "alice.nguyen@example.com", "Display Name": "Alice Nguyen", "Type": "User"}}
	run, err := ex.Run(context.Background(), f, input, engine.RunOptions{})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	items := op.Items("david.kim@example.com")
	if len(items) != 1 || items[0]["title"] != "Okta: alice.nguyen@example.com" || items[0]["category"] != "LOGIN" {
		t.Fatalf("manager's vault: %v", items)
	}
	var password string
	for _, fl := range items[0]["fields"].([]any) {
		m := fl.(map[string]any)
		if m["purpose"] == "PASSWORD" {
			password, _ = m["value"].(string)
		}
	}
	if len(password) != 20 {
		t.Fatalf("stored password %q: want 20 characters", password)
	}
	// history: the run as saved and as returned never holds the password
	if len(hist.ex) != 1 {
		t.Fatalf("history has %d executions", len(hist.ex))
	}
	for _, e := range []*engine.Execution{hist.ex[0], run} {
		b, _ := json.Marshal(e)
		if bytes.Contains(b, []byte(password)) {
			t.Fatalf("password in history: %s", b)
		}
		if !bytes.Contains(b, []byte(engine.Redacted)) {
			t.Fatal("history shows no redacted value")
		}
	}
	for _, c := range run.Cards {
		switch c.ID {
		case "password":
			if c.Outputs["output"] != engine.Redacted {
				t.Fatalf("Random card output recorded as %v", c.Outputs["output"])
			}
		case "storeItem":
			if c.Outputs["Status Code"] != 200.0 {
				t.Fatalf("store item: %v", c.Outputs)
			}
			if !strings.Contains(mustJSON(c.Inputs), engine.Redacted) {
				t.Fatalf("store item inputs: %v", c.Inputs)
			}
		case "manager":
			if c.Outputs["login"] != "david.kim@example.com" {
				t.Fatalf("manager: %v", c.Outputs["login"])
			}
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
