package app

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// Connection placeholders: an imported card names a connection by id; where
// no connection of that id exists here (an Okta export's config, a teammate's
// connection in a native export) the import lists it to bind, with the name
// and kind the file gave. The name is remembered (meta placeholder/<id>) so a
// folder exported before binding carries it on, and a native file that names
// no placeholders still gets one per missing connection, its kind that of the
// card using it.

type placeholderMeta struct {
	Name string `json:"name"`
	Kind string `json:"kind,omitempty"`
}

func placeholderKey(id string) string { return "placeholder/" + id }

// rememberedPlaceholder is the name and kind an import gave a placeholder.
func (a *App) rememberedPlaceholder(id string) (placeholderMeta, bool) {
	var m placeholderMeta
	v, ok := a.Store.GetMeta(placeholderKey(id))
	if !ok || json.Unmarshal([]byte(v), &m) != nil || m.Name == "" {
		return placeholderMeta{}, false
	}
	return m, true
}

// cardConnectionKind is the connection kind a card's type needs ("" when
// the type is unknown or needs none).
func (a *App) cardConnectionKind(c *engine.Card) string {
	if spec, ok := a.Reg.Card(c.Type); ok {
		return spec.Connection
	}
	return ""
}

// unsetKind is the connection kind a card needs but does not name ("" for
// a card naming one, or needing none; a trigger's is optional: event hooks
// need none).
func (a *App) unsetKind(c *engine.Card) string {
	if c.Connection != "" {
		return ""
	}
	if spec, ok := a.Reg.Card(c.Type); ok && spec.Kind != engine.KindTrigger {
		return spec.Connection
	}
	return ""
}

// importPlaceholders lists the connections the folder's cards use that do
// not exist here, in the file's order then the cards'; a placeholder the file
// names but no card uses (or that a kept binding replaced) is left out.
func (a *App) importPlaceholders(folder *engine.Folder) []engine.ConnectionRef {
	named := map[string]engine.ConnectionRef{}
	for _, r := range folder.Connections {
		named[r.ID] = r
	}
	used := map[string]string{} // id -> kind of a card using it
	var order []string
	unset := map[string]bool{} // kinds of cards that need a connection and name none
	var unsetOrder []string
	for _, f := range folder.Flows {
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			if c.Connection == "" {
				if k := a.unsetKind(c); k != "" && !unset[k] {
					unset[k] = true
					unsetOrder = append(unsetOrder, k)
				}
				return true
			}
			if _, seen := used[c.Connection]; !seen {
				order = append(order, c.Connection)
				used[c.Connection] = ""
			}
			if used[c.Connection] == "" {
				used[c.Connection] = a.cardConnectionKind(c)
			}
			return true
		})
	}
	var out []engine.ConnectionRef
	add := func(id string) {
		if _, err := a.Store.Connection(a.ctx, id); err == nil {
			return // a real connection: nothing to bind
		}
		ref, ok := named[id]
		if !ok {
			ref = engine.ConnectionRef{ID: id, Name: id}
			if m, ok := a.rememberedPlaceholder(id); ok {
				ref.Name, ref.Kind = m.Name, m.Kind
			}
		}
		if ref.Name == "" {
			ref.Name = id
		}
		if ref.Kind == "" {
			ref.Kind = used[id]
		}
		out = append(out, ref)
	}
	for _, r := range folder.Connections {
		if _, ok := used[r.ID]; ok {
			add(r.ID)
			delete(used, r.ID)
		}
	}
	for _, id := range order {
		if _, ok := used[id]; ok {
			add(id)
		}
	}
	for _, k := range unsetOrder {
		title := k
		if ck, ok := a.Reg.ConnectionKind(k); ok {
			title = ck.Title
		}
		out = append(out, engine.ConnectionRef{ID: unsetPrefix + k, Name: title + " cards with no connection", Kind: k})
	}
	return out
}

// FlowPlaceholders lists the connections f's cards name that do not exist
// here (import placeholders not bound yet), with the name and kind their
// import gave, so the designer shows "Okta Prod — not bound" instead of an id.
func (a *App) FlowPlaceholders(f *engine.Flow) ([]engine.ConnectionRef, error) {
	if f == nil {
		return []engine.ConnectionRef{}, nil
	}
	out := []engine.ConnectionRef{}
	for _, r := range a.importPlaceholders(&engine.Folder{Flows: []*engine.Flow{f}}) {
		if !strings.HasPrefix(r.ID, unsetPrefix) {
			out = append(out, r)
		}
	}
	return out, nil
}

