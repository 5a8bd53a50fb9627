package app

import (
	"encoding/json"

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
	for _, f := range folder.Flows {
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			if c.Connection == "" {
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
	return out
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
