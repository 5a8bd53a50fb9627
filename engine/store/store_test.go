package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flowbench/flowbench/engine"
)

func testFlow(id string) *engine.Flow {
	return &engine.Flow{Format: engine.FlowFormat, ID: id, Name: "Flow " + id, Folder: "Tests",
		Settings: engine.Settings{History: true},
		Trigger:  engine.Card{ID: "trigger", Type: "flow.manual", Outputs: []engine.Field{{Key: "n", Type: engine.T("number")}}},
		Cards: []engine.Card{{ID: "as", Type: "flow.assign", Inputs: []engine.Field{{Key: "n", From: &engine.Binding{Card: "trigger", Path: []string{"n"}}}}},
			{ID: "ret", Type: "flow.return", Inputs: []engine.Field{{Key: "n", From: &engine.Binding{Card: "as", Path: []string{"n"}}}}}}}
}

func open(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReopenKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	f := testFlow("f1")
	if err := s.PutFlow(f); err != nil {
		t.Fatal(err)
	}
	conn := &engine.Connection{ID: "okta1", Name: "Okta", Kind: "okta", Config: map[string]any{"domain": "example.okta.com"}, Secrets: map[string]string{"apiToken": "tok"}}
	if err := s.PutConnection(conn); err != nil {
		t.Fatal(err)
	}
	e := engine.NewExecutor(s, s, s)
	ex, err := e.Run(context.Background(), f, map[string]any{"n": 3.0}, engine.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = open(t, dir)
	defer s.Close()
	g, err := s.Flow(context.Background(), "f1")
	if err != nil || g.Name != "Flow f1" || len(g.Cards) != 2 {
		t.Fatalf("flow after reopen: %+v %v", g, err)
	}
	c, err := s.Connection(context.Background(), "okta1")
	if err != nil || c.Secrets["apiToken"] != "tok" {
		t.Fatalf("connection after reopen: %+v %v", c, err)
	}
	got, err := s.Execution(ex.ID)
	if err != nil || got.Status != engine.StatusSuccess || got.Outputs["n"] != 3.0 || len(got.Cards) != 3 {
		t.Fatalf("execution after reopen: %+v %v", got, err)
	}
	if _, err := s.Flow(context.Background(), "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing flow err %v", err)
	}
}

func TestRetentionOnWrite(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	f := testFlow("keep3")
	f.Settings.KeepLast = 3
	other := testFlow("other")
	for _, fl := range []*engine.Flow{f, other} {
		if err := s.PutFlow(fl); err != nil {
			t.Fatal(err)
		}
	}
	e := engine.NewExecutor(s, s, s)
	var ids []string
	for i := 0; i < 10; i++ {
		ex, _ := e.Run(context.Background(), f, map[string]any{"n": float64(i)}, engine.RunOptions{})
		ids = append(ids, ex.ID)
		e.Run(context.Background(), other, map[string]any{"n": float64(i)}, engine.RunOptions{})
		s.Flush() // each write enforces retention
	}
	rows, err := s.Executions(Query{Flow: "keep3"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].ID != ids[9] || rows[2].ID != ids[7] {
		t.Fatalf("kept %d rows: %+v", len(rows), rows)
	}
	if _, err := s.Execution(ids[0]); !errors.Is(err, ErrNotFound) {
		t.Fatalf("old execution still readable: %v", err)
	}
	if rows, _ := s.Executions(Query{Flow: "other"}); len(rows) != 10 {
		t.Fatalf("other flow lost history: %d", len(rows))
	}

	// age-based retention
	old := testFlow("aged")
	old.Settings.KeepDays = 1
	_ = s.PutFlow(old)
	then := time.Now().Add(-72 * time.Hour)
	// execution ids carry their start time (engine.NewID); this one started three days ago
	stale := &engine.Execution{ID: fmt.Sprintf("%012x0000%s", then.UnixMilli(), engine.NewID()[16:]), Flow: "aged", Status: engine.StatusSuccess, Started: then, Ended: then}
	if got, ok := engine.IDTime(stale.ID); !ok || got.UnixMilli() != then.UnixMilli() {
		t.Fatalf("IDTime(%s) = %v", stale.ID, got)
	}
	s.Save(stale)
	s.Flush()
	e.Run(context.Background(), old, map[string]any{"n": 1.0}, engine.RunOptions{})
	s.Flush()
	if rows, _ := s.Executions(Query{Flow: "aged"}); len(rows) != 1 || rows[0].ID == stale.ID {
		t.Fatalf("age retention: %+v", rows)
	}
}

func TestHistoryQueries(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	f := testFlow("q")
	_ = s.PutFlow(f)
	bad := testFlow("bad")
	bad.Cards = []engine.Card{{ID: "oops", Type: "flow.returnError", Title: "Oops", Inputs: []engine.Field{{Key: "message", Value: "needle in card"}}}}
	_ = s.PutFlow(bad)
	e := engine.NewExecutor(s, s, s)
	e.Run(context.Background(), f, map[string]any{"n": 1.0}, engine.RunOptions{})
	failed, _ := e.Run(context.Background(), bad, nil, engine.RunOptions{})
	s.Flush()
	rows, _ := s.Executions(Query{Status: engine.StatusFailed})
	if len(rows) != 1 || rows[0].ID != failed.ID || rows[0].FailedCard != "oops" {
		t.Fatalf("status filter: %+v", rows)
	}
	rows, _ = s.Executions(Query{Text: "NEEDLE"})
	if len(rows) != 1 || rows[0].ID != failed.ID {
		t.Fatalf("text filter: %+v", rows)
	}
	got, _ := s.Execution(failed.ID)
	if got.FailedCard() == nil || got.FailedCard().ID != "oops" {
		t.Fatalf("failed card not marked in stored record")
	}
}

func TestSecretsNotPlainOnDisk(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	secret := "SSWS-secret-" + engine.NewID()
	if err := s.PutConnection(&engine.Connection{ID: "c", Name: "C", Kind: "okta", Secrets: map[string]string{"apiToken": secret}}); err != nil {
		t.Fatal(err)
	}
	// make sure it reaches disk: close flushes memtables
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	found := ""
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		if bytes.Contains(b, []byte(secret)) {
			found = p
		}
		return nil
	})
	if found != "" {
		t.Fatalf("secret found in plain bytes in %s", found)
	}
	st, err := os.Stat(filepath.Join(dir, "key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	// and the data is still readable with the key
	s = open(t, dir)
	defer s.Close()
	if c, err := s.Connection(context.Background(), "c"); err != nil || c.Secrets["apiToken"] != secret {
		t.Fatalf("reopen: %v", err)
	}
}

func TestLockedByAnotherProcess(t *testing.T) {
	dir := t.TempDir()
	if os.Getenv("FLOWBENCH_LOCK_CHILD") != "" {
		s, err := Open(os.Getenv("FLOWBENCH_LOCK_CHILD"), Options{})
		if err != nil {
			fmt.Println("ERR", err)
			os.Exit(3)
		}
		fmt.Println("LOCKED")
		time.Sleep(5 * time.Second)
		s.Close()
		os.Exit(0)
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestLockedByAnotherProcess$")
	cmd.Env = append(os.Environ(), "FLOWBENCH_LOCK_CHILD="+dir)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	buf := make([]byte, 64)
	n, _ := out.Read(buf)
	if !strings.Contains(string(buf[:n]), "LOCKED") {
		t.Fatalf("child did not lock: %q", buf[:n])
	}
	_, err := Open(dir, Options{})
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), fmt.Sprintf("PID %d", cmd.Process.Pid)) {
		t.Fatalf("second open: %v (child pid %d)", err, cmd.Process.Pid)
	}
}

