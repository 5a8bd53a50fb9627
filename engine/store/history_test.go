package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
)

var histKey = []byte("0123456789abcdef0123456789abcdef")

// idAt makes an execution id started at t (engine.NewID's layout).
func idAt(t time.Time, n int) string {
	return fmt.Sprintf("%012x%04x%016x", t.UnixMilli(), n&0xffff, n)
}

func execution(id, flow, status string, out map[string]any) *engine.Execution {
	t, _ := engine.IDTime(id)
	e := &engine.Execution{ID: id, Flow: flow, FlowName: "Flow " + flow, Status: status, Started: t, Ended: t.Add(time.Millisecond),
		Trigger: "event", Cards: []engine.CardRecord{{ID: "c1", Type: "text.concat", Status: engine.StatusSuccess, Outputs: out}}}
	if status == engine.StatusFailed {
		e.Error = &engine.CardError{Card: "c1", Message: "HTTP 404 Not found: user missing"}
	}
	return e
}

func ids(list []Summary) []string {
	out := []string{}
	for _, s := range list {
		out = append(out, s.ID)
	}
	return out
}

func countKeys(t *testing.T, s *Store, prefix string) int {
	t.Helper()
	n := 0
	_ = s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix)})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	return n
}

func TestHistoryIndexes(t *testing.T) {
	s, err := Open(t.TempDir(), Options{Key: histKey})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	base := time.Now().Add(-time.Hour)
	var all []string
	for i := 0; i < 60; i++ {
		id := idAt(base.Add(time.Duration(i)*time.Second), i)
		flow := []string{"a", "b", "c"}[i%3]
		status := engine.StatusSuccess
		if i%10 == 0 {
			status = engine.StatusFailed
		}
		out := map[string]any{"output": fmt.Sprintf("user%d@example.com Ada-%d", i, i)}
		if i == 42 {
			out["note"] = "Zebra crossing"
		}
		if i == 30 {
			out["child"] = all[29] // a record that mentions another run's id
		}
		s.Save(execution(id, flow, status, out))
		all = append(all, id)
	}
	s.Flush()
	newest := func(pick func(i int) bool, limit int) []string {
		out := []string{}
		for i := len(all) - 1; i >= 0 && len(out) < limit; i-- {
			if pick(i) {
				out = append(out, all[i])
			}
		}
		return out
	}
	cases := []struct {
		name string
		q    Query
		want []string
	}{
		{"latest", Query{Limit: 5}, newest(func(int) bool { return true }, 5)},
		{"flow", Query{Flow: "b", Limit: 100}, newest(func(i int) bool { return i%3 == 1 }, 100)},
		{"status failed", Query{Status: engine.StatusFailed, Limit: 100}, newest(func(i int) bool { return i%10 == 0 }, 100)},
		{"status success", Query{Status: engine.StatusSuccess, Limit: 7}, newest(func(i int) bool { return i%10 != 0 }, 7)},
		{"flow and status", Query{Flow: "a", Status: engine.StatusFailed, Limit: 100}, newest(func(i int) bool { return i%30 == 0 }, 100)},
		{"word any case", Query{Text: "ZEBRA", Limit: 100}, []string{all[42]}},
		{"address whole", Query{Text: "user7@example.com", Limit: 100}, []string{all[7]}},
		{"address part", Query{Text: "user7", Limit: 100}, []string{all[7]}},
		{"two words", Query{Text: "zebra ada-42", Limit: 100}, []string{all[42]}},
		{"two words, no record has both", Query{Text: "zebra ada-41", Limit: 100}, []string{}},
		{"error text", Query{Text: "user missing", Status: engine.StatusFailed, Flow: "b", Limit: 100}, newest(func(i int) bool { return i%10 == 0 && i%3 == 1 }, 100)},
		{"no match", Query{Text: "nothing-like-this", Limit: 100}, []string{}},
		{"common word, page", Query{Text: "example", Limit: 4}, newest(func(int) bool { return true }, 4)},
		{"before (paging)", Query{Before: all[50], Limit: 3}, []string{all[49], all[48], all[47]}},
		{"text before", Query{Text: "example", Before: all[50], Limit: 2}, []string{all[49], all[48]}},
		{"since and until", Query{Since: base.Add(10 * time.Second), Until: base.Add(12 * time.Second), Limit: 100}, []string{all[12], all[11], all[10]}},
		{"flow name", Query{Text: "flow", Flow: "c", Limit: 2}, newest(func(i int) bool { return i%3 == 2 }, 2)},
		// a run's own id is not indexed (words.go) but finds the run; a record mentioning it is found by the index
		{"execution id", Query{Text: all[29], Limit: 100}, []string{all[30], all[29]}},
		{"execution id, filtered out", Query{Text: all[29], Flow: "a", Limit: 100}, []string{all[30]}},
		{"execution id, page of one", Query{Text: all[29], Limit: 1}, []string{all[30]}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.Executions(c.q)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), c.want) {
				t.Fatalf("got %v\nwant %v", ids(got), c.want)
			}
		})
	}
	u, err := s.HistoryUsage()
	if err != nil {
		t.Fatal(err)
	}
	if u.Executions != 60 || u.Bytes <= 0 || u.RetentionDays != DefaultHistoryDays || u.MaxBytes != DefaultHistoryMaxBytes || u.DiskBytes <= 0 {
		t.Fatalf("usage %+v", u)
	}
}

