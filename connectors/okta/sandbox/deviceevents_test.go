package sandbox

import (
	"net/url"
	"testing"
)

// EnrollDevice adds a device readable through the Devices API (checked
// against the OpenAPI spec) and writes Okta's enrollment events.
func TestEnrollDeviceEvents(t *testing.T) {
	s, api, chk := specServer(t)
	id, err := s.EnrollDevice("alice.nguyen@example.com", "ANDROID", "Alice's Pixel")
	if err != nil {
		t.Fatal(err)
	}
	var dev map[string]any
	chk(call(t, "GET", api+"/devices/"+id, DefaultAPIToken, nil), 200).json(t, &dev)
	if dev["status"] != "ACTIVE" {
		t.Fatalf("device %v", dev)
	}
	var users []map[string]any
	chk(call(t, "GET", api+"/devices/"+id+"/users", DefaultAPIToken, nil), 200).json(t, &users)
	if len(users) != 1 {
		t.Fatalf("device users %v", users)
	}
	if _, err := s.EnrollDevice("nobody@example.com", "IOS", "x"); err == nil {
		t.Fatal("enrolled a device for no user")
	}
	var got []LogEvent
	for _, e := range s.Events() {
		if e.EventType == "device.enrollment.create" || e.EventType == "device.user.add" {
			got = append(got, e)
		}
	}
	if len(got) != 2 || got[0].EventType != "device.enrollment.create" || got[1].EventType != "device.user.add" {
		t.Fatalf("events %+v", got)
	}
	alice := userID(t, s, "alice.nguyen@example.com")
	for _, e := range got {
		if e.Target[0].ID != id || e.Target[0].Type != "Device" || e.Target[0].DetailEntry["platform"] != "ANDROID" || e.Actor.ID != alice {
			t.Errorf("%s: %+v", e.EventType, e)
		}
	}
	var logs []map[string]any
	chk(call(t, "GET", api+"/logs?filter="+url.QueryEscape(`eventType eq "device.user.add"`), DefaultAPIToken, nil), 200).json(t, &logs)
	if len(logs) != 1 {
		t.Fatalf("System Log: %v", logs)
	}
	if len(got[1].Target) != 2 || got[1].Target[1].ID != alice {
		t.Errorf("device.user.add targets %+v", got[1].Target)
	}
}
