package app

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestSessionCookie(t *testing.T) {
	a := testApp(t)
	assets := fstest.MapFS{"index.html": {Data: []byte("<html>flowbench</html>")}}
	h, err := NewHTTPHandler(a, "tok", assets)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	name := sessionCookieName(host)
	if name == "flowbench_session" || !strings.HasSuffix(name, host[strings.LastIndexByte(host, ':')+1:]) {
		t.Fatalf("cookie name %q does not name the port of %s", name, host)
	}

	page := func(query string) *http.Response {
		res, err := http.Get(srv.URL + "/" + query)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	if res := page("?token=wrong"); len(res.Cookies()) != 0 {
		t.Fatalf("a wrong token set a cookie: %v", res.Header["Set-Cookie"])
	}
	if res := page(""); len(res.Cookies()) != 0 {
		t.Fatalf("no token set a cookie: %v", res.Header["Set-Cookie"])
	}
	res := page("?token=tok")
	if res.StatusCode != 200 || len(res.Cookies()) != 1 {
		t.Fatalf("token URL: %d %v", res.StatusCode, res.Header["Set-Cookie"])
	}
	c := res.Cookies()[0]
	raw := res.Header.Get("Set-Cookie")
	if c.Name != name || c.Value != "tok" || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" ||
		!strings.Contains(raw, "HttpOnly") || !strings.Contains(raw, "SameSite=Strict") {
		t.Fatalf("cookie %+v (%s)", c, raw)
	}

	call := func(hdr map[string]string, cookie *http.Cookie) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/ListFlows", strings.NewReader("[]"))
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		if cookie != nil {
			req.AddCookie(cookie)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	self := map[string]string{"Origin": srv.URL}
	cases := []struct {
		name   string
		hdr    map[string]string
		cookie *http.Cookie
		want   int
	}{
		{"cookie from the page (Origin)", self, c, 200},
		{"cookie from the page (Sec-Fetch-Site)", map[string]string{"Sec-Fetch-Site": "same-origin"}, c, 200},
		{"cookie from another site", map[string]string{"Origin": "http://evil.example"}, c, 403},
		{"cookie from another port", map[string]string{"Origin": "http://127.0.0.1:1"}, c, 403},
		{"cookie, cross-site fetch", map[string]string{"Sec-Fetch-Site": "cross-site"}, c, 403},
		{"cookie without Origin", nil, c, 403},
		{"cookie with a null Origin", map[string]string{"Origin": "null"}, c, 403},
		{"wrong cookie", self, &http.Cookie{Name: name, Value: "nope"}, 401},
		{"cookie of another port's server", self, &http.Cookie{Name: "flowbench_session_1", Value: "tok"}, 401},
		{"nothing", self, nil, 401},
		{"bearer", map[string]string{"Authorization": "Bearer tok"}, nil, 200},
		{"wrong bearer, right cookie", map[string]string{"Authorization": "Bearer x", "Origin": srv.URL}, c, 200},
	}
	for _, tc := range cases {
		if code, body := call(tc.hdr, tc.cookie); code != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, code, body, tc.want)
		}
	}
	// the cookie only opens the API it was set for: trigger endpoints keep their own tokens
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/flows/none/invoke", strings.NewReader("{}"))
	req.Header.Set("Origin", srv.URL)
	req.AddCookie(c)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 404 {
		t.Fatalf("endpoint with cookie: %v %v", res, err)
	}
}
