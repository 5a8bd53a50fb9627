package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	tclient "go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/temporal"
)

// The Temporal tests run the real thing: `temporal server start-dev` (the
// CLI built by `make temporal-cli`) on free loopback ports with an
// in-memory database, and this test binary as `flowbench serve --temporal`
// and `flowbench worker` processes (FLOWBENCH_TEST_TEMPORAL_CLI=1), so a
// worker or the serve node can really be killed.
func init() {
	if os.Getenv("FLOWBENCH_TEST_TEMPORAL_CLI") != "1" {
		return
	}
	if hb := os.Getenv("FLOWBENCH_TEST_HEARTBEAT"); hb != "" {
		if d, err := time.ParseDuration(hb); err == nil {
			temporal.HeartbeatTimeout = d
		}
	}
	os.Exit((&CLI{Stdout: os.Stdout, Stderr: os.Stderr, Serve: Serve}).Main(os.Args[1:]))
}

// temporalCLI finds the temporal binary: $TEMPORAL_CLI, the Makefile's
// cache (.cache/bin), GOPATH/bin, PATH.
func temporalCLI(t testing.TB) string {
	if p := os.Getenv("TEMPORAL_CLI"); p != "" {
		return p
	}
	cands := []string{filepath.Join("..", ".cache", "bin", "temporal")}
	if gp, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		cands = append(cands, filepath.Join(strings.TrimSpace(string(gp)), "bin", "temporal"))
	}
	for _, c := range cands {
		if st, err := os.Stat(c); err == nil && !st.IsDir() {
			abs, _ := filepath.Abs(c)
			return abs
		}
	}
	if p, err := exec.LookPath("temporal"); err == nil {
		return p
	}
	t.Fatal("the Temporal CLI is missing: run `make temporal-cli` (go install github.com/temporalio/cli/cmd/temporal@v1.5.1 into .cache/bin), or set TEMPORAL_CLI")
	return ""
}

func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startTemporal starts a dev server and returns its frontend HOST:PORT
// and a client; both end with the test.
func startTemporal(t testing.TB) (string, tclient.Client) {
	bin := temporalCLI(t)
	port := freePort(t)
	hp := fmt.Sprintf("127.0.0.1:%d", port)
	// in-memory database; the HTTP API and metrics take free ports by themselves
	cmd := exec.Command(bin, "server", "start-dev", "--ip", "127.0.0.1", "--port", fmt.Sprint(port), "--headless", "--log-level", "error")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("temporal server start-dev: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	var cl tclient.Client
	var err error
	for range 240 { // up to a minute on a loaded machine: a readiness wait, not an assertion
		cl, err = tclient.Dial(tclient.Options{HostPort: hp, Logger: quietLogger{}})
		if err == nil {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("temporal dev server on %s did not come up: %v\n%s", hp, err, logs.String())
	}
	t.Cleanup(cl.Close)
	return hp, cl
}

// proc is a flowbench process made of this test binary.
type proc struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	line chan string
}

func flowbenchProc(t testing.TB, env []string, args ...string) *proc {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: exec.Command(exe, args...), line: make(chan string, 100)}
	p.cmd.Env = append(append(os.Environ(), "FLOWBENCH_TEST_TEMPORAL_CLI=1", "FLOWBENCH_NO_KEYRING=1"), env...)
	pr, pw := io.Pipe()
	p.cmd.Stdout, p.cmd.Stderr = pw, pw
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			p.mu.Lock()
			p.out.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			select {
			case p.line <- sc.Text():
			default:
			}
		}
	}()
	go func() { _ = p.cmd.Wait(); pw.Close() }()
	t.Cleanup(func() { p.kill() })
	return p
}

func (p *proc) kill() {
	_ = p.cmd.Process.Kill() // SIGKILL
}

func (p *proc) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// waitLine waits for a line matching re (a readiness wait).
func (p *proc) waitLine(t testing.TB, re *regexp.Regexp) []string {
	deadline := time.After(90 * time.Second)
	for {
		select {
		case l := <-p.line:
			if m := re.FindStringSubmatch(l); m != nil {
				return m
			}
		case <-deadline:
			t.Fatalf("no line matching %s; output:\n%s", re, p.log())
		}
	}
}

