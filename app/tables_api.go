package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

// Tables managed in the app (the Tables tab): create, rename, copy and
// delete tables, their columns with types, rows, and CSV import (previewed
// first, then written in one transaction) and export.

// columnKinds are the column types a table offers, as Okta Tables do.
var columnKinds = []string{engine.KindString, engine.KindNumber, engine.KindBoolean, engine.KindDate}

// checkTableDef trims and checks a definition from the UI: a name, unique in
// its folder; columns with names and one of the column types.
func (a *App) checkTableDef(def *engine.TableDef) error {
	def.Name = strings.TrimSpace(def.Name)
	def.Folder = strings.TrimSpace(def.Folder)
	if def.Name == "" {
		return errors.New("table: give the table a name")
	}
	tables, err := a.Store.ListTables(a.ctx)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if t.ID != def.ID && strings.EqualFold(t.Name, def.Name) && t.Folder == def.Folder {
			where := "outside folders"
			if t.Folder != "" {
				where = fmt.Sprintf("in folder %q", t.Folder)
			}
			return fmt.Errorf("table %q: a table of that name already exists %s", def.Name, where)
		}
	}
	if def.Columns == nil {
		def.Columns = []engine.Column{}
	}
	for i := range def.Columns {
		c := &def.Columns[i]
		c.Name = strings.TrimSpace(c.Name)
		if c.Name == "" {
			return fmt.Errorf("table %q: column %d has no name", def.Name, i+1)
		}
		if c.Type == nil {
			c.Type = engine.T(engine.KindString)
		}
		if !slices.Contains(columnKinds, c.Type.Kind) || c.Type.List {
			return fmt.Errorf("table %q: column %q: type %s is not a column type (text, number, true/false, date)", def.Name, c.Name, c.Type)
		}
		if s, ok := c.Default.(string); ok && s == "" {
			c.Default = nil
		}
		if c.Default != nil {
			v, err := engine.Coerce(c.Default, c.Type)
			if err != nil {
				return fmt.Errorf("table %q: column %q: default %v: %w", def.Name, c.Name, c.Default, err)
			}
			c.Default = v
		}
	}
	return nil
}

func tableErr(def engine.TableDef, err error) error {
	if err == nil {
		return nil
	}
	if strings.Contains(err.Error(), def.Name) && def.Name != "" {
		return err
	}
	return fmt.Errorf("table %q: %w", def.Name, err)
}

// CreateTable stores a new table (its id is assigned).
func (a *App) CreateTable(def engine.TableDef) (engine.TableDef, error) {
	def.ID = ""
	if err := a.checkTableDef(&def); err != nil {
		return def, err
	}
	out, err := a.Store.CreateTable(a.ctx, def)
	return out, tableErr(def, err)
}

// SaveTable renames a table and replaces its columns; renames maps a
// column's old name to its new one so its values move along. Rows keep
// the values of the columns that remain, converted to their (new) types.
func (a *App) SaveTable(def engine.TableDef, renames map[string]string) (engine.TableDef, error) {
	if def.ID == "" {
		return def, errors.New("table: no table id")
	}
	if err := a.checkTableDef(&def); err != nil {
		return def, err
	}
	for from, to := range renames {
		if from == to {
			delete(renames, from)
		}
	}
	out, err := a.Store.RenameColumns(a.ctx, def, renames)
	return out, tableErr(def, err)
}

// CopyTable stores a copy of a table, rows included, under name (default
// "Copy of <name>").
func (a *App) CopyTable(id, name string) (engine.TableDef, error) {
	src, err := a.Store.GetTable(a.ctx, id)
	if err != nil {
		return src, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "Copy of " + src.Name
	}
	check := engine.TableDef{Name: name, Folder: src.Folder, Columns: src.Columns}
	if err := a.checkTableDef(&check); err != nil {
		return check, err
	}
	out, err := a.Store.CopyTable(a.ctx, id, name)
	return out, tableErr(check, err)
}

// DeleteTable removes a table with its rows.
func (a *App) DeleteTable(id string) error {
	return a.Store.DeleteTable(a.ctx, id)
}

