//go:build linux

package store

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// trimEvery: compactions and value-log GC read whole files through their
// mappings, ~100 MB in a second under sustained load (file-backed RSS peaks
// of 87-126 MB with a 1 s period, RSS over 200 MB): a quarter second keeps a
// peak to what is read in that time.
const trimEvery = 250 * time.Millisecond

// trimMappings keeps Badger's memory-mapped files out of the resident set.
// Badger maps every value log and table file and touches each page it
// writes, so a busy server's RSS grew with the data written (hundreds of MB
// of clean file pages the kernel only drops under pressure). Every
// trimEvery the shared mappings of the data directory's files (value logs,
// tables, memtable logs) are advised MADV_DONTNEED: for shared file mappings that
// only unmaps the pages (the page cache and the file keep the data, also of
// pages being written, which are dirty in the page cache, not in the
// mapping; a later read or write maps them again). The value log being
// appended and the memtable logs are trimmed too: they are append-only, so
// only their last page is touched again, and at full load they and the
// tables compaction writes held 30-60 MB between trims (RSS peaks over 200
// MB with a 3 s period that left them out).
func (s *Store) trimMappings(stop <-chan struct{}) {
	dir, err := filepath.Abs(filepath.Join(s.dir, "db"))
	if err != nil {
		return
	}
	t := time.NewTicker(trimEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			trimOnce(dir + "/")
		}
	}
}

func trimOnce(dir string) {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return
	}
	defer f.Close()
	type region struct{ start, end uintptr }
	var regions []region
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// start-end perms offset dev inode path
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || !strings.HasPrefix(fields[5], dir) || !strings.HasSuffix(fields[1], "s") {
			continue // only shared mappings of the data files (private pages would be lost)
		}
		path := fields[5]
		if !strings.HasSuffix(path, ".vlog") && !strings.HasSuffix(path, ".sst") && !strings.HasSuffix(path, ".mem") {
			continue
		}
		lo, hi, ok := strings.Cut(fields[0], "-")
		if !ok {
			continue
		}
		a, err1 := strconv.ParseUint(lo, 16, 64)
		b, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		regions = append(regions, region{uintptr(a), uintptr(b)})
	}
	for _, r := range regions {
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, r.start, r.end-r.start, syscall.MADV_DONTNEED)
	}
}
