package app

import (
	"slices"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// ConnectionUser is a flow whose cards use a connection.
type ConnectionUser struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Enabled bool   `json:"enabled"` // switched on: its trigger or runs use the connection now
	Cards   int    `json:"cards"`
}

// ConnectionUsers lists the flows whose cards (trigger included) use
// connection id, by name: the Connections page names them before a delete.
func (a *App) ConnectionUsers(id string) ([]ConnectionUser, error) {
	out := []ConnectionUser{}
	for _, f := range a.Store.Flows() {
		n := 0
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			if c.Connection == id {
				n++
			}
			return true
		})
		if n > 0 {
			out = append(out, ConnectionUser{ID: f.ID, Name: f.Name, Enabled: f.Enabled, Cards: n})
		}
	}
	slices.SortFunc(out, func(x, y ConnectionUser) int { return strings.Compare(x.Name, y.Name) })
	return out, nil
}
