package flowtest

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

func TestParseRefusesWhatItCannotRun(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"format", `{"format":"x","cases":[{"name":"a"}]}`, `format "x"`},
		{"no cases", `{"format":"flowbench-test/1","cases":[]}`, "no test cases"},
		{"unnamed", `{"format":"flowbench-test/1","cases":[{}]}`, "case 1 has no name"},
		{"unknown field", `{"format":"flowbench-test/1","cases":[{"name":"a","expected":{}}]}`, `unknown field "expected"`},
		{"op", `{"format":"flowbench-test/1","cases":[{"name":"a","expect":{"cards":{"c":{"assert":[{"path":"x","op":"gt"}]}}}}]}`, `unknown op "gt"`},
		{"duplicate key", `{"format":"flowbench-test/1","format":"flowbench-test/1","cases":[{"name":"a"}]}`, "duplicate"},
	} {
		if _, err := Parse("t.test.json", []byte(tc.text)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestCheckComparesWhatIsGiven(t *testing.T) {
	run := &engine.Execution{Status: engine.StatusSuccess, Outputs: map[string]any{"n": 2.0},
		Cards: []engine.CardRecord{{ID: "c", Title: "Read", Status: engine.StatusSuccess,
			Outputs: map[string]any{"user": map[string]any{"email": "ada@example.com", "groups": []any{"a", "b"}}, "n": 3.0}}}}
	for _, tc := range []struct {
		name string
		e    Expect
		want []string
	}{
		{"passes with a subset", Expect{Outputs: map[string]any{"n": 2}, Cards: map[string]CardExpect{"c": {Status: "success", Outputs: map[string]any{"user": map[string]any{"email": "ada@example.com"}},
			Assert: []Assertion{{Path: "user.groups", Op: "contains", Value: "b"}, {Path: "user.email", Op: "matches", Value: "*@example.com"}, {Path: "user.phone", Op: "absent"}, {Path: "n", Op: "notEquals", Value: 4}}}}}, nil},
		{"status", Expect{Status: "failed"}, []string{"the run ended success, want failed"}},
		{"value", Expect{Cards: map[string]CardExpect{"c": {Outputs: map[string]any{"user": map[string]any{"email": "bob@example.com"}}}}},
			[]string{`card c "Read": output user.email: got "ada@example.com", want "bob@example.com"`}},
		{"list whole", Expect{Cards: map[string]CardExpect{"c": {Outputs: map[string]any{"user": map[string]any{"groups": []any{"a"}}}}}},
			[]string{`card c "Read": output user.groups: got ["a","b"], want ["a"]`}},
		{"assertions", Expect{Cards: map[string]CardExpect{"c": {Assert: []Assertion{{Path: "user.groups", Op: "contains", Value: "z"}, {Path: "user.x", Op: "exists"}}}}},
			[]string{`card c "Read": user.groups: ["a","b"] does not contain "z"`, `card c "Read": user.x should exist`}},
		{"missing card", Expect{Cards: map[string]CardExpect{"gone": {Status: "success"}}}, []string{"card gone: not in the flow"}},
	} {
		got := Check(run, &tc.e)
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// The replay answers by card, method, path and query in order, takes a
// token fetched by another card, and answers what it did not record with
// an error response (never the network) that Problems lists.
func TestReplayMatchesRecordedCalls(t *testing.T) {
	rp := NewReplay([]Call{
		{Card: "a", Method: "GET", URL: "https://x.example/api/v1/users?limit=2&after=REDACTED", JSON: map[string]any{"page": 1.0}},
		{Card: "a", Method: "GET", URL: "https://x.example/api/v1/users?limit=2", JSON: map[string]any{"page": 0.0}},
		{Card: "b", Method: "POST", URL: "https://x.example/oauth2/v1/token", Status: 200, JSON: map[string]any{"access_token": "REDACTED"}},
		{Card: "c", Method: "DELETE", URL: "https://x.example/api/v1/users/1", Status: 204},
	})
	get := func(method, url string) (int, string) {
		req, _ := http.NewRequestWithContext(context.Background(), method, url, nil)
		resp, err := rp.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// no card in the context: only the third pass (any card, same query) matches
	if st, body := get("GET", "https://other.host/api/v1/users?limit=2"); st != 200 || body != `{"page":0}` {
		t.Fatalf("first page: %d %s", st, body)
	}
	if st, body := get("GET", "https://other.host/api/v1/users?after=abc&limit=2"); st != 200 || body != `{"page":1}` {
		t.Fatalf("second page (REDACTED matches any value): %d %s", st, body)
	}
	if st, _ := get("POST", "https://x.example/oauth2/v1/token"); st != 200 {
		t.Fatalf("token: %d", st)
	}
	if st, body := get("GET", "https://x.example/api/v1/groups"); st != 501 || !strings.Contains(body, "no recorded response for GET /api/v1/groups") {
		t.Fatalf("unrecorded: %d %s", st, body)
	}
	// a recorded sign-in that the replay did not need is no failure
	rp2 := NewReplay([]Call{{Card: "b", Method: "POST", URL: "https://x.example/oauth2/v1/token"}})
	if p := rp2.Problems(); len(p) != 0 {
		t.Fatalf("unused token call reported: %v", p)
	}
	got := strings.Join(rp.Problems(), "\n")
	if !strings.Contains(got, "unrecorded outside call: GET /api/v1/groups") || !strings.Contains(got, "recorded call not made: card c: DELETE https://x.example/api/v1/users/1") {
		t.Fatalf("problems:\n%s", got)
	}
	// named as the other failures name a card: its id and title
	named := strings.Join(rp.ProblemsNamed(map[string]string{"c": "Delete user"}), "\n")
	if !strings.Contains(named, `recorded call not made: card c "Delete user": DELETE https://x.example/api/v1/users/1`) {
		t.Fatalf("named problems:\n%s", named)
	}
}