func TestImportIsAtomic(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	good := testFlow("good")
	bad := testFlow("")
	if err := s.Import(&engine.Folder{Flows: []*engine.Flow{good, bad}}); err == nil {
		t.Fatal("import with a bad flow succeeded")
	}
	if _, err := s.Flow(context.Background(), "good"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("half-written import: %v", err)
	}
}

func BenchmarkHistoryWrite(b *testing.B) {
	s, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	f := testFlow("bench")
	_ = s.PutFlow(f)
	e := engine.NewExecutor(s, s, s)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.Run(context.Background(), f, map[string]any{"n": float64(i)}, engine.RunOptions{})
	}
	s.Flush()
}

// Runs still finishing while the app shuts down must not crash the store.
func TestSaveDuringCloseAndFlushAfterClose(t *testing.T) {
	for round := 0; round < 20; round++ {
		s, err := Open(t.TempDir(), Options{HistoryBatch: 4})
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		for g := 0; g < 8; g++ {
			go func() {
				defer func() { done <- struct{}{} }()
				for i := 0; i < 50; i++ {
					s.Save(&engine.Execution{ID: engine.NewID(), Flow: "f", Status: engine.StatusSuccess})
				}
			}()
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		for g := 0; g < 8; g++ {
			<-done
		}
		flushed := make(chan struct{})
		go func() { s.Flush(); close(flushed) }()
		select {
		case <-flushed:
		case <-time.After(2 * time.Second):
			t.Fatal("Flush after Close hangs")
		}
	}
}

func TestImportWritesTableRows(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	def := engine.TableDef{ID: "t1", Name: "Domains", Columns: []engine.Column{{Name: "Domain", Type: engine.T("string")}, {Name: "Lite", Type: engine.T("boolean")}}}
	err := s.Import(&engine.Folder{Flows: []*engine.Flow{testFlow("f")}, Tables: []engine.TableDef{def},
		Rows: map[string][]engine.Row{"t1": {{"Domain": "example.com", "Lite": true}, {"Domain": "corp.com", "Lite": false}}}})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.SearchRows(context.Background(), "t1", nil, engine.SearchOptions{})
	if err != nil || len(rows) != 2 || rows[0]["Domain"] != "example.com" {
		t.Fatalf("rows %+v %v", rows, err)
	}
}
