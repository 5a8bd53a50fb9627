package flopack

import (
	"bytes"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// Every flow imported from the corpus exports as a native file that passes
// the format schema and round-trips byte for byte (export → import → export).
func TestCorpusExportsRoundTrip(t *testing.T) {
	n := 0
	for _, tp := range templates(t) {
		res, err := Import(tp.name+".flopack", tp.data, registry(), Options{})
		if err != nil {
			t.Fatalf("%s: %v", tp.name, err)
		}
		for _, f := range res.Flows {
			first, err := engine.MarshalFlow(f)
			if err != nil {
				t.Fatalf("%s / %s: %v", tp.name, f.Name, err)
			}
			g, err := engine.ParseFlow(f.Name, first)
			if err != nil {
				t.Errorf("%s / %s: the export does not import: %v", tp.name, f.Name, err)
				continue
			}
			second, _ := engine.MarshalFlow(g)
			if !bytes.Equal(first, second) {
				t.Errorf("%s / %s: export → import → export differs", tp.name, f.Name)
			}
			n++
		}
	}
	t.Logf("%d flows round-tripped", n)
}
