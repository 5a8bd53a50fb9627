package temporal

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// PathTables is the worker API's Tables call (one method a request).
const PathTables = "/api/worker/tables"

// TablesCall is one Tables method call over the worker API. The serve
// node's store is the only writer: each call is one store transaction, so
// a worker sees every write acknowledged before it (read-your-writes,
// linearizable per row); IdempotencyKey carries the card's key so Create
// Row repeated after a lost worker returns the row it made.
type TablesCall struct {
	Method         string               `json:"method"`
	Table          string               `json:"table,omitempty"`
	Row            string               `json:"row,omitempty"`
	Def            *engine.TableDef     `json:"def,omitempty"`
	Values         map[string]any       `json:"values,omitempty"`
	Rows           []map[string]any     `json:"rows,omitempty"`
	Where          []engine.Condition   `json:"where,omitempty"`
	Search         engine.SearchOptions `json:"search"`
	CSV            engine.CSVOptions    `json:"csv"`
	Text           string               `json:"text,omitempty"` // CSV to import
	IdempotencyKey string               `json:"idempotencyKey,omitempty"`
}

// TablesResult is a call's answer; Missing names engine.ErrTableNotFound
// or ErrRowNotFound so cards see the same errors as in-process.
type TablesResult struct {
	Def     *engine.TableDef  `json:"def,omitempty"`
	Defs    []engine.TableDef `json:"defs,omitempty"`
	Row     engine.Row        `json:"row,omitempty"`
	Rows    []engine.Row      `json:"rows,omitempty"`
	N       int               `json:"n"`
	Text    string            `json:"text,omitempty"` // exported CSV
	Error   string            `json:"error,omitempty"`
	Missing string            `json:"missing,omitempty"` // "table" | "row"
}

// ServeTables runs one call against the store (the serve node's side).
func ServeTables(ctx context.Context, t engine.Tables, c TablesCall) TablesResult {
	if c.IdempotencyKey != "" {
		ctx = engine.WithIdempotencyKey(ctx, c.IdempotencyKey)
	}
	var r TablesResult
	var err error
	var def engine.TableDef
	switch c.Method {
	case "CreateTable", "UpdateTable":
		if c.Def == nil {
			return TablesResult{Error: "no table definition"}
		}
		if c.Method == "CreateTable" {
			def, err = t.CreateTable(ctx, *c.Def)
		} else {
			def, err = t.UpdateTable(ctx, *c.Def)
		}
		r.Def = &def
	case "GetTable":
		def, err = t.GetTable(ctx, c.Table)
		r.Def = &def
	case "ListTables":
		r.Defs, err = t.ListTables(ctx)
	case "DeleteTable":
		err = t.DeleteTable(ctx, c.Table)
	case "CreateRow":
		r.Row, err = t.CreateRow(ctx, c.Table, c.Values)
	case "CreateRows":
		r.N, err = t.CreateRows(ctx, c.Table, c.Rows)
	case "ReadRow":
		r.Row, err = t.ReadRow(ctx, c.Table, c.Row)
	case "UpdateRow":
		r.Row, err = t.UpdateRow(ctx, c.Table, c.Row, c.Values)
	case "DeleteRow":
		err = t.DeleteRow(ctx, c.Table, c.Row)
	case "SearchRows":
		r.Rows, err = t.SearchRows(ctx, c.Table, c.Where, c.Search)
	case "CountRows":
		r.N, err = t.CountRows(ctx, c.Table)
	case "ClearTable":
		r.N, err = t.ClearTable(ctx, c.Table)
	case "ImportCSV":
		r.N, err = t.ImportCSV(ctx, c.Table, strings.NewReader(c.Text), c.CSV)
	case "ExportCSV":
		var b bytes.Buffer
		r.N, err = t.ExportCSV(ctx, c.Table, &b, c.Where, c.CSV)
		r.Text = b.String()
	default:
		return TablesResult{Error: "unknown Tables method " + c.Method}
	}
	if err != nil {
		r = TablesResult{Error: err.Error()}
		switch {
		case errors.Is(err, engine.ErrTableNotFound):
			r.Missing = "table"
		case errors.Is(err, engine.ErrRowNotFound):
			r.Missing = "row"
		}
	}
	return r
}

// remoteTables is engine.Tables over the worker API.
type remoteTables struct{ s *HTTPSource }

// Tables returns the serve node's Tables for outside cards on a worker.
func (s *HTTPSource) Tables() engine.Tables { return remoteTables{s} }

type tablesError struct {
	msg     string
	missing error
}

