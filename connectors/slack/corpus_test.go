package slack_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	_ "github.com/flowbench/flowbench/connectors/all"
	"github.com/flowbench/flowbench/connectors/slack"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/flopack"
)

func isSlack(kind string) bool {
	ns, _, _ := strings.Cut(kind, ":")
	return ns == slack.NS || ns == slack.NSPublic
}

// TestCorpusSlackCards imports every corpus template that uses Slack cards:
// none of its Slack cards is unsupported, each imported Slack card's inputs
// and outputs are the card's declared fields (Okta's export keys, no
// renaming), and the flows validate without problems on those cards.
func TestCorpusSlackCards(t *testing.T) {
	corpus := filepath.Join("..", "..", "..", "shared", "corpus", "okta-workflows-templates")
	files, _ := filepath.Glob(filepath.Join(corpus, "*", "workflow.flopack"))
	if len(files) == 0 {
		t.Fatalf("template corpus not found at %s", corpus)
	}
	reg := engine.Default()
	kinds := map[string]int{}
	templates := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), ":slack") {
			continue
		}
		name := filepath.Base(filepath.Dir(p))
		res, err := flopack.Import(name, data, reg, flopack.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for k := range res.Report.UnsupportedKinds {
			if isSlack(k) {
				t.Errorf("%s: Slack card %s unsupported", name, k)
			}
		}
		used := false
		flows := map[string]*engine.Flow{}
		for _, f := range res.Flows {
			flows[f.ID] = f
		}
		for _, f := range res.Flows {
			f.Walk(func(c *engine.Card, _ *engine.Card) bool {
				spec, ok := reg.Card(c.Type)
				if !ok || spec.App != "slack" && spec.App != slack.NSAdmin {
					return true
				}
				used = true
				kinds[spec.Okta[0]]++
				for _, in := range c.Inputs {
					if spec.InputSpec(in.Key) == nil {
						t.Errorf("%s / %s: %s has input %q that the card does not declare", name, f.Name, spec.Okta[0], in.Key)
					}
				}
				for _, o := range c.Outputs {
					if spec.OutputSpec(o.Key) == nil {
						t.Errorf("%s / %s: %s has output %q that the card does not declare", name, f.Name, spec.Okta[0], o.Key)
					}
				}
				return true
			})
			for _, pr := range engine.Validate(f, &engine.ValidateEnv{Registry: reg, Flows: flows}) {
				if spec, ok := reg.Card(cardType(f, pr.Card)); ok && spec.App == "slack" && pr.Severity == "error" && pr.Kind != "missing-connection" {
					// (a template may leave the connection for the person to choose)
					t.Errorf("%s / %s: %s", name, f.Name, pr)
				}
			}
		}
		if used {
			templates++
		}
	}
	var list []string
	for k, n := range kinds {
		list = append(list, k+"×"+itoa(n))
	}
	sort.Strings(list)
	t.Logf("%d templates use Slack cards: %s", templates, strings.Join(list, ", "))
	if templates < 10 || len(kinds) < 6 {
		t.Errorf("expected the 12 corpus templates and 6 Slack card kinds, got %d and %v", templates, list)
	}
}

func cardType(f *engine.Flow, id string) string {
	t := ""
	f.Walk(func(c *engine.Card, _ *engine.Card) bool {
		if c.ID == id {
			t = c.Type
		}
		return t == ""
	})
	return t
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
