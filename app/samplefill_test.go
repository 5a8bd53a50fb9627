package app

import (
	"bytes"
	"testing"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// A helper flow's sample names real records of the sandbox tenant: ids by
// input name (user, group, app), object fields too, and context.index 0.
func TestHelperSampleNamesTenantRecords(t *testing.T) {
	a, err := Open(t.Context(), Options{DataDir: t.TempDir(), Out: &bytes.Buffer{}, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	sb := a.Exec.Services["sandbox"].(*sandbox.Server)
	ids := sandboxIDs(sb)()
	f := &engine.Flow{ID: "h", Name: "H", Trigger: engine.Card{ID: "trigger", Type: "flow.helper", Outputs: []engine.Field{
		{Key: "userId", Type: engine.T("string")}, {Key: "Okta Group ID", Type: engine.T("string")},
		{Key: "applicationID", Type: engine.T("string")}, {Key: "login", Type: engine.T("string")},
		{Key: "note", Type: engine.T("string")},
		{Key: "Record", Type: engine.Obj(map[string]*engine.Type{"ID": engine.T("string"), "Login": engine.T("string")})},
		{Key: "context", Type: engine.Obj(map[string]*engine.Type{"index": engine.T("number"), "execution_id": engine.T("string")})}}}}
	in := a.sampleFor(f)
	alice, _ := sb.User("alice.nguyen@example.com")
	want := map[string]any{"userId": alice["id"], "Okta Group ID": ids.groupID, "applicationID": ids.appID,
		"login": "alice.nguyen@example.com", "note": "sample note"}
	for k, v := range want {
		if in[k] != v || v == "" || v == nil {
			t.Errorf("%s = %v, want %v", k, in[k], v)
		}
	}
	if r := in["Record"].(map[string]any); r["ID"] != alice["id"] || r["Login"] != "alice.nguyen@example.com" {
		t.Errorf("Record = %v", r)
	}
	if c, _ := in["context"].(map[string]any); c["index"] != 0.0 {
		t.Errorf("context = %v", in["context"])
	}
}