func TestHistoryRetention(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{Key: histKey, HistoryDays: 30, HistoryMaxBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-31 * 24 * time.Hour)
	var keep []string
	for i := 0; i < 20; i++ {
		s.Save(execution(idAt(old.Add(time.Duration(i)*time.Minute), i), "a", engine.StatusFailed, map[string]any{"o": "ancient"}))
	}
	s.Flush() // postings go per write batch: this one holds only old runs
	for i := 0; i < 20; i++ {
		id := idAt(time.Now().Add(-time.Duration(20-i)*time.Minute), 100+i)
		s.Save(execution(id, "a", engine.StatusSuccess, map[string]any{"o": "fresh"}))
		keep = append([]string{id}, keep...)
	}
	s.ApplyRetention()
	got, _ := s.Executions(Query{Limit: 100})
	if !slices.Equal(ids(got), keep) {
		t.Fatalf("after 30-day retention: %v\nwant %v", ids(got), keep)
	}
	if got, _ := s.Executions(Query{Text: "ancient"}); len(got) != 0 {
		t.Fatalf("search finds dropped executions: %v", ids(got))
	}
	if got, _ := s.Executions(Query{Status: engine.StatusFailed}); len(got) != 0 {
		t.Fatalf("status index keeps dropped executions: %v", ids(got))
	}
	if n := countKeys(t, s, "xw/ancient/"); n != 0 {
		t.Fatalf("%d postings of dropped executions left", n)
	}
	u, _ := s.HistoryUsage()
	if u.Executions != 20 {
		t.Fatalf("usage counts %d executions, want 20", u.Executions)
	}
	per := u.Bytes / 20
	s.Close()

	// the size bound: keeps the newest that fit in 90 % of it
	s, err = Open(dir, Options{Key: histKey, HistoryDays: -1, HistoryMaxBytes: per * 10})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.ApplyRetention()
	got, _ = s.Executions(Query{Limit: 100})
	if len(got) < 7 || len(got) > 10 || !slices.Equal(ids(got), keep[:len(got)]) {
		t.Fatalf("after the size bound: %d kept %v\nwant the newest of %v", len(got), ids(got), keep)
	}
	if u, _ := s.HistoryUsage(); u.Bytes > per*10 || u.Executions != int64(len(got)) {
		t.Fatalf("usage after the size bound: %+v", u)
	}
	// it is enforced as history grows, with no call
	for i := 0; i < 30; i++ {
		s.Save(execution(idAt(time.Now(), 500+i), "a", engine.StatusSuccess, map[string]any{"o": "more"}))
	}
	s.Flush()
	if u, _ := s.HistoryUsage(); u.Bytes > per*10 {
		t.Fatalf("history grew past its bound: %+v", u)
	}
}

