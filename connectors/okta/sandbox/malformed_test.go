package sandbox

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// A request the HTTP layer cannot parse (a raw space and quotes in the URL)
// is answered in Okta's error shape, never a bare "400 Bad Request".
func TestMalformedRequestInOktaShape(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = io.WriteString(conn, "GET /api/v1/users?search=profile.x sw \"smtp:a@b\" HTTP/1.1\r\nHost: sandbox\r\nAuthorization: SSWS "+DefaultAPIToken+"\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e OktaError
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || json.Unmarshal(body, &e) != nil || e.ErrorCode != "E0000003" || e.ErrorSummary == "" {
		t.Fatalf("malformed request: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	// a well-formed request is untouched
	req, _ := http.NewRequest("GET", base+"/api/v1/users?limit=1", nil)
	req.Header.Set("Authorization", "SSWS "+DefaultAPIToken)
	ok, err := http.DefaultClient.Do(req)
	if err != nil || ok.StatusCode != 200 {
		t.Fatalf("well-formed request: %v %v", err, ok)
	}
	ok.Body.Close()
}
