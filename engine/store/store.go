// Package store keeps flows, connections, execution history and tables in
// an encrypted Badger database.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
)

// Options tune the store.
type Options struct {
	// Key is the 32-byte encryption key; when nil it is read from the OS
	// keyring or the key file beside the data (created on first use).
	Key []byte
	// InMemory keeps everything in memory (benchmarks).
	InMemory bool
	// HistoryBatch and HistoryDelay bound the history writer's batches.
	HistoryBatch int
	HistoryDelay time.Duration
	// HistoryDays drops executions older than this (default 30, as Okta;
	// FLOWBENCH_HISTORY_DAYS; <0 keeps them until the size bound).
	HistoryDays int
	// HistoryMaxBytes bounds the history's size: the oldest executions go
	// first (default 1 GiB; FLOWBENCH_HISTORY_MB; <0 no bound).
	HistoryMaxBytes int64
	// RetentionEvery is how often retention runs besides on the size bound (1 min).
	RetentionEvery time.Duration
	// FlowVersions is how many saved versions of each flow are kept
	// (default 50; FLOWBENCH_FLOW_VERSIONS; <0 keeps every one).
	FlowVersions int
}

// Store is the Badger-backed store. It implements engine.FlowSource,
// engine.ConnectionSource and engine.HistorySink.
type Store struct {
	dir  string
	db   *badger.DB
	lock *os.File

	metaCache sync.Map // meta key → metaValue (GetMeta)

	mu    sync.RWMutex
	flows map[string]*engine.Flow
	conns map[string]*engine.Connection // decoded connections, read on every card call

	hist     chan *wop
	histDone chan struct{}
	hcount   int64 // history records, bytes (writer goroutine)
	hbytes   int64
	lastGC   time.Time
	closed   bool
	closeMu  sync.RWMutex // Save holds it shared across its send, so Close cannot close the queue under it
	opts     Options
}

// ErrInUse is returned when another process holds the data directory.
var ErrInUse = errors.New("data directory already in use")

// ErrNotFound is returned for a missing flow, connection or execution.
var ErrNotFound = errors.New("not found")

// DefaultDir is the user's config dir, e.g. ~/.config/flowbench, unless
// FLOWBENCH_DATA is set.
func DefaultDir() string {
	if d := os.Getenv("FLOWBENCH_DATA"); d != "" {
		return d
	}
	base, err := os.UserConfigDir()
	if err != nil {
		base = "."
	}
	return filepath.Join(base, "flowbench")
}

// Open opens (creating if needed) the store in dir.
func Open(dir string, opts Options) (*Store, error) {
	if opts.HistoryBatch <= 0 {
		opts.HistoryBatch = 512
	}
	if opts.HistoryDelay <= 0 {
		opts.HistoryDelay = 5 * time.Millisecond
	}
	historyDefaults(&opts)
	s := &Store{dir: dir, flows: map[string]*engine.Flow{}, conns: map[string]*engine.Connection{}, opts: opts}
	bo := badger.DefaultOptions("").WithInMemory(true)
	if !opts.InMemory {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		if err := tightenDir(dir); err != nil {
			return nil, err
		}
		lock, err := lockDir(dir)
		if err != nil {
			return nil, err
		}
		s.lock = lock
		key := opts.Key
		if key == nil {
			if key, err = loadKey(dir); err != nil {
				s.unlock()
				return nil, err
			}
		}
		bo = bounded(badger.DefaultOptions(filepath.Join(dir, "db")).WithEncryptionKey(key))
	}
	bo = bo.WithLogger(nil).WithCompactL0OnClose(true).WithDetectConflicts(false) // writes never race on a key
	db, err := badger.Open(bo)
	if err != nil {
		s.unlock()
		return nil, fmt.Errorf("open store in %s: %w", dir, err)
	}
	s.db = db
	if err := s.loadFlows(); err != nil {
		db.Close()
		s.unlock()
		return nil, err
	}
	if err := s.openHistory(); err != nil {
		db.Close()
		s.unlock()
		return nil, err
	}
	return s, nil
}

// Dir is the data directory.
func (s *Store) Dir() string { return s.dir }

// DB exposes the Badger handle to the store's own packages (tables).
func (s *Store) DB() *badger.DB { return s.db }

