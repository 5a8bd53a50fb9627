package app

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

func endpointFlow(id string, enabled bool, inputs ...engine.Field) *engine.Flow {
	return &engine.Flow{Format: engine.FlowFormat, ID: id, Name: "Endpoint " + id, Enabled: enabled, Settings: engine.Settings{History: true},
		Trigger: engine.Card{ID: "trigger", Type: trigger.TypeAPIEndpoint, Inputs: inputs,
			Outputs: []engine.Field{{Key: "n", Group: "body", Type: engine.T("number")}}},
		Cards: []engine.Card{{ID: "r", Type: "flow.return", Inputs: []engine.Field{{Key: "got", From: &engine.Binding{Card: "trigger", Path: []string{"n"}}}}}}}
}

// A flow imported switched on while the app serves answers on its endpoint
// at once (no toggling off and on); one whose trigger cannot start is
// stored off and the report says why; re-importing a flow switched off
// stops its endpoint.
func TestImportEnabledFlowListens(t *testing.T) {
	a := testApp(t)
	h, err := NewHTTPHandler(a, "tok", nil) // serving: the trigger runtime runs
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	invoke := func(id, secret string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/flows/"+id+"/invoke", strings.NewReader(`{"n": 7}`))
		req.Header.Set("x-api-client-token", secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	file := func(flows ...*engine.Flow) string {
		b, err := engine.MarshalFolder(&engine.Folder{Format: engine.FolderFormat, Name: "Imported", Flows: flows})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	bad := endpointFlow("bad", true, engine.Field{Key: "rateLimit", Value: "-1"})
	rep, err := a.ImportText("team.folder.json", file(endpointFlow("ep", true), bad))
	if err != nil {
		t.Fatal(err)
	}
	st, err := a.TriggerStatus("ep")
	if err != nil || !st.Enabled || !st.Listening || st.Secret == "" {
		t.Fatalf("imported on, not listening: %+v %v", st, err)
	}
	if code, body := invoke("ep", st.Secret); code != 200 || body != `{"got":7}` {
		t.Fatalf("endpoint of the imported flow: %d %s", code, body)
	}
	if why := rep.SwitchedOff["bad"]; !strings.Contains(why, "API Endpoint › Rate limit (requests/s): must be a positive number") || len(rep.SwitchedOff) != 1 {
		t.Fatalf("report: %+v", rep.SwitchedOff)
	}
	flows, _ := a.ListFlows()
	for _, f := range flows {
		if want := f.ID == "ep"; f.Enabled != want {
			t.Errorf("flow %s listed enabled=%v, want %v", f.ID, f.Enabled, want)
		}
	}
	if st, _ := a.TriggerStatus("bad"); st.Enabled || st.Listening {
		t.Fatalf("bad flow: %+v", st)
	}

	// imported again, switched off: the endpoint stops at once
	if _, err := a.ImportText("team.folder.json", file(endpointFlow("ep", false))); err != nil {
		t.Fatal(err)
	}
	if code, _ := invoke("ep", st.Secret); code != 404 {
		t.Fatalf("endpoint of a flow imported off: %d", code)
	}
}
