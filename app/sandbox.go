package app

import (
	"context"
	"time"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// SandboxConnectionID is the connection the first-run example uses.
const SandboxConnectionID = "sandbox"

// The built-in sandbox Okta tenant runs in-process so a new user can press
// Run with no Okta account. Its state lives in memory (a fresh seed each
// start); the "sandbox" connection is pointed at its current address.
func init() {
	RegisterHook(Hook{Name: "sandbox", Start: startSandbox})
}

func startSandbox(ctx context.Context, a *App) (func(), error) {
	s, err := sandbox.New(sandbox.Config{})
	if err != nil {
		return nil, err
	}
	url, err := s.Start("127.0.0.1:8090")
	if err != nil {
		if url, err = s.Start("127.0.0.1:0"); err != nil {
			return nil, err
		}
	}
	c := &engine.Connection{ID: SandboxConnectionID, Name: "Sandbox tenant", Kind: "okta",
		Config:  map[string]any{"domain": url, "authMethod": "token"},
		Secrets: map[string]string{"apiToken": sandbox.DefaultAPIToken}}
	if old, err := a.Store.Connection(ctx, SandboxConnectionID); err == nil {
		c.Created = old.Created
	} else {
		c.Created = time.Now().UTC()
	}
	c.Updated = time.Now().UTC()
	if err := a.Store.PutConnection(c); err != nil {
		s.Close()
		return nil, err
	}
	a.setInfo(func(i *AppInfo) { i.SandboxURL = url })
	// test inputs name a real user of the sandbox tenant, so Run works as is
	a.sampleFixups = append(a.sampleFixups, func(_ *engine.Flow, in map[string]any) {
		u, ok := s.User("alice.nguyen@example.com")
		if !ok {
			return
		}
		id, _ := u["id"].(string)
		if ou, ok := in["Okta User"].(map[string]any); ok {
			ou["ID"], ou["Alternate ID"], ou["Display Name"] = id, "alice.nguyen@example.com", "Alice Nguyen"
			if _, has := ou["Login"]; has {
				ou["Login"] = "alice.nguyen@example.com"
			}
		}
	})
	a.Exec.Services["sandbox"] = s
	return s.Close, nil
}
