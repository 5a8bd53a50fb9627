package okta

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// FuzzParseHook feeds arbitrary bodies to the Okta event hook parser: it
// never panics, an error always says something, and what it accepts is one
// plain JSON input per matching event, each with the delivery's fields.
func FuzzParseHook(f *testing.F) {
	f.Add([]byte(`{"eventId":"e1","eventTime":"2025-01-01T00:00:00.000Z","source":"s","data":{"events":[
	  {"uuid":"a","eventType":"user.lifecycle.create","severity":"INFO","published":"2025-01-01T00:00:00.000Z","actor":{"id":"00u1","alternateId":"admin@x","displayName":"A","type":"User"},
	   "target":[{"id":"00u2","type":"User","alternateId":"new@x","displayName":"New"}],"debugContext":{"debugData":{"requestId":"r"}}},
	  {"uuid":"b","eventType":"user.lifecycle.activate"}]}}`))
	f.Add([]byte(`{"data":{"events":[{"eventType":"user.lifecycle.create","target":null},{"eventType":"user.lifecycle.create","target":[1,"x",null]}]}}`))
	f.Add([]byte(`{"data":{"events":null}}`))
	f.Add([]byte(`{"data":{"events":[{"eventType":"user.lifecycle.create","published":"not a date","actor":"x"}]}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"data":{}}`))
	flows := []*engine.Flow{
		{ID: "x", Trigger: engine.Card{Type: EventCardID("userCreated"), Outputs: []engine.Field{{Key: "Severity"}, {Key: "Okta User"}}}},
		{ID: "y", Trigger: engine.Card{Type: EventCardID("userActivated")}},
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, fl := range flows {
			evs, err := parseHook(fl, http.Header{"Content-Type": {"application/json"}}, body)
			if err != nil {
				if err.Error() == "" {
					t.Fatal("empty error")
				}
				continue
			}
			var in struct {
				Data struct {
					Events []any `json:"events"`
				} `json:"data"`
			}
			_ = json.Unmarshal(body, &in)
			if len(evs) > len(in.Data.Events) {
				t.Fatalf("%d events from a delivery of %d", len(evs), len(in.Data.Events))
			}
			for _, ev := range evs {
				if _, err := json.Marshal(ev.Input); err != nil {
					t.Fatalf("event input is not plain JSON: %v", err)
				}
			}
		}
	})
}
