package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func startServer(t testing.TB, cfg Config) (*Server, string) {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, base
}

var testClient = &http.Client{Timeout: 10 * time.Second}

type exchange struct {
	req      *http.Request
	reqBody  []byte
	resp     *http.Response
	respBody []byte
}

// call performs a request. auth is a full Authorization header value, or a
// bare token (sent as SSWS), or "" for none.
func call(t testing.TB, method, url, auth string, body any, hdr ...string) *exchange {
	t.Helper()
	var b []byte
	switch v := body.(type) {
	case nil:
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, url, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if b == nil {
		req.Body = nil
	} else {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if auth != "" {
		if !strings.Contains(auth, " ") {
			auth = "SSWS " + auth
		}
		req.Header.Set("Authorization", auth)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	rb, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	e := &exchange{req: req, reqBody: b, resp: resp, respBody: rb}
	checkGovExchange(t, e) // govspec_test.go
	return e
}

func (e *exchange) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(e.respBody, v); err != nil {
		t.Fatalf("%s %s: bad JSON %q: %v", e.req.Method, e.req.URL, e.respBody, err)
	}
}

func (e *exchange) want(t testing.TB, status int) *exchange {
	t.Helper()
	if e.resp.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d; body %s", e.req.Method, e.req.URL, e.resp.StatusCode, status, e.respBody)
	}
	return e
}

func (e *exchange) errCode(t testing.TB) string {
	t.Helper()
	var oe OktaError
	e.json(t, &oe)
	return oe.ErrorCode
}

func userID(t testing.TB, s *Server, login string) string {
	t.Helper()
	u, ok := s.User(login)
	if !ok {
		t.Fatalf("no user %s", login)
	}
	return u["id"].(string)
}

func groupID(t testing.TB, base, name string) string {
	t.Helper()
	var gs []map[string]any
	call(t, "GET", base+"/api/v1/groups?q="+strings.ReplaceAll(name, " ", "%20"), DefaultAPIToken, nil).want(t, 200).json(t, &gs)
	for _, g := range gs {
		if g["profile"].(map[string]any)["name"] == name {
			return g["id"].(string)
		}
	}
	t.Fatalf("no group %s", name)
	return ""
}

func newReq(method, url, token string) (*http.Request, error) {
	req, err := http.NewRequest(method, url, nil)
	if err == nil && token != "" {
		req.Header.Set("Authorization", "SSWS "+token)
	}
	return req, err
}
