package sandbox

import "testing"

// TestAppLifecycleOpenAPI: deactivate, activate and delete an application
// against Okta's OpenAPI spec; an active app cannot be deleted; each change
// writes its System Log event.
func TestAppLifecycleOpenAPI(t *testing.T) {
	s, api, chk := specServer(t)
	tok := DefaultAPIToken
	var apps []map[string]any
	chk(call(t, "GET", api+"/apps?limit=1", tok, nil), 200).json(t, &apps)
	if len(apps) == 0 {
		t.Fatal("no seeded apps")
	}
	id := apps[0]["id"].(string)
	status := func() string {
		var a map[string]any
		chk(call(t, "GET", api+"/apps/"+id, tok, nil), 200).json(t, &a)
		return a["status"].(string)
	}
	chk(call(t, "DELETE", api+"/apps/"+id, tok, nil), 403)
	chk(call(t, "POST", api+"/apps/"+id+"/lifecycle/deactivate", tok, nil), 200)
	if st := status(); st != "INACTIVE" {
		t.Fatalf("after deactivate: %s", st)
	}
	chk(call(t, "POST", api+"/apps/"+id+"/lifecycle/activate", tok, nil), 200)
	if st := status(); st != "ACTIVE" {
		t.Fatalf("after activate: %s", st)
	}
	chk(call(t, "POST", api+"/apps/"+id+"/lifecycle/activate", tok, nil), 200) // already active: still 200
	chk(call(t, "POST", api+"/apps/0oanotthere000000000/lifecycle/activate", tok, nil), 404)
	call(t, "GET", api+"/apps/"+id+"/lifecycle/activate", tok, nil).want(t, 405)
	chk(call(t, "POST", api+"/apps/"+id+"/lifecycle/deactivate", tok, nil), 200)
	chk(call(t, "DELETE", api+"/apps/"+id, tok, nil), 204)
	chk(call(t, "GET", api+"/apps/"+id, tok, nil), 404)
	for _, ev := range []string{"application.lifecycle.deactivate", "application.lifecycle.activate", "application.lifecycle.delete"} {
		if !hasEvent(s, ev, id) {
			t.Errorf("no %s event", ev)
		}
	}
}
