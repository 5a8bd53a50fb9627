package salesforce

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/fakeapi"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/salesforce/fake"
	"github.com/flowbench/flowbench/engine"
)

func harness(t *testing.T) (*fakeapi.Harness, *fake.Server) {
	f := fake.New(fake.Config{PageSize: 3})
	a := &fakeAdapter{Server: f}
	return fakeapi.NewHarness(t, f, nil, a.Connection), f
}

func TestSalesforceUserLifecycle(t *testing.T) {
	h, f := harness(t)
	in := map[string]any{"FirstName": "Nia", "LastName": "Park", "Username": "nia.park@example.com.sb", "Email": "nia.park@example.com",
		"Profile Name": "Standard User", "EmailEncodingKey": "UTF-8", "LocaleSidKey": "en_US", "LanguageLocaleKey": "en_US",
		"TimeZoneSidKey": "America/Los_Angeles", "Department": "Engineering"}
	out := h.Must(t, NS+":createUser", in)
	id, _ := out["User ID"].(string)
	if !strings.HasPrefix(id, "005") {
		t.Fatalf("create user: %v", out)
	}
	rec, _ := f.Record(id)
	if rec["Alias"] != "npark" || rec["Department"] != "Engineering" || rec["IsActive"] != true {
		t.Fatalf("stored user: %v", rec)
	}
	// duplicate username: Salesforce's code and message
	_, _, err := h.Card(t, NS+":createUser", in)
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Code != "DUPLICATE_USERNAME" {
		t.Fatalf("duplicate: %v", err)
	}
	in["Username"], in["Profile Name"] = "other@example.com", "No Such Profile"
	if _, _, err := h.Card(t, NS+":createUser", in); err == nil || !strings.Contains(err.Error(), "Profile Name") {
		t.Fatalf("unknown profile should name the field: %v", err)
	}
	s := h.Must(t, NS+":searchUsers", map[string]any{"keyword": "nia.park@example.com", "searchBy": "Email"})
	if s["User ID"] != id || s["Is Active?"] != true || s["Is Frozen?"] != false || s["First Name"] != "Nia" {
		t.Fatalf("search: %v", s)
	}
	if out := h.Must(t, NS+":deactivateUser", map[string]any{"User ID": id}); out["Status Code"] != 204.0 {
		t.Fatalf("deactivate: %v", out)
	}
	if rec, _ := f.Record(id); rec["IsActive"] != false {
		t.Fatal("not deactivated")
	}
	h.Must(t, NS+":activateUser", map[string]any{"User ID": id})
	if rec, _ := f.Record(id); rec["IsActive"] != true {
		t.Fatal("not activated")
	}
	if _, _, err := h.Card(t, NS+":deactivateUser", map[string]any{"User ID": "005000000000000AAA"}); !errors.As(err, &he) || he.Code != "NOT_FOUND" {
		t.Fatalf("unknown user: %v", err)
	}
	if s := h.Must(t, NS+":searchUsers", map[string]any{"keyword": "nobody@example.com"}); s["User ID"] != nil {
		t.Fatalf("no match should give empty outputs: %v", s)
	}
}

func TestSalesforceRecordsAndSOQL(t *testing.T) {
	h, f := harness(t)
	out := h.Must(t, NS+":createRecord", map[string]any{"recordType": "Contact", "LastName": "O'Hara", "FirstName": "Scarlett", "Email": "scarlett@tara.example", "Phone": nil})
	id, _ := out["Record ID"].(string)
	if !strings.HasPrefix(id, "003") {
		t.Fatalf("create record: %v", out)
	}
	// a quote in the value is escaped in SOQL
	s := h.Must(t, NS+":searchRecords", map[string]any{"recordType": "Contact", "LastName": "O'Hara"})
	if ids := s["Record IDs"].([]any); len(ids) != 1 || ids[0] != id {
		t.Fatalf("search records: %v", s)
	}
	if s := h.Must(t, NS+":searchRecords", map[string]any{"recordType": "Contact", "Email": "nobody@x.example"}); len(s["Record IDs"].([]any)) != 0 {
		t.Fatalf("no match: %v", s)
	}
	h.Must(t, NS+":updateRecord", map[string]any{"recordType": "Contact", "Record ID": id, "Phone": "+1 555 0199"})
	if rec, _ := f.Record(id); rec["Phone"] != "+1 555 0199" {
		t.Fatalf("update: %v", rec)
	}
	if _, _, err := h.Card(t, NS+":createRecord", map[string]any{"recordType": "Contact", "FirstName": "NoLast"}); err == nil || !strings.Contains(err.Error(), "REQUIRED_FIELD_MISSING") && !strings.Contains(err.Error(), "Required fields") {
		t.Fatalf("missing LastName: %v", err)
	}
	if _, _, err := h.Card(t, NS+":createRecord", map[string]any{"recordType": "Contact; DROP", "LastName": "x"}); err == nil || !strings.Contains(err.Error(), "recordType") {
		t.Fatalf("bad object name: %v", err)
	}
	// SOQL follows nextRecordsUrl (page size 3 in this fake)
	q := h.Must(t, NS+":soqlQuery", map[string]any{"SOQL Query": "SELECT Id, Username FROM User ORDER BY Username"})
	if recs := q["Records"].([]any); len(recs) != 5 || q["Total Size"] != 5.0 {
		t.Fatalf("soql: %v", q)
	}
	if _, _, err := h.Card(t, NS+":soqlQuery", map[string]any{"SOQL Query": "SELECT FROM"}); err == nil || !strings.Contains(err.Error(), "MALFORMED_QUERY") {
		t.Fatalf("malformed: %v", err)
	}
	ca := h.Must(t, NS+":customAPICall", map[string]any{"requestType": "GET", "Relative URL": "/sobjects/Contact/" + id})
	if ca["Status Code"] != 200.0 {
		t.Fatalf("custom api: %v", ca)
	}
}

func TestSalesforceConnectionTest(t *testing.T) {
	f := fake.New(fake.Config{})
	rf, err := kit.Serve("salesforce", &fakeAdapter{Server: f}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer rf.Close()
	rep := Connector.Test(context.Background(), rf.Connection())
	if !rep.OK {
		t.Fatalf("connection test: %+v", rep.Steps)
	}
	c := rf.Connection()
	c.Secrets[kit.SecClientSecret] = "wrong"
	rep = Connector.Test(context.Background(), c)
	if rep.OK || !strings.Contains(rep.Steps[len(rep.Steps)-1].Hint, "client ID or secret") {
		t.Fatalf("wrong secret: %+v", rep.Steps)
	}
}
