package engine

import (
	"context"
	"errors"
	"io"
)

// Tables is the engine-wide table service (Okta Workflows Tables). Cards get
// it with in.Run.Service("tables").(engine.Tables); the Badger store
// implements it (engine/store/tables.go).
//
// A table has user columns (TableDef.Columns) and three system columns that
// every row carries: "Row ID" (text, assigned on create), "Created" and
// "Updated" (dates in DateLayout, UTC). Values are stored converted to the
// column's type (engine.Coerce); an unset column holds the column default or
// null. Rows keep their creation order: with no sort, searches return rows
// oldest first.
type Tables interface {
	// CreateTable stores a new table definition; an empty ID gets a UUID.
	// It returns the stored definition.
	CreateTable(ctx context.Context, def TableDef) (TableDef, error)
	// UpdateTable replaces a table's name and columns; rows keep their
	// values for columns that remain, indexes follow the new columns.
	UpdateTable(ctx context.Context, def TableDef) (TableDef, error)
	// GetTable returns a table definition (ErrTableNotFound when missing).
	GetTable(ctx context.Context, id string) (TableDef, error)
	// ListTables lists every table definition sorted by name.
	ListTables(ctx context.Context) ([]TableDef, error)
	// DeleteTable removes the table, its rows and indexes.
	DeleteTable(ctx context.Context, id string) error

	// CreateRow adds one row from column values (by column name) and returns
	// it with its system columns.
	CreateRow(ctx context.Context, table string, values map[string]any) (Row, error)
	// CreateRows adds many rows in batched transactions (imports, CSV) and
	// returns how many were added.
	CreateRows(ctx context.Context, table string, rows []map[string]any) (int, error)
	// ReadRow returns one row (ErrRowNotFound when missing).
	ReadRow(ctx context.Context, table, rowID string) (Row, error)
	// UpdateRow sets the given columns of a row (others keep their values)
	// and returns the updated row.
	UpdateRow(ctx context.Context, table, rowID string, values map[string]any) (Row, error)
	// DeleteRow removes one row (ErrRowNotFound when missing).
	DeleteRow(ctx context.Context, table, rowID string) error
	// SearchRows returns the rows matching where (all rows when empty).
	SearchRows(ctx context.Context, table string, where []Condition, opt SearchOptions) ([]Row, error)
	// CountRows is the number of rows of a table.
	CountRows(ctx context.Context, table string) (int, error)
	// ClearTable deletes every row and returns how many there were.
	ClearTable(ctx context.Context, table string) (int, error)

	// ImportCSV adds the rows of a CSV document whose first record names the
	// columns; system columns in it are ignored. It returns the rows added.
	ImportCSV(ctx context.Context, table string, r io.Reader, opt CSVOptions) (int, error)
	// ExportCSV writes the matching rows as CSV (header first) and returns
	// the number of rows written.
	ExportCSV(ctx context.Context, table string, w io.Writer, where []Condition, opt CSVOptions) (int, error)
}

// System columns of every table row.
const (
	ColRowID   = "Row ID"
	ColCreated = "Created"
	ColUpdated = "Updated"
)

// Condition is one clause of a table search: Column Op Value, joined to the
// NEXT clause by Join ("AND", the default, or "OR"). AND binds tighter than
// OR, as in SQL: a AND b OR c AND d = (a AND b) OR (c AND d). The Join of
// the last clause is ignored.
//
// Ops are Okta's Search Rows operators: "=" (also "=="), "!=", "<", "<=",
// ">", ">=". Values compare by the column's type: numbers numerically,
// dates chronologically, true/false as false < true, text by byte order,
// case-sensitively. An "=" clause on a user column is answered from the
// column's equality index; other operators scan.
type Condition struct {
	Column string `json:"column"`
	Op     string `json:"op"`
	Value  any    `json:"value"`
	Join   string `json:"join,omitempty"`
}

// SearchOptions shape a search result.
type SearchOptions struct {
	// Sort names a column (user or system) to order by; empty keeps creation order.
	Sort string
	// Desc sorts descending.
	Desc bool
	// Limit caps the rows returned (0 = no limit); Offset skips matching rows first.
	Limit, Offset int
}

// CSVOptions tune CSV import and export.
type CSVOptions struct {
	// Delimiter between fields; 0 means ','.
	Delimiter rune
	// Columns to export, in order (user or system columns); empty means every
	// user column in table order.
	Columns []string
	// Limit and Offset as in SearchOptions (export only).
	Limit, Offset int
}

// Errors of the Tables service.
var (
	ErrTableNotFound = errors.New("table not found")
	ErrRowNotFound   = errors.New("row not found")
)
