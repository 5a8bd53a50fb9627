package kit_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/fakeapi"
	"github.com/flowbench/flowbench/connectors/httpx"
	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/kit/kittest"
	"github.com/flowbench/flowbench/engine"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
)

// demo is a tiny vendor API: GET /v1/items pages with a body cursor, /v1/me
// needs the bearer token "good", errors in Graph's shape.
type demo struct {
	faults *fakeapi.Faults
	hits   atomic.Int64
	auths  sync.Map // path → Authorization seen
}

func newDemo() *demo {
	return &demo{faults: fakeapi.NewFaults(func(w http.ResponseWriter, _ *http.Request, status int) {
		fakeapi.JSON(w, status, map[string]any{"error": map[string]any{"code": "injected", "message": "injected fault"}})
	})}
}

func (d *demo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.faults.Wrap(http.HandlerFunc(d.serve)).ServeHTTP(w, r)
}

func (d *demo) serve(w http.ResponseWriter, r *http.Request) {
	d.hits.Add(1)
	d.auths.Store(r.URL.Path, r.Header.Get("Authorization"))
	if r.Header.Get("Authorization") != "Bearer good" {
		fakeapi.JSON(w, 401, map[string]any{"error": map[string]any{"code": "InvalidAuthenticationToken", "message": "Access token is empty or invalid."}})
		return
	}
	switch r.URL.Path {
	case "/v1/me":
		w.Header().Set("X-RateLimit-Limit", "100")
		w.Header().Set("X-RateLimit-Remaining", "99")
		w.Header().Set("X-RateLimit-Reset", fmt.Sprint(time.Now().Add(time.Minute).Unix()))
		fakeapi.JSON(w, 200, map[string]any{"id": "me-1", "name": "Demo Admin", "echo": r.Header.Get("Authorization")})
	case "/v1/items":
		page := r.URL.Query().Get("cursor")
		next := map[string]string{"": "p2", "p2": "p3", "p3": ""}[page]
		fakeapi.JSON(w, 200, map[string]any{"items": []any{page + "a", page + "b"}, "meta": map[string]any{"next": next}})
	case "/v1/echo":
		var body any
		_ = json.NewDecoder(r.Body).Decode(&body)
		fakeapi.JSON(w, 418, map[string]any{"method": r.Method, "query": r.URL.RawQuery, "body": body, "x": r.Header.Get("X-Test")})
	default:
		fakeapi.JSON(w, 404, map[string]any{"error": map[string]any{"code": "itemNotFound", "message": "no such path"}})
	}
}

func (d *demo) SetFaults(f []kit.Fault) { d.faults.Set(f) }

func (d *demo) Connection(base string) *engine.Connection {
	return &engine.Connection{ID: "sandbox-kitdemo", Name: "Demo", Kind: "kitdemo",
		Config: map[string]any{kit.CfgAuthMethod: kit.AuthAPIToken, kit.CfgBaseURL: base}, Secrets: map[string]string{kit.SecToken: "good"}}
}

var demoConnector = &kit.Connector{
	ID: "kitdemo", Title: "Kit Demo",
	Fields: []engine.FieldSpec{{Key: "tenant", Label: "Tenant", Type: engine.T("string")}},
	Auth: []*kit.AuthMethod{
		kit.APIToken("API token", "Token", "", "Bearer "),
		kit.ClientCredentials("Client credentials", "https://login.example.test/{tenant}/token", "demo.read"),
		kit.OAuth2Code("OAuth 2.0", "https://login.example.test/authorize", "https://login.example.test/token", "demo.read"),
	},
	BaseURL:   "https://{tenant}.example.test",
	Errors:    kit.GraphErrors,
	RateLimit: kit.XRateLimit,
	Pages:     kit.BodyCursor("cursor", "meta", "next"),
	Ladder: &kit.Ladder{Identity: kit.Call{Path: "/v1/me"},
		Describe: func(r *kit.Result) (string, map[string]any) {
			return "signed in as " + engine.ToText(kit.Dig(r.Body, "name")), map[string]any{"id": kit.Dig(r.Body, "id")}
		},
		Fixes: map[string]string{"InvalidAuthenticationToken": "token revoked or wrong: reconnect"}},
	Cards: []*kit.Card{
		{Okta: "kitdemo:readMe", Title: "Read Me", Method: "GET", Path: "/v1/me",
			Outputs: []engine.FieldSpec{kit.Output("Me", "ID", "string"), kit.Output("Me", "Name", "string")},
			Out:     map[string]string{"ID": "id", "Name": "name"}},
		{Okta: "kitdemo:readItem", Title: "Read Item", Method: "GET", Path: "/v1/items/{Item ID}",
			Inputs: []engine.FieldSpec{kit.Input("Item", "Item ID", "string", true, "Item ID")}},
	},
	CustomAPI: "kitdemo:customApiAction",
	Fake:      func() (kit.Fake, error) { return newDemo(), nil },
}

