package sandbox

import "testing"

// TestAppSchemaOpenAPI: an app's user schema (base userName), a custom
// attribute added and removed, against Okta's OpenAPI spec; an unknown app
// is 404, userName cannot be a custom attribute.
func TestAppSchemaOpenAPI(t *testing.T) {
	_, api, chk := specServer(t)
	tok := DefaultAPIToken
	var apps []map[string]any
	chk(call(t, "GET", api+"/apps?limit=1", tok, nil), 200).json(t, &apps)
	u := api + "/meta/schemas/apps/" + apps[0]["id"].(string) + "/default"
	custom := func(e *exchange) map[string]any {
		var d map[string]any
		e.json(t, &d)
		return d["definitions"].(map[string]any)["custom"].(map[string]any)["properties"].(map[string]any)
	}
	if c := custom(chk(call(t, "GET", u, tok, nil), 200)); len(c) != 0 {
		t.Fatalf("custom attributes of a fresh app: %v", c)
	}
	add := map[string]any{"definitions": map[string]any{"custom": map[string]any{"properties": map[string]any{
		"licenseType": map[string]any{"title": "License type", "type": "string"}}}}}
	if c := custom(chk(call(t, "POST", u, tok, add), 200)); c["licenseType"] == nil {
		t.Fatalf("added: %v", c)
	}
	del := map[string]any{"definitions": map[string]any{"custom": map[string]any{"properties": map[string]any{"licenseType": nil}}}}
	if c := custom(call(t, "POST", u, tok, del).want(t, 200)); len(c) != 0 { // null removes (Okta's documented partial update)
		t.Fatalf("removed: %v", c)
	}
	bad := map[string]any{"definitions": map[string]any{"custom": map[string]any{"properties": map[string]any{
		"userName": map[string]any{"title": "User", "type": "string"}}}}}
	chk(call(t, "POST", u, tok, bad), 400)
	chk(call(t, "GET", api+"/meta/schemas/apps/0oanotthere000000000/default", tok, nil), 404)
}
