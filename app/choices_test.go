package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// FieldChoices over loopback HTTP (the browser UI's path): the sandbox org's
// active applications and its groups, label → id; read once per connection
// until refreshed; clear errors for an unknown source, no connection and a
// connection of another kind.
func TestFieldChoicesOverHTTP(t *testing.T) {
	a, err := Open(context.Background(), Options{DataDir: t.TempDir(), Out: io.Discard, Key: bytes.Repeat([]byte{7}, 32), Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.close() })
	c := serveTestClient(t, a)
	get := func(args ...any) FieldChoices {
		t.Helper()
		st, body := c.call("FieldChoices", args...)
		if st != 200 {
			t.Fatalf("FieldChoices %v: %d %s", args, st, body)
		}
		var fc FieldChoices
		if err := json.Unmarshal(body, &fc); err != nil {
			t.Fatal(err)
		}
		return fc
	}
	labels := func(fc FieldChoices) map[string]string {
		m := map[string]string{}
		for _, ch := range fc.Choices {
			m[ch.Label] = ch.Value.(string)
		}
		return m
	}

	apps := get(SandboxConnectionID, "okta.apps", false)
	al := labels(apps)
	if apps.Noun != "application" || !strings.HasPrefix(al["Slack"], "0oa") || al["Salesforce"] == "" {
		t.Fatalf("apps: %+v", apps)
	}
	for l := range al {
		if strings.HasPrefix(l, "Workday") {
			t.Errorf("an inactive app is offered: %q", l)
		}
	}
	// sorted by label
	for i := 1; i < len(apps.Choices); i++ {
		if strings.ToLower(apps.Choices[i-1].Label) > strings.ToLower(apps.Choices[i].Label) {
			t.Errorf("not sorted: %q before %q", apps.Choices[i-1].Label, apps.Choices[i].Label)
		}
	}
	groups := labels(get(SandboxConnectionID, "okta.groups", false))
	if !strings.HasPrefix(groups["Engineering"], "00g") || groups["Everyone"] == "" {
		t.Fatalf("groups: %v", groups)
	}

	// an app deactivated in the org leaves the list after a refresh, not before
	info, err := a.Info()
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", strings.TrimSuffix(info.SandboxURL, "/")+"/api/v1/apps/"+al["Zoom"]+"/lifecycle/deactivate", nil)
	req.Header.Set("Authorization", "SSWS "+info.SandboxToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("deactivating Zoom: %d", res.StatusCode)
	}
	if _, ok := labels(get(SandboxConnectionID, "okta.apps", false))["Zoom"]; !ok {
		t.Fatal("the cached list changed without a refresh")
	}
	if _, ok := labels(get(SandboxConnectionID, "okta.apps", true))["Zoom"]; ok {
		t.Fatal("a refresh still lists the deactivated app")
	}

	other, err := a.SaveConnection(&engine.Connection{Name: "Some API", Kind: "http", Config: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []any
		want string
	}{
		{[]any{SandboxConnectionID, "okta.nope", false}, `no choice source \"okta.nope\"`},
		{[]any{"", "okta.apps", false}, "choose a connection to list its applications"},
		{[]any{"does-not-exist", "okta.apps", false}, "does-not-exist"},
		{[]any{other.ID, "okta.apps", false}, `the applications come from an Okta connection`},
	} {
		st, body := c.call("FieldChoices", tc.args...)
		if st == 200 || !strings.Contains(string(body), tc.want) {
			t.Errorf("FieldChoices %v: %d %s, want an error containing %q", tc.args, st, body, tc.want)
		}
	}
}
