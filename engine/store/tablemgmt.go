package store

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
)

// Table management for the Tables tab: copies, column renames, CSV imports
// that are previewed first and then written in one transaction, and rows
// that keep their ids when an export carries them.

// CopyTable stores a new table with def's columns and folder under name and
// copies every row into it (new row ids, the values and dates kept).
func (s *Store) CopyTable(ctx context.Context, id, name string) (engine.TableDef, error) {
	src, err := s.GetTable(ctx, id)
	if err != nil {
		return engine.TableDef{}, err
	}
	def := engine.TableDef{Name: name, Folder: src.Folder, Columns: append([]engine.Column{}, src.Columns...)}
	if def, err = s.CreateTable(ctx, def); err != nil {
		return def, err
	}
	return def, s.rewriteRows(src.ID, def.ID, newMeta(def), func(old engine.Row) engine.Row {
		row := make(engine.Row, len(old))
		for k, v := range old {
			row[k] = v
		}
		row[engine.ColRowID] = newRowID()
		return row
	})
}

// RenameColumns replaces a definition like UpdateTable, where renames maps
// a column's old name to its new one so that its values move with it.
func (s *Store) RenameColumns(ctx context.Context, def engine.TableDef, renames map[string]string) (engine.TableDef, error) {
	if len(renames) == 0 {
		return s.UpdateTable(ctx, def)
	}
	if err := validateDef(&def); err != nil {
		return def, err
	}
	old, err := s.GetTable(ctx, def.ID)
	if err != nil {
		return def, err
	}
	known := map[string]bool{}
	for _, c := range old.Columns {
		known[c.Name] = true
	}
	for from, to := range renames {
		if !known[from] {
			return def, fmt.Errorf("table %q has no column %q to rename", old.Name, from)
		}
		if !hasColumn(def, to) {
			return def, fmt.Errorf("column %q is renamed to %q, which the table does not declare", from, to)
		}
	}
	// Step 1: a definition with the old and the new names, rows copied across.
	mid := def
	mid.Columns = append([]engine.Column{}, old.Columns...)
	for _, c := range def.Columns {
		if !known[c.Name] || isRenameTarget(renames, c.Name) {
			if !hasColumn(mid, c.Name) {
				mid.Columns = append(mid.Columns, c)
			}
		}
	}
	if _, err := s.UpdateTable(ctx, mid); err != nil {
		return def, err
	}
	m := newMeta(mid)
	err = s.rewriteRows(def.ID, def.ID, m, func(row engine.Row) engine.Row {
		for from, to := range renames {
			if cv, err := engine.Coerce(row[from], m.types[to]); err == nil {
				row[to] = cv
			} else {
				row[to] = nil
			}
		}
		return row
	})
	if err != nil {
		return def, err
	}
	// Step 2: the final definition drops the old names.
	return s.UpdateTable(ctx, def)
}

func hasColumn(def engine.TableDef, name string) bool {
	for _, c := range def.Columns {
		if c.Name == name {
			return true
		}
	}
	return false
}

func isRenameTarget(renames map[string]string, name string) bool {
	for _, to := range renames {
		if to == name {
			return true
		}
	}
	return false
}

