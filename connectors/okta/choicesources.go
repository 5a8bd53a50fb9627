package okta

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// Choice sources of the Okta cards' dynamic dropdowns (engine.ChoiceSource,
// issue 10 point 8): Okta's "Application" option lists the org's active
// applications (getAllActiveApplications: label shown, id kept), and group
// pickers list the org's groups (name shown, id kept).

// ChoicesApps and ChoicesGroups are the sources' names (FieldSpec.ChoicesFrom).
const (
	ChoicesApps   = "okta.apps"
	ChoicesGroups = "okta.groups"
)

// appPicker is the Application option of the cards that take the app id in
// it (no separate ID input): the org's applications, or any id typed.
func appPicker() engine.FieldSpec {
	f := param("application", "Application", nil, nil)
	f.ChoicesFrom = ChoicesApps
	return f
}

// maxChoices bounds one dropdown (Okta's pickers show the first pages too).
const maxChoices = 1000

func init() {
	engine.RegisterChoiceSource(&engine.ChoiceSource{Name: ChoicesApps, Connection: Kind.ID, Noun: "application",
		List: func(ctx context.Context, conn *engine.Connection) ([]engine.Choice, error) {
			return listChoices(ctx, conn, "/api/v1/apps", url.Values{"filter": {`status eq "ACTIVE"`}, "limit": {"200"}},
				func(a any) (string, string) {
					label, _ := get(a, "label").(string)
					return label, fmt.Sprint(get(a, "id"))
				})
		}})
	engine.RegisterChoiceSource(&engine.ChoiceSource{Name: ChoicesGroups, Connection: Kind.ID, Noun: "group",
		List: func(ctx context.Context, conn *engine.Connection) ([]engine.Choice, error) {
			return listChoices(ctx, conn, "/api/v1/groups", url.Values{"limit": {"200"}},
				func(g any) (string, string) {
					name, _ := get(g, "profile", "name").(string)
					return name, fmt.Sprint(get(g, "id"))
				})
		}})
}

// listChoices pages through path and returns label → id choices sorted by label.
func listChoices(ctx context.Context, conn *engine.Connection, path string, q url.Values, pick func(any) (string, string)) ([]engine.Choice, error) {
	if conn == nil || conn.Kind != Kind.ID {
		return nil, fmt.Errorf("the choices come from an Okta connection")
	}
	c, err := clientFor(conn, nil, nil)
	if err != nil {
		return nil, err
	}
	out := []engine.Choice{}
	if _, err := c.List(ctx, path, q, maxChoices, nil, func(item any) error {
		label, id := pick(item)
		if id != "" && id != "<nil>" {
			if label == "" {
				label = id
			}
			out = append(out, engine.Choice{Value: id, Label: label})
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("listing %s of %s: %w", strings.TrimPrefix(path, "/api/v1/"), c.Base, err)
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Label) < strings.ToLower(out[j].Label) })
	// two with one label (two instances of an app) are told apart by id
	seen := map[string]int{}
	for _, ch := range out {
		seen[ch.Label]++
	}
	for i, ch := range out {
		if seen[ch.Label] > 1 {
			out[i].Label = ch.Label + " · " + fmt.Sprint(ch.Value)
		}
	}
	return out, nil
}
