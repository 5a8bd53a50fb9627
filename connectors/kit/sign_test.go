package kit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// TestSignSeesTheBodyOnEveryAttempt: an AuthMethod with Sign signs each
// attempt (a retry too) over the exact payload sent; the server checks it.
func TestSignSeesTheBodyOnEveryAttempt(t *testing.T) {
	mac := func(key string, body []byte) string {
		h := hmac.New(sha256.New, []byte(key))
		h.Write(body)
		return hex.EncodeToString(h.Sum(nil))
	}
	var tries int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Header.Get("X-Sig") != mac("s3cret", b) {
			http.Error(w, `{"message":"bad signature"}`, 403)
			return
		}
		if tries++; tries == 1 {
			w.WriteHeader(503)
			return
		}
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	m := &AuthMethod{ID: "signed", Label: "Signed", Secrets: []engine.FieldSpec{{Key: "key", Label: "Key", Type: engine.T("string"), Required: true}},
		Sign: func(c *engine.Connection, req *http.Request, body []byte) error {
			req.Header.Set("X-Sig", mac(c.Secrets["key"], body))
			return nil
		}}
	c := &Connector{ID: "signtest", Title: "Sign test", Auth: []*AuthMethod{m}, BaseURL: srv.URL}
	c.Errors = StatusErrors
	conn := &engine.Connection{ID: "x", Kind: "signtest", Config: map[string]any{}, Secrets: map[string]string{"key": "s3cret"}}
	cl, err := c.NewClient(conn, ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := cl.Do(context.Background(), &Call{Method: http.MethodPut, Path: "/things", JSON: map[string]any{"a": 1}})
	if err != nil || r.Status != 200 || tries != 2 {
		t.Fatalf("signed call: %v %v tries=%d", r, err, tries)
	}
	conn.Secrets = map[string]string{}
	if _, err := c.NewClient(conn, ClientOptions{}); err == nil || !strings.Contains(err.Error(), "key is empty") {
		t.Fatalf("a missing required secret must be named: %v", err)
	}
}
