package sandbox

import (
	"net/url"
	"testing"
)

// TestAuthServersOpenAPI: the default server (its issuer is the token
// endpoint's), a server created, found by name, replaced, deactivated and
// deleted, against Okta's OpenAPI spec; "default" cannot be deleted.
func TestAuthServersOpenAPI(t *testing.T) {
	_, api, chk := specServer(t)
	tok := DefaultAPIToken
	var list []map[string]any
	chk(call(t, "GET", api+"/authorizationServers", tok, nil), 200).json(t, &list)
	if len(list) != 1 || list[0]["id"] != "default" || list[0]["issuer"] == nil {
		t.Fatalf("servers: %v", list)
	}
	var d map[string]any
	chk(call(t, "GET", api+"/authorizationServers/default", tok, nil), 200).json(t, &d)
	if iss, _ := d["issuer"].(string); len(iss) < len("/oauth2/default") || iss[len(iss)-len("/oauth2/default"):] != "/oauth2/default" {
		t.Fatalf("default issuer: %v", d["issuer"])
	}
	var a map[string]any
	chk(call(t, "POST", api+"/authorizationServers", tok, map[string]any{"name": "Partner API", "description": "for partners", "audiences": []string{"api://partners"}}), 201).json(t, &a)
	id := a["id"].(string)
	chk(call(t, "POST", api+"/authorizationServers", tok, map[string]any{"name": "Partner API", "audiences": []string{"api://x"}}), 400)
	chk(call(t, "POST", api+"/authorizationServers", tok, map[string]any{"name": "No audience"}), 400)
	chk(call(t, "GET", api+"/authorizationServers?q="+url.QueryEscape("part"), tok, nil), 200).json(t, &list)
	if len(list) != 1 || list[0]["id"] != id {
		t.Fatalf("search: %v", list)
	}
	chk(call(t, "PUT", api+"/authorizationServers/"+id, tok, map[string]any{"name": "Partner API v2", "audiences": []string{"api://partners"}}), 200).json(t, &a)
	if a["name"] != "Partner API v2" {
		t.Fatalf("replace: %v", a)
	}
	chk(call(t, "POST", api+"/authorizationServers/"+id+"/lifecycle/deactivate", tok, nil), 204)
	chk(call(t, "GET", api+"/authorizationServers/"+id, tok, nil), 200).json(t, &a)
	if a["status"] != "INACTIVE" {
		t.Fatalf("after deactivate: %v", a["status"])
	}
	chk(call(t, "DELETE", api+"/authorizationServers/"+id, tok, nil), 204)
	chk(call(t, "GET", api+"/authorizationServers/"+id, tok, nil), 404)
	call(t, "DELETE", api+"/authorizationServers/default", tok, nil).want(t, 400)
}
