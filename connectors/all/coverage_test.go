package all

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// unsupported lists card kinds of the template corpus that Flowbench does
// not register as cards, on purpose, with the reason.
var unsupported = map[string]string{
	"control:join": "structural: the bottom half of If/Else; the importer folds it into the If/Else card's outputs (Field.Any bindings), so it never runs as a card",
}

// pending lists kinds that another package is expected to register and has
// not yet; they are logged, not failed. A pending kind that is registered
// fails the test so the list is kept short.
var pending = map[string]string{}

// repoRoot walks up from the working directory to go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// oktaProduct is true for the kinds of Okta's own connectors (Okta, Okta
// Devices, Okta Realms, Okta Privileged Access), which Flowbench implements
// in full (issue 10 point 8).
func oktaProduct(kind string) bool {
	ns, _, _ := strings.Cut(kind, ":")
	switch ns {
	case "okta", "oktadevices", "oktarealms", "oktaprivilegedaccess":
		return true
	}
	return false
}

// corpusKinds reads the card kinds of ../shared/docs/flopack-card-kinds.tsv
// (namespace kernel, the stash connector and Okta's own connectors).
func corpusKinds(t *testing.T) []string {
	t.Helper()
	p := filepath.Join(repoRoot(t), "..", "shared", "docs", "flopack-card-kinds.tsv")
	f, err := os.Open(p)
	if os.IsNotExist(err) {
		t.Fatalf("%s not found (shared/ is not beside the repository)", p)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var kinds []string
	sc := bufio.NewScanner(f)
	col := map[string]int{}
	for line := 0; sc.Scan(); line++ {
		cells := strings.Split(sc.Text(), "\t")
		if line == 0 {
			for i, c := range cells {
				col[c] = i
			}
			if _, ok := col["kind"]; !ok {
				t.Fatalf("%s: no kind column in header %q", p, sc.Text())
			}
			continue
		}
		ns, kind := cells[col["namespace"]], cells[col["kind"]]
		if ns == "kernel" || strings.HasPrefix(kind, "stash:") || oktaProduct(kind) {
			kinds = append(kinds, kind)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(kinds) < 50 {
		t.Fatalf("only %d kernel kinds read from %s", len(kinds), p)
	}
	return kinds
}

func TestKernelCardCoverage(t *testing.T) {
	reg := engine.Default()
	missing := 0
	for _, kind := range corpusKinds(t) {
		spec, ok := reg.ByOkta(kind)
		reason, isUnsupported := unsupported[kind]
		_, isPending := pending[kind]
		switch {
		case ok && isUnsupported:
			t.Errorf("%s is registered (%s) but listed as unsupported (%s): drop it from the list", kind, spec.ID, reason)
		case ok && isPending:
			t.Errorf("%s is registered (%s): drop it from the pending list", kind, spec.ID)
		case ok:
			if spec.Description == "" {
				t.Errorf("%s (%s) has no description", kind, spec.ID)
			}
		case isUnsupported:
		case isPending:
			t.Logf("pending: %s (%s)", kind, pending[kind])
		default:
			missing++
			t.Errorf("kind %s is neither registered nor listed as unsupported", kind)
		}
	}
	if missing > 0 {
		t.Logf("%d kinds missing", missing)
	}
}
