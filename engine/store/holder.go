package store

import (
	"os"
	"strconv"
	"strings"
)

// NoteHolder records in the data directory's lock file what holds it
// ("flowbench serve at http://127.0.0.1:8080/", "the Flowbench window"), so
// that a second process refused the directory can tell the user which one
// to stop or use, not only a PID. Never a secret: the lock file is readable
// by the user's other processes.
func (s *Store) NoteHolder(what string) {
	if s == nil || s.lock == nil {
		return
	}
	what = strings.Join(strings.Fields(what), " ") // one line
	_ = s.lock.Truncate(0)
	_, _ = s.lock.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"+what+"\n"), 0)
}

// holderText reads a lock file's PID and holder note for the in-use error.
func holderText(b []byte) string {
	lines := strings.SplitN(strings.TrimSpace(string(b)), "\n", 3)
	pid := strings.TrimSpace(lines[0])
	if pid == "" {
		pid = "unknown"
	}
	what := "another Flowbench"
	if len(lines) > 1 && strings.TrimSpace(lines[1]) != "" {
		what = strings.TrimSpace(lines[1])
	}
	return what + " (PID " + pid + ")"
}