// runCLI runs this binary as flowbench to the end.
func runCLI(t testing.TB, args ...string) string {
	exe, _ := os.Executable()
	cmd := exec.Command(exe, args...)
	// run --temporal: the workers' token, whose key encrypts payloads
	cmd.Env = append(os.Environ(), "FLOWBENCH_TEST_TEMPORAL_CLI=1", "FLOWBENCH_NO_KEYRING=1", "FLOWBENCH_WORKER_TOKEN="+testWorkerToken)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("flowbench %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// cluster is a serve --temporal node and its workers on one dev server.
type cluster struct {
	hp, queue, url, token, wtoken, data string
	cl                                  tclient.Client
	serve                               *proc
}

var servingRe = regexp.MustCompile(`serving on (http://[^/]+)/\?token=`)

func (c *cluster) startServe(t testing.TB, sandbox bool) {
	args := []string{"--data", c.data, "serve", "--addr", "127.0.0.1:0", "--token", c.token,
		"--temporal", c.hp, "--task-queue", c.queue, "--worker-token", c.wtoken}
	if !sandbox {
		args = append(args, "--no-sandbox")
	}
	c.serve = flowbenchProc(t, nil, args...)
	c.url = c.serve.waitLine(t, servingRe)[1]
}

func (c *cluster) startWorker(t testing.TB, env ...string) *proc {
	p := flowbenchProc(t, env, "worker", "--temporal", c.hp, "--task-queue", c.queue, "--serve", c.url, "--token", c.wtoken)
	p.waitLine(t, regexp.MustCompile(`^Flowbench worker on`))
	return p
}

// api calls the UI API of the serve node.
func (c *cluster) api(t testing.TB, method string, out any, args ...any) {
	b, _ := json.Marshal(args)
	req, _ := http.NewRequest(http.MethodPost, c.url+"/api/"+method, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: HTTP %d %s", method, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("%s: %v: %s", method, err, body)
	}
}

func newCluster(t testing.TB, hp string, cl tclient.Client, queue string) *cluster {
	return &cluster{hp: hp, cl: cl, queue: queue, data: t.TempDir(), token: RandomToken(), wtoken: testWorkerToken}
}

// testWorkerToken is every test cluster's worker token: payloads are
// encrypted with its key (temporal.PayloadKey), and the recorded histories
// replay with it.
const testWorkerToken = "test-worker-token-0a1b2c3d4e5f6789"

// payloadClient is a Temporal client with the test clusters' payload key.
func payloadClient(t testing.TB, hp string) tclient.Client {
	t.Helper()
	cl, err := temporal.Dial(hp, "", temporal.PayloadKey(testWorkerToken))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// benchFlow is the 10-function-card API Endpoint flow of
// scripts/bench-endpoint.sh (without its outside call).
const benchFlow = `{"format": "flowbench.flow/v1", "id": "bench", "name": "Bench endpoint", "enabled": true,
 "settings": {"history": true},
 "trigger": {"id": "trigger", "type": "api.endpoint", "title": "API Endpoint",
   "inputs": [{"key": "security_level", "value": "open"}, {"key": "rateLimit", "value": 1000000}],
   "outputs": [{"key": "name", "group": "body", "type": "string"}]},
 "cards": [
  {"id": "c1", "type": "text.trim", "inputs": [{"key": "string", "from": {"card": "trigger", "path": ["name"]}}]},
  {"id": "c2", "type": "text.upper", "inputs": [{"key": "string", "from": {"card": "c1", "path": ["output"]}}]},
  {"id": "c3", "type": "text.lower", "inputs": [{"key": "string", "from": {"card": "c2", "path": ["output"]}}]},
  {"id": "c4", "type": "text.concat", "inputs": [{"key": "string1", "value": "Hello, "}, {"key": "string2", "from": {"card": "c3", "path": ["output"]}}]},
  {"id": "c5", "type": "text.length", "inputs": [{"key": "string", "from": {"card": "c4", "path": ["output"]}}]},
  {"id": "c6", "type": "flow.assign", "inputs": [{"key": "greeting", "type": "string", "from": {"card": "c4", "path": ["output"]}},
                                                 {"key": "len", "type": "number", "from": {"card": "c5", "path": ["length"]}}]},
  {"id": "c7", "type": "text.concat", "inputs": [{"key": "string1", "from": {"card": "c6", "path": ["greeting"]}}, {"key": "string2", "value": "!"}]},
  {"id": "c8", "type": "text.upper", "inputs": [{"key": "string", "from": {"card": "c7", "path": ["output"]}}]},
  {"id": "c9", "type": "text.trim", "inputs": [{"key": "string", "from": {"card": "c8", "path": ["output"]}}]},
  {"id": "c10", "type": "flow.assign", "inputs": [{"key": "message", "type": "string", "from": {"card": "c9", "path": ["output"]}},
                                                  {"key": "length", "type": "number", "from": {"card": "c6", "path": ["len"]}}]},
  {"id": "ret", "type": "flow.return", "inputs": [{"key": "message", "from": {"card": "c10", "path": ["message"]}},
                                                  {"key": "length", "from": {"card": "c10", "path": ["length"]}}]}
 ]}`

func writeFile(t testing.TB, dir, name, data string) string {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func invokeEndpoint(t testing.TB, url, flow, body string) (int, map[string]any) {
	resp, err := http.Post(url+"/api/flows/"+flow+"/invoke", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &out)
	return resp.StatusCode, out
}

// TestTemporal: serve --temporal with two workers runs the seed flow
// (run --temporal) and the API Endpoint flow end to end, records land in
// serve's history with the workflow link; a worker killed mid For Each
// is replaced without applying an item twice; the recorded histories
// replay with the current code.
func TestTemporal(t *testing.T) {
	hp, cl := startTemporal(t)
	hist := map[string]string{} // name -> workflow id, replayed at the end

	t.Run("serve and two workers", func(t *testing.T) {
		c := newCluster(t, hp, cl, "fb-e2e")
		dir := t.TempDir()
		runCLI(t, "--data", c.data, "import", writeFile(t, dir, "bench.flow.json", benchFlow))
		runCLI(t, "--data", c.data, "import", filepath.Join("..", "examples", "okta-is-member-of-group.flow.json"))
		c.startServe(t, true) // with the sandbox tenant of the seed flow
		c.startWorker(t)
		c.startWorker(t)

		for i, name := range []string{"  ada  ", "grace", " linus"} {
			status, out := invokeEndpoint(t, c.url, "bench", fmt.Sprintf(`{"name": %q}`, name))
			want := "HELLO, " + strings.ToUpper(strings.TrimSpace(name)) + "!"
			if status != 200 || out["message"] != want {
				t.Fatalf("call %d: HTTP %d %v, want message %q\nserve:\n%s", i, status, out, want, c.serve.log())
			}
		}
		var rows []ExecutionSummary
		c.api(t, "ListExecutions", &rows, HistoryQuery{Flow: "bench"})
		if len(rows) != 3 {
			t.Fatalf("history of bench holds %d runs, want 3: %+v", len(rows), rows)
		}
		var ex engine.Execution
		c.api(t, "GetExecution", &ex, rows[0].ID)
		if !strings.HasPrefix(ex.Link, "temporal://"+hp+"/default/") || ex.Status != engine.StatusSuccess || len(ex.Cards) != 12 {
			t.Fatalf("record: link %q status %s, %d cards (want the workflow link, success, 12 cards)", ex.Link, ex.Status, len(ex.Cards))
		}
		for _, rec := range ex.Cards {
			if rec.Status != engine.StatusSuccess {
				t.Fatalf("card %s: %s", rec.ID, rec.Status)
			}
		}
		hist["endpoint"] = ex.ID

		// Run in the designer (the UI API's RunFlow) goes to the cluster too
		var manual engine.Execution
		c.api(t, "RunFlow", &manual, "bench", map[string]any{"name": " zed "})
		if manual.Status != engine.StatusSuccess || manual.Outputs["message"] != "HELLO, ZED!" || !strings.HasPrefix(manual.Link, "temporal://") {
			t.Fatalf("RunFlow on the cluster: %s %v link %q", manual.Status, manual.Outputs, manual.Link)
		}

		// the seed flow from its file, through the CLI; the sandbox tenant
		// and its connection are on the serve node
		out := runCLI(t, "--data", t.TempDir(), "run", "--temporal", hp, "--task-queue", c.queue, "--json",
			"--input", `{"Okta User": {"ID": "alice.nguyen@example.com"}}`, filepath.Join("..", "examples", "okta-is-member-of-group.flow.json"))
		var seed engine.Execution
		if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &seed); err != nil {
			t.Fatalf("run --temporal --json: %v\n%s", err, out)
		}
		if seed.Status != engine.StatusSuccess || len(seed.Cards) != 3 || seed.Cards[2].Outputs == nil {
			t.Fatalf("seed flow: %s\n%s\nserve:\n%s", seed.Status, out, c.serve.log())
		}
		var stored engine.Execution
		c.api(t, "GetExecution", &stored, seed.ID)
		if stored.Link != seed.Link || stored.Cards[1].Outputs["login"] != "alice.nguyen@example.com" {
			t.Fatalf("serve's record of the seed run: link %q (want %q), Read User %v", stored.Link, seed.Link, stored.Cards[1].Outputs)
		}
		hist["seed"] = seed.ID

		// clock, randomness and a wait: Now and Random in side effects, Wait
		// For as a durable timer (the record and a replay agree)
		timed := writeFile(t, t.TempDir(), "timed.flow.json", `{"format": "flowbench.flow/v1", "id": "timed", "name": "Timed", "settings": {"history": true},
 "trigger": {"id": "trigger", "type": "flow.manual"},
 "cards": [
  {"id": "before", "type": "date.now"},
  {"id": "rnd", "type": "text.random", "inputs": [{"key": "length", "value": 12}]},
  {"id": "wait", "type": "flow.waitFor", "inputs": [{"key": "delay", "value": 1}, {"key": "unit", "value": "second"}]},
  {"id": "after", "type": "date.now"},
  {"id": "ret", "type": "flow.return", "inputs": [{"key": "before", "from": {"card": "before", "path": ["date"]}},
    {"key": "after", "from": {"card": "after", "path": ["date"]}}, {"key": "rnd", "from": {"card": "rnd", "path": ["output"]}}]}
 ]}`)
		out = runCLI(t, "--data", t.TempDir(), "run", "--temporal", hp, "--task-queue", c.queue, "--json", timed)
		var tex engine.Execution
		if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &tex); err != nil {
			t.Fatalf("run --temporal --json: %v\n%s", err, out)
		}
		before, _ := engine.ParseDate(tex.Outputs["before"])
		after, _ := engine.ParseDate(tex.Outputs["after"])
		if tex.Status != engine.StatusSuccess || after.Sub(before) < time.Second || len(engine.ToText(tex.Outputs["rnd"])) != 12 {
			t.Fatalf("timed flow: %s, before %v after %v rnd %v", tex.Status, tex.Outputs["before"], tex.Outputs["after"], tex.Outputs["rnd"])
		}
		th := workflowHistory(t, cl, tex.ID)
		var timers, markers int
		for _, ev := range th.Events {
			switch ev.EventType {
			case enumspb.EVENT_TYPE_TIMER_FIRED:
				timers++
			case enumspb.EVENT_TYPE_MARKER_RECORDED:
				markers++
			}
		}
		if timers != 1 || markers < 3 {
			t.Fatalf("timed flow's history: %d timers fired (want 1, Wait For), %d markers (want Now ×2 and Random as side effects)", timers, markers)
		}
		hist["timed"] = tex.ID
	})

	t.Run("kill a worker mid For Each", func(t *testing.T) {
		var mu sync.Mutex
		requests := map[string]int{} // idempotency key -> requests
		applied := map[string]int{}  // item -> effects applied
		seen := map[string]bool{}
		inflight := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var body struct{ Item string }
			_ = json.NewDecoder(r.Body).Decode(&body)
			key := r.Header.Get("Idempotency-Key")
			mu.Lock()
			requests[key]++
			first := !seen[key]
			if first && key != "" { // an idempotent API: a repeated key is not applied again
				seen[key] = true
				applied[body.Item]++
			}
			block := body.Item == "c" && requests[key] == 1
			mu.Unlock()
			if block { // the worker dies while this call is in flight
				close(inflight)
				select {
				case <-r.Context().Done():
				case <-time.After(2 * time.Minute):
				}
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"ok": true}`)
		}))
		defer srv.Close()
		c := newCluster(t, hp, cl, "fb-kill")
		dir := t.TempDir()
		runCLI(t, "--data", c.data, "connection", "add", "http", "local", "authType=none")
		main := `{"format": "flowbench.flow/v1", "id": "fe-main", "name": "Apply all", "settings": {"history": true},
 "trigger": {"id": "trigger", "type": "flow.manual", "outputs": [{"key": "names", "type": "string[]", "value": ["a", "b", "c", "d", "e"]}]},
 "cards": [
  {"id": "each", "type": "list.forEach", "flow": "fe-item", "inputs": [{"key": "list", "from": {"card": "trigger", "path": ["names"]}},
    {"key": "concurrency", "value": 1}, {"key": "item", "type": "string", "item": {"path": ""}}]}
 ]}`
		runCLI(t, "--data", c.data, "import", writeFile(t, dir, "main.flow.json", main))
		c.startServe(t, false)
		// Tables cards on workers write to serve's store through the worker API
		var def engine.TableDef
		c.api(t, "CreateTable", &def, engine.TableDef{Name: "Applied", Columns: []engine.Column{{Name: "item", Type: engine.T("string")}}})
		var itemFlow engine.Flow
		if err := json.Unmarshal([]byte(`{"format": "flowbench.flow/v1", "id": "fe-item", "name": "Apply item",
 "settings": {"history": true},
 "trigger": {"id": "trigger", "type": "flow.helper", "outputs": [{"key": "item", "type": "string"}]},
 "cards": [
  {"id": "build", "type": "text.compose", "inputs": [{"key": "_text_", "value": "{\"item\": \"{{{item}}}\"}"},
    {"key": "item", "type": "string", "from": {"card": "trigger", "path": ["item"]}}]},
  {"id": "post", "type": "http.post", "connection": "local", "inputs": [{"key": "URL", "value": "`+srv.URL+`"},
    {"key": "Body", "type": "string", "from": {"card": "build", "path": ["output"]}}]},
  {"id": "row", "type": "tables.createRow", "inputs": [{"key": "stash", "value": "`+def.ID+`"},
    {"key": "item", "group": "Fields", "type": "string", "from": {"card": "trigger", "path": ["item"]}}]},
  {"id": "ret", "type": "flow.return", "inputs": [{"key": "item", "from": {"card": "trigger", "path": ["item"]}}]}
 ]}`), &itemFlow); err != nil {
			t.Fatal(err)
		}
		var saved SaveResult
		c.api(t, "SaveFlow", &saved, &itemFlow)
		hb := "FLOWBENCH_TEST_HEARTBEAT=2s"
		a := c.startWorker(t, hb)
		folder, err := engine.ParseFile("main.flow.json", []byte(main))
		if err != nil {
			t.Fatal(err)
		}
		st := &temporal.Starter{Client: payloadClient(t, hp), HostPort: hp, TaskQueue: c.queue, Record: true}
		type result struct {
			ex  *engine.Execution
			err error
		}
		done := make(chan result, 1)
		go func() {
			ex, err := st.Run(context.Background(), folder.Flows[0], map[string]any{}, engine.RunOptions{Trigger: "manual"}, "")
			done <- result{ex, err}
		}()
		select {
		case <-inflight:
		case r := <-done:
			t.Fatalf("the run ended before item c: %+v %v\nworker:\n%s", r.ex, r.err, a.log())
		case <-time.After(2 * time.Minute):
			t.Fatalf("item c never reached the server\nworker:\n%s", a.log())
		}
		a.kill() // SIGKILL while item c's call is in flight
		b := c.startWorker(t, hb)
		var r result
		select {
		case r = <-done:
		case <-time.After(3 * time.Minute):
			t.Fatalf("the run did not finish on the second worker\nworker b:\n%s", b.log())
		}
		if r.err != nil || r.ex.Status != engine.StatusSuccess {
			t.Fatalf("run: %v %+v\nworker b:\n%s", r.err, r.ex, b.log())
		}
		mu.Lock()
		defer mu.Unlock()
		for _, item := range []string{"a", "b", "c", "d", "e"} {
			if applied[item] != 1 {
				t.Errorf("item %s applied %d times, want once (requests by key: %v)", item, applied[item], requests)
			}
		}
		repeated := 0
		for k, n := range requests {
			if k == "" {
				t.Errorf("a call without an Idempotency-Key")
			}
			if n > 1 {
				repeated++
			}
		}
		if repeated != 1 {
			t.Errorf("%d calls repeated, want exactly item c's (the call in flight when the worker died): %v", repeated, requests)
		}
		var rows int
		c.api(t, "TableRowCount", &rows, def.ID)
		if rows != 5 {
			t.Errorf("table applied holds %d rows, want one per item (5)", rows)
		}
		hist["foreach-killed-worker"] = r.ex.ID
	})

	t.Run("kill and restart serve while events arrive", func(t *testing.T) {
		const events = 24
		var mu sync.Mutex
		calls := map[string]int{} // event uuid -> effect calls (no dedupe here)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var body struct{ Event string }
			_ = json.NewDecoder(r.Body).Decode(&body)
			mu.Lock()
			calls[body.Event]++
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"ok": true}`)
		}))
		defer srv.Close()
		c := newCluster(t, hp, cl, "fb-events")
		dir := t.TempDir()
		runCLI(t, "--data", c.data, "connection", "add", "http", "local", "authType=none")
		runCLI(t, "--data", c.data, "import", writeFile(t, dir, "ev.flow.json", `{"format": "flowbench.flow/v1", "id": "ev-flow", "name": "On group add",
 "enabled": true, "settings": {"history": true},
 "trigger": {"id": "trigger", "type": "okta.event.userAddedToGroupMembership", "connection": "sandbox",
   "inputs": [{"key": "delivery", "value": "hook"}]},
 "cards": [
  {"id": "build", "type": "text.compose", "inputs": [{"key": "_text_", "value": "{\"event\": \"{{{uuid}}}\"}"},
    {"key": "uuid", "type": "string", "from": {"card": "trigger", "path": ["UUID"]}}]},
  {"id": "post", "type": "http.post", "connection": "local", "inputs": [{"key": "URL", "value": "`+srv.URL+`"},
    {"key": "Body", "type": "string", "from": {"card": "build", "path": ["output"]}}]}
 ]}`))
		port := freePort(t)
		serve := func() {
			c.serve = flowbenchProc(t, nil, "--data", c.data, "serve", "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--token", c.token,
				"--temporal", c.hp, "--task-queue", c.queue, "--worker-token", c.wtoken)
			c.url = c.serve.waitLine(t, servingRe)[1]
		}
		serve()
		c.startWorker(t)
		var state TriggerState
		c.api(t, "TriggerStatus", &state, "ev-flow")
		if !state.Listening || state.Secret == "" || !strings.Contains(state.Endpoint, "/hooks/") {
			t.Fatalf("event flow not listening for hooks: %+v", state)
		}
		path := state.Endpoint[strings.Index(state.Endpoint, "/hooks/"):]
		// Okta delivers 3 events at a time and delivers again until it gets
		// a 200 (so an event may arrive twice)
		deliver := func(b int) {
			var evs []string
			for i := range 3 {
				evs = append(evs, fmt.Sprintf(`{"uuid": "ev-%d", "eventType": "group.user_membership.add", "published": "2026-12-01T10:00:00.000Z"}`, b*3+i))
			}
			for try := 0; ; try++ {
				req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("http://127.0.0.1:%d%s", port, path), strings.NewReader(`{"data": {"events": [`+strings.Join(evs, ",")+`]}}`))
				req.Header.Set(state.AuthHeader, state.Secret)
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err == nil {
					resp.Body.Close()
					if resp.StatusCode == http.StatusOK {
						return
					}
				}
				if try > 600 {
					t.Errorf("delivery %d never accepted: %v", b, err)
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
		third := make(chan struct{})
		sent := make(chan struct{})
		go func() { // the sender keeps delivering while serve dies and restarts
			defer close(sent)
			for b := range events / 3 {
				deliver(b)
				if b == 2 {
					deliver(b) // a redelivery of accepted events
					close(third)
				}
			}
		}()
		<-third
		c.serve.kill() // SIGKILL with events queued or in flight
		time.Sleep(300 * time.Millisecond)
		serve()
		<-sent
		deliver(events/3 - 1) // once more after the restart: still no second run
		for i := 0; ; i++ {
			mu.Lock()
			n := len(calls)
			mu.Unlock()
			if n == events {
				break
			}
			if i > 1200 {
				t.Fatalf("%d of %d events ran: %v\nserve:\n%s", n, events, calls, c.serve.log())
			}
			time.Sleep(100 * time.Millisecond)
		}
		var rows []ExecutionSummary
		for i := 0; ; i++ { // the records arrive once the workflows end
			c.api(t, "ListExecutions", &rows, HistoryQuery{Flow: "ev-flow", Limit: 1000})
			if len(rows) >= events || i > 600 {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		mu.Lock()
		defer mu.Unlock()
		for i := range events {
			if n := calls[fmt.Sprintf("ev-%d", i)]; n != 1 {
				t.Errorf("event ev-%d ran %d times, want once", i, n)
			}
		}
		if len(rows) != events {
			t.Errorf("history holds %d runs of the event flow, want %d", len(rows), events)
		}
		hist["event"] = temporal.WorkflowID("ev-flow", "", "ev-5")
	})

	t.Run("replay recorded histories", func(t *testing.T) {
		if len(hist) == 0 {
			t.Fatal("no history recorded by the subtests above")
		}
		for name, id := range hist {
			h := workflowHistory(t, cl, id)
			b, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(h)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "temporal", name+".json")
			if *update {
				_ = os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			replayFile(t, name, b)
		}
	})
}

// workflowHistory reads a workflow's whole history.
func workflowHistory(t testing.TB, cl tclient.Client, id string) *historypb.History {
	it := cl.GetWorkflowHistory(context.Background(), id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatalf("history of %s: %v", id, err)
		}
		h.Events = append(h.Events, ev)
	}
	return h
}

// replayFile replays one recorded history with the current workflow code.
func replayFile(t testing.TB, name string, data []byte) {
	h, err := tclient.HistoryFromJSON(bytes.NewReader(data), tclient.HistoryJSONOptions{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	dc, err := temporal.DataConverter(temporal.PayloadKey(testWorkerToken))
	if err != nil {
		t.Fatal(err)
	}
	r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{DataConverter: dc, FailureConverter: temporal.FailureConverter(dc)})
	if err != nil {
		t.Fatal(err)
	}
	(&temporal.Worker{Registry: engine.Default()}).RegisterWorkflow(r)
	if err := r.ReplayWorkflowHistory(nil, h); err != nil {
		t.Fatalf("%s: replay with the current code: %v", name, err)
	}
}

// TestTemporalReplay replays the workflow histories recorded by
// TestTemporal (testdata/temporal, rewritten with -update) with the
// current code: a change that would break running workflows fails here.
func TestTemporalReplay(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "temporal", "*.json"))
	if len(files) < 5 {
		t.Fatalf("want the recorded histories in testdata/temporal (go test ./app -run TestTemporal -update), found %d", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		replayFile(t, filepath.Base(f), b)
	}
}

// quietLogger drops the SDK's log lines in tests.
type quietLogger struct{}

func (quietLogger) Debug(string, ...any) {}
func (quietLogger) Info(string, ...any)  {}
func (quietLogger) Warn(string, ...any)  {}
func (quietLogger) Error(string, ...any) {}
