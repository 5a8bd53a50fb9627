package okta

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
)

// A Relative URL with a plain-text query (spaces, quotes) is percent-encoded
// as Okta does; an encoded one is not encoded twice.
func TestRelativeURLEncoding(t *testing.T) {
	cases := []struct {
		rel, path string
		q         url.Values
	}{
		{`/api/v1/users?search=profile.proxyAddresses sw "smtp:a@example.com"`, "/api/v1/users",
			url.Values{"search": {`profile.proxyAddresses sw "smtp:a@example.com"`}}},
		{`/api/v1/users?search=profile.login%20eq%20%22a%40b.com%22&limit=2`, "/api/v1/users",
			url.Values{"search": {`profile.login eq "a@b.com"`}, "limit": {"2"}}},
		{`/api/v1/groups?q=a+b&filter=type eq "OKTA_GROUP"`, "/api/v1/groups",
			url.Values{"q": {"a+b"}, "filter": {`type eq "OKTA_GROUP"`}}},
		{`/api/v1/users/sample user/groups`, "/api/v1/users/sample%20user/groups", url.Values{}},
		{`/api/v1/users/00u1%2F2`, "/api/v1/users/00u1%2F2", url.Values{}},
	}
	for _, c := range cases {
		p, q := splitRelativeURL(c.rel)
		if p != c.path || !reflect.DeepEqual(q, c.q) {
			t.Errorf("%s: %q %v, want %q %v", c.rel, p, q, c.path, c.q)
		}
	}
	// against the sandbox: the search finds the one user it names
	tn := startTenant(t, sandbox.Config{}, true)
	out := mustCard(t, tn, "okta.customApiAction", map[string]any{"requestType": "GET",
		"Relative URL": `/api/v1/users?search=profile.login eq "alice.nguyen@example.com"`})
	if l, _ := out["Body"].([]any); out["Status Code"] != 200.0 || len(l) != 1 || at(l[0], "profile", "login") != "alice.nguyen@example.com" {
		t.Fatalf("search with a plain-text query: %v", asJSON(out))
	}
}
