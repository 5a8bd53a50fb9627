package sandbox

import (
	"strings"
	"testing"
)

// TestGroupSchemaOpenAPI: the group schema's base attributes, a custom
// attribute added, changed and removed by partial updates, against Okta's
// OpenAPI spec; a base name or a bad type is refused.
func TestGroupSchemaOpenAPI(t *testing.T) {
	_, api, chk := specServer(t)
	tok := DefaultAPIToken
	doc := func(e *exchange) (base, custom map[string]any) {
		var d map[string]any
		e.json(t, &d)
		defs := d["definitions"].(map[string]any)
		return defs["base"].(map[string]any)["properties"].(map[string]any), defs["custom"].(map[string]any)["properties"].(map[string]any)
	}
	base, custom := doc(chk(call(t, "GET", api+"/meta/schemas/group/default", tok, nil), 200))
	if base["name"] == nil || base["description"] == nil || len(custom) != 0 {
		t.Fatalf("group schema: base %v custom %v", base, custom)
	}
	add := map[string]any{"definitions": map[string]any{"custom": map[string]any{"properties": map[string]any{
		"costCenter": map[string]any{"title": "Cost center", "type": "string", "maxLength": 20.0}}}}}
	_, custom = doc(chk(call(t, "POST", api+"/meta/schemas/group/default", tok, add), 200))
	if c, _ := custom["costCenter"].(map[string]any); c["title"] != "Cost center" {
		t.Fatalf("added attribute: %v", custom)
	}
	_, custom = doc(chk(call(t, "GET", api+"/meta/schemas/group/default", tok, nil), 200))
	if custom["costCenter"] == nil {
		t.Fatalf("attribute not kept: %v", custom)
	}
	del := map[string]any{"definitions": map[string]any{"custom": map[string]any{"properties": map[string]any{"costCenter": nil}}}}
	// removal by null is Okta's documented partial update; the spec's schema does not allow null there
	_, custom = doc(call(t, "POST", api+"/meta/schemas/group/default", tok, del).want(t, 200))
	if len(custom) != 0 {
		t.Fatalf("removed attribute still there: %v", custom)
	}
	for _, bad := range []map[string]any{
		{"name": map[string]any{"title": "Name", "type": "string"}},
		{"level": map[string]any{"title": "Level", "type": "decimal"}},
	} {
		e := call(t, "POST", api+"/meta/schemas/group/default", tok, map[string]any{"definitions": map[string]any{"custom": map[string]any{"properties": bad}}}).want(t, 400)
		if !strings.Contains(string(e.respBody), "E0000001") {
			t.Errorf("%v: %s", bad, e.respBody)
		}
	}
	call(t, "GET", api+"/meta/schemas/group/oscnotthere", tok, nil).want(t, 404)
}
