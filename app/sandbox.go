package app

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// SandboxConnectionID is the connection the first-run example uses.
const SandboxConnectionID = "sandbox"

// sandboxAddrMeta is where the data folder keeps the sandbox's address.
const sandboxAddrMeta = "sandbox.addr"

// defaultSandboxAddr is tried on the first start of a data folder.
const defaultSandboxAddr = "127.0.0.1:8090"

// The built-in sandbox Okta tenant runs in-process so a new user can press
// Run with no Okta account. Its state lives in memory (a fresh seed each
// start), but its address and token are stable: the address is kept in the
// data folder and reused on every start, and the token is the sandbox's
// well-known admin token, so connections a user made to it (and flows
// pointing at them) keep working after a restart. When the kept port is
// taken by another program the sandbox moves to a free one, every
// connection pointing at the old address is moved with it, and the app says
// so (Info.SandboxNotice, and a line on the console).
func init() {
	RegisterHook(Hook{Name: "sandbox", Start: startSandbox})
}

// listenSandbox starts s on the kept address, else a free port; moved says
// the address changed from the kept one.
func (a *App) listenSandbox(s *sandbox.Server) (url, prev string, err error) {
	prev, _ = a.Store.GetMeta(sandboxAddrMeta)
	want := prev
	if want == "" {
		want = defaultSandboxAddr
	}
	if url, err = s.Start(want); err != nil {
		if url, err = s.Start("127.0.0.1:0"); err != nil {
			return "", prev, err
		}
	}
	if addr := strings.TrimPrefix(url, "http://"); addr != prev {
		if err := a.Store.SetMeta(sandboxAddrMeta, addr); err != nil {
			return "", prev, err
		}
	}
	return url, prev, nil
}

func startSandbox(ctx context.Context, a *App) (func(), error) {
	s, err := sandbox.New(sandbox.Config{})
	if err != nil {
		return nil, err
	}
	url, prev, err := a.listenSandbox(s)
	if err != nil {
		return nil, err
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
	notice := ""
	if prev != "" && "http://"+prev != url {
		moved, err := a.moveSandboxConnections("http://"+prev, url)
		if err != nil {
			s.Close()
			return nil, err
		}
		notice = fmt.Sprintf("The sandbox tenant's usual address http://%s was taken by another program, so it now listens on %s.", prev, url)
		if len(moved) > 0 {
			notice += fmt.Sprintf(" Connections moved to the new address: %s.", strings.Join(moved, ", "))
		}
		fmt.Fprintf(a.opt.Out, "flowbench: %s\n", notice)
	}
	a.setInfo(func(i *AppInfo) {
		i.SandboxURL, i.SandboxToken, i.SandboxNotice = url, sandbox.DefaultAPIToken, notice
	})
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
		// event cards with the user as flat fields (Suspicious Activity Reported)
		if uid, ok := in["User ID"].(string); ok && strings.HasPrefix(uid, "00u1a2b3c4d5e6f7g8h9") {
			in["User ID"], in["Email"], in["Name"] = id, "alice.nguyen@example.com", "Alice Nguyen"
		}
	})
	ids := sandboxIDs(s) // helper flows' inputs name real users, groups, apps (samplefill.go)
	a.sampleFixups = append(a.sampleFixups, func(f *engine.Flow, in map[string]any) { fillTenantIDs(f, in, ids()) })
	a.Exec.Services["sandbox"] = s
	return s.Close, nil
}

// sameSandbox says whether an Okta connection's domain names the sandbox
// at base ("http://127.0.0.1:8090"), also written as localhost or with a
// trailing slash.
func sameSandbox(domain, base string) bool {
	d := strings.TrimSpace(domain)
	if d == "" {
		return false
	}
	if !strings.Contains(d, "://") {
		d = "https://" + d // as okta.NormalizeDomain reads it: not the sandbox
	}
	du, err1 := url.Parse(d)
	bu, err2 := url.Parse(base)
	if err1 != nil || err2 != nil || du.Scheme != "http" || du.Port() != bu.Port() {
		return false
	}
	loop := func(h string) bool {
		if h == "localhost" {
			return true
		}
		ip := net.ParseIP(h)
		return ip != nil && ip.IsLoopback()
	}
	return du.Hostname() == bu.Hostname() || (loop(du.Hostname()) && loop(bu.Hostname()))
}

// moveSandboxConnections points every Okta connection the user made to the
// sandbox's old address at its new one and returns their names.
func (a *App) moveSandboxConnections(from, to string) ([]string, error) {
	conns, err := a.Store.Connections()
	if err != nil {
		return nil, err
	}
	var moved []string
	for _, c := range conns {
		if c.ID == SandboxConnectionID || c.Kind != "okta" {
			continue
		}
		d, _ := c.Config["domain"].(string)
		if !sameSandbox(d, from) {
			continue
		}
		cfg := make(map[string]any, len(c.Config))
		for k, v := range c.Config {
			cfg[k] = v
		}
		cfg["domain"] = to
		n := *c
		n.Config, n.Updated = cfg, time.Now().UTC()
		if err := a.Store.PutConnection(&n); err != nil {
			return moved, err
		}
		moved = append(moved, c.Name)
	}
	return moved, nil
}
