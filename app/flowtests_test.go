package app

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// Issue 16 point 4: `flowbench test` replays the recorded calls of each
// case (no network), checks the cards, exits 1 on a failure and writes JUnit.
func TestCLITest(t *testing.T) {
	dir := t.TempDir()
	junit := filepath.Join(dir, "out", "junit.xml")
	cases := []struct {
		name   string
		args   []string
		code   int
		golden string
		errHas string
	}{
		{"passing", []string{"-v", "testdata/flowtest/pass"}, 0, "flowtest/pass.golden", ""},
		{"failing", []string{"testdata/flowtest/fail", "--junit", junit}, 1, "flowtest/fail.golden", ""},
		{"one file", []string{"testdata/flowtest/pass/lookup.test.json"}, 0, "flowtest/one.golden", ""},
		{"the examples' tests", []string{"../examples"}, 0, "", ""},
		{"no tests", []string{filepath.Join("testdata", "diff")}, 1, "", "no *.test.json files"},
		{"not a test file", []string{"testdata/greet.flow.json"}, 2, "", "is not a *.test.json file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := cli(t, dir, append([]string{"test"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", code, tc.code, out, errOut)
			}
			if tc.golden != "" {
				golden(t, tc.golden, out)
			}
			if !strings.Contains(errOut, tc.errHas) {
				t.Fatalf("stderr %q lacks %q", errOut, tc.errHas)
			}
		})
	}
	x, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<testsuites tests="3" failures="2" errors="1">`, `<testcase name="a changed response" classname="Look up a user"`,
		`output output: got &#34;ada@corp.example&#34;, want &#34;ada@example.com&#34;`, `unrecorded outside call: card get &#34;Get user&#34;: GET /users/grace`} {
		if !strings.Contains(string(x), want) {
			t.Errorf("junit lacks %q:\n%s", want, x)
		}
	}
}

// "Save as test" records a run's outside calls as fixtures: the saved test
// passes with the server gone, leaves out values that change every run,
// exports as a file `flowbench test` runs, and fails when the flow breaks.
func TestSaveExecutionAsTest(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"00u1","profile":{"email":"` + strings.TrimPrefix(r.URL.Path, "/users/") + `@example.com"},"access_token":"s3cret-token"}`))
	}))
	a := testApp(t)
	f, err := a.CreateFlow("Save as test", "")
	if err != nil {
		t.Fatal(err)
	}
	f.Trigger.Outputs = append(f.Trigger.Outputs, engine.Field{Key: "login", Type: engine.T("string")})
	bind := func(card string, path ...string) *engine.Binding { return &engine.Binding{Card: card, Path: path} }
	f.Cards = []engine.Card{
		{ID: "url", Type: "text.concat", Title: "User URL", Inputs: []engine.Field{{Key: "string 1", Value: srv.URL + "/users/"}, {Key: "string 2", From: bind(f.Trigger.ID, "login")}}},
		{ID: "get", Type: "http.get", Title: "Get user", Inputs: []engine.Field{{Key: "URL", From: bind("url", "output")}}},
		{ID: "email", Type: "object.get", Title: "Email", Inputs: []engine.Field{{Key: "object", From: bind("get", "Body")}, {Key: "path", Value: "profile.email"}}},
		{ID: "now", Type: "date.now", Title: "Now"},
	}
	r, err := a.SaveFlow(f)
	if err != nil {
		t.Fatal(err)
	}
	f = r.Flow
	ex, err := a.RunFlow(f.ID, map[string]any{"login": "ada"})
	if err != nil || ex.Status != engine.StatusSuccess {
		t.Fatalf("run %v %+v", err, ex.Error)
	}
	srv.Close() // the test replays: no network from here on
	rep, err := a.SaveExecutionAsTest(ex.ID, "reads ada")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total != 1 || rep.Failed != 0 {
		t.Fatalf("saved test: %+v %+v", rep, rep.Results[0])
	}
	if hits.Load() != 1 {
		t.Fatalf("the server was called %d times, want 1 (the run)", hits.Load())
	}
	cases, _ := a.Store.FlowTests(f.ID)
	c := cases[0]
	if len(c.Calls) != 1 || c.Calls[0].Card != "get" || c.Calls[0].Status != 200 {
		t.Fatalf("calls %+v", c.Calls)
	}
	if body := engine.ToText(c.Calls[0].JSON); strings.Contains(body, "s3cret-token") {
		t.Fatalf("the fixture keeps a token: %s", body)
	}
	if c.Expect.Cards["email"].Outputs["output"] != "ada@example.com" {
		t.Fatalf("email expectation %+v", c.Expect.Cards["email"])
	}
	if _, kept := c.Expect.Cards["now"].Outputs["date"]; kept {
		t.Fatalf("Now's date changes every run, it must not be expected: %+v", c.Expect.Cards["now"])
	}
	st, _ := a.TestStatuses()
	if st[f.ID].Total != 1 || st[f.ID].Failed != 0 {
		t.Fatalf("status %+v", st[f.ID])
	}

	// exported beside the flow, `flowbench test` runs it
	dir := t.TempDir()
	flowText, err := a.ExportFlow(f.ID)
	if err != nil {
		t.Fatal(err)
	}
	testText, err := a.ExportFlowTests(f.ID)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, f.Name+".flow.json"), []byte(flowText), 0o644)
	os.WriteFile(filepath.Join(dir, f.Name+".test.json"), []byte(testText), 0o644)
	out, errOut, code := cli(t, t.TempDir(), "test", dir)
	if code != 0 || !strings.Contains(out, "1 passed, 0 failed") {
		t.Fatalf("exported test: exit %d\n%s%s", code, out, errOut)
	}

	// the flow breaks (reads another field): the test fails and the badge says so
	f.Cards[2].Inputs[1].Value = "profile.login"
	if _, err := a.SaveFlow(f); err != nil {
		t.Fatal(err)
	}
	rep, err = a.RunFlowTests(f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 1 || !strings.Contains(strings.Join(rep.Results[0].Failures, "\n"), `card email "Email": output output: got null, want "ada@example.com"`) {
		t.Fatalf("broken flow: %+v", rep.Results[0])
	}
	if st, _ := a.TestStatuses(); st[f.ID].Failed != 1 || st[f.ID].Failing[0] != "reads ada" {
		t.Fatalf("status %+v", st[f.ID])
	}
	// deleting the flow drops its tests
	if err := a.DeleteFlow(f.ID); err != nil {
		t.Fatal(err)
	}
	if cs, _ := a.Store.FlowTests(f.ID); len(cs) != 0 {
		t.Fatalf("tests of a deleted flow: %d", len(cs))
	}
	if st, _ := a.TestStatuses(); st[f.ID].Total != 0 {
		t.Fatalf("status of a deleted flow: %+v", st[f.ID])
	}
}
