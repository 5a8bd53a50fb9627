package app

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/okta"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

func TestTriggersMountedOnServe(t *testing.T) {
	a := testApp(t)
	h, err := NewHTTPHandler(a, "tok", nil) // mounting the routes starts the runtime
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	get := func(method, path, body string, hdr map[string]string) (int, string) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("GET", "/healthz", "", nil); code != 200 || !strings.Contains(body, `"ok"`) {
		t.Fatalf("healthz %d %s", code, body)
	}
	f := &engine.Flow{Format: engine.FlowFormat, ID: "ep", Name: "Endpoint", Settings: engine.Settings{History: true},
		Trigger: engine.Card{ID: "trigger", Type: trigger.TypeAPIEndpoint, Outputs: []engine.Field{{Key: "n", Group: "body", Type: engine.T("number")}}},
		Cards:   []engine.Card{{ID: "r", Type: "flow.return", Inputs: []engine.Field{{Key: "twice", From: &engine.Binding{Card: "trigger", Path: []string{"n"}}}}}}}
	if _, err := a.SaveFlow(f); err != nil {
		t.Fatal(err)
	}
	st, err := a.TriggerStatus("ep")
	if err != nil || st.Listening || st.Kind != "api" {
		t.Fatalf("off: %+v %v", st, err)
	}
	if err := a.SetFlowEnabled("ep", true); err != nil {
		t.Fatal(err)
	}
	st, _ = a.TriggerStatus("ep")
	if !st.Listening || st.Endpoint != srv.URL+"/api/flows/ep/invoke" || st.Secret == "" {
		t.Fatalf("on: %+v", st)
	}
	if code, body := get("POST", "/api/flows/ep/invoke", `{"n": 21}`, map[string]string{"x-api-client-token": st.Secret}); code != 200 || body != `{"twice":21}` {
		t.Fatalf("invoke %d %s", code, body)
	}
	// the app's RPC under /api/ still answers
	if code, _ := get("POST", "/api/ListFlows", "[]", map[string]string{"Authorization": "Bearer tok"}); code != 200 {
		t.Fatalf("rpc %d", code)
	}
	if code, body := get("GET", "/metrics", "", nil); code != 200 || !strings.Contains(body, `flowbench_executions_total{flow="ep",flow_name="Endpoint",status="success",trigger="api"} 1`) {
		t.Fatalf("metrics %d %s", code, body)
	}
	sec, err := a.RotateTriggerSecret("ep")
	if err != nil || sec == st.Secret {
		t.Fatalf("rotate %v", err)
	}
	if code, _ := get("POST", "/api/flows/ep/invoke", `{}`, map[string]string{"x-api-client-token": st.Secret}); code != 401 {
		t.Fatalf("old token: %d", code)
	}
	if err := a.SetFlowEnabled("ep", false); err != nil {
		t.Fatal(err)
	}
	if code, _ := get("POST", "/api/flows/ep/invoke", `{}`, map[string]string{"x-api-client-token": sec}); code != 404 {
		t.Fatalf("off: %d", code)
	}
}

func TestEventSampleInputs(t *testing.T) {
	f := &engine.Flow{Trigger: engine.Card{Type: okta.EventCardID("userAddedToGroupMembership")}}
	s := SampleFor(f)
	u, _ := s["Okta User"].(map[string]any)
	g, _ := s["Group"].(map[string]any)
	if u["ID"] == "" || g["Display Name"] != "Engineering" || s["Event Type"] != "group.user_membership.add" {
		t.Fatalf("%v", s)
	}
}

// A Scheduled Flow's test run has its Scheduled Time (now, as if the
// schedule fired) besides the outputs the user added; it was empty, so a
// run from the Run panel failed at the first card using it.
func TestScheduleSampleInput(t *testing.T) {
	f := &engine.Flow{Trigger: engine.Card{Type: trigger.TypeSchedule, Outputs: []engine.Field{{Key: "batch", Type: engine.T("number")}}}}
	before := time.Now().Add(-time.Second)
	s := SampleFor(f)
	at, err := engine.ParseDate(s["scheduledTime"])
	if err != nil || at.Before(before) || at.After(time.Now().Add(time.Second)) {
		t.Fatalf("scheduledTime %v (%v)", s["scheduledTime"], err)
	}
	if s["batch"] != float64(1) || len(s) != 2 {
		t.Fatalf("%v", s)
	}
	if f.Trigger.Type != trigger.TypeSchedule {
		t.Fatal("the flow was changed")
	}
}

// A trigger set up wrongly refuses to switch on with a 400 naming the field
// (the designer shows it on the card), not a server error.
func TestEnableMisconfiguredTriggerIs400(t *testing.T) {
	a := testApp(t)
	h, err := NewHTTPHandler(a, "tok", nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	f := &engine.Flow{Format: engine.FlowFormat, ID: "sch", Name: "Every zero",
		Trigger: engine.Card{ID: "trigger", Type: trigger.TypeSchedule, Inputs: []engine.Field{
			{Key: "frequency", Value: "cron"}, {Key: "cron", Value: "@every 0s"}}}}
	if _, err := a.SaveFlow(f); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", srv.URL+"/api/SetFlowEnabled", strings.NewReader(`["sch", true]`))
	req.Header.Set("Authorization", "Bearer tok")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), `Scheduled Flow › Cron: `) {
		t.Fatalf("switch on: %d %s", resp.StatusCode, b)
	}
}