// A run that never ended (the process died) is interrupted at the next
// open, listed with the cards it completed, and resumes after them.
func TestRecoverInterrupted(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{Key: histKey})
	if err != nil {
		t.Fatal(err)
	}
	f := &engine.Flow{Format: engine.FlowFormat, ID: "m", Name: "Manual", Settings: engine.Settings{History: true},
		Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
		Cards: []engine.Card{
			{ID: "a", Type: "flow.assign", Inputs: []engine.Field{{Key: "x", Type: engine.T("string"), Value: "one"}}},
			{ID: "b", Type: "flow.assign", Inputs: []engine.Field{{Key: "y", Type: engine.T("string"), From: &engine.Binding{Card: "a", Path: []string{"x"}}}}},
		}}
	if err := s.PutFlow(f); err != nil {
		t.Fatal(err)
	}
	id := engine.NewID()
	now := time.Now()
	ex := &engine.Execution{ID: id, Flow: "m", FlowName: "Manual", Status: engine.StatusRunning, Started: now, Trigger: "manual"}
	s.Begin(ex, nil)
	s.Step(ex, 0, []engine.CardRecord{
		{ID: "trigger", Type: "flow.manual", Status: engine.StatusSuccess, Started: now, Ended: now},
		{ID: "a", Type: "flow.assign", Status: engine.StatusSuccess, Outputs: map[string]any{"x": "recorded"}, Started: now, Ended: now}}, nil, true)
	s.Close() // a crash: no End

	s, err = Open(dir, Options{Key: histKey})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list, _ := s.Executions(Query{Status: engine.StatusInterrupted})
	if len(list) != 1 || list[0].ID != id || !list[0].Resumable {
		t.Fatalf("interrupted runs: %+v", list)
	}
	rec, err := s.Execution(id)
	if err != nil || rec.Status != engine.StatusInterrupted || len(rec.Cards) != 2 || rec.Error == nil {
		t.Fatalf("interrupted record: %+v %v", rec, err)
	}
	exec := engine.NewExecutor(s, s, s)
	g, _ := s.Flow(context.Background(), "m")
	done, err := exec.Run(context.Background(), g, nil, engine.RunOptions{ID: id, Resume: true})
	if err != nil || done.Status != engine.StatusSuccess || done.Resumed != 1 {
		t.Fatalf("resumed: %+v %v", done, err)
	}
	// card a was not run again: b got the recorded value
	for _, c := range done.Cards {
		if c.ID == "b" && c.Outputs["y"] != "recorded" {
			t.Fatalf("card b saw %v: card a ran again", c.Outputs)
		}
	}
	s.Flush()
	list, _ = s.Executions(Query{Limit: 10})
	if len(list) != 1 || list[0].Status != engine.StatusSuccess || list[0].Resumed != 1 || list[0].Resumable {
		t.Fatalf("after resume: %+v", list)
	}
	if l, _ := s.Executions(Query{Status: engine.StatusInterrupted}); len(l) != 0 {
		t.Fatalf("still listed as interrupted: %+v", l)
	}
	for _, p := range []string{"jr/", "jc/", "ji/"} {
		if n := countKeys(t, s, p); n != 0 {
			t.Fatalf("%d %s journal keys left", n, p)
		}
	}
	if u, _ := s.HistoryUsage(); u.Executions != 1 {
		t.Fatalf("usage counts %d executions", u.Executions)
	}
}

