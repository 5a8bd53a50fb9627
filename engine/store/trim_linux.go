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

// trimMappings keeps Badger's memory-mapped files out of the resident set.
// Badger maps every value log and table file and touches each page it
// writes, so a busy server's RSS grew with the data written (hundreds of MB
// of clean file pages the kernel only drops under pressure). Every few
// seconds the mappings of the data directory's files, except the value
// log being written and the memtables, are advised MADV_DONTNEED: for
// shared file mappings that only unmaps the pages (the page cache and the
// file keep the data; a later read maps them again).
func (s *Store) trimMappings(stop <-chan struct{}) {
	dir, err := filepath.Abs(filepath.Join(s.dir, "db"))
	if err != nil {
		return
	}
	t := time.NewTicker(3 * time.Second)
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
	newestVlog, newestStart := "", uintptr(0)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// start-end perms offset dev inode path
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || !strings.HasPrefix(fields[5], dir) || !strings.HasSuffix(fields[1], "s") {
			continue // only shared mappings of the data files (private pages would be lost)
		}
		path := fields[5]
		if !strings.HasSuffix(path, ".vlog") && !strings.HasSuffix(path, ".sst") {
			continue // memtables (.mem) are being written
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
		if strings.HasSuffix(path, ".vlog") && path > newestVlog {
			newestVlog, newestStart = path, uintptr(a)
		}
		regions = append(regions, region{uintptr(a), uintptr(b)})
	}
	for _, r := range regions {
		if r.start == newestStart {
			continue // the value log being appended
		}
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, r.start, r.end-r.start, syscall.MADV_DONTNEED)
	}
}