func (e *tablesError) Error() string { return e.msg }
func (e *tablesError) Unwrap() error { return e.missing }

func (t remoteTables) call(ctx context.Context, c TablesCall) (TablesResult, error) {
	c.IdempotencyKey = engine.IdempotencyKey(ctx)
	var r TablesResult
	if err := t.s.do(ctx, "POST", PathTables, c, &r); err != nil {
		return r, &sourceError{err}
	}
	if r.Error != "" {
		e := &tablesError{msg: r.Error}
		switch r.Missing {
		case "table":
			e.missing = engine.ErrTableNotFound
		case "row":
			e.missing = engine.ErrRowNotFound
		}
		return r, e
	}
	return r, nil
}

func (t remoteTables) def(ctx context.Context, c TablesCall) (engine.TableDef, error) {
	r, err := t.call(ctx, c)
	if err != nil || r.Def == nil {
		return engine.TableDef{}, err
	}
	return *r.Def, nil
}

func (t remoteTables) CreateTable(ctx context.Context, def engine.TableDef) (engine.TableDef, error) {
	return t.def(ctx, TablesCall{Method: "CreateTable", Def: &def})
}
func (t remoteTables) UpdateTable(ctx context.Context, def engine.TableDef) (engine.TableDef, error) {
	return t.def(ctx, TablesCall{Method: "UpdateTable", Def: &def})
}
func (t remoteTables) GetTable(ctx context.Context, id string) (engine.TableDef, error) {
	return t.def(ctx, TablesCall{Method: "GetTable", Table: id})
}
func (t remoteTables) ListTables(ctx context.Context) ([]engine.TableDef, error) {
	r, err := t.call(ctx, TablesCall{Method: "ListTables"})
	return r.Defs, err
}
func (t remoteTables) DeleteTable(ctx context.Context, id string) error {
	_, err := t.call(ctx, TablesCall{Method: "DeleteTable", Table: id})
	return err
}
func (t remoteTables) CreateRow(ctx context.Context, table string, values map[string]any) (engine.Row, error) {
	r, err := t.call(ctx, TablesCall{Method: "CreateRow", Table: table, Values: values})
	return r.Row, err
}
func (t remoteTables) CreateRows(ctx context.Context, table string, rows []map[string]any) (int, error) {
	r, err := t.call(ctx, TablesCall{Method: "CreateRows", Table: table, Rows: rows})
	return r.N, err
}
func (t remoteTables) ReadRow(ctx context.Context, table, rowID string) (engine.Row, error) {
	r, err := t.call(ctx, TablesCall{Method: "ReadRow", Table: table, Row: rowID})
	return r.Row, err
}
func (t remoteTables) UpdateRow(ctx context.Context, table, rowID string, values map[string]any) (engine.Row, error) {
	r, err := t.call(ctx, TablesCall{Method: "UpdateRow", Table: table, Row: rowID, Values: values})
	return r.Row, err
}
func (t remoteTables) DeleteRow(ctx context.Context, table, rowID string) error {
	_, err := t.call(ctx, TablesCall{Method: "DeleteRow", Table: table, Row: rowID})
	return err
}
func (t remoteTables) SearchRows(ctx context.Context, table string, where []engine.Condition, opt engine.SearchOptions) ([]engine.Row, error) {
	r, err := t.call(ctx, TablesCall{Method: "SearchRows", Table: table, Where: where, Search: opt})
	return r.Rows, err
}
func (t remoteTables) CountRows(ctx context.Context, table string) (int, error) {
	r, err := t.call(ctx, TablesCall{Method: "CountRows", Table: table})
	return r.N, err
}
func (t remoteTables) ClearTable(ctx context.Context, table string) (int, error) {
	r, err := t.call(ctx, TablesCall{Method: "ClearTable", Table: table})
	return r.N, err
}
func (t remoteTables) ImportCSV(ctx context.Context, table string, rd io.Reader, opt engine.CSVOptions) (int, error) {
	b, err := io.ReadAll(io.LimitReader(rd, 32<<20))
	if err != nil {
		return 0, err
	}
	r, err := t.call(ctx, TablesCall{Method: "ImportCSV", Table: table, Text: string(b), CSV: opt})
	return r.N, err
}
func (t remoteTables) ExportCSV(ctx context.Context, table string, w io.Writer, where []engine.Condition, opt engine.CSVOptions) (int, error) {
	r, err := t.call(ctx, TablesCall{Method: "ExportCSV", Table: table, Where: where, CSV: opt})
	if err != nil {
		return 0, err
	}
	_, err = io.WriteString(w, r.Text)
	return r.N, err
}
