package jira

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/jira/fake"
	"github.com/flowbench/flowbench/connectors/kit/kittest"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
	"github.com/flowbench/flowbench/engine/trigger"
)

type env struct {
	t    *testing.T
	f    *fake.Server
	st   *store.Store
	ex   *engine.Executor
	rt   *trigger.Runtime
	conn *engine.Connection
}

func startEnv(t *testing.T) *env {
	f := fake.New(fake.Config{})
	tg := kittest.ServeTriggers(t, "jira", &fakeAdapter{Server: f})
	return &env{t: t, f: f, st: tg.Store, ex: tg.Exec, rt: tg.RT, conn: tg.Conn}
}

func (e *env) flow(id, card string, inputs []engine.Field, outputs []engine.Field) *engine.Flow {
	fl := &engine.Flow{Format: engine.FlowFormat, ID: id, Name: id, Enabled: true, Settings: engine.Settings{History: true},
		Trigger: engine.Card{ID: "trigger", Type: card, Connection: e.conn.ID, Inputs: inputs, Outputs: outputs}}
	if err := e.st.PutFlow(fl); err != nil {
		e.t.Fatal(err)
	}
	stored, _ := e.st.Flow(context.Background(), id)
	if err := e.rt.Sync(stored); err != nil {
		e.t.Fatal(err)
	}
	return stored
}

// runs waits for the flow's queued runs and lists them (after a poll when poll is set).
func (e *env) runs(fl *engine.Flow, poll bool, want int) []*engine.Execution {
	e.t.Helper()
	if poll {
		if err := e.rt.PollNow(context.Background(), fl.ID); err != nil {
			e.t.Fatal(err)
		}
	}
	var out []*engine.Execution
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		s := e.rt.State(fl)
		e.ex.Wait()
		e.st.Flush()
		list, _ := e.st.Executions(store.Query{Flow: fl.ID})
		if s.Queued == 0 && s.Running == 0 && len(list) >= want {
			out = nil
			for _, x := range list {
				r, _ := e.st.Execution(x.ID)
				out = append(out, r)
			}
			break
		}
	}
	return out
}

func TestIssueCreatedAndUpdatedByJQLPolling(t *testing.T) {
	e := startEnv(t)
	jql := []engine.Field{{Key: "project", Group: "parameters", Value: "HEL"}, {Key: "jql", Group: "parameters", Value: `"Request Type" = "Onboard New Employee"`},
		{Key: "delivery", Value: "poll"}, {Key: "pollInterval", Value: "1h"}}
	outs := []engine.Field{{Key: "Okta First Name"}, {Key: "Okta Last Name"}, {Key: "Okta Start Date Time"}}
	created := e.flow("created", "jira.event.issueCreated", jql, outs)
	updated := e.flow("updated", "jira.event.issueUpdated", jql, outs)
	key, err := e.f.CreateIssue("HEL", "10012", map[string]any{"summary": "Onboard Ola Nordmann", "Request Type": "Onboard New Employee",
		"Okta First Name": "Ola", "Okta Last Name": "Nordmann"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.f.CreateIssue("HEL", "10012", map[string]any{"summary": "Printer jam", "Request Type": "Hardware"}); err != nil {
		t.Fatal(err)
	}
	runs := e.runs(created, true, 1)
	if len(runs) != 1 {
		t.Fatalf("issue created: %d runs", len(runs))
	}
	out := runs[0].Cards[0].Outputs
	if out["Key"] != key || out["Okta First Name"] != "Ola" || out["Summary"] != "Onboard Ola Nordmann" || out["Project"] != "HEL" {
		t.Fatalf("outputs %v", out)
	}
	if n := len(e.runs(updated, true, 0)); n != 0 {
		t.Fatalf("a new issue is no update: %d runs", n)
	}
	if err := e.f.UpdateIssue(key, map[string]any{"Okta Last Name": "Nordmann-Hansen"}); err != nil {
		t.Fatal(err)
	}
	runs = e.runs(updated, true, 1)
	if len(runs) != 1 || runs[0].Cards[0].Outputs["Okta Last Name"] != "Nordmann-Hansen" {
		t.Fatalf("issue updated: %d runs", len(runs))
	}
	if n := len(e.runs(updated, true, 1)); n != 1 {
		t.Fatalf("polling again: %d runs, want still 1", n)
	}
	if n := len(e.runs(created, true, 1)); n != 1 {
		t.Fatalf("created polled again: %d runs, want still 1", n)
	}
}

func TestIssueCreatedWebhook(t *testing.T) {
	e := startEnv(t)
	fl := e.flow("hooked", "jira.event.issueCreated", []engine.Field{{Key: "delivery", Value: "hook"}}, nil)
	hs := httptest.NewServer(e.rt.SignedHookHandler())
	t.Cleanup(hs.Close)
	hook := hs.URL + "/webhooks/jira/connection/" + e.conn.ID
	e.f.SetWebhook(hook, fake.WebhookSecret)
	key, err := e.f.CreateIssue("IT", "10001", map[string]any{"summary": "New laptop for Ola"})
	if err != nil {
		t.Fatal(err)
	}
	runs := e.runs(fl, false, 1)
	if len(runs) != 1 || runs[0].Cards[0].Outputs["Key"] != key || runs[0].Cards[0].Outputs["Summary"] != "New laptop for Ola" {
		t.Fatalf("webhook runs: %+v", runs)
	}
	body := []byte(`{"timestamp":1,"webhookEvent":"jira:issue_created","issue":{"id":"1","key":"IT-99","fields":{"summary":"x"}}}`)
	for sig, want := range map[string]int{fake.Sign("wrong", body): 401, "": 401} {
		req, _ := http.NewRequest("POST", hook, bytes.NewReader(body))
		req.Header.Set("X-Hub-Signature", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("signature %q: %d, want %d", sig, resp.StatusCode, want)
		}
	}
}
