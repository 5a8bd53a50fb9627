package fakeapi

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A tiny discovery document: one resource with a GET (path and required
// query parameter, a response schema) and a DELETE without a response.
const miniDiscovery = `{"name":"mini","version":"v1","servicePath":"mini/v1/",
 "parameters":{"alt":{"type":"string","location":"query","enum":["json","media"]}},
 "resources":{"things":{"methods":{
  "get":{"id":"mini.things.get","path":"things/{thingId}","flatPath":"things/{thingId}","httpMethod":"GET",
   "parameters":{"thingId":{"type":"string","location":"path","required":true},"view":{"type":"string","location":"query","required":true,"enum":["BASIC","FULL"]}},
   "response":{"$ref":"Thing"}},
  "delete":{"id":"mini.things.delete","path":"things/{thingId}","httpMethod":"DELETE",
   "parameters":{"thingId":{"type":"string","location":"path","required":true}}}}}},
 "schemas":{"Thing":{"id":"Thing","type":"object","properties":{"id":{"type":"string"},"size":{"type":"integer"},
  "tags":{"type":"array","items":{"type":"string"}},"owner":{"$ref":"Owner"}}},
  "Owner":{"id":"Owner","type":"object","properties":{"email":{"type":"string"}}}}}`

func TestDiscoveryValidator(t *testing.T) {
	f := filepath.Join(t.TempDir(), "mini.json")
	if err := os.WriteFile(f, []byte(miniDiscovery), 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := NewDiscoveryValidator(f)
	if err != nil {
		t.Fatal(err)
	}
	if ops := strings.Join(v.Operations(), ","); !strings.Contains(ops, "GET /mini/v1/things/{thingId}") || !strings.Contains(ops, "DELETE /mini/v1/things/{thingId}") {
		t.Fatalf("operations: %s", ops)
	}
	ok := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}}
	req, _ := http.NewRequest("GET", "http://x/mini/v1/things/t1?view=FULL", nil)
	if err := v.Check(req, nil, ok, []byte(`{"id":"t1","size":3,"tags":["a"],"owner":{"email":"a@b.c"}}`)); err != nil {
		t.Errorf("good exchange: %v", err)
	}
	for name, c := range map[string]struct {
		url, body string
		noOp      bool
	}{
		"unknown path":           {"http://x/mini/v1/others/t1", `{}`, true},
		"required query missing": {"http://x/mini/v1/things/t1", `{}`, false},
		"enum violated":          {"http://x/mini/v1/things/t1?view=ALL", `{}`, false},
		"response type":          {"http://x/mini/v1/things/t1?view=FULL", `{"size":"big"}`, false},
		"nested response type":   {"http://x/mini/v1/things/t1?view=FULL", `{"owner":{"email":5}}`, false},
	} {
		req, _ := http.NewRequest("GET", c.url, nil)
		err := v.Check(req, nil, ok, []byte(c.body))
		if err == nil || errors.Is(err, ErrNoOperation) != c.noOp {
			t.Errorf("%s: %v", name, err)
		}
	}
	// a method without a response answers 204; errors must have Google's shape
	del, _ := http.NewRequest("DELETE", "http://x/mini/v1/things/t1", nil)
	if err := v.Check(del, nil, &http.Response{StatusCode: 204, Header: http.Header{}}, nil); err != nil {
		t.Errorf("204: %v", err)
	}
	nf := &http.Response{StatusCode: 404, Header: http.Header{"Content-Type": {"application/json"}}}
	if err := v.Check(del, nil, nf, []byte(`{"error":{"code":404,"message":"not found"}}`)); err != nil {
		t.Errorf("google error: %v", err)
	}
	if err := v.Check(del, nil, nf, []byte(`{"message":"not found"}`)); err == nil {
		t.Error("an error body not in Google's shape passed")
	}
}
