package fake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/fakeapi"
)

func do(t *testing.T, base, tok, method, path string, body any) (int, any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, base+path, rd)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v any
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &v)
	return resp.StatusCode, v
}

func soql(q string) string { return "/services/data/v59.0/query?q=" + url.QueryEscape(q) }

func errCode(v any) string {
	l, _ := v.([]any)
	if len(l) == 0 {
		return ""
	}
	c, _ := l[0].(map[string]any)["errorCode"].(string)
	return c
}

func TestFakeSalesforce(t *testing.T) {
	f := New(Config{PageSize: 2})
	srv := httptest.NewServer(f)
	defer srv.Close()
	tok := DefaultToken
	if st, v := do(t, srv.URL, "nope", "GET", soql("SELECT Id FROM User"), nil); st != 401 || errCode(v) != "INVALID_SESSION_ID" {
		t.Fatalf("bad token: %d %v", st, v)
	}
	st, v := do(t, srv.URL, tok, "GET", soql("SELECT Id, Username, Profile.Name FROM User WHERE Email = 'alice.nguyen@example.com' AND IsActive = true"), nil)
	recs := v.(map[string]any)["records"].([]any)
	if st != 200 || len(recs) != 1 || recs[0].(map[string]any)["Profile"].(map[string]any)["Name"] != "Standard User" {
		t.Fatalf("query: %d %v", st, v)
	}
	// paging with nextRecordsUrl
	st, v = do(t, srv.URL, tok, "GET", soql("SELECT Id FROM User ORDER BY CreatedDate"), nil)
	page := v.(map[string]any)
	if st != 200 || page["done"] != false || page["totalSize"].(float64) != 5 {
		t.Fatalf("page 1: %v", v)
	}
	n := len(page["records"].([]any))
	for page["done"] == false {
		_, v = do(t, srv.URL, tok, "GET", page["nextRecordsUrl"].(string), nil)
		page = v.(map[string]any)
		n += len(page["records"].([]any))
	}
	if n != 5 {
		t.Fatalf("paged %d users, want 5", n)
	}
	if st, v := do(t, srv.URL, tok, "GET", soql("SELECT Id FROM User WHERE"), nil); st != 400 || errCode(v) != "MALFORMED_QUERY" {
		t.Fatalf("malformed: %d %v", st, v)
	}
	if st, v := do(t, srv.URL, tok, "GET", soql("SELECT Nope__c FROM Contact"), nil); st != 400 || errCode(v) != "INVALID_FIELD" {
		t.Fatalf("invalid field: %d %v", st, v)
	}
	// create a user: required fields, profile, duplicate
	_, v = do(t, srv.URL, tok, "GET", soql("SELECT Id FROM Profile WHERE Name = 'Standard User'"), nil)
	prof := v.(map[string]any)["records"].([]any)[0].(map[string]any)["Id"]
	u := map[string]any{"FirstName": "Nia", "LastName": "Park", "Email": "nia.park@example.com", "Username": "nia.park@example.com.sb", "Alias": "npark",
		"ProfileId": prof, "TimeZoneSidKey": "America/Los_Angeles", "LocaleSidKey": "en_US", "EmailEncodingKey": "UTF-8", "LanguageLocaleKey": "en_US"}
	st, v = do(t, srv.URL, tok, "POST", "/services/data/v59.0/sobjects/User", u)
	if st != 201 || !strings.HasPrefix(v.(map[string]any)["id"].(string), "005") {
		t.Fatalf("create user: %d %v", st, v)
	}
	id := v.(map[string]any)["id"].(string)
	if st, v := do(t, srv.URL, tok, "POST", "/services/data/v59.0/sobjects/User", u); st != 400 || errCode(v) != "DUPLICATE_USERNAME" {
		t.Fatalf("duplicate: %d %v", st, v)
	}
	delete(u, "Alias")
	u["Username"] = "x@y.z"
	if st, v := do(t, srv.URL, tok, "POST", "/services/data/v59.0/sobjects/User", u); st != 400 || errCode(v) != "REQUIRED_FIELD_MISSING" {
		t.Fatalf("missing: %d %v", st, v)
	}
	if st, _ := do(t, srv.URL, tok, "PATCH", "/services/data/v59.0/sobjects/User/"+id, map[string]any{"IsActive": false}); st != 204 {
		t.Fatalf("deactivate: %d", st)
	}
	if rec, _ := f.Record(id); rec["IsActive"] != false {
		t.Fatalf("not deactivated: %v", rec)
	}
	if st, v := do(t, srv.URL, tok, "GET", soql("SELECT Id, IsFrozen FROM UserLogin WHERE UserId = '"+id+"'"), nil); st != 200 || len(v.(map[string]any)["records"].([]any)) != 1 {
		t.Fatalf("user login: %d %v", st, v)
	}
	if st, _ := do(t, srv.URL, tok, "PATCH", "/services/data/v59.0/sobjects/User/005nothere000000AAA", map[string]any{"IsActive": false}); st != 404 {
		t.Fatalf("unknown id: %d", st)
	}
	// a record created after a point in time is found by CreatedDate
	f.Insert("Contact", map[string]any{"LastName": "Later"})
	st, v = do(t, srv.URL, tok, "GET", soql("SELECT Id, LastName FROM Contact WHERE CreatedDate > 2024-02-01T00:00:00Z ORDER BY CreatedDate ASC"), nil)
	if st != 200 || v.(map[string]any)["totalSize"].(float64) != 1 {
		t.Fatalf("created since: %d %v", st, v)
	}
	f.SetFaults([]fakeapi.Fault{{Status: 503}})
	if st, v := do(t, srv.URL, tok, "GET", soql("SELECT Id FROM User"), nil); st != 503 || errCode(v) != "SERVER_UNAVAILABLE" {
		t.Fatalf("fault: %d %v", st, v)
	}
}

func TestFakeSalesforceClientCredentials(t *testing.T) {
	srv := httptest.NewServer(New(Config{}))
	defer srv.Close()
	resp, err := http.PostForm(srv.URL+"/services/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}})
	if err != nil {
		t.Fatal(err)
	}
	var tok map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if tok["access_token"] == nil || tok["instance_url"] != srv.URL {
		t.Fatalf("token: %v", tok)
	}
	if st, _ := do(t, srv.URL, tok["access_token"].(string), "GET", "/services/oauth2/userinfo", nil); st != 200 {
		t.Fatalf("userinfo: %d", st)
	}
	resp, _ = http.PostForm(srv.URL+"/services/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {DefaultClientID}, "client_secret": {"wrong"}})
	if resp.StatusCode != 400 {
		t.Fatalf("bad secret: %d", resp.StatusCode)
	}
	resp.Body.Close()
}