func lockDir(dir string) (*os.File, error) {
	p := filepath.Join(dir, "flowbench.lock")
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock data directory: %w", err)
	}
	if err := lockFile(f); err != nil {
		b, _ := os.ReadFile(p)
		f.Close()
		return nil, fmt.Errorf("%w: %s is held by %s; stop it first, or use --data DIR for another one", ErrInUse, dir, holderText(b))
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return f, nil
}

func (s *Store) unlock() {
	if s.lock != nil {
		_ = unlockFile(s.lock)
		_ = s.lock.Truncate(0)
		s.lock.Close()
		s.lock = nil
	}
}

// Close flushes history and closes the database.
func (s *Store) Close() error {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return nil
	}
	s.closed = true
	close(s.hist) // no Save is mid-send: they hold closeMu shared
	s.closeMu.Unlock()
	<-s.histDone
	err := s.db.Close()
	s.unlock()
	return err
}

// --- flows ---

func flowKey(id string) []byte { return []byte("flow/" + id) }

func (s *Store) loadFlows() error {
	return s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, Prefix: []byte("flow/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			err := it.Item().Value(func(v []byte) error {
				var f engine.Flow
				if err := json.Unmarshal(v, &f); err != nil {
					return fmt.Errorf("stored flow %s is corrupt: %w", it.Item().Key(), err)
				}
				s.flows[f.ID] = &f
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// Flow returns a stored flow. The pointer is shared and must not be
// modified: PutFlow a changed copy instead.
func (s *Store) Flow(_ context.Context, id string) (*engine.Flow, error) {
	s.mu.RLock()
	f, ok := s.flows[id]
	s.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("flow %q: %w", id, ErrNotFound)
	}
	return f, nil
}

// Flows lists stored flows sorted by folder and name.
func (s *Store) Flows() []*engine.Flow {
	s.mu.RLock()
	out := make([]*engine.Flow, 0, len(s.flows))
	for _, f := range s.flows {
		out = append(out, f)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Folder != out[j].Folder {
			return out[i].Folder < out[j].Folder
		}
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// PutFlow stores one flow.
func (s *Store) PutFlow(f *engine.Flow) error {
	return s.Import(&engine.Folder{Flows: []*engine.Flow{f}})
}

// Import stores flows and table definitions in one transaction (all or
// nothing), then the tables' rows, if the bundle carries any, through the
// table service's batched writes.
func (s *Store) Import(b *engine.Folder) error {
	revMu.Lock()
	defer revMu.Unlock()
	return s.importFlows(b, false)
}

// importFlows is Import under revMu; keep leaves the revisions as they are
// (switching a flow on or off is not an edit).
func (s *Store) importFlows(b *engine.Folder, keep bool) error {
	enc := make(map[string][]byte, len(b.Flows))
	for _, f := range b.Flows {
		if err := engine.CheckID("flow", f.ID); err != nil {
			return err
		}
		f.Revision = s.nextRevision(f.ID, keep)
		data, err := engine.MarshalFlowCompact(f) // stored compact, shown indented
		if err != nil {
			return fmt.Errorf("flow %s: %w", f.ID, err)
		}
		if len(data) > MaxFlowBytes {
			return fmt.Errorf("flow %q is %.1f MB stored; a flow can be at most %d MB (split it into helper flows)", f.ID, float64(len(data))/(1<<20), MaxFlowBytes>>20)
		}
		enc[f.ID] = data
	}
	err := s.db.Update(func(txn *badger.Txn) error {
		for id, data := range enc {
			if err := txn.Set(flowKey(id), data); err != nil {
				return err
			}
			if err := txn.Delete(tombKey(id)); err != nil {
				return err
			}
		}
		if !keep { // every save is a version (versions.go)
			for _, f := range b.Flows {
				if err := s.putVersion(txn, f, enc[f.ID], restoringRev); err != nil {
					return err
				}
			}
		}
		for _, t := range b.Tables {
			if err := s.importTableDef(txn, t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	s.mu.Lock()
	for _, f := range b.Flows {
		s.flows[f.ID] = f
	}
	s.mu.Unlock()
	for _, id := range slices.Sorted(maps.Keys(b.Rows)) {
		if err := s.putRows(context.Background(), id, b.Rows[id]); err != nil {
			return fmt.Errorf("rows of table %s: %w", id, err)
		}
	}
	return nil
}

// DeleteFlow removes a flow (its history stays until retention drops it).
func (s *Store) DeleteFlow(id string) error {
	revMu.Lock()
	defer revMu.Unlock()
	rev := s.nextRevision(id, true)
	if err := s.db.Update(func(txn *badger.Txn) error {
		// the tombstone keeps the revision: a save from a tab that still
		// shows the flow is a conflict, not a silent revival
		if err := txn.Set(tombKey(id), []byte(strconv.FormatInt(rev, 10))); err != nil {
			return err
		}
		if err := deleteVersions(txn, id); err != nil {
			return err
		}
		return txn.Delete(flowKey(id))
	}); err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.flows, id)
	s.mu.Unlock()
	return nil
}

// --- connections ---

func connKey(id string) []byte { return []byte("conn/" + id) }

// PutConnection stores a connection with its secrets (encrypted at rest).
func (s *Store) PutConnection(c *engine.Connection) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(connKey(c.ID), data) }); err != nil {
		return err
	}
	s.mu.Lock()
	s.conns[c.ID] = copyConnection(c)
	s.mu.Unlock()
	return nil
}

// Connection implements engine.ConnectionSource. Cards call it on every
// run, so decoded connections are kept in memory; callers get a copy.
func (s *Store) Connection(_ context.Context, id string) (*engine.Connection, error) {
	s.mu.RLock()
	c, ok := s.conns[id]
	s.mu.RUnlock()
	if ok {
		return copyConnection(c), nil
	}
	var dec engine.Connection
	err := s.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(connKey(id))
		if err != nil {
			return err
		}
		return it.Value(func(v []byte) error { return json.Unmarshal(v, &dec) })
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fmt.Errorf("connection %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.conns[id] = copyConnection(&dec)
	s.mu.Unlock()
	return &dec, nil
}

func copyConnection(c *engine.Connection) *engine.Connection {
	cp := *c
	cp.Config = make(map[string]any, len(c.Config))
	for k, v := range c.Config {
		cp.Config[k] = v
	}
	cp.Secrets = make(map[string]string, len(c.Secrets))
	for k, v := range c.Secrets {
		cp.Secrets[k] = v
	}
	return &cp
}

// Connections lists connections (with secrets: callers mask them).
func (s *Store) Connections() ([]*engine.Connection, error) {
	var out []*engine.Connection
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, Prefix: []byte("conn/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var c engine.Connection
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &c) }); err != nil {
				return err
			}
			out = append(out, &c)
		}
		return nil
	})
	return out, err
}

