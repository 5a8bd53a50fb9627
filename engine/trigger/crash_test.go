package trigger_test

// Crash tests: a helper process (this test binary, re-run with
// FLOWBENCH_CRASH_HELPER set) runs flows whose cards apply effects on a
// loopback server of the test; the test SIGKILLs it at random points,
// restarts it on the same data directory until the work is done, then
// counts applied effects, history records and duplicates.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	_ "github.com/flowbench/flowbench/connectors/tables"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
	"github.com/flowbench/flowbench/engine/trigger"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv("FLOWBENCH_CRASH_HELPER"); mode != "" {
		os.Exit(crashHelper(mode))
	}
	os.Exit(m.Run())
}

func init() {
	// test.apply: an effect on the outside server (a POST that is not safe
	// to repeat), named by key
	engine.Register(&engine.Spec{ID: "test.apply", Title: "Apply", Kind: engine.KindAction, App: "test",
		Inputs:  []engine.FieldSpec{{Key: "key", Type: engine.T("string"), Required: true}},
		Outputs: []engine.FieldSpec{{Key: "applied", Type: engine.T("string")}},
		Run: func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
			key := engine.ToText(in.Values["key"])
			req, _ := http.NewRequestWithContext(ctx, "POST", os.Getenv("FLOWBENCH_CRASH_SINK"), strings.NewReader(key))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return nil, err
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				return nil, fmt.Errorf("sink: %s", resp.Status)
			}
			return engine.Outputs{"applied": key}, nil
		}})
}

const crashItems = 1000

func itemList(n int) []any {
	l := make([]any, n)
	for i := range l {
		l[i] = float64(i)
	}
	return l
}

// crashFlows: "item" applies item-<n>; "each" (manual) and "api" (API
// Endpoint) run For Each over 1,000 items; "ev" applies ev-<name> per event.
func crashFlows() []*engine.Flow {
	apply := engine.Card{ID: "apply", Type: "test.apply", Inputs: []engine.Field{
		{Key: "key", From: &engine.Binding{Card: "concat", Path: []string{"output"}}}}}
	concat := func(prefix string, path string) engine.Card {
		return engine.Card{ID: "concat", Type: "text.concat", Inputs: []engine.Field{
			fld("string1", prefix), {Key: "string2", From: &engine.Binding{Card: "trigger", Path: []string{path}}}}}
	}
	forEach := engine.Card{ID: "each", Type: "list.forEach", Title: "For Each", Flow: "item", Inputs: []engine.Field{
		fld("list", itemList(crashItems)), fld("concurrency", 8),
		{Key: "n", Type: engine.T("number"), Item: &engine.ItemMapping{}}}}
	after := engine.Card{ID: "after", Type: "test.apply", Inputs: []engine.Field{fld("key", "after")}}
	// a Tables row per item: Create Row is made idempotent by the card's key
	row := engine.Card{ID: "row", Type: "tables.createRow", Inputs: []engine.Field{fld("stash", "rows"),
		{Key: "key", Type: engine.T("string"), From: &engine.Binding{Card: "concat", Path: []string{"output"}}}}}
	return []*engine.Flow{
		{ID: "item", Name: "Item", Trigger: engine.Card{ID: "trigger", Type: "flow.helper",
			Outputs: []engine.Field{{Key: "n", Type: engine.T("number")}}},
			Cards: []engine.Card{concat("item-", "n"), apply, row}},
		{ID: "each", Name: "Each", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
			Cards: []engine.Card{forEach, after}},
		{ID: "api", Name: "API", Enabled: true, Trigger: engine.Card{ID: "trigger", Type: trigger.TypeAPIEndpoint,
			Inputs: []engine.Field{fld("security_level", "open"), fld("rateLimit", 1e6)}},
			Cards: []engine.Card{forEach, after}},
		{ID: "ev", Name: "Events", Enabled: true, Trigger: engine.Card{ID: "trigger", Type: "test.event",
			Outputs: []engine.Field{{Key: "name", Type: engine.T("string")}}},
			Cards: []engine.Card{concat("ev-", "name"), apply}},
	}
}

