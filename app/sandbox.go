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
	a.SetInfo(func(i *AppInfo) { i.SandboxURL = url })
	// the seed example's test input: a real sandbox user added to a real group
	FlowSamples["okta-is-member-of-group"] = func(*engine.Flow) map[string]any {
		u, _ := s.User("alice.nguyen@example.com")
		id, _ := u["id"].(string)
		return map[string]any{
			"Okta User": map[string]any{"ID": id, "Login": "alice.nguyen@example.com", "Alternate ID": "alice.nguyen@example.com", "Display Name": "Alice Nguyen", "Type": "User"},
			"Group":     map[string]any{"ID": "", "Alternate ID": "Engineering", "Display Name": "Engineering", "Type": "UserGroup"},
		}
	}
	a.Exec.Services["sandbox"] = s
	return s.Close, nil
}