func init() { kit.Register(demoConnector) }

func TestConnectionForm(t *testing.T) {
	k := demoConnector.Kind()
	if k.Fields[0].Key != kit.CfgAuthMethod || len(k.Fields[0].Choices) != 3 || k.Fields[0].Default != kit.AuthAPIToken {
		t.Fatalf("auth method selector: %+v", k.Fields[0])
	}
	groups := map[string]string{}
	for _, f := range append(k.Fields, k.Secrets...) {
		groups[f.Key] = f.Group
	}
	// shared keys list every method using them; the app's own fields show always
	want := map[string]string{"tenant": "", kit.SecToken: kit.AuthAPIToken, kit.CfgClientID: kit.AuthClientCredentials + "," + kit.AuthOAuth2Code,
		kit.SecOAuthToken: kit.AuthOAuth2Code, kit.CfgRedirectPort: kit.AuthOAuth2Code}
	for key, g := range want {
		if groups[key] != g {
			t.Errorf("field %s group %q, want %q", key, groups[key], g)
		}
	}
	if _, ok := kit.Lookup("kitdemo"); !ok {
		t.Fatal("connector not registered")
	}
	if spec, ok := engine.Default().ByOkta("kitdemo:customApiAction"); !ok || spec.Connection != "kitdemo" {
		t.Fatal("Custom API Action not registered")
	}
}

func TestDataCardsErrorsAndRedaction(t *testing.T) {
	h := kittest.Start(t, demoConnector, kittest.Options{})
	out := h.MustRun("kitdemo:readMe", nil)
	if out["ID"] != "me-1" || out["Name"] != "Demo Admin" {
		t.Fatalf("outputs %v", out)
	}
	// the vendor's rate headers reached the governor as Okta's
	if lim, rem, _, ok := h.Governor.Snapshot("kitdemo:sandbox-kitdemo", "127.0.0.1:"+strings.Split(h.URL, ":")[2]); !ok || lim != 100 || rem != 99 {
		t.Errorf("governor saw limit %d remaining %d known %v", lim, rem, ok)
	}
	_, _, err := h.Run("kitdemo:readItem", map[string]any{"Item ID": "a/b"})
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Status != 404 || he.Code != "itemNotFound" || he.Summary != "no such path" {
		t.Fatalf("vendor error: %v", err)
	}
	if ex := h.Rec.Exchanges(); ex[len(ex)-1].Path != "/v1/items/a%2Fb" && ex[len(ex)-1].Path != "/v1/items/a/b" {
		t.Errorf("path %s", ex[len(ex)-1].Path)
	}
	_, _, err = h.Run("kitdemo:readItem", nil)
	var fe *engine.FieldError
	if !errors.As(err, &fe) || fe.Key != "Item ID" {
		t.Fatalf("missing path input: %v", err)
	}
	// a response echoing the token is scrubbed
	cl, err := demoConnector.NewClient(h.Conn, kit.ClientOptions{Transport: h.Rec})
	if err != nil {
		t.Fatal(err)
	}
	r, err := cl.Do(context.Background(), &kit.Call{Path: "/v1/me"})
	if err != nil {
		t.Fatal(err)
	}
	if echo := kit.Dig(r.Body, "echo"); echo != "REDACTED" {
		t.Fatalf("echoed credentials not scrubbed: %v", echo)
	}
}

