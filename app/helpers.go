package app

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// HelperFlow describes a flow for the designer's helper-flow picker and for
// cards that name the flow they call: its inputs (the Helper Flow trigger's
// declared outputs, which a caller maps) and the keys its Return cards hand
// back (a Call Flow card's outputs).
type HelperFlow struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Folder string `json:"folder"`
	// Trigger is the trigger card type; only "flow.helper" flows can be called.
	Trigger string         `json:"trigger"`
	Inputs  []engine.Field `json:"inputs"`
	Returns []engine.Field `json:"returns"`
	// Callers are the names of the other flows with a card calling this one
	// (sorted); deleting it leaves those cards with a missing helper.
	Callers []string `json:"callers"`
}

// HelperFlows lists every stored flow with what a calling card needs to
// know of it, sorted by folder and name. Flows whose trigger is not a
// Helper Flow are listed too (so a card calling one can name it); the
// picker offers only the callable ones.
func (a *App) HelperFlows() ([]HelperFlow, error) {
	out := []HelperFlow{}
	flows := a.Store.Flows()
	callers := map[string]map[string]bool{}
	for _, f := range flows {
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			for _, ref := range []string{c.Flow, errFlow(c)} {
				if ref != "" && ref != f.ID {
					if callers[ref] == nil {
						callers[ref] = map[string]bool{}
					}
					callers[ref][f.Name] = true
				}
			}
			return true
		})
	}
	for _, f := range flows {
		h := helperInfo(f)
		h.Callers = slices.Sorted(maps.Keys(callers[f.ID]))
		if h.Callers == nil {
			h.Callers = []string{}
		}
		out = append(out, h)
	}
	slices.SortFunc(out, func(x, y HelperFlow) int {
		if c := strings.Compare(strings.ToLower(x.Folder), strings.ToLower(y.Folder)); c != 0 {
			return c
		}
		if c := strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	return out, nil
}

func helperInfo(f *engine.Flow) HelperFlow {
	h := HelperFlow{ID: f.ID, Name: f.Name, Folder: f.Folder, Trigger: f.Trigger.Type, Inputs: []engine.Field{}, Returns: []engine.Field{}}
	for _, o := range f.Trigger.Outputs {
		if o.Key == "context" || o.Hidden {
			continue
		}
		h.Inputs = append(h.Inputs, engine.Field{Key: o.Key, Label: o.Label, Type: o.Type, Required: o.Required})
	}
	seen := map[string]bool{}
	var walk func(cards []engine.Card)
	walk = func(cards []engine.Card) {
		for i := range cards {
			c := &cards[i]
			if c.Type == "flow.return" {
				for _, in := range c.Inputs {
					if !seen[in.Key] && !in.Hidden {
						seen[in.Key] = true
						h.Returns = append(h.Returns, engine.Field{Key: in.Key, Label: in.Label, Type: in.Type})
					}
				}
			}
			// a Return inside If/ElseIf or If Error hands its values to that
			// card, not to the caller
			if c.Type == "flow.ifElseIf" || c.Type == "flow.ifError" {
				continue
			}
			for j := range c.Branches {
				walk(c.Branches[j].Cards)
			}
		}
	}
	walk(f.Cards)
	return h
}

// CreateHelperFlow makes a flow with a Helper Flow trigger whose inputs are
// the given fields (only key, label and type are kept), in a folder, and
// stores it. The designer's "New helper flow…" prefills the inputs from the
// calling card's list item.
func (a *App) CreateHelperFlow(name, folder string, inputs []engine.Field) (*engine.Flow, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, badHelper("a helper flow needs a name")
	}
	outs := make([]engine.Field, 0, len(inputs))
	seen := map[string]bool{}
	for i, in := range inputs {
		key := strings.TrimSpace(in.Key)
		switch {
		case key == "":
			return nil, badHelper(fmt.Sprintf("helper flow input %d has no name", i+1))
		case key == "context":
			return nil, badHelper(`helper flow input "context" is reserved (it carries index, error and caller)`)
		case seen[key]:
			return nil, badHelper(fmt.Sprintf("helper flow input %q is declared twice", key))
		}
		seen[key] = true
		t := in.Type
		if t == nil {
			t = engine.T("any")
		}
		outs = append(outs, engine.Field{Key: key, Label: in.Label, Type: t})
	}
	f := &engine.Flow{Format: engine.FlowFormat, ID: engine.NewID(), Name: name, Folder: folder,
		Settings: engine.Settings{History: true},
		Trigger:  engine.Card{ID: "trigger", Type: "flow.helper", Title: "Helper Flow", Outputs: outs},
		Cards:    []engine.Card{}}
	// the same checks SaveFlow makes: the flow fits the file format
	data, err := engine.MarshalFlow(f)
	if err != nil {
		return nil, err
	}
	parsed, err := engine.ParseFlow(f.Name, data)
	if err != nil {
		return nil, err
	}
	return parsed, a.Store.PutFlow(parsed)
}

// badHelper is a refused CreateHelperFlow request (HTTP 400 in serve).
type badHelper string

func (e badHelper) Error() string   { return string(e) }
func (e badHelper) HTTPStatus() int { return http.StatusBadRequest }