// CSVLineError is one bad line of a CSV document: its line number (the
// header is line 1), the column it is about (when one) and what is wrong.
type CSVLineError struct {
	Line    int    `json:"line"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

func (e CSVLineError) String() string {
	if e.Column != "" {
		return fmt.Sprintf("line %d, column %q: %s", e.Line, e.Column, e.Message)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Message)
}

// CSVPreview is what a CSV import would add: the header's columns, the
// rows as they would be stored (values converted to the column types), and
// an error for each bad line.
type CSVPreview struct {
	// Columns are the table columns the header names, in header order.
	Columns []string `json:"columns"`
	// Ignored are header fields left out: system columns ("Row ID",
	// "Created", "Updated"), which the store assigns.
	Ignored []string `json:"ignored,omitempty"`
	// Rows are the good lines' values (the first maxPreviewRows of them).
	Rows []map[string]any `json:"rows"`
	// Lines are the line numbers of Rows.
	Lines []int `json:"lines"`
	// Total is the number of good lines.
	Total  int            `json:"total"`
	Errors []CSVLineError `json:"errors"`

	all []map[string]any
}

// CSVErrors is the error of a CSV import with bad lines: nothing was written.
type CSVErrors []CSVLineError

func (e CSVErrors) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d bad line(s) in the CSV, nothing imported: ", len(e))
	for i, l := range e {
		if i == 3 {
			fmt.Fprintf(&b, "; …")
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(l.String())
	}
	return b.String()
}

const maxPreviewRows = 200

// PreviewCSV parses a CSV document (header first) against a table's columns
// and converts every value, without writing anything.
func (s *Store) PreviewCSV(ctx context.Context, table string, data []byte, opt engine.CSVOptions) (*CSVPreview, error) {
	m, err := s.meta(table)
	if err != nil {
		return nil, err
	}
	return previewCSV(m, data, opt)
}

func previewCSV(m *tableMeta, data []byte, opt engine.CSVOptions) (*CSVPreview, error) {
	p := &CSVPreview{Columns: []string{}, Rows: []map[string]any{}, Lines: []int{}, Errors: []CSVLineError{}}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the CSV is empty: its first line must name the columns")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	if opt.Delimiter != 0 {
		cr.Comma = opt.Delimiter
	} else {
		cr.Comma = sniffDelimiter(data)
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("CSV header (line 1): %w", err)
	}
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		switch {
		case h == "":
			p.Errors = append(p.Errors, CSVLineError{Line: 1, Message: fmt.Sprintf("field %d of the header is empty; name a column", i+1)})
		case isSystem(h):
			p.Ignored = append(p.Ignored, h)
		case m.types[h] == nil:
			p.Errors = append(p.Errors, CSVLineError{Line: 1, Column: h, Message: fmt.Sprintf("table %q has no column %q", m.def.Name, h)})
		case seen[h]:
			p.Errors = append(p.Errors, CSVLineError{Line: 1, Column: h, Message: "column named twice in the header"})
		default:
			seen[h] = true
			cols[i] = h
			p.Columns = append(p.Columns, h)
		}
	}
	line := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				p.Errors = append(p.Errors, CSVLineError{Line: pe.StartLine, Message: pe.Err.Error()})
				if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
					continue
				}
			} else {
				p.Errors = append(p.Errors, CSVLineError{Line: line + 1, Message: err.Error()})
			}
			break
		}
		line, _ = cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) > len(header) {
			p.Errors = append(p.Errors, CSVLineError{Line: line, Message: fmt.Sprintf("%d fields, the header has %d", len(rec), len(header))})
			continue
		}
		vals := make(map[string]any, len(p.Columns))
		bad := false
		for i, c := range cols {
			if c == "" || i >= len(rec) {
				continue
			}
			t := m.types[c]
			if rec[i] == "" && t.Kind != engine.KindString {
				vals[c] = columnDefault(m, c) // what the row will hold: the preview shows it
				continue
			}
			v, err := engine.Coerce(rec[i], t)
			if err != nil {
				p.Errors = append(p.Errors, CSVLineError{Line: line, Column: c, Message: fmt.Sprintf("%q is not a %s", rec[i], kindText(t))})
				bad = true
				continue
			}
			vals[c] = v
		}
		if bad {
			continue
		}
		p.Total++
		p.all = append(p.all, vals)
		if len(p.Rows) < maxPreviewRows {
			p.Rows = append(p.Rows, vals)
			p.Lines = append(p.Lines, line)
		}
	}
	return p, nil
}

// columnDefault is the value a new row gets in a column left empty.
func columnDefault(m *tableMeta, name string) any {
	for _, c := range m.def.Columns {
		if c.Name == name && c.Default != nil && c.Default != "" {
			if v, err := engine.Coerce(c.Default, m.types[name]); err == nil {
				return v
			}
		}
	}
	return nil
}

// sniffDelimiter reads the header line: a spreadsheet saved as CSV in many
// locales separates fields with semicolons (a decimal comma is in use), and
// a copy from a spreadsheet with tabs. A header with a comma outside quotes
// is comma-separated; one without takes the separator it has most of.
func sniffDelimiter(data []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range string(data) {
		if r == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if r == '\n' {
			break
		}
		if r == ',' || r == ';' || r == '\t' {
			counts[r]++
		}
	}
	if counts[','] > 0 || counts[';']+counts['\t'] == 0 {
		return ','
	}
	if counts['\t'] > counts[';'] {
		return '\t'
	}
	return ';'
}

func kindText(t *engine.Type) string {
	switch t.Kind {
	case engine.KindNumber:
		return "number"
	case engine.KindBoolean:
		return "true/false value"
	case engine.KindDate:
		return "date"
	}
	return t.String()
}

// CommitCSV adds the rows of a CSV document in one transaction: when any
// line is bad (see PreviewCSV) it returns CSVErrors and writes nothing.
func (s *Store) CommitCSV(ctx context.Context, table string, data []byte, opt engine.CSVOptions) (int, error) {
	m, err := s.meta(table)
	if err != nil {
		return 0, err
	}
	p, err := previewCSV(m, data, opt)
	if err != nil {
		return 0, err
	}
	if len(p.Errors) > 0 {
		return 0, CSVErrors(p.Errors)
	}
	now := nowText()
	err = s.tblUpdate(func(txn *badger.Txn) error {
		m, err := s.loadMeta(txn, table)
		if err != nil {
			return err
		}
		for i, vals := range p.all {
			row, err := buildRow(m, vals, nil, now)
			if err == nil {
				err = writeRow(txn.Set, m.def.ID, m, row)
			}
			if err != nil {
				return fmt.Errorf("CSV line %d: %w", i+2, err)
			}
		}
		return nil
	})
	if errors.Is(err, badger.ErrTxnTooBig) {
		err = s.commitChunked(ctx, table, p.all, now)
	}
	if err != nil {
		return 0, err
	}
	return p.Total, nil
}

// commitChunked writes rows too many for one transaction in several; when
// one fails, the rows already written are deleted again, so the import
// still adds all rows or none.
func (s *Store) commitChunked(ctx context.Context, table string, all []map[string]any, now string) error {
	m, err := s.meta(table)
	if err != nil {
		return err
	}
	var written []string
	rollback := func(cause error) error {
		for _, id := range written {
			if err := s.DeleteRow(ctx, table, id); err != nil && !errors.Is(err, engine.ErrRowNotFound) {
				return fmt.Errorf("%w (and %d imported rows could not be removed again: %v)", cause, len(written), err)
			}
		}
		return cause
	}
	chunk := 1000
	for start := 0; start < len(all); start += chunk {
		end := min(start+chunk, len(all))
		var ids []string
		err := s.tblUpdate(func(txn *badger.Txn) error {
			ids = ids[:0]
			for i := start; i < end; i++ {
				row, err := buildRow(m, all[i], nil, now)
				if err == nil {
					err = writeRow(txn.Set, m.def.ID, m, row)
				}
				if err != nil {
					return fmt.Errorf("CSV line %d: %w", i+2, err)
				}
				ids = append(ids, row[engine.ColRowID].(string))
			}
			return nil
		})
		if errors.Is(err, badger.ErrTxnTooBig) && chunk > 1 {
			chunk /= 2 // a smaller piece, from the same row
			start -= chunk
			continue
		}
		if err == nil {
			err = ctx.Err()
		}
		if err != nil {
			return rollback(err)
		}
		written = append(written, ids...)
	}
	return nil
}

// validRowID: row ids are 32 hex digits (see newRowID); the equality index
// relies on their length.
func validRowID(id string) bool {
	if len(id) != rowIDLen {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}

// putRows stores rows an import carries: a row with a "Row ID" keeps it (and
// its Created/Updated dates), so importing the same export again replaces
// those rows instead of adding copies; rows without one get a new id.
func (s *Store) putRows(ctx context.Context, table string, rows []engine.Row) error {
	m, err := s.meta(table)
	if err != nil {
		return err
	}
	now := nowText()
	chunk := 1000
	for start := 0; start < len(rows); start += chunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := min(start+chunk, len(rows))
		err := s.tblUpdate(func(txn *badger.Txn) error {
			for i := start; i < end; i++ {
				r := rows[i]
				vals := make(map[string]any, len(r))
				for k, v := range r {
					if !isSystem(k) {
						if m.types[k] == nil {
							continue // a column the table no longer has
						}
						vals[k] = v
					}
				}
				row, err := buildRow(m, vals, nil, now)
				if err != nil {
					return fmt.Errorf("row %d: %w", i+1, err)
				}
				if id, ok := r[engine.ColRowID].(string); ok && validRowID(id) {
					if old, err := getRow(txn, m.def.ID, id); err == nil {
						for _, c := range m.def.Columns {
							if err := txn.Delete(tblIndexKey(m.def.ID, c.Name, indexText(old[c.Name]), id)); err != nil {
								return err
							}
						}
					}
					row[engine.ColRowID] = id
					for _, k := range []string{engine.ColCreated, engine.ColUpdated} {
						if d, err := engine.ToDate(r[k]); err == nil && r[k] != nil {
							row[k] = d
						}
					}
				}
				if err := writeRow(txn.Set, m.def.ID, m, row); err != nil {
					return err
				}
			}
			return nil
		})
		if errors.Is(err, badger.ErrTxnTooBig) && chunk > 1 {
			chunk /= 2 // a smaller piece, from the same row
			start -= chunk
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}
