package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/flowbench/flowbench/engine"
)

func testApp(t *testing.T) *App {
	t.Helper()
	a, err := Open(context.Background(), Options{DataDir: t.TempDir(), Out: io.Discard, Key: bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.close() })
	return a
}

func TestAPIMethodList(t *testing.T) {
	want := []string{
		"ListFlows", "GetFlow", "CreateFlow", "SaveFlow", "ValidateFlow", "DuplicateFlow", "RenameFlow",
		"MoveFlow", "DeleteFlow", "SetFlowEnabled", "RunFlow", "RunDraft", "SampleInput", "ListExecutions",
		"GetExecution", "Cards", "TestCard", "ListConnections", "ConnectionKinds", "SaveConnection",
		"DeleteConnection", "TestConnection", "AuthorizeConnection", "GenerateKeyPair", "ImportText", "ExportFlow", "ExportFolder",
		"Info", "Rendered", "TriggerStatus", "RotateTriggerSecret", "BindConnection", "ListTables", "TableRows",
		"CreateTable", "SaveTable", "CopyTable", "DeleteTable", "TableUsers", "AddTableRow", "UpdateTableRow",
		"DeleteTableRow", "TableRowCount", "TableRowPage", "SearchTableRows", "PreviewTableCSV", "ImportTableCSV", "ExportTableCSV",
		"HelperFlows", "CreateHelperFlow", "UserProfileSchema", "FieldChoices", "ResumeExecution", "HistoryUsage",
		"FlowVersions", "GetFlowVersion", "DiffFlowVersions", "RestoreFlowVersion",
		"ResumePlan", "ResumeRun", "RerunExecution", "ExecutionAttempts",
		"SaveExecutionAsTest", "RunFlowTests", "TestStatuses", "DeleteFlowTest", "ExportFlowTests",
		"Environments", "SetEnvironment", "FlowEnvironment", "SetFlowEnvironment", "RunTargets",
		"ResumePaused", "ConnectionUsers", "FlowPlaceholders", "CancelExecution",
	}
	if !reflect.DeepEqual(APIMethods, want) {
		t.Fatalf("APIMethods changed:\n got %v\nwant %v", APIMethods, want)
	}
	typ := reflect.TypeOf(&App{})
	for _, m := range want {
		if _, ok := typ.MethodByName(m); !ok {
			t.Errorf("*App has no method %s", m)
		}
	}
	// the Wails window binds every exported method: they must all be API methods
	api := map[string]bool{}
	for _, m := range want {
		api[m] = true
	}
	for i := 0; i < typ.NumMethod(); i++ {
		if name := typ.Method(i).Name; !api[name] {
			t.Errorf("*App exports %s, which is not an API method (the window would bind it)", name)
		}
	}
	if _, err := newAPIHandler(&App{}, "t"); err != nil {
		t.Fatal(err)
	}
}

type client struct {
	t     *testing.T
	url   string
	token string
}

func (c client) call(method string, args ...any) (int, json.RawMessage) {
	c.t.Helper()
	body, _ := json.Marshal(args)
	req, _ := http.NewRequest(http.MethodPost, c.url+"/api/"+method, bytes.NewReader(body))
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

func TestHTTPDispatch(t *testing.T) {
	a := testApp(t)
	assets := fstest.MapFS{"index.html": {Data: []byte("<html>flowbench</html>")}}
	h, err := NewHTTPHandler(a, "secret", assets)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	c := client{t: t, url: srv.URL, token: "secret"}

	// static files need no token
	res, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), "flowbench") {
		t.Fatalf("index: %d %s", res.StatusCode, b)
	}

	tests := []struct {
		name   string
		c      client
		method string
		args   []any
		status int
		match  string
	}{
		{"no token", client{t: t, url: srv.URL}, "ListFlows", nil, 401, "token"},
		{"wrong token", client{t: t, url: srv.URL, token: "nope"}, "ListFlows", nil, 401, "token"},
		{"unknown", c, "Nope", nil, 404, "no API method"},
		{"not exposed: Close", c, "Close", nil, 404, "no API method"},
		{"not exposed: Shutdown", c, "Shutdown", nil, 404, "no API method"},
		{"too many args", c, "GetFlow", []any{"a", "b"}, 400, "takes 1 arguments"},
		{"wrong arg type", c, "GetFlow", []any{42}, 400, "argument 1"},
		{"info", c, "Info", nil, 200, `"version"`},
		{"cards", c, "Cards", nil, 200, `"flow.manual"`},
		{"missing flow", c, "GetFlow", []any{"does-not-exist"}, 404, "error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.c.t = t
			st, body := tc.c.call(tc.method, tc.args...)
			if st != tc.status || !strings.Contains(string(body), tc.match) {
				t.Fatalf("%s: got %d %s, want %d containing %q", tc.method, st, body, tc.status, tc.match)
			}
		})
	}

	// a round trip through typed arguments: create, save with a change, read back
	st, body := c.call("CreateFlow", "HTTP test", "Tests")
	if st != 200 {
		t.Fatalf("CreateFlow: %d %s", st, body)
	}
	var f engine.Flow
	if err := json.Unmarshal(body, &f); err != nil {
		t.Fatal(err)
	}
	f.Description = "saved over HTTP"
	if st, body = c.call("SaveFlow", &f); st != 200 {
		t.Fatalf("SaveFlow: %d %s", st, body)
	}
	st, body = c.call("GetFlow", f.ID)
	if st != 200 || !strings.Contains(string(body), "saved over HTTP") {
		t.Fatalf("GetFlow: %d %s", st, body)
	}
	// error-only methods answer {"ok":true}
	if st, body = c.call("RenameFlow", f.ID, "Renamed"); st != 200 || !strings.Contains(string(body), `"ok":true`) {
		t.Fatalf("RenameFlow: %d %s", st, body)
	}

	// GET is refused
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/ListFlows?token=secret", nil)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET: %d", res.StatusCode)
	}
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServePrintsURLAndStops(t *testing.T) {
	a := testApp(t)
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuf{}
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, a, "127.0.0.1:0", "", fstest.MapFS{}, out) }()
	re := regexp.MustCompile(`Flowbench serving on (http://127\.0\.0\.1:\d+)/\?token=([0-9a-f]{32})`)
	var m []string
	for i := 0; i < 500 && m == nil; i++ {
		m = re.FindStringSubmatch(out.String())
		if m == nil {
			time.Sleep(10 * time.Millisecond)
		}
	}
	if m == nil {
		t.Fatalf("no URL line in %q", out.String())
	}
	c := client{t: t, url: m[1], token: m[2]}
	if st, body := c.call("ListFlows"); st != 200 {
		t.Fatalf("ListFlows: %d %s", st, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
