package okta

import (
	"context"
	"sync"
	"testing"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

var (
	realmStreamMu  sync.Mutex
	realmStreamGot []map[string]any
)

func init() {
	engine.Register(&engine.Spec{ID: "test.captureRealm", Title: "Capture", Kind: engine.KindFunction, ExtensibleInputs: true,
		Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
			realmStreamMu.Lock()
			realmStreamGot = append(realmStreamGot, map[string]any{"login": at(in.Values["rec"], "Login"), "realm": in.Values["realm"]})
			realmStreamMu.Unlock()
			return nil, nil
		}})
}

// The Okta Realms cards, by their exported kinds and keys, against the
// sandbox (requests checked against the OpenAPI spec).
func TestRealmsCards(t *testing.T) {
	tn := startTenant(t, sandbox.Config{}, true)
	if !tn.srv.SetUserRealm("bob.martinez@example.com", sandbox.PartnerRealmID) {
		t.Fatal("SetUserRealm")
	}
	for _, k := range []string{"oktarealms:listRealmUsers_tmcXa7PfAt", "oktarealms:searchRealms_P4iAKL5cJ"} {
		if _, ok := engine.Default().ByOkta(k); !ok {
			t.Fatalf("%s not registered", k)
		}
	}
	all := mustCard(t, tn, "oktarealms.searchRealms", map[string]any{})
	if n, _ := all["Records Streamed"].(float64); n != 2 || at(all, "Realm", "Name") != "Default Realm" {
		t.Fatalf("search realms: %s", asJSON(all))
	}
	one := mustCard(t, tn, "oktarealms.searchRealms", map[string]any{"name": "Part", "result_set_C0V7NQ": "first_matching_record"})
	if at(one, "Realm", "ID") != sandbox.PartnerRealmID || at(one, "Realm", "Realm Type") != "PARTNER" {
		t.Fatalf("search realms by name: %s", asJSON(one))
	}
	users := mustCard(t, tn, "oktarealms.listRealmUsers", map[string]any{"id_2NFN8X": sandbox.PartnerRealmID, "result_set_GCTSBH": "first_200_records"})
	if l, _ := users["Users"].([]any); len(l) != 1 || at(l[0], "Login") != "bob.martinez@example.com" {
		t.Fatalf("realm users: %s", asJSON(users))
	}

	tn.flows["realmHelper"] = &engine.Flow{Format: engine.FlowFormat, ID: "realmHelper", Name: "realm helper",
		Trigger: engine.Card{ID: "trigger", Type: "flow.helper", Outputs: []engine.Field{{Key: "Record", Type: engine.T("object")}, {Key: "Realm Name", Type: engine.T("string")}}},
		Cards: []engine.Card{{ID: "c", Type: "test.captureRealm", Inputs: []engine.Field{
			{Key: "rec", Type: engine.T("any"), From: &engine.Binding{Card: "trigger", Path: []string{"Record"}}},
			{Key: "realm", Type: engine.T("any"), From: &engine.Binding{Card: "trigger", Path: []string{"Realm Name"}}}}}}}
	st := mustCard(t, tn, "oktarealms.listRealmUsers", map[string]any{"id_2NFN8X": sandbox.PartnerRealmID, "result_set_GCTSBH": "stream_records"},
		func(c *engine.Card) {
			c.Flow = "realmHelper"
			c.Inputs = append(c.Inputs, engine.Field{Key: "Realm Name", Group: "Streaming", Type: engine.T("string"), Value: "Partners"})
		})
	realmStreamMu.Lock()
	got := append([]map[string]any(nil), realmStreamGot...)
	realmStreamMu.Unlock()
	if st["Records Streamed"] != 1.0 || len(got) != 1 || got[0]["login"] != "bob.martinez@example.com" || got[0]["realm"] != "Partners" {
		t.Fatalf("streamed %s to the helper: %v", asJSON(st), got)
	}
	if _, _, err := tn.card(t, "oktarealms.listRealmUsers", map[string]any{"id_2NFN8X": sandbox.PartnerRealmID, "result_set_GCTSBH": "stream_records"}); err == nil || !contains(err.Error(), "Flow") {
		t.Fatalf("streaming without a helper flow: %v", err)
	}
	if _, _, err := tn.card(t, "oktarealms.listRealmUsers", map[string]any{"result_set_GCTSBH": "first_200_records"}); err == nil || !contains(err.Error(), "id_2NFN8X") {
		t.Fatalf("no realm id: %v", err)
	}
}