// DeleteConnection removes a connection.
func (s *Store) DeleteConnection(id string) error {
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Delete(connKey(id)) }); err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.conns, id) // after the write, so a concurrent load cannot re-cache the deleted row
	s.mu.Unlock()
	return nil
}

// --- meta ---

// GetMeta reads a small setting.
func (s *Store) GetMeta(key string) (string, bool) {
	// settings are read on hot paths (a run's environment on every
	// connection lookup): kept in memory once read; this process is the
	// store's only writer, and every write of a meta key goes through
	// SetMeta or forgetMeta
	if m, ok := s.metaCache.Load(key); ok {
		mv := m.(metaValue)
		return mv.v, mv.ok
	}
	var v string
	err := s.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get([]byte("meta/" + key))
		if err != nil {
			return err
		}
		b, err := it.ValueCopy(nil)
		v = string(b)
		return err
	})
	if err == nil || errors.Is(err, badger.ErrKeyNotFound) {
		s.metaCache.Store(key, metaValue{v, err == nil})
	}
	return v, err == nil
}

type metaValue struct {
	v  string
	ok bool
}

// SetMeta writes a small setting.
func (s *Store) SetMeta(key, value string) error {
	err := s.db.Update(func(txn *badger.Txn) error { return txn.Set([]byte("meta/"+key), []byte(value)) })
	s.metaCache.Delete(key) // read again from the store, whatever the write's outcome
	return err
}

// forgetMeta drops a meta key from the in-memory copy (its store key was
// deleted or written outside SetMeta).
func (s *Store) forgetMeta(key string) { s.metaCache.Delete(key) }

// --- encryption key ---

// loadKey is in keyring.go.
