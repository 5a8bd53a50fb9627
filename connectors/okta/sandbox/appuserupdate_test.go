package sandbox

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// POST /api/v1/apps/{id}/users/{uid} updates an assignment (scope, profile)
// like Okta; an unassigned user is a 404 in Okta's error shape.
func TestUpdateAppUser(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path, body string) (int, any) {
		req := httptest.NewRequest(method, "http://sandbox"+path, strings.NewReader(body))
		req.Header.Set("Authorization", "SSWS "+DefaultAPIToken)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		var v any
		_ = json.Unmarshal(w.Body.Bytes(), &v)
		return w.Code, v
	}
	var appID, userID string
	_, apps := call("GET", "/api/v1/apps", "")
	for _, a := range apps.([]any) {
		id := a.(map[string]any)["id"].(string)
		if _, us := call("GET", "/api/v1/apps/"+id+"/users", ""); len(us.([]any)) > 0 {
			appID, userID = id, us.([]any)[0].(map[string]any)["id"].(string)
			break
		}
	}
	if appID == "" {
		t.Fatal("no app with an assigned user in the sandbox seed")
	}
	code, au := call("POST", "/api/v1/apps/"+appID+"/users/"+userID, `{"scope":"GROUP","profile":{"role":"admin"}}`)
	m, _ := au.(map[string]any)
	if code != 200 || m["scope"] != "GROUP" || m["profile"].(map[string]any)["role"] != "admin" {
		t.Fatalf("update: %d %v", code, au)
	}
	code, e := call("POST", "/api/v1/apps/"+appID+"/users/00unotassigned", `{"scope":"USER"}`)
	if em, _ := e.(map[string]any); code != 404 || em["errorCode"] != "E0000007" {
		t.Fatalf("unassigned: %d %v", code, e)
	}
}
