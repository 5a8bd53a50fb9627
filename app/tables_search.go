package app

import (
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// TableSearch is one page of the rows of a table that hold a text, and how
// many rows hold it in all (the Tables tab's search box).
type TableSearch struct {
	Rows  []engine.Row `json:"rows"`
	Count int          `json:"count"`
}

// SearchTableRows returns the rows whose value in any of the table's own
// columns contains text, ignoring case, or whose Row ID is text (a part of
// the random ids would match nearly any short text), in creation order from
// offset, at most limit (1…1000, default 100). An empty text matches every
// row.
func (a *App) SearchTableRows(table, text string, offset, limit int) (*TableSearch, error) {
	limit = rowPageLimit(limit)
	offset = max(offset, 0)
	def, err := a.Store.GetTable(a.ctx, table)
	if err != nil {
		return nil, err
	}
	rows, err := a.Store.SearchRows(a.ctx, table, nil, engine.SearchOptions{})
	if err != nil {
		return nil, err
	}
	want := strings.ToLower(strings.TrimSpace(text))
	res := &TableSearch{Rows: []engine.Row{}}
	for _, r := range rows {
		if !rowHolds(r, def.Columns, want) {
			continue
		}
		if res.Count >= offset && len(res.Rows) < limit {
			res.Rows = append(res.Rows, r)
		}
		res.Count++
	}
	return res, nil
}

func rowHolds(r engine.Row, cols []engine.Column, want string) bool {
	if want == "" || strings.ToLower(engine.ToText(r["Row ID"])) == want {
		return true
	}
	for _, c := range cols {
		if v := r[c.Name]; v != nil && strings.Contains(strings.ToLower(engine.ToText(v)), want) {
			return true
		}
	}
	return false
}
