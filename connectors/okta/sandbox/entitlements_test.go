package sandbox

import (
	"net/url"
	"strings"
	"testing"
)

// TestGovernanceEntitlements: an app's entitlement with values, read back
// and found by the parent filter; a bundle of one of its values; the
// checks (unknown app, dataType against multiValue, duplicate, unknown
// value); an unknown review is 404.
func TestGovernanceEntitlements(t *testing.T) {
	_, base := startServer(t, Config{})
	tok := DefaultAPIToken
	gov := base + "/governance/api/v1"
	var apps []map[string]any
	call(t, "GET", base+"/api/v1/apps?limit=1", tok, nil).want(t, 200).json(t, &apps)
	app := apps[0]["id"].(string)
	ent := func(ext string) map[string]any {
		return map[string]any{"name": "Role", "externalValue": ext, "multiValue": false, "dataType": "string",
			"parent": map[string]any{"externalId": app, "type": "APPLICATION"},
			"values": []any{map[string]any{"name": "Admin", "externalValue": "admin"}, map[string]any{"name": "Reader", "externalValue": "reader"}}}
	}
	var e map[string]any
	call(t, "POST", gov+"/entitlements", tok, ent("role")).want(t, 201).json(t, &e)
	id, _ := e["id"].(string)
	vals, _ := e["values"].([]any)
	if !strings.HasPrefix(id, "esp") || len(vals) != 2 || !strings.Contains(e["parentResourceOrn"].(string), app) {
		t.Fatalf("entitlement: %v", e)
	}
	vid := vals[0].(map[string]any)["id"].(string)
	call(t, "GET", gov+"/entitlements/"+id, tok, nil).want(t, 200)
	call(t, "GET", gov+"/entitlements/espnotthere000000000", tok, nil).want(t, 404)
	var l map[string]any
	call(t, "GET", gov+"/entitlements?filter="+url.QueryEscape(`parent.externalId eq "`+app+`" AND parent.type eq "APPLICATION"`), tok, nil).want(t, 200).json(t, &l)
	if d, _ := l["data"].([]any); len(d) != 1 || d[0].(map[string]any)["id"] != id {
		t.Fatalf("entitlements of the app: %v", l)
	}
	call(t, "GET", gov+"/entitlements?filter="+url.QueryEscape(`parent.externalId eq "0oaother"`), tok, nil).want(t, 200).json(t, &l)
	if d, _ := l["data"].([]any); len(d) != 0 {
		t.Fatalf("entitlements of another app: %v", l)
	}
	call(t, "GET", gov+"/entitlements?filter="+url.QueryEscape(`owner eq "x"`), tok, nil).want(t, 400)

	for _, tc := range []struct {
		name  string
		body  map[string]any
		cause string
	}{
		{"duplicate", ent("role"), "already has the entitlement"},
		{"unknown app", func() map[string]any {
			b := ent("x")
			b["parent"] = map[string]any{"externalId": "0oanotthere000000000", "type": "APPLICATION"}
			return b
		}(), "parent.externalId: no application"},
		{"array but single", func() map[string]any { b := ent("y"); b["dataType"] = "array"; return b }(), "dataType"},
		{"no values", func() map[string]any { b := ent("z"); delete(b, "values"); return b }(), "values"},
	} {
		ex := call(t, "POST", gov+"/entitlements", tok, tc.body).want(t, 400)
		if !strings.Contains(string(ex.respBody), tc.cause) {
			t.Errorf("%s: %s", tc.name, ex.respBody)
		}
	}

	var bn map[string]any
	bundle := map[string]any{"name": "Admins", "target": map[string]any{"externalId": app, "type": "APPLICATION"},
		"entitlements": []any{map[string]any{"id": id, "values": []any{map[string]any{"id": vid}}}}}
	call(t, "POST", gov+"/entitlement-bundles", tok, bundle).want(t, 201).json(t, &bn)
	bid, _ := bn["id"].(string)
	if !strings.HasPrefix(bid, "enb") || bn["status"] != "ACTIVE" {
		t.Fatalf("bundle: %v", bn)
	}
	call(t, "GET", gov+"/entitlement-bundles/"+bid, tok, nil).want(t, 200)
	call(t, "GET", gov+"/entitlement-bundles?filter="+url.QueryEscape(`target.externalId eq "`+app+`"`), tok, nil).want(t, 200).json(t, &l)
	if d, _ := l["data"].([]any); len(d) != 1 {
		t.Fatalf("bundles of the app: %v", l)
	}
	bad := map[string]any{"name": "x", "target": map[string]any{"externalId": app, "type": "APPLICATION"},
		"entitlements": []any{map[string]any{"id": id, "values": []any{map[string]any{"id": "entnotthere000000000"}}}}}
	if ex := call(t, "POST", gov+"/entitlement-bundles", tok, bad).want(t, 400); !strings.Contains(string(ex.respBody), "no value entnotthere") {
		t.Errorf("bad value: %s", ex.respBody)
	}

	// reviews: reviews_test.go
	call(t, "GET", gov+"/reviews/icrnotthere000000000", tok, nil).want(t, 404)
	call(t, "DELETE", gov+"/reviews", tok, nil).want(t, 405)
}