// placeholderProblems names an unbound placeholder in the problems about it
// ('connection "0oa…" does not exist' told the user nothing they could act on).
func (a *App) placeholderProblems(f *engine.Flow, ps []engine.Problem) {
	var names map[string]engine.ConnectionRef
	for i := range ps {
		p := &ps[i]
		if p.Kind != "missing-connection" || !strings.HasPrefix(p.Message, "connection \"") {
			continue
		}
		if names == nil {
			refs, _ := a.FlowPlaceholders(f)
			names = map[string]engine.ConnectionRef{}
			for _, r := range refs {
				names[r.ID] = r
			}
		}
		for id, r := range names {
			// only a placeholder an import named: a connection deleted here keeps "does not exist"
			if r.Name != "" && r.Name != id && p.Message == fmt.Sprintf("connection %q does not exist", id) {
				p.Message = fmt.Sprintf("connection %q of the imported file is not bound to a connection here: choose one in the card's Connection", r.Name)
			}
		}
	}
}

// unsetPrefix + kind is the placeholder of the cards of that connection kind
// that name no connection (templates exported without one): binding it gives
// them the connection.
const unsetPrefix = "unset:"

// bindsCard says whether binding placeholder from to a connection of kind
// target changes card c: a card naming the placeholder, or for
// unset:<kind>, a card of that kind naming no connection; a card of another
// app keeps its connection.
func (a *App) bindsCard(c *engine.Card, from, target string) bool {
	if kind, ok := strings.CutPrefix(from, unsetPrefix); ok {
		return a.unsetKind(c) == kind && kind == target
	}
	need := a.cardConnectionKind(c)
	return c.Connection == from && (need == "" || need == target)
}

// checkBindKind refuses binding unset:<kind> to a connection of another kind.
func checkBindKind(from string, target *engine.Connection) error {
	if kind, ok := strings.CutPrefix(from, unsetPrefix); ok && kind != target.Kind {
		return fmt.Errorf("bind: the cards with no connection are %s cards; %q is a %s connection", kind, target.Name, target.Kind)
	}
	return nil
}

// rememberPlaceholders keeps the names of an import's placeholders.
func (a *App) rememberPlaceholders(refs []engine.ConnectionRef) {
	for _, r := range refs {
		if r.Name == "" || r.Name == r.ID {
			continue
		}
		if b, err := json.Marshal(placeholderMeta{Name: r.Name, Kind: r.Kind}); err == nil {
			_ = a.Store.SetMeta(placeholderKey(r.ID), string(b)) // a name only: the import stands without it
		}
	}
}

// exportConnectionRef names a connection a folder export's cards use: the
// connection's own name and kind, or, for a placeholder not bound yet, the
// name its import gave and the kind of the cards using it.
func (a *App) exportConnectionRef(id, cardKind string) engine.ConnectionRef {
	ref := engine.ConnectionRef{ID: id, Name: id, Kind: cardKind}
	if c, err := a.Store.Connection(a.ctx, id); err == nil {
		ref.Name, ref.Kind = c.Name, c.Kind
		return ref
	}
	if m, ok := a.rememberedPlaceholder(id); ok {
		ref.Name = m.Name
		if ref.Kind == "" {
			ref.Kind = m.Kind
		}
	}
	return ref
}

// missingConnections are the connections the flow and the helper flows it
// calls name that do not exist here (id -> kind of a card using it).
func (a *App) missingConnections(f *engine.Flow) map[string]string {
	out := map[string]string{}
	seen := map[string]bool{f.ID: true}
	var visit func(f *engine.Flow)
	visit = func(f *engine.Flow) {
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			if c.Connection != "" {
				if _, done := out[c.Connection]; !done {
					if _, err := a.Store.Connection(a.ctx, c.Connection); err != nil {
						out[c.Connection] = a.cardConnectionKind(c)
					}
				}
			}
			if c.Flow != "" && !seen[c.Flow] {
				seen[c.Flow] = true
				if h, err := a.Store.Flow(a.ctx, c.Flow); err == nil {
					visit(h)
				}
			}
			return true
		})
	}
	visit(f)
	return out
}
