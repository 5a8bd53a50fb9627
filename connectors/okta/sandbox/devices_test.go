package sandbox

import (
	"net/url"
	"testing"
)

// TestDevicesOpenAPI drives the device endpoints against the OpenAPI spec:
// seeded devices, search, expand=user, users, the lifecycle and delete.
func TestDevicesOpenAPI(t *testing.T) {
	s, api, chk := specServer(t)
	tok := DefaultAPIToken
	var devs []map[string]any
	chk(call(t, "GET", api+"/devices", tok, nil), 200).json(t, &devs)
	if len(devs) != 3 {
		t.Fatalf("seeded devices: %d", len(devs))
	}
	chk(call(t, "GET", api+"/devices?expand=user&search="+url.QueryEscape(`profile.platform eq "IOS"`), tok, nil), 200).json(t, &devs)
	if len(devs) != 1 || devs[0]["_embedded"] == nil {
		t.Fatalf("iOS devices with users: %v", devs)
	}
	id := devs[0]["id"].(string)
	chk(call(t, "GET", api+"/devices/"+id, tok, nil), 200)
	chk(call(t, "GET", api+"/devices/guo99999999999999999", tok, nil), 404)
	var users []map[string]any
	chk(call(t, "GET", api+"/devices/"+id+"/users", tok, nil), 200).json(t, &users)
	if len(users) != 1 {
		t.Fatalf("device users: %v", users)
	}
	call(t, "DELETE", api+"/devices/"+id, tok, nil).want(t, 400) // still active
	chk(call(t, "POST", api+"/devices/"+id+"/lifecycle/suspend", tok, nil), 204)
	call(t, "POST", api+"/devices/"+id+"/lifecycle/suspend", tok, nil).want(t, 400)
	chk(call(t, "POST", api+"/devices/"+id+"/lifecycle/unsuspend", tok, nil), 204)
	chk(call(t, "POST", api+"/devices/"+id+"/lifecycle/deactivate", tok, nil), 204)
	chk(call(t, "GET", api+"/devices/"+id+"/users", tok, nil), 200).json(t, &users)
	if len(users) != 0 {
		t.Fatalf("deactivation kept user links: %v", users)
	}
	chk(call(t, "POST", api+"/devices/"+id+"/lifecycle/activate", tok, nil), 204)
	chk(call(t, "POST", api+"/devices/"+id+"/lifecycle/deactivate", tok, nil), 204)
	chk(call(t, "DELETE", api+"/devices/"+id, tok, nil), 204)
	if !hasEvent(s, "device.lifecycle.delete", id) {
		t.Error("no device.lifecycle.delete event")
	}
	if nid, ok := s.AddDevice("bob.martinez@example.com", "ANDROID", "Bob's Pixel"); !ok || nid == "" {
		t.Fatal("AddDevice")
	}
}
