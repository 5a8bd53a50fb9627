package store

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// Defaults that bound the store's memory and disk.
const (
	DefaultHistoryDays     = 30       // as Okta Workflows keeps execution history
	DefaultHistoryMaxBytes = 1 << 30  // history records beyond this go, oldest first
	histQueue              = 2048     // executions waiting for the writer (backpressure beyond)
	memTableSize           = 12 << 20 // Badger memtables, 2 in memory at most: 8 MB cost ~15% more CPU per run under sustained load (flushes, L0 compactions), 16 MB peaked over 200 MB RSS
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
	// compaction runs up to ~10 table builders at once, each with a buffer
	// of twice its table's size, and Badger pools them: tables of one size
	// at every level (instead of doubling per level) bound that to tens of MB
	bo.TableSizeMultiplier = 1
	return bo.WithMemTableSize(memTableSize).WithNumMemtables(2).
		WithNumLevelZeroTables(5).WithNumLevelZeroTablesStall(15).
		WithBlockCacheSize(4 << 20).WithIndexCacheSize(4 << 20).
		WithValueLogFileSize(16 << 20).WithBaseTableSize(2 << 20).
		WithNumCompactors(2).
		WithCompression(options.None). // records are s2-compressed already; block compression buffers cost memory and CPU
		// execution records and most summaries go to the value log, keeping the
		// LSM and its compactions small: with summaries in the LSM (1 KB) a
		// sustained load grew it ~4× faster, and its compactions' table builders
		// held 80+ MB of heap, so the GC ran 30-40× as often after a minute
		WithValueThreshold(256).
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
	if !s.opts.InMemory {
		go s.trimMappings(s.histDone)
	}
	return nil
}