// TableUsers names the flows whose Tables cards use a table (to warn
// before deleting it).
func (a *App) TableUsers(id string) ([]string, error) {
	out := []string{}
	for _, f := range a.Store.Flows() {
		uses := false
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			if in := c.Input("stash"); in != nil {
				if t, ok := in.Value.(string); ok && t == id {
					uses = true
				}
			}
			return !uses
		})
		if uses {
			out = append(out, f.Name)
		}
	}
	slices.Sort(out)
	return out, nil
}

func rowErr(err error) error {
	var fe *engine.FieldError
	if errors.As(err, &fe) {
		return fe.Err
	}
	return err
}

// AddTableRow adds a row from column values (text is converted to the
// column types) and returns it.
func (a *App) AddTableRow(table string, values map[string]any) (engine.Row, error) {
	row, err := a.Store.CreateRow(a.ctx, table, values)
	return row, rowErr(err)
}

// UpdateTableRow sets some columns of a row and returns it.
func (a *App) UpdateTableRow(table, rowID string, values map[string]any) (engine.Row, error) {
	row, err := a.Store.UpdateRow(a.ctx, table, rowID, values)
	return row, rowErr(err)
}

// DeleteTableRow removes a row.
func (a *App) DeleteTableRow(table, rowID string) error {
	return a.Store.DeleteRow(a.ctx, table, rowID)
}

// TableRowCount is the number of rows of a table.
func (a *App) TableRowCount(table string) (int, error) {
	return a.Store.CountRows(a.ctx, table)
}

// PreviewTableCSV parses a CSV document for a table without writing: the
// rows it would add and an error per bad line (line number and column).
func (a *App) PreviewTableCSV(table, content string) (*store.CSVPreview, error) {
	return a.Store.PreviewCSV(a.ctx, table, []byte(content), engine.CSVOptions{})
}

// ImportTableCSV adds a CSV document's rows in one transaction; with any
// bad line nothing is written and the error lists the lines.
func (a *App) ImportTableCSV(table, content string) (int, error) {
	return a.Store.CommitCSV(a.ctx, table, []byte(content), engine.CSVOptions{})
}

// ExportTableCSV returns every row of a table as CSV (the table's columns,
// then Row ID, Created and Updated).
func (a *App) ExportTableCSV(table string) (string, error) {
	def, err := a.Store.GetTable(a.ctx, table)
	if err != nil {
		return "", err
	}
	cols := make([]string, 0, len(def.Columns)+3)
	for _, c := range def.Columns {
		cols = append(cols, c.Name)
	}
	cols = append(cols, engine.ColRowID, engine.ColCreated, engine.ColUpdated)
	var b strings.Builder
	if _, err := a.Store.ExportCSV(a.ctx, table, &b, nil, engine.CSVOptions{Columns: cols}); err != nil {
		return "", err
	}
	return b.String(), nil
}

// exportRows adds a table's rows to a folder bundle, so that importing the
// bundle elsewhere brings the data too (rows keep their Row ID, so
// importing it again replaces them rather than adding copies).
func (a *App) exportRows(b *engine.Folder, table string) {
	rows, err := a.Store.SearchRows(a.ctx, table, nil, engine.SearchOptions{})
	if err != nil || len(rows) == 0 {
		return
	}
	if b.Rows == nil {
		b.Rows = map[string][]engine.Row{}
	}
	b.Rows[table] = rows
}

// rowPageLimit is a page of table rows: 1…1000, 100 when not given (or out of range).
func rowPageLimit(limit int) int {
	if limit <= 0 || limit > 1000 {
		return 100
	}
	return limit
}

// TableRowPage returns the rows of a table from offset (creation order),
// at most limit (1…1000, default 100): the Tables tab's pages.
func (a *App) TableRowPage(table string, offset, limit int) ([]engine.Row, error) {
	limit = rowPageLimit(limit)
	if offset < 0 {
		offset = 0
	}
	rows, err := a.Store.SearchRows(a.ctx, table, nil, engine.SearchOptions{Limit: limit, Offset: offset})
	if rows == nil {
		rows = []engine.Row{}
	}
	return rows, err
}