func TestWords(t *testing.T) {
	got := splitWords("Ada.Lovelace@Example.com said: HELLO, wörld! x 00u1ab-CD_9")
	want := []string{"00u1ab", "00u1ab-cd_9", "ada", "ada.lovelace@example.com", "cd", "com", "example", "hello", "lovelace", "said", "wörld"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	if q := queryTokens("  Ada.Lovelace@Example.com, hello "); !slices.Equal(q, []string{"ada.lovelace@example.com", "hello"}) {
		t.Fatalf("query words %v", q)
	}
}

// Create Row run again with the same idempotency key (a card repeated by a
// resume) returns the first row instead of adding another.
func TestCreateRowIdempotent(t *testing.T) {
	s, err := Open(t.TempDir(), Options{Key: histKey})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := s.CreateTable(ctx, engine.TableDef{ID: "t", Name: "T", Columns: []engine.Column{{Name: "k", Type: engine.T("string")}}}); err != nil {
		t.Fatal(err)
	}
	keyed := engine.WithIdempotencyKey(ctx, "exec1/card1")
	a, err := s.CreateRow(keyed, "t", map[string]any{"k": "x"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.CreateRow(keyed, "t", map[string]any{"k": "x"})
	if err != nil {
		t.Fatal(err)
	}
	if a[engine.ColRowID] != b[engine.ColRowID] {
		t.Fatalf("a repeat made a second row: %v, %v", a[engine.ColRowID], b[engine.ColRowID])
	}
	if _, err := s.CreateRow(engine.WithIdempotencyKey(ctx, "exec2/card1"), "t", map[string]any{"k": "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateRow(ctx, "t", map[string]any{"k": "x"}); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountRows(ctx, "t"); n != 3 {
		t.Fatalf("%d rows, want 3 (one per key, one without)", n)
	}
}

// An interrupted run lasted at least until the last card that started, or the
// last helper item that started (a For Each cut short has no card record yet;
// item runs' ids carry their start): a run killed during a slow card showed
// 0 ms, and the durability e2e showed "≥ 0 ms" for a run killed after 57 items.
func TestInterruptedRunDuration(t *testing.T) {
	cases := []struct {
		name string
		at   time.Duration // the last activity the journal holds, after the start
		step func(ex *engine.Execution, at time.Time) ([]engine.CardRecord, []engine.ItemRecord)
	}{
		{"a card cut short", 1500 * time.Millisecond, func(ex *engine.Execution, at time.Time) ([]engine.CardRecord, []engine.ItemRecord) {
			return []engine.CardRecord{
				{ID: "trigger", Type: "flow.manual", Status: engine.StatusSuccess, Started: ex.Started, Ended: ex.Started},
				{ID: "slow", Type: "http.request", Status: engine.StatusRunning, Started: at}}, nil
		}},
		{"a For Each cut short", 2500 * time.Millisecond, func(ex *engine.Execution, at time.Time) ([]engine.CardRecord, []engine.ItemRecord) {
			child := func(t time.Time) string { return fmt.Sprintf("%012x%020x", t.UnixMilli(), 1) }
			return nil, []engine.ItemRecord{
				{Parent: ex.ID, Card: "each", Index: 0, Child: child(ex.Started.Add(200 * time.Millisecond)), Status: engine.StatusSuccess},
				{Parent: ex.ID, Card: "each", Index: 1, Child: child(at), Status: engine.StatusRunning}}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := Open(dir, Options{Key: histKey})
			if err != nil {
				t.Fatal(err)
			}
			id := engine.NewID()
			started, _ := engine.IDTime(id)
			ex := &engine.Execution{ID: id, Flow: "m", FlowName: "Manual", Status: engine.StatusRunning, Started: started, Trigger: "manual"}
			s.Begin(ex, nil)
			cards, items := c.step(ex, started.Add(c.at))
			s.Step(ex, 0, cards, items, true)
			s.Close() // the journal a killed process leaves: no End

			s, err = Open(dir, Options{Key: histKey})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			rec, err := s.Execution(id)
			if err != nil || rec.Status != engine.StatusInterrupted {
				t.Fatalf("record %+v %v", rec, err)
			}
			if d := rec.Ended.Sub(rec.Started); d < c.at {
				t.Fatalf("interrupted run lasted %v, want at least %v", d, c.at)
			}
			list, _ := s.Executions(Query{Status: engine.StatusInterrupted})
			if len(list) != 1 || list[0].DurationMS < float64(c.at.Milliseconds()) {
				t.Fatalf("listed %+v, want a duration of at least %v", list, c.at)
			}
		})
	}
}
