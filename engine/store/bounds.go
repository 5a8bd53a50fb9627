package store

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Defaults that bound the store's memory and disk.
const (
	DefaultHistoryDays     = 30      // as Okta Workflows keeps execution history
	DefaultHistoryMaxBytes = 1 << 30 // history records beyond this go, oldest first
	histQueue              = 2048    // executions waiting for the writer (backpressure beyond)
	memTableSize           = 8 << 20 // Badger memtables: 2 in memory at most
)

// historyDefaults fills retention options from the environment and defaults.
func historyDefaults(o *Options) {
	if o.HistoryDays == 0 {
		o.HistoryDays = envInt("FLOWBENCH_HISTORY_DAYS", DefaultHistoryDays)
	}
	if o.HistoryMaxBytes == 0 {
		o.HistoryMaxBytes = int64(envInt("FLOWBENCH_HISTORY_MB", DefaultHistoryMaxBytes>>20)) << 20
	}
	if o.HistoryDays < 0 {
		o.HistoryDays = 0
	}
	if o.HistoryMaxBytes < 0 {
		o.HistoryMaxBytes = 0
	}
	if o.RetentionEvery <= 0 {
		o.RetentionEvery = time.Minute
	}
}

func envInt(name string, def int) int {
	if v := os.Getenv(name); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
		fmt.Fprintf(os.Stderr, "flowbench: %s=%q is not a whole number; using %d\n", name, v, def)
	}
	return def
}

// bounded sizes Badger for a desktop app and a server under sustained load:
// Badger's defaults (64 MB memtables ×5, a 256 MB block cache, 1 GB value
// log files) let a busy `serve` grow past a gigabyte. Small memtables
// flushed early, small caches and value log files keep it near 100 MB.
func bounded(bo badger.Options) badger.Options {
	return bo.WithMemTableSize(memTableSize).WithNumMemtables(2).
		WithNumLevelZeroTables(2).WithNumLevelZeroTablesStall(10).
		WithBlockCacheSize(8 << 20).WithIndexCacheSize(8 << 20).
		WithValueLogFileSize(64 << 20).WithBaseTableSize(4 << 20).
		WithNumCompactors(2).
		WithValueThreshold(256). // execution records go to the value log, keeping the LSM (and its compactions) small
		WithNumVersionsToKeep(1)
}

// openHistory loads history counters (indexing an older history once),
// marks runs a previous process left unfinished as interrupted, and starts
// the writer.
func (s *Store) openHistory() error {
	if err := s.loadHistoryMeta(); err != nil {
		return err
	}
	if _, err := s.recoverRuns(); err != nil {
		return err
	}
	s.hist = make(chan *wop, histQueue)
	s.histDone = make(chan struct{})
	go s.historyWriter()
	return nil
}
