package fake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/flowbench/flowbench/connectors/fakeapi"
)

func call(t *testing.T, c *http.Client, base, tok, method, path string, body any) (int, any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, base+path, rd)
	req.Header.Set("Authorization", "Bearer "+tok)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v any
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &v)
	return resp.StatusCode, v
}

func TestFakeFollowsConnectDescription(t *testing.T) {
	v, err := fakeapi.NewValidator("../testdata/connect-api.yaml", "/v1")
	if err != nil {
		t.Fatal(err)
	}
	f := New(Config{})
	srv := httptest.NewServer(f)
	defer srv.Close()
	c := &http.Client{Transport: v.Transport(t, nil)}
	if st, _ := call(t, c, srv.URL, "wrong", "GET", "/v1/vaults", nil); st != 401 {
		t.Fatalf("bad token: %d", st)
	}
	st, vs := call(t, c, srv.URL, DefaultToken, "GET", "/v1/vaults?filter="+url.QueryEscape(`name eq "david.kim@example.com"`), nil)
	list, _ := vs.([]any)
	if st != 200 || len(list) != 1 {
		t.Fatalf("vault by name: %d %v", st, vs)
	}
	vid := list[0].(map[string]any)["id"].(string)
	call(t, c, srv.URL, DefaultToken, "GET", "/v1/vaults/"+vid, nil)
	item := map[string]any{"vault": map[string]any{"id": vid}, "title": "Okta: alice.nguyen@example.com", "category": "LOGIN", "tags": []any{"okta"},
		"urls": []any{map[string]any{"href": "https://sandbox.okta.com", "primary": true}},
		"fields": []any{map[string]any{"id": "username", "type": "STRING", "purpose": "USERNAME", "label": "username", "value": "alice.nguyen@example.com"},
			map[string]any{"id": "password", "type": "CONCEALED", "purpose": "PASSWORD", "label": "password", "value": "s3cret-Value-123"},
			map[string]any{"id": "pin", "type": "CONCEALED", "label": "pin", "generate": true, "recipe": map[string]any{"length": 6, "characterSets": []any{"DIGITS"}}}}}
	st, created := call(t, c, srv.URL, DefaultToken, "POST", "/v1/vaults/"+vid+"/items", item)
	if st != 200 {
		t.Fatalf("create: %d %v", st, created)
	}
	iid := created.(map[string]any)["id"].(string)
	pin := created.(map[string]any)["fields"].([]any)[2].(map[string]any)["value"].(string)
	if len(pin) != 6 {
		t.Fatalf("generated pin %q", pin)
	}
	st, got := call(t, c, srv.URL, DefaultToken, "GET", "/v1/vaults/"+vid+"/items?filter="+url.QueryEscape(`title eq "Okta: alice.nguyen@example.com"`), nil)
	if st != 200 || len(got.([]any)) != 1 {
		t.Fatalf("items by title: %d %v", st, got)
	}
	call(t, c, srv.URL, DefaultToken, "GET", "/v1/vaults/"+vid+"/items/"+iid, nil)
	if len(f.Items("david.kim@example.com")) != 1 {
		t.Fatal("item not stored")
	}
	if st, _ := call(t, c, srv.URL, DefaultToken, "DELETE", "/v1/vaults/"+vid+"/items/"+iid, nil); st != 204 {
		t.Fatalf("delete: %d", st)
	}
	if st, _ := call(t, c, srv.URL, DefaultToken, "GET", "/v1/vaults/"+vid+"/items/"+iid, nil); st != 404 {
		t.Fatalf("deleted item: %d", st)
	}
	for _, op := range v.Operations() {
		if v.Seen[op] == 0 && op != "GET /heartbeat" {
			t.Errorf("operation %s not exercised", op)
		}
	}
	// a wrong vault id in the body is refused
	item["vault"] = map[string]any{"id": "aaaaaaaaaaaaaaaaaaaaaaaaaa"}
	if st, _ := call(t, srv.Client(), srv.URL, DefaultToken, "POST", "/v1/vaults/"+vid+"/items", item); st != 400 {
		t.Fatalf("wrong vault in body: %d", st)
	}
}
