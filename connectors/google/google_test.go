package google_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/fakeapi"
	"github.com/flowbench/flowbench/connectors/google"
	"github.com/flowbench/flowbench/connectors/google/fake"
	"github.com/flowbench/flowbench/engine"
)

// validating checks every API exchange against Google's discovery
// documents; the OAuth endpoints (not in them) pass through.
type validating struct {
	t    testing.TB
	v    *fakeapi.Validator
	base http.RoundTripper
	mu   sync.Mutex
	errs []error
}

func (vt *validating) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := vt.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	rb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(rb))
	switch req.URL.Path {
	case "/token", "/revoke", "/o/oauth2/v2/auth":
		return resp, nil
	}
	if err := vt.v.Check(req, body, resp, rb); err != nil {
		vt.mu.Lock()
		vt.errs = append(vt.errs, err)
		vt.mu.Unlock()
		vt.t.Errorf("discovery: %v", err)
	}
	return resp, nil
}

func validator(t testing.TB) *fakeapi.Validator {
	t.Helper()
	files, _ := filepath.Glob("testdata/discovery/*.json")
	if len(files) != 7 {
		t.Fatalf("want 7 discovery documents, have %v", files)
	}
	v, err := fakeapi.NewDiscoveryValidator(files...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

type env struct {
	fake *fake.Server
	h    *fakeapi.Harness
	v    *fakeapi.Validator
}

// record is the history record of the card with the id.
func record(ex *engine.Execution, id string) *engine.CardRecord {
	for i := range ex.Cards {
		if ex.Cards[i].ID == id {
			return &ex.Cards[i]
		}
	}
	return &engine.CardRecord{}
}

func newEnv(t *testing.T) *env { return newEnvWith(t, fake.Config{}) }

func newEnvWith(t *testing.T, cfg fake.Config) *env {
	t.Helper()
	f := fake.New(cfg)
	v := validator(t)
	h := fakeapi.NewHarness(t, f, nil, f.Connection)
	h.Exec.Services["http"] = &validating{t: t, v: v, base: http.DefaultTransport}
	return &env{fake: f, h: h, v: v}
}

func (e *env) run(t *testing.T, typ string, in map[string]any) map[string]any {
	t.Helper()
	out, ex, err := e.h.Card(t, typ, in)
	if err != nil {
		t.Fatalf("%s: %v", typ, err)
	}
	if ex.Status != engine.StatusSuccess {
		t.Fatalf("%s: status %s: %v", typ, ex.Status, ex.Error)
	}
	return out
}

func TestDirectoryCards(t *testing.T) {
	e := newEnv(t)
	alice := "alice.nguyen@example.com"
	u := e.run(t, "googledirectory:readUser", map[string]any{"User ID": alice})
	if u["First Name"] != "Alice" || u["Suspended?"] != false || u["Id"] == "" {
		t.Fatalf("read user: %v", u)
	}
	if orgs := u["Organizations"].([]any); len(orgs) != 1 || orgs[0].(map[string]any)["Job Title"] != "Engineering Manager" {
		t.Errorf("organizations: %v", u["Organizations"])
	}
	if o := e.run(t, "googledirectory:deactivateUser", map[string]any{"ID": alice}); o["Status Code"] != float64(200) {
		t.Errorf("suspend: %v", o)
	}
	if !e.fake.User(alice).Suspended {
		t.Error("alice is not suspended in the fake")
	}
	e.run(t, "googledirectory:activateUser", map[string]any{"ID": alice})
	if e.fake.User(alice).Suspended {
		t.Error("alice is still suspended")
	}
	if o := e.run(t, "googledirectory:signOutUser", map[string]any{"User Key": alice}); o["Status Code"] != float64(204) {
		t.Errorf("sign out: %v", o)
	}
	asps := e.run(t, "googledirectory:readAllUserASPs", map[string]any{"User ID": alice})["ASPs"].([]any)
	if len(asps) != 1 {
		t.Fatalf("asps: %v", asps)
	}
	code := asps[0].(map[string]any)["Code ID"]
	e.run(t, "googledirectory:deleteUserASP", map[string]any{"User ID": alice, "Code ID": code})
	if n := len(e.run(t, "googledirectory:readAllUserASPs", map[string]any{"User ID": alice})["ASPs"].([]any)); n != 0 {
		t.Errorf("asp not deleted: %d left", n)
	}
	toks := e.run(t, "googledirectory:readAllUserAccessTokens", map[string]any{"User ID": alice})["Access Tokens"].([]any)
	if len(toks) != 2 || toks[0].(map[string]any)["Application Name"] != "Slack" {
		t.Fatalf("tokens: %v", toks)
	}
	e.run(t, "googledirectory:deleteUserAccessTokens", map[string]any{"User ID": alice, "Client ID": toks[0].(map[string]any)["Client ID"]})
	if n := len(e.run(t, "googledirectory:readAllUserAccessTokens", map[string]any{"User ID": alice})["Access Tokens"].([]any)); n != 1 {
		t.Errorf("token not deleted: %d left", n)
	}
	devs := e.run(t, "googledirectory:readAllUserDevices", map[string]any{"Email": alice})["Mobile Devices"].([]any)
	if len(devs) != 1 || devs[0].(map[string]any)["Model"] != "Pixel 8" {
		t.Fatalf("devices: %v", devs)
	}
	e.run(t, "googledirectory:deleteUserDevice", map[string]any{"Resource ID": devs[0].(map[string]any)["Resource ID"]})
	if n := len(e.run(t, "googledirectory:readAllUserDevices", map[string]any{"Email": alice})["Mobile Devices"].([]any)); n != 0 {
		t.Errorf("device not deleted")
	}
	g := e.run(t, "googledirectory:createGroup", map[string]any{"Email": "sales-emea@example.com", "Name": "Sales EMEA"})
	if g["Email"] != "sales-emea@example.com" || g["Admin Created"] != true || g["ID"] == "" {
		t.Errorf("group: %v", g)
	}
}

func TestLicenseCards(t *testing.T) {
	e := newEnv(t)
	bob := "bob.martinez@example.com"
	all := e.run(t, "googledirectory:getAllLicenses", nil)["Licenses"].([]any)
	var vault map[string]any
	for _, l := range all {
		if l.(map[string]any)["skuid"] == "Google-Vault" {
			vault = l.(map[string]any)
		}
	}
	if vault == nil {
		t.Fatalf("no Vault in %v", all)
	}
	res := e.run(t, "googledirectory:assignALicenseToUser", map[string]any{"licenses": []any{vault}, "id": bob})["Results"].([]any)
	if len(res) != 1 || res[0].(map[string]any)["Status Code"] != "200" {
		t.Fatalf("assign: %v", res)
	}
	lics := e.run(t, "googledirectory:readAllUserLicenses", map[string]any{"ID": bob})["Licenses"].([]any)
	var skus []string
	for _, l := range lics {
		skus = append(skus, l.(map[string]any)["skuId"].(string))
	}
	slices.Sort(skus)
	if strings.Join(skus, ",") != "1010020027,Google-Vault" {
		t.Fatalf("licenses: %v", skus)
	}
	e.run(t, "googledirectory:unassignLicenseFromUser", map[string]any{"licenses": []any{vault}, "id": bob})
	if got := e.fake.Licenses(bob); len(got) != 1 || got[0].SkuID != "1010020027" {
		t.Errorf("after unassign: %v", got)
	}
	// a second removal of the same license is Google's 404, named on the card
	_, ex, err := e.h.Card(t, "googledirectory:unassignLicenseFromUser", map[string]any{"licenses": []any{vault}, "id": bob})
	var he *engine.HTTPError
	if err == nil || !errors.As(err, &he) || he.Status != 404 || he.Code != "notFound" {
		t.Errorf("unassign twice: %v (%v)", err, ex.Status)
	}
}

func TestGmailCards(t *testing.T) {
	e := newEnv(t)
	carol, dave := "carol.okafor@example.com", "david.kim@example.com"
	o := e.run(t, "gmail:sendEmail2", map[string]any{"To": []any{carol}, "CC": []any{dave}, "Subject": "Access review ✓",
		"Body": "<b>Please review</b>", "bodyIsHtml": "Yes"})
	if o["Message ID"] == "" {
		t.Fatalf("send: %v", o)
	}
	msgs := e.fake.Messages(carol)
	if len(msgs) != 1 || msgs[0]["Subject"] != "Access review ✓" || msgs[0]["HTML"] != "<b>Please review</b>" {
		t.Fatalf("carol's inbox: %v", msgs)
	}
	if len(e.fake.Messages(dave)) != 1 {
		t.Error("cc not delivered")
	}
	e.run(t, "gmail:sendEmailWithAttachment", map[string]any{"To": []any{carol}, "Subject": "Report", "Body": "attached",
		"File Name": "report.csv", "File Content": "name,status\nalice,ACTIVE\n"})
	msgs = e.fake.Messages(carol)
	if att := msgs[1]["Attachments"].([]string); len(att) != 1 || att[0] != "report.csv" || msgs[1]["Body"] != "attached" {
		t.Fatalf("attachment: %v", msgs[1])
	}
	d := e.run(t, "gmail:addDelegate", map[string]any{"Delegator/Email": carol, "Delegate/Email": dave})
	if d["Delegate Email"] != dave || d["Verification Status"] != "accepted" {
		t.Errorf("delegate: %v", d)
	}
	if got := e.fake.Delegates(carol); len(got) != 1 || got[0] != dave {
		t.Errorf("delegates: %v", got)
	}
	if o := e.run(t, "gmail:deleteDelegate", map[string]any{"Delegator/email": carol, "Delegate/email": dave}); o["Status Code"] != float64(204) {
		t.Errorf("delete delegate: %v", o)
	}
	f := e.run(t, "gmail:forwardEmails", map[string]any{"Forward From/Email": carol, "Forward To/Email": dave})
	if f["Enabled"] != true || f["Forwarding Email"] != dave || f["Disposition"] != "leaveInInbox" {
		t.Errorf("forward: %v", f)
	}
	// a second run finds the address already there and still turns forwarding on
	e.run(t, "gmail:forwardEmails", map[string]any{"Forward From/Email": carol, "Forward To/Email": dave})
	a := e.run(t, "gmail:setAutoReply", map[string]any{"Email": carol, "Response Subject": "Out of office", "Response Body Plain Text": "Back Monday",
		"Restrict to Domain": true, "Start Time": "2026-12-01T00:00:00.000Z", "End Time": "2026-12-08T00:00:00.000Z"})
	if a["Enable Auto Reply"] != true || a["Start Time"] != "2026-12-01T00:00:00.000Z" || a["Restrict to Domain"] != true {
		t.Errorf("auto reply: %v", a)
	}
	fw, vac := e.fake.Settings(carol)
	if fw["emailAddress"] != dave || vac["responseSubject"] != "Out of office" {
		t.Errorf("settings: %v %v", fw, vac)
	}
	// bad input names the field
	_, _, err := e.h.Card(t, "gmail:sendEmail2", map[string]any{"To": []any{"not an address"}})
	if err == nil || !strings.Contains(err.Error(), "To") || !strings.Contains(err.Error(), "not an email address") {
		t.Errorf("bad To: %v", err)
	}
}

func TestDriveSheetsCalendarCards(t *testing.T) {
	e := newEnv(t)
	s := e.run(t, "googledrive:searchFiles", map[string]any{"Name": "IT policy.txt", "parentFolder": "1Onyhit8Me1tyURvhVdPGqKn8ZFGCkhiH", "resultSet": "one"})
	if s["File ID"] != "1bPolicyTxt0000000000000000000002" {
		t.Fatalf("search: %v", s)
	}
	dl := e.run(t, "googledrive:downloadFile", map[string]any{"File ID": s["File ID"]})
	if !strings.HasPrefix(dl["File Content ID"].(string), "Lock your screen.") {
		t.Errorf("download: %v", dl)
	}
	doc := e.run(t, "googledrive:downloadFile", map[string]any{"File ID": "1cHandbookDoc000000000000000000003", "Download Format": "Plain Text"})
	if !strings.HasPrefix(doc["File Content ID"].(string), "Employee handbook") {
		t.Errorf("export: %v", doc)
	}
	pdf := e.run(t, "googledrive:downloadFile", map[string]any{"File ID": "1aWelcomePdf0000000000000000000001"})
	up := e.run(t, "googledrive:uploadFile", map[string]any{"Name": "copy.pdf", "Parent Folder ID": "1Onyhit8Me1tyURvhVdPGqKn8ZFGCkhiH",
		"File Content ID": pdf["File Content ID"], "Description": "a copy"})
	f := e.fake.FileByName("copy.pdf")
	if f == nil || up["File ID"] != f.ID || !bytes.HasPrefix(f.Content, []byte("%PDF-1.4")) || f.Description != "a copy" {
		t.Fatalf("upload: %v %+v", up, f)
	}
	all := e.run(t, "googledrive:searchFiles", map[string]any{"parentFolder": "1Onyhit8Me1tyURvhVdPGqKn8ZFGCkhiH", "resultSet": "all"})
	if n := len(all["Files"].([]any)); n != 3 {
		t.Errorf("all files in folder: %d", n)
	}
	tr := e.run(t, "googledrive:createTransferRequest", map[string]any{"From User": "bob.martinez@example.com", "To User": "alice.nguyen@example.com"})
	if tr["Transfer ID"] == "" || tr["Transfer Status"] != "inProgress" {
		t.Errorf("drive transfer: %v", tr)
	}
	tc := e.run(t, "googlecalendar:createTransferRequest", map[string]any{"From User": "bob.martinez@example.com", "To User": "alice.nguyen@example.com"})
	ts := e.fake.Transfers()
	if len(ts) != 2 || ts[1].ID != tc["Transfer ID"] || ts[1].Apps[0]["applicationId"] != fake.AppCalendar {
		t.Errorf("calendar transfer: %v %+v", tc, ts)
	}
	_, _, err := e.h.Card(t, "googledrive:createTransferRequest", map[string]any{"From User": "nobody@example.com", "To User": "alice.nguyen@example.com"})
	if err == nil || !strings.Contains(err.Error(), "From User") {
		t.Errorf("unknown from user: %v", err)
	}

	rows := e.run(t, "googlesheets2_29:readAllRows", map[string]any{"spreadsheet": "1CvjyPMovQDWGdO0VJoB932ZOHSsbWpOfbTK64i3-58A", "worksheet": "Sheet1"})["Rows"].([]any)
	if len(rows) != 2 || rows[0].(map[string]any)["Columns"].(map[string]any)["1-firstName"] != "Liam" || rows[1].(map[string]any)["Row Number"] != float64(3) {
		t.Fatalf("rows: %v", rows)
	}
	info := e.run(t, "googlesheets2_29:readWorksheetInfo", map[string]any{"Name": "Sheet1", "spreadsheet": "1TjcI7Mm_6fS9gPuqowvNZeFiA5I8At7bUvqQVfa8L7Q"})
	if info["Worksheet ID"] != "0" || info["Sheet Type"] != "GRID" || !strings.HasSuffix(info["Worksheet URL"].(string), "#gid=0") {
		t.Errorf("info: %v", info)
	}
	// Create Row takes its columns as added inputs keyed "N-Header"
	spec, _ := engine.Default().Card("googlesheets2_29:createRow")
	c := engine.Card{ID: "card", Type: spec.ID, Connection: "conn", Inputs: []engine.Field{
		{Key: "spreadsheet", Value: "1TjcI7Mm_6fS9gPuqowvNZeFiA5I8At7bUvqQVfa8L7Q"}, {Key: "worksheet", Value: "Sheet1"},
		{Key: "0-Display Name", Group: "Columns", Type: engine.T("string"), Value: "Bob Martinez"},
		{Key: "2-Time", Group: "Columns", Type: engine.T("string"), Value: "2026-12-01"}}}
	fl := &engine.Flow{Format: engine.FlowFormat, ID: "row", Name: "row", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"}, Cards: []engine.Card{c}}
	ex, err := e.h.Exec.Run(context.Background(), fl, nil, engine.RunOptions{})
	if err != nil || ex.Status != engine.StatusSuccess {
		t.Fatalf("create row: %v %v", err, ex.Error)
	}
	got := e.fake.Rows("1TjcI7Mm_6fS9gPuqowvNZeFiA5I8At7bUvqQVfa8L7Q", "Sheet1")
	if len(got) != 2 || strings.Join(got[1], "|") != "Bob Martinez||2026-12-01" {
		t.Errorf("sheet rows: %q", got)
	}
	if out := record(ex, "card").Outputs; out["Row Number"] != float64(2) || out["Updated Range"] != "Sheet1!A2:C2" {
		t.Errorf("create row outputs: %v", out)
	}
}

func TestCustomAPIActions(t *testing.T) {
	e := newEnv(t)
	o := e.run(t, "googledirectory:hTTPRequest", map[string]any{"Relative URL": "users", "Query": map[string]any{"customer": "my_customer", "maxResults": 5}})
	body := o["Body"].(map[string]any)
	if o["Status Code"] != float64(200) || len(body["users"].([]any)) != 5 || body["nextPageToken"] != "5" {
		t.Fatalf("directory custom: %v", o)
	}
	g := e.run(t, "gmail:hTTPRequest", map[string]any{"Relative URL": "users/me/profile", "Act As": "julia.rossi@example.com"})
	if g["Body"].(map[string]any)["emailAddress"] != "julia.rossi@example.com" {
		t.Errorf("gmail custom: %v", g)
	}
	c := e.run(t, "googlecalendar:hTTPRequest", map[string]any{"Relative URL": "users/me/calendarList"})
	if c["Status Code"] != float64(200) {
		t.Errorf("calendar custom: %v", c)
	}
	e.run(t, "googledrive:hTTPRequest", map[string]any{"Relative URL": "files", "Query": map[string]any{"q": "starred = true"}})
	e.run(t, "googlesheets2_29:hTTPRequest", map[string]any{"Relative URL": "spreadsheets/1TjcI7Mm_6fS9gPuqowvNZeFiA5I8At7bUvqQVfa8L7Q"})
	_, _, err := e.h.Card(t, "gmail:hTTPRequest", map[string]any{"Relative URL": "https://evil.example.net/x"})
	if err == nil || !strings.Contains(err.Error(), "Relative URL") {
		t.Errorf("absolute URL elsewhere: %v", err)
	}
}

func TestErrorsAndFaults(t *testing.T) {
	e := newEnv(t)
	_, ex, err := e.h.Card(t, "googledirectory:readUser", map[string]any{"User ID": "nobody@example.com"})
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Status != 404 || he.Code != "notFound" || !strings.Contains(he.Summary, "Resource Not Found") {
		t.Fatalf("404: %v", err)
	}
	if ex.Status != engine.StatusFailed {
		t.Errorf("status %s", ex.Status)
	}
	// a 503 on a read is retried
	e.fake.SetFaults([]fake.Fault{{PathPrefix: "/admin/directory/v1/users/", Method: "GET", Status: 503, Every: 2}})
	e.run(t, "googledirectory:readUser", map[string]any{"User ID": "alice.nguyen@example.com"}) // 1st: passes
	_, ex, err = e.h.Card(t, "googledirectory:readUser", map[string]any{"User ID": "alice.nguyen@example.com"})
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	var statuses []int
	for _, a := range record(ex, "card").Attempts {
		statuses = append(statuses, a.Status)
	}
	if !slices.Contains(statuses, 503) || statuses[len(statuses)-1] != 200 {
		t.Errorf("attempts: %v", statuses)
	}
	// a 403 userRateLimitExceeded (how Directory signals a usage limit) is
	// tried again, even for a write
	google.RateLimit403Wait = time.Millisecond
	e.fake.SetFaults([]fake.Fault{{PathPrefix: "/admin/directory/v1/users/", Method: "PUT", Status: 403}})
	_, ex, err = e.h.Card(t, "googledirectory:deactivateUser", map[string]any{"ID": "bob.martinez@example.com"})
	if !errors.As(err, &he) || he.Code != "userRateLimitExceeded" || len(record(ex, "card").Attempts) != 1+google.RateLimit403Tries {
		t.Errorf("403 usage limit, every try: %v, %d attempts", err, len(record(ex, "card").Attempts))
	}
	e.fake.SetFaults([]fake.Fault{{PathPrefix: "/admin/directory/v1/users/", Method: "PUT", Status: 403, Every: 2}})
	e.run(t, "googledirectory:deactivateUser", map[string]any{"ID": "bob.martinez@example.com"}) // 1st: passes
	_, ex, err = e.h.Card(t, "googledirectory:activateUser", map[string]any{"ID": "bob.martinez@example.com"})
	if err != nil || len(record(ex, "card").Attempts) != 2 || e.fake.User("bob.martinez@example.com").Suspended {
		t.Errorf("403 then success: %v %+v", err, record(ex, "card").Attempts)
	}
	e.fake.SetFaults(nil)
	// the tokens the service account had are revoked: a new one is fetched
	e.fake.RevokeAll()
	_, ex, err = e.h.Card(t, "googledirectory:readUser", map[string]any{"User ID": "alice.nguyen@example.com"})
	if err != nil || len(record(ex, "card").Attempts) < 2 {
		t.Errorf("after revocation: %v %+v", err, record(ex, "card").Attempts)
	}
	// no scope for Gmail settings: Google's 401 unauthorized_client at the token endpoint
	e.fake.SetScopes([]string{google.ScopeDirectoryUser})
	_, _, err = e.h.Card(t, "gmail:setAutoReply", map[string]any{"Email": "alice.nguyen@example.com", "Response Subject": "x"})
	if !errors.As(err, &he) || he.Code != "unauthorized_client" || !strings.Contains(he.Summary, "Domain-wide delegation") {
		t.Errorf("scope: %v", err)
	}
}

func TestValidatorRejectsUndescribedRequest(t *testing.T) {
	v := validator(t)
	req, _ := http.NewRequest("GET", "http://fake/admin/directory/v1/users/a@b.c/secrets", nil)
	if err := v.Check(req, nil, nil, nil); !errors.Is(err, fakeapi.ErrNoOperation) {
		t.Errorf("undescribed path: %v", err)
	}
	req, _ = http.NewRequest("POST", "http://fake/admin/directory/v1/users/a@b.c", nil)
	if err := v.Check(req, nil, nil, nil); !errors.Is(err, fakeapi.ErrNoOperation) {
		t.Errorf("wrong method: %v", err)
	}
	// a required query parameter (Drive export's mimeType) is enforced
	req, _ = http.NewRequest("GET", "http://fake/drive/v3/files/abc/export", nil)
	if err := v.Check(req, nil, nil, nil); err == nil {
		t.Error("export without mimeType passed")
	}
	// a response that breaks the schema fails
	req, _ = http.NewRequest("GET", "http://fake/gmail/v1/users/me/profile", nil)
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}}
	if err := v.Check(req, nil, resp, []byte(`{"messagesTotal":"many"}`)); err == nil {
		t.Error("bad profile response passed")
	}
}

func TestRateLimit(t *testing.T) {
	// the fake allows 3 calls per token per second and answers Google's 429
	// with Retry-After: the client waits and tries again (a transfer request
	// makes 4 calls)
	e := newEnvWith(t, fake.Config{RateLimit: 3, RateWindow: time.Second})
	_, ex, err := e.h.Card(t, "googledrive:createTransferRequest", map[string]any{"From User": "bob.martinez@example.com", "To User": "alice.nguyen@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	var statuses []int
	for _, a := range record(ex, "card").Attempts {
		statuses = append(statuses, a.Status)
	}
	if !slices.Contains(statuses, 429) || statuses[len(statuses)-1] != 200 || len(e.fake.Transfers()) != 1 {
		t.Errorf("attempts %v, transfers %d", statuses, len(e.fake.Transfers()))
	}
}
