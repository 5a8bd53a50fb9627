package app

import (
	"bytes"
	"testing"
)

// `flowbench card test` (App.TestCard) runs a connector card on the connection
// its input names: "connection" is the card's connection, not an input (the
// Realms cards, which take no added inputs, failed 'input "connection": this
// card has no such field').
func TestCardTestUsesTheNamedConnection(t *testing.T) {
	a, err := Open(t.Context(), Options{DataDir: t.TempDir(), Out: &bytes.Buffer{}, Sandbox: true, Key: bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	out, err := a.TestCard("oktarealms.searchRealms", map[string]any{"connection": SandboxConnectionID})
	if err != nil {
		t.Fatal(err)
	}
	realm, _ := out["Realm"].(map[string]any)
	id, _ := realm["ID"].(string)
	if id == "" {
		t.Fatalf("search realms: %v", out)
	}
	for _, tc := range []struct {
		card string
		in   map[string]any
		key  string
	}{
		{"oktarealms.readRealm", map[string]any{"id": id}, "Profile"},
		{"okta.readUser", map[string]any{"ID or Login": "carol.okafor@example.com"}, "ID"},
	} {
		tc.in["connection"] = SandboxConnectionID
		out, err := a.TestCard(tc.card, tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.card, err)
		}
		if out[tc.key] == nil || out[tc.key] == "" {
			t.Fatalf("%s: no %s in %v", tc.card, tc.key, out)
		}
	}
}
