package flopack

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// registry is the registry with every card. It is engine.Default(): the
// control cards live there, and every connector registers into it from
// init (see registry_test.go for the connectors/all import).
func registry() *engine.Registry { return engine.Default() }

// corpusDir finds ../shared/corpus/okta-workflows-templates beside the
// repository root (the folder holding go.mod), wherever the repo is cloned.
func corpusDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
	for _, c := range []string{filepath.Join(dir, "shared"), filepath.Join(dir, "..", "shared")} {
		p := filepath.Join(c, "corpus", "okta-workflows-templates")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
	}
	t.Fatal("shared/corpus/okta-workflows-templates not found beside the repository: the corpus tests need it")
	return ""
}

type template struct {
	name string
	path string
	data []byte
}

var (
	corpusOnce sync.Once
	corpus     []template
	corpusErr  error
)

// templates loads every template export (<name>/workflow.flopack or <name>.flopack).
func templates(t testing.TB) []template {
	t.Helper()
	dir := corpusDir(t)
	corpusOnce.Do(func() {
		var files []string
		a, _ := filepath.Glob(filepath.Join(dir, "*", "*.flopack"))
		b, _ := filepath.Glob(filepath.Join(dir, "*.flopack"))
		files = append(a, b...)
		sort.Strings(files)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				corpusErr = err
				return
			}
			name := filepath.Base(filepath.Dir(f))
			if filepath.Base(f) != "workflow.flopack" {
				name = strings.TrimSuffix(filepath.Base(f), ".flopack")
			}
			corpus = append(corpus, template{name: name, path: f, data: data})
		}
	})
	if corpusErr != nil {
		t.Fatal(corpusErr)
	}
	if len(corpus) == 0 {
		t.Fatal("no templates in " + dir)
	}
	return corpus
}

func template1(t testing.TB, name string) template {
	for _, tp := range templates(t) {
		if tp.name == name {
			return tp
		}
	}
	t.Fatalf("template %s not in the corpus", name)
	return template{}
}

// TestCorpus imports every template: no error, every card accounted for,
// every wire resolved. Run with -v for the corpus totals.
func TestCorpus(t *testing.T) {
	reg := registry()
	var reports []*Report
	for _, tp := range templates(t) {
		res, err := Import(tp.name, tp.data, reg, Options{})
		if err != nil {
			t.Errorf("%s: %v", tp.name, err)
			continue
		}
		r := res.Report
		reports = append(reports, r)
		if !r.Accounted() {
			t.Errorf("%s: cards %d != mapped %d + unsupported %d + folded %d + structural %d", tp.name,
				r.Cards, r.Mapped, r.Unsupported, r.Folded, r.Structural)
		}
		if r.PinsResolved != r.Pins || r.PinsUnresolved != 0 {
			t.Errorf("%s: %d of %d wires resolved", tp.name, r.PinsResolved, r.Pins)
		}
		for _, w := range r.Warnings {
			if strings.Contains(w.Message, "not resolved") || strings.Contains(w.Message, "internal") ||
				strings.Contains(w.Message, "not placed") || strings.Contains(w.Message, "unknown ") ||
				strings.Contains(w.Message, "twice") || strings.Contains(w.Message, "successors") ||
				strings.Contains(w.Message, "not connected") || strings.Contains(w.Message, "kept as a card") {
				t.Errorf("%s", w)
			}
		}
		checkFlows(t, tp.name, res)
	}
	s := Summarize(reports...)
	t.Logf("corpus totals:\n%s", s)
	if s.Templates != len(templates(t)) {
		t.Errorf("imported %d of %d templates", s.Templates, len(templates(t)))
	}
}

// checkFlows checks structural invariants of the native result.
func checkFlows(t *testing.T, name string, res *Result) {
	t.Helper()
	for _, f := range res.Flows {
		ids := map[string]bool{}
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			if ids[c.ID] {
				t.Errorf("%s: flow %s: duplicate card id %s", name, f.Name, c.ID)
			}
			ids[c.ID] = true
			if c.Type == "" {
				t.Errorf("%s: flow %s: card %s has no type", name, f.Name, c.ID)
			}
			if c.Type == "object.expand" || (c.Origin != nil && strings.HasSuffix(c.Origin.Address, ":expand")) {
				t.Errorf("%s: flow %s: hidden expand card %s left", name, f.Name, c.ID)
			}
			return true
		})
		// every binding names a card of the flow (or the trigger alias)
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			check := func(where string, b *engine.Binding) {
				if b.Card != engine.TriggerID && !ids[b.Card] {
					t.Errorf("%s: flow %s: card %s %s binds to unknown card %s", name, f.Name, c.ID, where, b.Card)
				}
				if len(b.Path) == 0 {
					t.Errorf("%s: flow %s: card %s %s has an empty binding path", name, f.Name, c.ID, where)
				}
			}
			fields := func(fs []engine.Field) {
				for i := range fs {
					if fs[i].From != nil {
						check(fs[i].Key, fs[i].From)
					}
					for j := range fs[i].Any {
						check(fs[i].Key, &fs[i].Any[j])
					}
				}
			}
			fields(c.Inputs)
			fields(c.Outputs)
			for _, br := range c.Branches {
				fields(br.Inputs)
			}
			return true
		})
	}
}

// BenchmarkCorpus imports the whole template corpus once per iteration.
func BenchmarkCorpus(b *testing.B) {
	tps := templates(b)
	reg := registry()
	var n int64
	for _, tp := range tps {
		n += int64(len(tp.data))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, tp := range tps {
			if _, err := Import(tp.name, tp.data, reg, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
