package trigger_test

import (
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// stubVerifier stands in for an authorization server: "good" carries the
// scope, "narrow" does not, anything else is not a valid token.
func init() {
	trigger.RegisterTokenVerifier("test-as", func(_ context.Context, c *engine.Connection, need trigger.TokenRequirements, tok string) (map[string]any, error) {
		switch tok {
		case "good":
			return map[string]any{"scp": []any{need.Scope}}, nil
		case "narrow":
			return nil, &trigger.TokenError{Status: 403, Code: "insufficient_scope", Desc: "the token lacks " + need.Scope}
		}
		return nil, &trigger.TokenError{Status: 401, Code: "invalid_token", Desc: "signature is invalid"}
	})
}

func secured(id, level string, extra ...engine.Field) *engine.Flow {
	ret := engine.Card{ID: "ret", Type: "flow.return", Inputs: []engine.Field{bind("hello", "name")}}
	f := endpoint(id, append([]engine.Field{fld("security_level", level)}, extra...), ret)
	return f
}

func TestEndpointSecurityLevels(t *testing.T) {
	e := newEnv(t, t.TempDir(), trigger.Options{}).start()
	defer e.close()
	if err := e.st.PutConnection(&engine.Connection{ID: "org", Name: "Org", Kind: "test-as"}); err != nil {
		t.Fatal(err)
	}
	body := `{"name":"Ada"}`
	inv := func(id string) string { return e.srv.URL + "/api/flows/" + id + "/invoke" }

	open := e.put(secured("open", trigger.SecurityOpen))
	tok := e.put(secured("tok", trigger.SecurityToken))
	hm := e.put(secured("hm", trigger.SecurityHMAC))
	oa := secured("oa", trigger.SecurityOAuth, fld("scope", "flows.invoke"))
	oa.Trigger.Connection = "org"
	oa = e.put(oa)

	if st := e.rt.State(open); st.Secret != "" || st.Security != "open" {
		t.Fatalf("open state %+v", st)
	}
	tst, hst, ost := e.rt.State(tok), e.rt.State(hm), e.rt.State(oa)
	if tst.AuthHeader != trigger.HeaderClientToken || tst.Secret == "" {
		t.Fatalf("token state %+v", tst)
	}
	if hst.AuthHeader != trigger.HeaderSignature || hst.Secret == "" || hst.Security != "hmac" {
		t.Fatalf("hmac state %+v", hst)
	}
	if ost.Secret != "" || ost.Scope != "flows.invoke" || ost.AuthServer != "org" || ost.Security != "oauth2" {
		t.Fatalf("oauth state %+v", ost)
	}

	cases := []struct {
		name   string
		flow   string
		hdr    map[string]string
		status int
		www    string // WWW-Authenticate must contain this
	}{
		{"open accepts anyone", "open", nil, 200, ""},
		{"token accepted", "tok", map[string]string{trigger.HeaderClientToken: tst.Secret}, 200, ""},
		{"token missing", "tok", nil, 401, ""},
		{"token wrong", "tok", map[string]string{trigger.HeaderClientToken: "nope"}, 401, ""},
		{"hmac accepted", "hm", map[string]string{trigger.HeaderSignature: trigger.Sign(hst.Secret, []byte(body))}, 200, ""},
		{"hmac over another body", "hm", map[string]string{trigger.HeaderSignature: trigger.Sign(hst.Secret, []byte(`{"name":"Eve"}`))}, 401, ""},
		{"hmac with another key", "hm", map[string]string{trigger.HeaderSignature: trigger.Sign("nope", []byte(body))}, 401, ""},
		{"hmac needs a signature, not the token", "hm", map[string]string{trigger.HeaderClientToken: hst.Secret}, 401, ""},
		{"hmac garbage", "hm", map[string]string{trigger.HeaderSignature: "sha256=zz"}, 401, ""},
		{"oauth accepted", "oa", map[string]string{"Authorization": "Bearer good"}, 200, ""},
		{"oauth no token", "oa", nil, 401, `scope="flows.invoke"`},
		{"oauth client token is not enough", "oa", map[string]string{trigger.HeaderClientToken: tst.Secret}, 401, "Bearer"},
		{"oauth bad token", "oa", map[string]string{"Authorization": "Bearer forged"}, 401, `error="invalid_token"`},
		{"oauth scope missing", "oa", map[string]string{"Authorization": "Bearer narrow"}, 403, `error="insufficient_scope"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := call(t, "POST", inv(c.flow), c.hdr, body)
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
			}
			if c.status == 200 && r.body != `{"hello":"Ada"}` {
				t.Fatalf("body %s", r.body)
			}
			if www := r.header.Get("WWW-Authenticate"); !strings.Contains(www, c.www) {
				t.Fatalf("WWW-Authenticate %q, want %q", www, c.www)
			}
		})
	}
	// a refused client-token call says what was wrong (it said "missing or wrong client token" for all)
	for _, c := range []struct {
		hdr  map[string]string
		want string
	}{
		{nil, `missing client token: send it in the x-api-client-token header (or ?clientToken=)`},
		{map[string]string{"Authorization": "Bearer " + tst.Secret}, `not as Authorization: Bearer`},
		{map[string]string{trigger.HeaderClientToken: "nope"}, `wrong client token: it is not this flow's`},
		{map[string]string{trigger.HeaderSignature: "sha256=00"}, `wrong x-flowbench-signature: the HMAC-SHA256 of the body keyed with the client token`},
	} {
		if r := call(t, "POST", inv("tok"), c.hdr, body); r.status != 401 || !strings.Contains(r.body, c.want) {
			t.Errorf("%v: %d %s, want 401 %q", c.hdr, r.status, r.body, c.want)
		}
	}
	if r := call(t, "POST", inv("tok")+"?clientToken=nope", nil, body); r.status != 401 || !strings.Contains(r.body, "wrong client token") {
		t.Errorf("wrong ?clientToken=: %d %s", r.status, r.body)
	}
	if st := e.rt.State(open); st.LastEvent == nil {
		t.Error("no last call time after a call")
	}
	// secrets never reach history
	for _, s := range e.executions("hm") {
		ex, _ := e.st.Execution(s.ID)
		b, _ := json.Marshal(ex)
		if strings.Contains(string(b), hst.Secret) || strings.Contains(string(b), "sha256=") {
			t.Fatal("signature recorded in history")
		}
	}
}

func TestEndpointSecurityConfig(t *testing.T) {
	e := newEnv(t, t.TempDir(), trigger.Options{}).start()
	defer e.close()
	_ = e.st.PutConnection(&engine.Connection{ID: "web", Name: "Web", Kind: "http"})
	bad := []struct {
		f    *engine.Flow
		want string
	}{
		{secured("lvl", "strong"), `API Endpoint › Security: "strong" is not a security level (open = None (public), medium = Client token`},
		{secured("noconn", trigger.SecurityOAuth), `API Endpoint › Connection: OAuth 2.0 security needs an Okta connection`},
		{func() *engine.Flow {
			f := secured("web", trigger.SecurityOAuth)
			f.Trigger.Connection = "web"
			return f
		}(), `a http connection cannot verify`},
		{secured("as", trigger.SecurityOAuth, fld("authServer", "../x")), `API Endpoint › Authorization server: "../x"`},
	}
	for _, b := range bad {
		b.f.Format = engine.FlowFormat
		_ = e.st.PutFlow(b.f)
		err := e.rt.Sync(b.f)
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s: error %v, want %q", b.f.ID, err, b.want)
		}
	}
}

// Outputs added under body, query and headers are filled from a JSON or
// form body, the query string and the headers, converted to their types;
// the raw group keeps the body text.
func TestEndpointTypedOutputs(t *testing.T) {
	e := newEnv(t, t.TempDir(), trigger.Options{}).start()
	defer e.close()
	outs := []engine.Field{
		{Key: "name", Group: "body", Type: engine.T("string")},
		{Key: "age", Group: "body", Type: engine.T("number")},
		{Key: "vip", Group: "body", Type: engine.T("boolean")},
		{Key: "tags", Group: "body", Type: engine.T("string[]")},
		{Key: "page", Group: "query", Type: engine.T("number")},
		{Key: "ids", Group: "query", Type: engine.T("string[]")},
		{Key: "headers/x-request-id", Group: "headers", Type: engine.T("string")},
		{Key: "body", Group: "raw", Type: engine.T("string")},
	}
	ret := engine.Card{ID: "ret", Type: "flow.return", Inputs: []engine.Field{bind("name", "name"), bind("age", "age"), bind("vip", "vip"),
		bind("tags", "tags"), bind("page", "page"), bind("ids", "ids"), bind("rid", "headers/x-request-id"), bind("raw", "body")}}
	f := &engine.Flow{ID: "typed", Name: "Typed", Enabled: true,
		Trigger: engine.Card{ID: "trigger", Type: trigger.TypeAPIEndpoint, Inputs: []engine.Field{fld("security_level", "open")}, Outputs: outs},
		Cards:   []engine.Card{ret}}
	e.put(f)
	u := e.srv.URL + "/api/flows/typed/invoke?page=2&ids=a&ids=b&x-okta-workflows-debug=1"

	check := func(t *testing.T, r reply, raw string) {
		t.Helper()
		var got map[string]any
		if r.status != 200 || json.Unmarshal([]byte(r.body), &got) != nil {
			t.Fatalf("%d %s", r.status, r.body)
		}
		want := map[string]any{"name": "Ada", "age": 36.0, "vip": true, "page": 2.0, "rid": "r-1", "raw": raw}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %#v, want %#v (all: %v)", k, got[k], v, got)
			}
		}
		if ids, _ := got["ids"].([]any); len(ids) != 2 || ids[0] != "a" || ids[1] != "b" {
			t.Errorf("ids %v", got["ids"])
		}
		if tags, _ := got["tags"].([]any); len(tags) != 2 || tags[1] != "y" {
			t.Errorf("tags %v", got["tags"])
		}
	}
	t.Run("json", func(t *testing.T) {
		b := `{"name":"Ada","age":"36","vip":"true","tags":["x","y"]}`
		check(t, call(t, "POST", u, map[string]string{"Content-Type": "application/json", "X-Request-Id": "r-1"}, b), b)
	})
	t.Run("urlencoded form", func(t *testing.T) {
		b := url.Values{"name": {"Ada"}, "age": {"36"}, "vip": {"yes"}, "tags": {"x", "y"}}.Encode()
		check(t, call(t, "POST", u, map[string]string{"Content-Type": "application/x-www-form-urlencoded", "X-Request-Id": "r-1"}, b), b)
	})
	t.Run("multipart form", func(t *testing.T) {
		var sb strings.Builder
		mw := multipart.NewWriter(&sb)
		for _, kv := range [][2]string{{"name", "Ada"}, {"age", "36"}, {"vip", "true"}, {"tags", "x"}, {"tags", "y"}} {
			_ = mw.WriteField(kv[0], kv[1])
		}
		_ = mw.Close()
		check(t, call(t, "POST", u, map[string]string{"Content-Type": mw.FormDataContentType(), "X-Request-Id": "r-1"}, sb.String()), sb.String())
	})
	t.Run("ungrouped outputs of older flows read the body, then the query", func(t *testing.T) {
		old := &engine.Flow{ID: "old", Name: "Old", Enabled: true,
			Trigger: engine.Card{ID: "trigger", Type: trigger.TypeAPIEndpoint, Inputs: []engine.Field{fld("security_level", "open")},
				Outputs: []engine.Field{{Key: "who", Type: engine.T("string")}, {Key: "n", Type: engine.T("number")}}},
			Cards: []engine.Card{{ID: "ret", Type: "flow.return", Inputs: []engine.Field{bind("who", "who"), bind("n", "n")}}}}
		e.put(old)
		r := call(t, "POST", e.srv.URL+"/api/flows/old/invoke?n=7&who=query", map[string]string{"Content-Type": "application/json"}, `{"who":"body"}`)
		if r.status != 200 || r.body != `{"n":7,"who":"body"}` {
			t.Fatalf("%d %s", r.status, r.body)
		}
	})
	t.Run("bad value names the field", func(t *testing.T) {
		r := call(t, "POST", u, map[string]string{"Content-Type": "application/json"}, `{"name":"Ada","age":"old"}`)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, `API Endpoint card, body field \"age\" (number): \"old\" is not a number`) {
			t.Fatalf("%d %s", r.status, r.body)
		}
	})
	t.Run("a body sent as JSON that is not JSON is refused, not run with empty fields", func(t *testing.T) {
		before := len(e.executions("typed"))
		for _, ct := range []string{"application/json", "application/json; charset=utf-8", "application/merge-patch+json"} {
			r := call(t, "POST", u, map[string]string{"Content-Type": ct}, `{"name":"Ada",`)
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, `request body is not valid JSON (Content-Type: `+ct+`)`) {
				t.Fatalf("%s: %d %s", ct, r.status, r.body)
			}
		}
		if n := len(e.executions("typed")); n != before {
			t.Fatalf("%d runs after refused calls, want %d", n, before)
		}
		// text sent as text, JSON's null, and an empty body still run
		for _, c := range [][2]string{{"text/plain", `{"name":"Ada",`}, {"application/json", "null"}, {"application/json", ""}} {
			if r := call(t, "POST", u, map[string]string{"Content-Type": c[0], "X-Request-Id": "r-1"}, c[1]); r.status != 200 {
				t.Fatalf("%q as %s: %d %s", c[1], c[0], r.status, r.body)
			}
		}
	})
	t.Run("a body over the limit says the limit", func(t *testing.T) {
		r := call(t, "POST", u, map[string]string{"Content-Type": "text/plain"}, strings.Repeat("a", 10<<20+1))
		if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "request body is larger than 10 MB") {
			t.Fatalf("%d %s", r.status, r.body)
		}
	})
	t.Run("query without debug parameters", func(t *testing.T) {
		list := e.executions("typed")
		ex, _ := e.st.Execution(list[0].ID)
		if q, _ := ex.Input["query"].(string); strings.Contains(q, "x-okta-workflows") || !strings.Contains(q, "page=2") {
			t.Fatalf("query %q", q)
		}
	})
}