func TestPagesAndFaults(t *testing.T) {
	h := kittest.Start(t, demoConnector, kittest.Options{})
	cl, err := demoConnector.NewClient(h.Conn, kit.ClientOptions{Transport: h.Rec, Governor: httpx.NewGovernor()})
	if err != nil {
		t.Fatal(err)
	}
	var all []any
	if err := cl.Pages(context.Background(), &kit.Call{Path: "/v1/items"}, nil, 0, []string{"items"}, func(items []any) bool {
		all = append(all, items...)
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(all) != "[a b p2a p2b p3a p3b]" {
		t.Fatalf("pages: %v", all)
	}
	// a 503 on a GET is retried; the vendor's error shape comes through when it persists
	h.Fake.SetFaults([]kit.Fault{{PathPrefix: "/v1/me", Status: 503, Every: 2}})
	if _, err := cl.Do(context.Background(), &kit.Call{Path: "/v1/me", Policy: &httpx.Policy{MinWait: time.Millisecond, MaxWait: time.Millisecond}}); err != nil {
		t.Fatalf("every 2nd request failing: %v", err)
	}
	h.Fake.SetFaults([]kit.Fault{{Status: 500}})
	_, err = cl.Do(context.Background(), &kit.Call{Path: "/v1/me", Policy: &httpx.Policy{Attempts: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond}})
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Status != 500 || he.Code != "injected" {
		t.Fatalf("persistent fault: %v", err)
	}
}

func TestPaginators(t *testing.T) {
	first := &kit.Call{Path: "/x", Query: url.Values{"a": {"1"}}}
	res := func(body any, hdr http.Header) *kit.Result { return &kit.Result{Status: 200, Body: body, Header: hdr} }
	if n := kit.SlackCursor.Next(first, res(map[string]any{"response_metadata": map[string]any{"next_cursor": "c2"}}, nil)); n == nil ||
		n.Query.Get("cursor") != "c2" || n.Query.Get("a") != "1" || first.Query.Get("cursor") != "" {
		t.Errorf("slack cursor: %+v", n)
	}
	if n := kit.SlackCursor.Next(first, res(map[string]any{"response_metadata": map[string]any{"next_cursor": ""}}, nil)); n != nil {
		t.Error("empty cursor must end")
	}
	if n := kit.ODataNextLink.Next(first, res(map[string]any{"@odata.nextLink": "https://graph/x?$skiptoken=2"}, nil)); n == nil || n.Path != "https://graph/x?$skiptoken=2" || n.Query != nil {
		t.Errorf("next link: %+v", n)
	}
	h := http.Header{"Link": {`<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=9>; rel="last"`}}
	if n := kit.LinkHeader.Next(first, res(nil, h)); n == nil || n.Path != "https://api.github.com/x?page=2" {
		t.Errorf("link header: %+v", n)
	}
	off := kit.OffsetLimit("offset", "limit", 2, "records")
	n := off.Next(first, res(map[string]any{"records": []any{1, 2}}, nil))
	if n == nil || n.Query.Get("offset") != "2" || off.Next(n, res(map[string]any{"records": []any{3}}, nil)) != nil {
		t.Errorf("offset: %+v", n)
	}
}

func TestErrorMappers(t *testing.T) {
	cases := []struct {
		name   string
		mapper kit.ErrorMapper
		status int
		body   any
		code   string
		sum    string
	}{
		{"slack ok:false on 200", kit.SlackErrors, 200, map[string]any{"ok": false, "error": "channel_not_found"}, "channel_not_found", "channel_not_found: no channel with that ID or name"},
		{"slack scope", kit.SlackErrors, 200, map[string]any{"ok": false, "error": "missing_scope", "needed": "chat:write"}, "missing_scope", "needs scope chat:write"},
		{"graph", kit.GraphErrors, 403, map[string]any{"error": map[string]any{"code": "Authorization_RequestDenied", "message": "Insufficient privileges"}}, "Authorization_RequestDenied", "Insufficient privileges"},
		{"google", kit.GoogleErrors, 404, map[string]any{"error": map[string]any{"code": 404.0, "message": "Resource Not Found: userKey", "status": "NOT_FOUND", "errors": []any{map[string]any{"reason": "notFound"}}}}, "notFound", "Resource Not Found: userKey"},
		{"plain text", kit.StatusErrors, 502, "Bad gateway from upstream", "", "Bad gateway from upstream"},
	}
	for _, tc := range cases {
		he := tc.mapper(&kit.Result{Status: tc.status, Body: tc.body})
		if he == nil || he.Code != tc.code || !strings.Contains(he.Summary, tc.sum) {
			t.Errorf("%s: %+v", tc.name, he)
		}
	}
	if kit.SlackErrors(&kit.Result{Status: 200, Body: map[string]any{"ok": true}}) != nil || kit.GraphErrors(&kit.Result{Status: 204}) != nil {
		t.Error("success mapped to an error")
	}
}

func TestRateSignals(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l, r, reset, ok := kit.RetryAfterWindow(http.Header{"Retry-After": {"30"}}, now)
	if !ok || l != 1 || r != 0 || !reset.Equal(now.Add(30*time.Second)) {
		t.Errorf("retry-after window: %d %d %v %v", l, r, reset, ok)
	}
	if _, _, _, ok := kit.RetryAfterWindow(http.Header{}, now); ok {
		t.Error("no header must say nothing")
	}
	l, r, reset, ok = kit.XRateLimitSeconds(http.Header{"X-Ratelimit-Limit": {"60"}, "X-Ratelimit-Remaining": {"5"}, "X-Ratelimit-Reset": {"12"}}, now)
	if !ok || l != 60 || r != 5 || !reset.Equal(now.Add(12*time.Second)) {
		t.Errorf("seconds reset: %d %d %v %v", l, r, reset, ok)
	}
}

func TestCustomAPIAction(t *testing.T) {
	h := kittest.Start(t, demoConnector, kittest.Options{})
	out := h.MustRun("kitdemo:customApiAction", map[string]any{"requestType": "POST", "Relative URL": "/v1/echo",
		"Query": map[string]any{"q": "x y"}, "Headers": map[string]any{"X-Test": "1"}, "Body": map[string]any{"k": "v"}})
	body, _ := out["Body"].(map[string]any)
	if out["Status Code"] != 418.0 || body["method"] != "POST" || body["query"] != "q=x+y" || body["x"] != "1" || fmt.Sprint(body["body"]) != "map[k:v]" {
		t.Fatalf("custom call: %v", out)
	}
	for _, bad := range []string{"https://evil.example/steal", "//evil.example/x"} {
		_, _, err := h.Run("kitdemo:customApiAction", map[string]any{"Relative URL": bad})
		var fe *engine.FieldError
		if !errors.As(err, &fe) || fe.Key != "Relative URL" {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestLadder(t *testing.T) {
	h := kittest.Start(t, demoConnector, kittest.Options{})
	rep := demoConnector.TestWith(context.Background(), h.Conn, kit.ClientOptions{Transport: h.Rec})
	if !rep.OK || rep.Steps[1].Message != "signed in as Demo Admin" || rep.Info["id"] != "me-1" {
		t.Fatalf("ok ladder: %+v", rep)
	}
	bad := *h.Conn
	bad.Secrets = map[string]string{kit.SecToken: "revoked"}
	rep = demoConnector.TestWith(context.Background(), &bad, kit.ClientOptions{Transport: h.Rec})
	last := rep.Steps[len(rep.Steps)-1]
	if rep.OK || last.Name != kit.StepIdentity || last.Status != 401 || last.Hint != "token revoked or wrong: reconnect" {
		t.Fatalf("revoked: %+v", rep.Steps)
	}
	unset := engine.Connection{ID: "x", Kind: "kitdemo", Config: map[string]any{kit.CfgAuthMethod: kit.AuthAPIToken}, Secrets: map[string]string{kit.SecToken: "good"}}
	rep = demoConnector.Test(context.Background(), &unset)
	if rep.OK || rep.Steps[0].Name != kit.StepSettings || !strings.Contains(rep.Steps[0].Message, "address") {
		t.Fatalf("no tenant: %+v", rep.Steps)
	}
}

// tokenServer is an OAuth token endpoint: client credentials (with extra
// params), refresh, and the JWT bearer grant of service accounts.
func tokenServer(t *testing.T, pub *rsa.PublicKey) (*httptest.Server, *sync.Map) {
	seen := &sync.Map{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		for k, v := range r.PostForm {
			seen.Store(k, v[0])
		}
		switch r.PostForm.Get("grant_type") {
		case "client_credentials":
			if id, sec, _ := r.BasicAuth(); id != "cid" || sec != "csecret" {
				w.WriteHeader(401)
				fmt.Fprint(w, `{"error":"invalid_client"}`)
				return
			}
		case "refresh_token":
			if r.PostForm.Get("refresh_token") != "r1" {
				w.WriteHeader(400)
				fmt.Fprint(w, `{"error":"invalid_grant"}`)
				return
			}
		case "urn:ietf:params:oauth:grant-type:jwt-bearer":
			tok, err := jwt.Parse(r.PostForm.Get("assertion"), func(*jwt.Token) (any, error) { return pub, nil })
			if err != nil {
				w.WriteHeader(400)
				fmt.Fprintf(w, `{"error":"invalid_grant","error_description":%q}`, err.Error())
				return
			}
			c := tok.Claims.(jwt.MapClaims)
			seen.Store("sub", c["sub"])
			seen.Store("iss", c["iss"])
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"good","token_type":"Bearer","expires_in":3600,"refresh_token":"r2"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, seen
}

type saver struct {
	mu sync.Mutex
	c  *engine.Connection
}

func (s *saver) Connection(context.Context, string) (*engine.Connection, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := *s.c
	return &cp, nil
}
func (s *saver) PutConnection(c *engine.Connection) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.c = c
	return nil
}

func TestOAuthMethods(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	ts, seen := tokenServer(t, &key.PublicKey)
	api := newDemo()
	apiSrv := httptest.NewServer(api)
	t.Cleanup(apiSrv.Close)

	// client credentials with extra token parameters
	m := kit.ClientCredentials("cc", ts.URL+"/{tenant}/token", "demo.read")
	m.TokenParams = map[string]string{"audience": "https://{tenant}.example.test/api/"}
	c := &kit.Connector{ID: "kitdemo-cc", Title: "CC", Auth: []*kit.AuthMethod{m}, BaseURL: apiSrv.URL, Errors: kit.GraphErrors}
	conn := &engine.Connection{ID: "cc", Kind: "kitdemo-cc", Config: map[string]any{"tenant": "acme", kit.CfgClientID: "cid"},
		Secrets: map[string]string{kit.SecClientSecret: "csecret"}}
	cl, err := c.NewClient(conn, kit.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Do(context.Background(), &kit.Call{Path: "/v1/me"}); err != nil {
		t.Fatalf("client credentials call: %v", err)
	}
	if a, _ := seen.Load("audience"); a != "https://acme.example.test/api/" {
		t.Errorf("audience %v", a)
	}

	// authorization code: an expired token is refreshed and written back
	code := kit.OAuth2Code("code", ts.URL+"/authorize", ts.URL+"/token")
	c2 := &kit.Connector{ID: "kitdemo-code", Title: "Code", Auth: []*kit.AuthMethod{code}, BaseURL: apiSrv.URL}
	conn2 := &engine.Connection{ID: "code", Kind: "kitdemo-code", Config: map[string]any{kit.CfgClientID: "cid"}, Secrets: map[string]string{kit.SecClientSecret: "csecret"}}
	_ = kit.StoreToken(conn2, &oauth2.Token{AccessToken: "old", RefreshToken: "r1", Expiry: time.Now().Add(-time.Hour)})
	sv := &saver{c: conn2}
	cl2, err := c2.NewClient(conn2, kit.ClientOptions{Saver: sv})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl2.Do(context.Background(), &kit.Call{Path: "/v1/me"}); err != nil {
		t.Fatalf("refreshed call: %v", err)
	}
	if !strings.Contains(sv.c.Secrets[kit.SecOAuthToken], `"refresh_token":"r2"`) {
		t.Errorf("refreshed token not stored: %s", sv.c.Secrets[kit.SecOAuthToken])
	}

	// Google service account: a signed JWT for the impersonated admin
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	keyJSON, _ := json.Marshal(map[string]string{"type": "service_account", "client_email": "flows@acme.iam.gserviceaccount.com",
		"private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), "private_key_id": "k1", "token_uri": ts.URL + "/token"})
	c3 := &kit.Connector{ID: "kitdemo-sa", Title: "SA", Auth: []*kit.AuthMethod{kit.ServiceAccount("sa", "https://www.googleapis.com/auth/admin.directory.user")}, BaseURL: apiSrv.URL}
	conn3 := &engine.Connection{ID: "sa", Kind: "kitdemo-sa", Config: map[string]any{kit.CfgSubject: "admin@acme.example"},
		Secrets: map[string]string{kit.SecServiceAccount: string(keyJSON)}}
	cl3, err := c3.NewClient(conn3, kit.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl3.Do(context.Background(), &kit.Call{Path: "/v1/me"}); err != nil {
		t.Fatalf("service account call: %v", err)
	}
	if sub, _ := seen.Load("sub"); sub != "admin@acme.example" {
		t.Errorf("delegated subject %v", sub)
	}

	// a custom token source (Jamf-style exchange)
	src := &kit.AuthMethod{ID: "basicToken", Label: "Basic → token", Source: func(c *engine.Connection, _ *http.Client) (oauth2.TokenSource, error) {
		return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "good", TokenType: "Bearer"}), nil
	}}
	c4 := &kit.Connector{ID: "kitdemo-src", Title: "Src", Auth: []*kit.AuthMethod{src}, BaseURL: apiSrv.URL}
	cl4, err := c4.NewClient(&engine.Connection{ID: "src", Kind: "kitdemo-src"}, kit.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl4.Do(context.Background(), &kit.Call{Path: "/v1/me"}); err != nil {
		t.Fatalf("token source call: %v", err)
	}

	// credentials never go to another origin (an absolute next link elsewhere)
	other := newDemo()
	otherSrv := httptest.NewServer(other)
	t.Cleanup(otherSrv.Close)
	_, _ = cl4.Do(context.Background(), &kit.Call{Path: otherSrv.URL + "/v1/me"})
	if a, _ := other.auths.Load("/v1/me"); a != "" {
		t.Errorf("credentials sent to another origin: %q", a)
	}
}

func TestAuthorizerRegistry(t *testing.T) {
	// kitdemo has an OAuth2Code method: Register made its Authorize reachable by kind
	conn := &engine.Connection{ID: "x", Kind: "kitdemo", Config: map[string]any{kit.CfgAuthMethod: kit.AuthAPIToken}}
	if _, _, err := kit.Authorize(context.Background(), conn); err == nil || !strings.Contains(err.Error(), "nothing to authorize") {
		t.Fatalf("token method: %v", err)
	}
	conn.Config[kit.CfgAuthMethod] = kit.AuthOAuth2Code
	conn.Config[kit.CfgClientID] = "cid"
	ctx, cancel := context.WithCancel(context.Background())
	u, wait, err := kit.Authorize(ctx, conn)
	if err != nil || !strings.Contains(u, "code_challenge=") || !strings.Contains(u, "redirect_uri=http%3A%2F%2F127.0.0.1") || wait == nil {
		t.Fatalf("auth URL %q: %v", u, err)
	}
	cancel() // the person never came back: wait ends and the redirect listener closes
	if err := wait(); err == nil {
		t.Fatal("wait without a redirect succeeded")
	}
	if _, _, err := kit.Authorize(context.Background(), &engine.Connection{Kind: "nope"}); err == nil {
		t.Fatal("unknown kind authorized")
	}
}
