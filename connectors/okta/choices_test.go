package okta

import (
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// Result Set values of every Okta connector version seen in the templates
// are choices ("All Matching Records", connector 1.0.297) and run; a value
// outside a card's choices is a problem on the card at design time.
func TestResultSetChoicesOfEveryConnectorVersion(t *testing.T) {
	flow := func(value string) *engine.Flow {
		return &engine.Flow{Format: engine.FlowFormat, ID: "f", Name: "F", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"},
			Cards: []engine.Card{{ID: "c", Type: "okta.listUsersWithFilter", Connection: "okta",
				Inputs: []engine.Field{{Key: "resultSet", Value: value}, {Key: "status", Value: "ACTIVE"}}}}}
	}
	for _, c := range []struct {
		value string
		bad   bool
	}{{AllMatch, false}, {First200, false}, {"All Records Ever", true}} {
		var choice []engine.Problem
		for _, p := range engine.Validate(flow(c.value), &engine.ValidateEnv{Registry: engine.Default()}) {
			if p.Kind == "bad-choice" {
				choice = append(choice, p)
			}
		}
		if c.bad != (len(choice) == 1) || c.bad && !strings.Contains(choice[0].Message, "All Records Ever") {
			t.Errorf("%q: problems %v", c.value, choice)
		}
	}
	tn := startTenant(t, sandbox.Config{}, true)
	for _, typ := range []string{"okta.listUsersWithFilter", "okta.listUsersWithSearch"} {
		out := mustCard(t, tn, typ, map[string]any{"resultSet": AllMatch, "status": "ACTIVE"})
		if l, _ := out["Users"].([]any); len(l) < 2 {
			t.Errorf("%s All Matching Records: %v", typ, asJSON(out))
		}
	}
	g := mustCard(t, tn, "okta.searchGroups", map[string]any{"resultSet": AllMatch, "Query": ""})
	if l, _ := g["Groups"].([]any); len(l) < 2 {
		t.Errorf("Search Groups All Matching Records: %v", asJSON(g))
	}
}
