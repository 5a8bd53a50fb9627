package flopack

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzImport feeds arbitrary bytes (seeded with small templates and
// envelope shapes) to Import: it must never panic, and a successful import
// must account for every card and wire and serialise to JSON. The seeds are
// in testdata/seeds (copies of three official templates), so the target
// runs wherever the repository is, never skipping for a missing corpus.
func FuzzImport(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "seeds", "*.flopack"))
	if len(seeds) == 0 {
		f.Fatal("no seeds in testdata/seeds")
	}
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"type":"flow","data":{"uuid":"f","methods":[{"uuid":"a","address":"root:kernel:control:0.0.1:noop"}],"orderings":{}}}`))
	f.Add([]byte(`{"data":{"flos":{"x":{"name":"n","data":{"methods":[{"uuid":"a","address":"root:kernel:control:0.0.1:if","branches":{"h":true}},{"uuid":"h","address":"root:kernel:control:0.0.1:noop"}],"orderings":{"1":["a","h"],"2":["h","a"]}}}}}}`))
	reg := registry()
	catchPanics = false
	f.Cleanup(func() { catchPanics = true })
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Import("fuzz.flopack", data, reg, Options{})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		r := res.Report
		if !r.Accounted() {
			t.Fatalf("cards not accounted: %+v", r.Counts)
		}
		if r.PinsResolved+r.PinsUnresolved != r.Pins {
			t.Fatalf("wires not accounted: %+v", r.Counts)
		}
		if _, err := json.Marshal(res); err != nil {
			t.Fatalf("result does not serialise: %v", err)
		}
	})
}
