package servicenow

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/fakeapi"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/servicenow/fake"
	"github.com/flowbench/flowbench/engine"
)

func harness(t *testing.T) (*fakeapi.Harness, *fake.Server) {
	f := fake.New(fake.Config{})
	a := &fakeAdapter{Server: f}
	return fakeapi.NewHarness(t, f, nil, a.Connection), f
}

func TestServiceNowCards(t *testing.T) {
	h, f := harness(t)
	inc := h.Must(t, "servicenow:createIncident", map[string]any{"Short description": "High risk login: alice", "Description": "Okta risk HIGH", "Urgency": 1})
	id, _ := inc["System ID"].(string)
	if len(id) != 32 || !strings.HasPrefix(engine.ToText(inc["Incident Number"]), "INC") {
		t.Fatalf("incident: %v", inc)
	}
	if rec, _ := f.Record("incident", id); rec["urgency"] != "1" || rec["short_description"] != "High risk login: alice" {
		t.Fatalf("stored incident: %v", rec)
	}
	// Custom API Action (Okta's "HTTP request"): creates a catalog task as the
	// automate_sso_application_creation template does
	ca := h.Must(t, "servicenow:hTTPRequest", map[string]any{"requestType": "POST", "Relative URL": "/api/now/table/sc_task",
		"Body": map[string]any{"short_description": "Create SSO app", "state": 1}})
	if ca["Status Code"] != 201.0 {
		t.Fatalf("custom api: %v", ca)
	}
	task, _ := ca["Body"].(map[string]any)["result"].(map[string]any)
	tid := task["sys_id"].(string)
	// Update Task: a catalog task through the task table (it extends task)
	out := h.Must(t, "servicenow:updateTask", map[string]any{"System ID": tid, "task_type": "task", "updateEmptyInputs": "No", "state": 3, "work_notes": "Application created", "comments": ""})
	if out["Status Code"] != 200.0 {
		t.Fatalf("update task: %v", out)
	}
	rec, _ := f.Record("sc_task", tid)
	if rec["state"] != "3" || rec["active"] != "false" || !strings.Contains(engine.ToText(rec["work_notes_journal"]), "Application created") {
		t.Fatalf("stored task: %v", rec)
	}
	// with Pass Empty Values? = Yes an empty field clears
	h.Must(t, "servicenow:updateTask", map[string]any{"System ID": tid, "task_type": "sc_task", "updateEmptyInputs": "Yes", "short_description": ""})
	if rec, _ := f.Record("sc_task", tid); rec["short_description"] != "" {
		t.Fatalf("empty value not passed: %v", rec)
	}
	_, _, err := h.Card(t, "servicenow:updateTask", map[string]any{"System ID": "0123456789abcdef0123456789abcdef", "state": 3})
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Status != 404 || he.Code != "No Record found" {
		t.Fatalf("unknown task: %v", err)
	}
	// table records
	nr := h.Must(t, "servicenow:createRecord", map[string]any{"table": "sys_user", "user_name": "nia.park", "email": "nia.park@example.com"})
	uid := nr["System ID"].(string)
	h.Must(t, "servicenow:updateRecord", map[string]any{"table": "sys_user", "System ID": uid, "department": "Engineering"})
	rd := h.Must(t, "servicenow:readRecord", map[string]any{"table": "sys_user", "System ID": uid, "Fields": "user_name,department"})
	if r := rd["Record"].(map[string]any); r["department"] != "Engineering" || r["user_name"] != "nia.park" {
		t.Fatalf("read: %v", rd)
	}
	s := h.Must(t, "servicenow:searchRecords", map[string]any{"table": "sys_user", "Encoded Query": "department=Engineering^active=true^ORuser_name=nia.park", "Fields": "user_name"})
	if s["Count"] != 3.0 {
		t.Fatalf("search: %v", s)
	}
	if d := h.Must(t, "servicenow:deleteRecord", map[string]any{"table": "sys_user", "System ID": uid}); d["Status Code"] != 204.0 {
		t.Fatalf("delete: %v", d)
	}
	if _, _, err := h.Card(t, "servicenow:readRecord", map[string]any{"table": "sys_user; drop", "System ID": "x"}); err == nil || !strings.Contains(err.Error(), "table") {
		t.Fatalf("bad table: %v", err)
	}
}

func TestServiceNowSearchPages(t *testing.T) {
	h, f := harness(t)
	for i := 0; i < 130; i++ {
		h.Must(t, "servicenow:createRecord", map[string]any{"table": "u_asset", "u_serial": i})
	}
	if f.Count("u_asset") != 130 {
		t.Fatal("seed")
	}
	s := h.Must(t, "servicenow:searchRecords", map[string]any{"table": "u_asset"})
	if s["Count"] != 130.0 {
		t.Fatalf("all pages: %v", s["Count"])
	}
}

func TestServiceNowConnectionTest(t *testing.T) {
	f := fake.New(fake.Config{})
	rf, err := kit.Serve("servicenow", &fakeAdapter{Server: f}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer rf.Close()
	if rep := Connector.Test(context.Background(), rf.Connection()); !rep.OK {
		t.Fatalf("connection test: %+v", rep.Steps)
	}
	f.SetPassword(fake.AdminUser, "changed")
	rep := Connector.Test(context.Background(), rf.Connection())
	last := rep.Steps[len(rep.Steps)-1]
	if rep.OK || last.Status != 401 || !strings.Contains(last.Hint, "user name and password") {
		t.Fatalf("changed password: %+v", rep.Steps)
	}
}