// crashHelper is the helper process: FLOWBENCH_CRASH_HELPER is the
// scenario, FLOWBENCH_CRASH_PHASE "start" or "resume".
func crashHelper(mode string) int {
	dir, phase := os.Getenv("FLOWBENCH_CRASH_DIR"), os.Getenv("FLOWBENCH_CRASH_PHASE")
	st, err := store.Open(dir, store.Options{Key: testKey})
	if err != nil {
		fmt.Println("open:", err)
		return 2
	}
	ex := engine.NewExecutor(st, st, st)
	ex.Services["tables"] = st
	if phase == "start" {
		if _, err := st.CreateTable(context.Background(), engine.TableDef{ID: "rows", Name: "Rows",
			Columns: []engine.Column{{Name: "key", Type: engine.T("string")}}}); err != nil {
			fmt.Println("table:", err)
			return 2
		}
		for _, f := range crashFlows() {
			f.Format, f.Settings.History = engine.FlowFormat, true
			f.Settings.Concurrency = 8
			if err := st.PutFlow(f); err != nil {
				fmt.Println("put:", err)
				return 2
			}
		}
	}
	rt := trigger.New(ex, st, trigger.Options{ResyncEvery: -1, Workers: 8, QueueSize: 2000})
	if err := rt.Start(context.Background()); err != nil {
		fmt.Println("start:", err)
		return 2
	}
	ctx := context.Background()
	switch {
	case phase == "start" && mode == "each":
		f, _ := st.Flow(ctx, "each")
		fmt.Println("READY")
		_, err = ex.Run(ctx, f, nil, engine.RunOptions{Trigger: "manual"})
	case phase == "start" && mode == "api":
		srv := httptest.NewServer(rt.EndpointHandler())
		fmt.Println("READY")
		var resp *http.Response
		if resp, err = http.Post(srv.URL+"/api/flows/api/invoke", "application/json", strings.NewReader("{}")); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			fmt.Println("api:", resp.Status, string(b))
		}
	case phase == "start" && mode == "ev":
		srv := httptest.NewServer(rt.HookHandler())
		f, _ := st.Flow(ctx, "ev")
		state := rt.State(f)
		for b := 0; b < 10; b++ { // a burst: 10 deliveries of 30 events
			var evs []string
			for i := 0; i < 30; i++ {
				n := b*30 + i
				evs = append(evs, fmt.Sprintf(`{"uuid":"u%d","name":"%d"}`, n, n))
			}
			req, _ := http.NewRequest("POST", srv.URL+state.Endpoint, strings.NewReader(`{"data":{"events":[`+strings.Join(evs, ",")+`]}}`))
			req.Header.Set(state.AuthHeader, state.Secret)
			resp, herr := http.DefaultClient.Do(req)
			if herr != nil {
				fmt.Println("hook:", herr)
				return 2
			}
			resp.Body.Close()
		}
		fmt.Println("READY") // every event acknowledged: now it may die
		waitQueue(st)
	case phase == "resume":
		fmt.Println("READY")
		// what a user does for manual and API runs (Resume in history);
		// trigger runs resume by themselves from the queue
		list, _ := st.Executions(store.Query{Status: engine.StatusInterrupted, Limit: 100})
		for _, sm := range list {
			if !sm.Resumable {
				continue
			}
			f, _ := st.Flow(ctx, sm.Flow)
			_, err = ex.Run(ctx, f, nil, engine.RunOptions{ID: sm.ID, Resume: true})
		}
		waitQueue(st)
	}
	if err != nil {
		fmt.Println("run:", err)
	}
	rt.Stop()
	ex.Wait()
	_ = st.Close()
	fmt.Println("DONE")
	return 0
}

