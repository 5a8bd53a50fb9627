//go:build linux

package store

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// Trimming the mapped data files keeps every record readable.
func TestTrimMappingsKeepsData(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{Key: histKey})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var all []string
	for i := 0; i < 3000; i++ {
		id := idAt(time.Now().Add(-time.Hour+time.Duration(i)*time.Millisecond), i)
		s.Save(execution(id, "a", engine.StatusSuccess, map[string]any{"o": fmt.Sprintf("value %d %0500d", i, i)}))
		all = append(all, id)
	}
	s.Flush()
	abs, _ := filepath.Abs(filepath.Join(dir, "db"))
	trimOnce(abs + "/")
	for i, id := range all {
		e, err := s.Execution(id)
		if err != nil || e.Cards[0].Outputs["o"] != fmt.Sprintf("value %d %0500d", i, i) {
			t.Fatalf("record %d after trim: %v %v", i, err, e)
		}
	}
}
