package app

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// The sandbox keeps its address across restarts of the app on one data
// folder, so a connection the user made to it from the URL and token the
// UI shows keeps working; when the port is taken, the sandbox moves and the
// user's connection moves with it, and the app says so.
func TestSandboxKeepsItsAddress(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	open := func() *App {
		t.Helper()
		a, err := Open(context.Background(), Options{DataDir: dir, Out: &out, Key: bytes.Repeat([]byte{7}, 32), Sandbox: true})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	info := func(a *App) *AppInfo {
		i, err := a.Info()
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	works := func(a *App, id, when string) {
		t.Helper()
		rep, err := a.TestConnection(id)
		if err != nil || !rep.OK {
			t.Fatalf("%s: connection %s does not work: %+v %v", when, id, rep, err)
		}
	}
	domain := func(a *App, id string) string {
		c, err := a.Store.Connection(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := c.Config["domain"].(string)
		return d
	}

	a := open()
	first := info(a)
	if !strings.HasPrefix(first.SandboxURL, "http://127.0.0.1:") || first.SandboxToken == "" || first.SandboxNotice != "" {
		t.Fatalf("first start: %+v", first)
	}
	mine, err := a.SaveConnection(&engine.Connection{Name: "My sandbox", Kind: "okta",
		Config:  map[string]any{"domain": first.SandboxURL + "/", "authMethod": "token"},
		Secrets: map[string]string{"apiToken": first.SandboxToken}})
	if err != nil {
		t.Fatal(err)
	}
	works(a, mine.ID, "first start")
	works(a, SandboxConnectionID, "first start")
	a.close()

	a = open()
	again := info(a)
	if again.SandboxURL != first.SandboxURL || again.SandboxToken != first.SandboxToken || again.SandboxNotice != "" {
		t.Fatalf("restart moved the sandbox: %+v, was %+v", again, first)
	}
	works(a, mine.ID, "restart")
	a.close()

	// another program took the port meanwhile
	ln, err := net.Listen("tcp", strings.TrimPrefix(first.SandboxURL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	a = open()
	moved := info(a)
	ln.Close()
	if moved.SandboxURL == first.SandboxURL || !strings.Contains(moved.SandboxNotice, first.SandboxURL) ||
		!strings.Contains(moved.SandboxNotice, "My sandbox") || !strings.Contains(out.String(), moved.SandboxNotice) {
		t.Fatalf("port taken: %+v", moved)
	}
	if d := domain(a, mine.ID); d != moved.SandboxURL {
		t.Fatalf("the user's connection still points at %s, sandbox is at %s", d, moved.SandboxURL)
	}
	works(a, mine.ID, "port taken")
	works(a, SandboxConnectionID, "port taken")
	a.close()

	// the new address is the one kept from then on
	a = open()
	defer a.close()
	if kept := info(a); kept.SandboxURL != moved.SandboxURL || kept.SandboxNotice != "" {
		t.Fatalf("after the move: %+v, want %s", kept, moved.SandboxURL)
	}
	works(a, mine.ID, "after the move")
}

func TestSameSandbox(t *testing.T) {
	base := "http://127.0.0.1:8090"
	for d, want := range map[string]bool{
		"http://127.0.0.1:8090": true, "http://127.0.0.1:8090/": true, "127.0.0.1:8090": false, "http://localhost:8090": true,
		"http://127.0.0.1:8091": false, "https://127.0.0.1:8090": false, "http://example.okta.com:8090": false, "": false,
		"acme.okta.com": false,
	} {
		if got := sameSandbox(d, base); got != want {
			t.Errorf("sameSandbox(%q) = %v, want %v", d, got, want)
		}
	}
}