// waitQueue waits until the trigger queue and the journal are empty.
func waitQueue(st *store.Store) {
	for {
		st.Flush()
		if countPrefix(st.DB(), "trg/q/") == 0 && countPrefix(st.DB(), "jr/") == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func countPrefix(db *badger.DB, prefix string) int {
	n := 0
	_ = db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix)})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	return n
}

// sink counts applied effects by key.
type sink struct {
	mu      sync.Mutex
	applied map[string]int
	total   int
}

func (s *sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.applied[string(b)]++
	s.total++
	s.mu.Unlock()
}

func (s *sink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// crashRun starts the helper; kill: SIGKILL it once the sink has seen
// killAt effects (never when killAt < 0). It returns whether it was killed.
func crashRun(t *testing.T, mode, phase, dir string, sk *sink, sinkURL string, killAt int) bool {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "FLOWBENCH_CRASH_HELPER="+mode, "FLOWBENCH_CRASH_PHASE="+phase,
		"FLOWBENCH_CRASH_DIR="+dir, "FLOWBENCH_CRASH_SINK="+sinkURL)
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 16)
	output := make(chan string, 1)
	go func() {
		var all bytes.Buffer
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			all.WriteString(sc.Text() + "\n")
			select {
			case lines <- sc.Text():
			default:
			}
		}
		output <- all.String()
	}()
	waited := make(chan error, 1)
	go func() { err := cmd.Wait(); pw.Close(); waited <- err }()
	var out strings.Builder
	base := sk.count()
	killed, ready := false, false
	deadline := time.After(60 * time.Second)
	for {
		select {
		case err := <-waited:
			out.WriteString(<-output)
			if !killed && err != nil {
				t.Fatalf("helper %s/%s failed: %v\n%s", mode, phase, err, out.String())
			}
			if !killed && !strings.Contains(out.String(), "DONE") {
				t.Fatalf("helper %s/%s ended without finishing:\n%s", mode, phase, out.String())
			}
			return killed
		case l := <-lines:
			ready = ready || l == "READY"
		case <-deadline:
			_ = cmd.Process.Kill()
			<-waited
			out.WriteString(<-output)
			t.Fatalf("helper %s/%s did not finish:\n%s", mode, phase, out.String())
		case <-time.After(time.Millisecond):
			if killAt >= 0 && ready && !killed && sk.count()-base >= killAt {
				_ = cmd.Process.Signal(syscall.SIGKILL)
				killed = true
			}
		}
	}
}

type crashCase struct {
	mode    string
	effects []string // keys that must be applied
	flow    string   // the flow whose runs are checked
	runs    int      // its executions in history at the end
}

