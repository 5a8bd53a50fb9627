package trigger_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// approvalFlow: API Endpoint (name) → Pause (ask) with outputs approved
// (boolean) and by (text) → Return {name, approved, by}.
func approvalFlow(id string) *engine.Flow {
	pb := func(key string) *engine.Binding { return &engine.Binding{Card: "pause", Path: []string{key}} }
	return endpoint(id, nil,
		engine.Card{ID: "pause", Type: engine.PauseID, Title: "Pause",
			Inputs:  []engine.Field{bind("ask", "name")},
			Outputs: []engine.Field{{Key: "approved", Type: engine.T("boolean")}, {Key: "by", Type: engine.T("string")}}},
		engine.Card{ID: "ret", Type: "flow.return", Inputs: []engine.Field{bind("name", "name"),
			{Key: "approved", Type: engine.T("boolean"), From: pb("approved")}, {Key: "by", Type: engine.T("string"), From: pb("by")}}})
}

// TestPauseResumeOverHTTP: invoke → the caller gets the Pause inputs and
// the execution id; the resume URL (same security as invoke) continues
// the run and answers with its Return; a second resume is refused; a
// restart of serve (runtime and Badger store) between pause and resume
// loses nothing.
func TestPauseResumeOverHTTP(t *testing.T) {
	dir := t.TempDir()
	e := newEnv(t, dir, trigger.Options{}).start()
	f := e.put(approvalFlow("approve"))
	st := e.rt.State(f)
	tok := map[string]string{trigger.HeaderClientToken: st.Secret, "Content-Type": "application/json"}
	r := call(t, "POST", e.srv.URL+"/api/flo/approve/invoke", tok, `{"name":"Ada"}`)
	id := r.header.Get(engine.HeaderExecutionID)
	if r.status != 200 || r.body != `{"ask":"Ada"}` || id == "" {
		t.Fatalf("invoke: %d %v %s, want 200 {ask: Ada} with %s", r.status, r.header, r.body, engine.HeaderExecutionID)
	}
	if list := e.executions("approve"); len(list) != 1 || list[0].Status != engine.StatusPaused {
		t.Fatalf("history %+v, want one paused run", list)
	}
	resume := func(base, flow, exec string, hdr map[string]string, body string) reply {
		return call(t, "POST", base+"/api/flo/"+flow+"/resume/"+exec, hdr, body)
	}
	refusals := []struct {
		name   string
		flow   string
		exec   string
		hdr    map[string]string
		body   string
		status int
		want   string
	}{
		{"no client token", "approve", id, map[string]string{"Content-Type": "application/json"}, `{"approved":true}`, 401, "client token"},
		{"flow not on", "nope", id, tok, `{}`, 404, "no API endpoint flow nope"},
		{"unknown execution", "approve", engine.NewID(), tok, `{}`, 404, "no paused execution"},
		{"bad id", "approve", "a%20b", tok, `{}`, 404, "no execution"},
		{"body not an object", "approve", id, tok, `[true]`, 400, "body must be a JSON object"},
		{"value of the wrong type", "approve", id, tok, `{"approved":"perhaps"}`, 400, `approved\" (boolean): \"perhaps\" is not true or false`},
	}
	for _, c := range refusals {
		if r := resume(e.srv.URL, c.flow, c.exec, c.hdr, c.body); r.status != c.status || !strings.Contains(r.body, c.want) {
			t.Fatalf("%s: %d %s, want %d %q", c.name, r.status, r.body, c.status, c.want)
		}
	}

	// serve restarts: the run stays paused and resumes from the new process
	e.close()
	e = newEnv(t, dir, trigger.Options{}).start()
	defer e.close()
	if list := e.executions("approve"); len(list) != 1 || list[0].Status != engine.StatusPaused {
		t.Fatalf("after restart %+v, want paused", list)
	}
	f, _ = e.st.Flow(context.Background(), "approve")
	if err := e.rt.Sync(f); err != nil {
		t.Fatal(err)
	}
	r = resume(e.srv.URL, "approve", id, tok, `{"approved":"true","by":"bob","ignored":1}`)
	var got map[string]any
	_ = json.Unmarshal([]byte(r.body), &got)
	if r.status != 200 || got["name"] != "Ada" || got["approved"] != true || got["by"] != "bob" {
		t.Fatalf("resume: %d %s", r.status, r.body)
	}
	list := e.executions("approve")
	if len(list) != 1 || list[0].Status != engine.StatusSuccess || list[0].ID != id {
		t.Fatalf("history after resume %+v", list)
	}
	ex, _ := e.st.Execution(id)
	for _, c := range ex.Cards {
		if c.ID == "pause" && (c.Status != engine.StatusSuccess || c.Outputs["by"] != "bob") {
			t.Fatalf("pause card after resume %+v", c)
		}
	}
	if r := resume(e.srv.URL, "approve", id, tok, `{"approved":false}`); r.status != 409 || !strings.Contains(r.body, "not paused") {
		t.Fatalf("second resume: %d %s, want 409", r.status, r.body)
	}

	t.Run("pause raw", func(t *testing.T) {
		f := e.put(endpoint("raw", nil,
			engine.Card{ID: "pr", Type: engine.PauseRawID, Inputs: []engine.Field{fld("statusCode", 429),
				fld("headers", map[string]any{"Content-Type": "text/plain", "Retry-After": "60"}), bind("body", "name")}},
			engine.Card{ID: "ret", Type: "flow.returnRaw", Inputs: []engine.Field{fld("statusCode", 201),
				{Key: "body", From: &engine.Binding{Card: "pr", Path: []string{"body"}}}}}))
		tok := map[string]string{trigger.HeaderClientToken: e.rt.State(f).Secret}
		r := call(t, "POST", e.srv.URL+"/api/flows/raw/invoke", tok, `{"name":"wait"}`)
		id := r.header.Get(engine.HeaderExecutionID)
		if r.status != 429 || r.header.Get("Retry-After") != "60" || r.header.Get("Content-Type") != "text/plain" || r.body != "wait" || id == "" {
			t.Fatalf("pause raw: %d %v %q", r.status, r.header, r.body)
		}
		// the body arrives as sent, whatever it is
		r = call(t, "POST", e.srv.URL+"/api/flows/raw/resume/"+id, tok, `plain <text>`)
		if r.status != 201 || r.body != "plain <text>" {
			t.Fatalf("resume raw: %d %q", r.status, r.body)
		}
	})
}