func TestCrashKill9(t *testing.T) {
	var items, events []string
	for i := 0; i < crashItems; i++ {
		items = append(items, "item-"+strconv.Itoa(i))
	}
	for i := 0; i < 300; i++ {
		events = append(events, "ev-"+strconv.Itoa(i))
	}
	cases := []crashCase{
		{mode: "each", effects: append(append([]string{}, items...), "after"), flow: "each", runs: 1},
		{mode: "api", effects: append(append([]string{}, items...), "after"), flow: "api", runs: 1},
		{mode: "ev", effects: events, flow: "ev", runs: 300},
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	for _, c := range cases {
		for round := 0; round < 2; round++ {
			t.Run(fmt.Sprintf("%s/%d", c.mode, round), func(t *testing.T) {
				sk := &sink{applied: map[string]int{}}
				srv := httptest.NewServer(sk)
				defer srv.Close()
				dir := t.TempDir()
				// kill once during the first run, once during the resume,
				// then let the last resume finish
				first := 20 + rng.IntN(len(c.effects)/2)
				kills := 0
				if crashRun(t, c.mode, "start", dir, sk, srv.URL, first) {
					kills++
				}
				if crashRun(t, c.mode, "resume", dir, sk, srv.URL, 10+rng.IntN(200)) {
					kills++
				}
				crashRun(t, c.mode, "resume", dir, sk, srv.URL, -1)
				checkCrash(t, c, dir, sk, kills)
			})
		}
	}
}

func checkCrash(t *testing.T, c crashCase, dir string, sk *sink, kills int) {
	t.Helper()
	st, err := store.Open(dir, store.Options{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// every effect applied; duplicates only where history says so
	dups := 0
	for _, k := range c.effects {
		switch n := sk.applied[k]; {
		case n == 0:
			t.Errorf("%s: effect %s never applied", c.mode, k)
		case n > 1:
			dups += n - 1
		}
	}
	if len(sk.applied) != len(c.effects) {
		want := map[string]bool{}
		for _, k := range c.effects {
			want[k] = true
		}
		for k := range sk.applied {
			if !want[k] {
				t.Errorf("%s: unexpected effect %q", c.mode, k)
			}
		}
	}
	for k, n := range sk.applied {
		if n > 1 {
			t.Logf("%s: %s applied %d times", c.mode, k, n)
		}
	}
	runs, err := st.Executions(store.Query{Flow: c.flow, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != c.runs {
		t.Fatalf("%s: %d executions of %s in history, want %d (lost or doubled records)", c.mode, len(runs), c.flow, c.runs)
	}
	flagged := 0
	for _, r := range runs {
		if r.Status != engine.StatusSuccess {
			t.Errorf("%s: execution %s ended %s: %s", c.mode, r.ID, r.Status, r.Error)
		}
		flagged += len(r.Repeats)
	}
	children := 0
	if c.mode != "ev" {
		parent, err := st.Execution(runs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if kills > 0 && parent.Resumed == 0 {
			t.Errorf("%s: the run was killed %d times but its record says it was never resumed", c.mode, kills)
		}
		var each *engine.CardRecord
		for i := range parent.Cards {
			if parent.Cards[i].ID == "each" {
				each = &parent.Cards[i]
			}
		}
		if each == nil || each.Status != engine.StatusSuccess {
			t.Fatalf("%s: For Each record %+v", c.mode, each)
		}
		seen := map[string]bool{}
		for _, id := range each.Children {
			seen[id] = true
		}
		if len(seen) != crashItems {
			t.Errorf("%s: For Each lists %d distinct item runs, want %d", c.mode, len(seen), crashItems)
		}
		kids, _ := st.Executions(store.Query{Parent: parent.ID, Limit: 5000})
		for _, k := range kids {
			if k.Status != engine.StatusSuccess {
				t.Errorf("%s: item run %s is %s", c.mode, k.ID, k.Status)
			}
			flagged += len(k.Repeats)
			children++
		}
		if children != crashItems {
			t.Errorf("%s: %d item runs in history, want %d (each item once)", c.mode, children, crashItems)
		}
		// one table row per item, even for items whose Create Row ran again
		rows, err := st.SearchRows(context.Background(), "rows", nil, engine.SearchOptions{Limit: 5000})
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]int{}
		for _, r := range rows {
			keys[engine.ToText(r["key"])]++
		}
		for i := 0; i < crashItems; i++ {
			if n := keys["item-"+strconv.Itoa(i)]; n != 1 {
				t.Errorf("%s: %d table rows for item %d, want 1", c.mode, n, i)
			}
		}
	}
	if dups > flagged {
		t.Errorf("%s: %d effects applied twice, history flags %d possible repeats", c.mode, dups, flagged)
	}
	// a repeat is only possible for what was in flight at a kill
	if max := kills * 8; dups > max {
		t.Errorf("%s: %d duplicates after %d kills (at most %d cards were in flight)", c.mode, dups, kills, max)
	}
	for _, p := range []string{"jr/", "jc/", "ji/", "trg/q/"} {
		if n := countPrefix(st.DB(), p); n != 0 {
			t.Errorf("%s: %d %s keys left", c.mode, n, p)
		}
	}
	t.Logf("%s: kills %d, effects %d, duplicates %d (flagged %d), records %d + %d item runs",
		c.mode, kills, sk.count(), dups, flagged, len(runs), children)
}
