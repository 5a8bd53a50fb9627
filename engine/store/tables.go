package store

// Tables (Okta Workflows "stash") on Badger.
//
// Keys, all under the prefix tbl/ (imported definitions recorded by the
// importer under tbldef/<id> are read as a fallback):
//
//	tbl/.def/<table>                         JSON engine.TableDef
//	tbl/<table>/r/<rowid>                    JSON row (user and system columns)
//	tbl/<table>/ix/<col>\x00<value>\x00<rowid>   empty: equality index
//
// <value> is the canonical text of the stored value (indexText); long values
// are shortened with a hash suffix, and every candidate found through the
// index is checked against the full condition. Row ids are 32 hex digits that
// sort in creation order, so key order is row order. A row and its index
// entries are always written in one transaction.

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
)

var _ engine.Tables = (*Store)(nil)

const (
	tblPrefix    = "tbl/"
	tblDefPrefix = "tbl/.def/"
	rowIDLen     = 32
	maxIndexVal  = 200
	batchRows    = 5000
)

func tblDefKey(t string) []byte      { return []byte(tblDefPrefix + t) }
func tblRowPrefix(t string) []byte   { return []byte(tblPrefix + t + "/r/") }
func tblRowKey(t, id string) []byte  { return []byte(tblPrefix + t + "/r/" + id) }
func tblIndexPrefix(t string) []byte { return []byte(tblPrefix + t + "/ix/") }
func tblIndexColPrefix(t, col, val string) []byte {
	return []byte(tblPrefix + t + "/ix/" + col + "\x00" + indexVal(val) + "\x00")
}
func tblIndexKey(t, col, val, id string) []byte {
	return append(tblIndexColPrefix(t, col, val), id...)
}

// indexVal shortens long values (Badger keys are bounded); lookups apply the
// same function and verify the row.
func indexVal(s string) string {
	if len(s) <= maxIndexVal {
		return s
	}
	h := sha256.Sum256([]byte(s))
	return s[:maxIndexVal-34] + "\x01" + hex.EncodeToString(h[:16])
}

// indexText is the canonical text of a stored (already coerced) value; two
// values are "=" exactly when their texts are equal. Null and "" are equal.
func indexText(v any) string { return engine.ToText(v) }

// row ids: 48-bit milliseconds, a 32-bit counter (monotonic within this
// process), 48 random bits.
var rowIDGen struct {
	sync.Mutex
	ms  uint64
	seq uint32
}

func newRowID() string {
	rowIDGen.Lock()
	ms := uint64(time.Now().UnixMilli())
	if ms > rowIDGen.ms {
		rowIDGen.ms, rowIDGen.seq = ms, 0
	} else {
		rowIDGen.seq++
		if rowIDGen.seq == 0 {
			rowIDGen.ms++
		}
	}
	ms, seq := rowIDGen.ms, rowIDGen.seq
	rowIDGen.Unlock()
	var b [16]byte
	binary.BigEndian.PutUint64(b[0:8], ms<<16)
	binary.BigEndian.PutUint32(b[6:10], seq)
	_, _ = rand.Read(b[10:])
	return hex.EncodeToString(b[:])
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// tableMeta is a definition with its column types by name.
type tableMeta struct {
	def   engine.TableDef
	types map[string]*engine.Type
}

var (
	textType = engine.T("string")
	dateType = engine.T("date")
)

func newMeta(def engine.TableDef) *tableMeta {
	m := &tableMeta{def: def, types: make(map[string]*engine.Type, len(def.Columns)+3)}
	for _, c := range def.Columns {
		t := c.Type
		if t == nil {
			t = textType
		}
		m.types[c.Name] = t
	}
	m.types[engine.ColRowID] = textType
	m.types[engine.ColCreated] = dateType
	m.types[engine.ColUpdated] = dateType
	return m
}

func isSystem(col string) bool {
	return col == engine.ColRowID || col == engine.ColCreated || col == engine.ColUpdated
}

func validateDef(def *engine.TableDef) error {
	if strings.ContainsAny(def.ID, "/\x00") || strings.HasPrefix(def.ID, ".") {
		return fmt.Errorf("table id %q must not contain '/' or start with '.'", def.ID)
	}
	seen := map[string]bool{}
	for _, c := range def.Columns {
		switch {
		case c.Name == "":
			return errors.New("a column has no name")
		case strings.ContainsRune(c.Name, 0):
			return fmt.Errorf("column %q: name contains a NUL character", c.Name)
		case isSystem(c.Name):
			return fmt.Errorf("column %q is a system column", c.Name)
		case seen[c.Name]:
			return fmt.Errorf("column %q is declared twice", c.Name)
		}
		if c.Type != nil && c.Type.List {
			return fmt.Errorf("column %q: lists are not a column type", c.Name)
		}
		seen[c.Name] = true
	}
	return nil
}

// update runs fn in a read-write transaction, retrying on conflicts.
func (s *Store) tblUpdate(fn func(txn *badger.Txn) error) error {
	for try := 0; ; try++ {
		err := s.db.Update(fn)
		if errors.Is(err, badger.ErrConflict) && try < 20 {
			continue
		}
		return err
	}
}

func (s *Store) loadMeta(txn *badger.Txn, id string) (*tableMeta, error) {
	if id == "" {
		return nil, fmt.Errorf("%w: no table chosen", engine.ErrTableNotFound)
	}
	item, err := txn.Get(tblDefKey(id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		item, err = txn.Get([]byte("tbldef/" + id)) // recorded by an import
	}
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fmt.Errorf("%w: %q", engine.ErrTableNotFound, id)
	}
	if err != nil {
		return nil, err
	}
	var def engine.TableDef
	if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &def) }); err != nil {
		return nil, fmt.Errorf("table %q: %w", id, err)
	}
	return newMeta(def), nil
}

// CreateTable stores a new table definition.
func (s *Store) CreateTable(ctx context.Context, def engine.TableDef) (engine.TableDef, error) {
	if def.ID == "" {
		def.ID = newUUID()
	}
	if err := validateDef(&def); err != nil {
		return def, err
	}
	b, err := json.Marshal(def)
	if err != nil {
		return def, err
	}
	err = s.tblUpdate(func(txn *badger.Txn) error {
		if _, err := txn.Get(tblDefKey(def.ID)); err == nil {
			return fmt.Errorf("table %q already exists", def.ID)
		}
		return txn.Set(tblDefKey(def.ID), b)
	})
	return def, err
}

// UpdateTable replaces a definition and rewrites rows and indexes to match.
func (s *Store) UpdateTable(ctx context.Context, def engine.TableDef) (engine.TableDef, error) {
	if err := validateDef(&def); err != nil {
		return def, err
	}
	if _, err := s.GetTable(ctx, def.ID); err != nil {
		return def, err
	}
	b, err := json.Marshal(def)
	if err != nil {
		return def, err
	}
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(tblDefKey(def.ID), b) }); err != nil {
		return def, err
	}
	if err := s.dropPrefix(ctx, tblIndexPrefix(def.ID)); err != nil {
		return def, err
	}
	m := newMeta(def)
	// rewrite every row under the new columns
	return def, s.rewriteRows(def.ID, def.ID, m, func(old engine.Row) engine.Row {
		row := engine.Row{engine.ColRowID: old[engine.ColRowID], engine.ColCreated: old[engine.ColCreated], engine.ColUpdated: old[engine.ColUpdated]}
		for _, c := range def.Columns {
			v, ok := old[c.Name]
			if !ok {
				v = c.Default
			}
			if cv, err := engine.Coerce(v, m.types[c.Name]); err == nil {
				row[c.Name] = cv
			} else {
				row[c.Name] = nil
			}
		}
		return row
	})
}

// rewriteRows writes every row of table src, as remap makes it, into table dst
// (described by m), in batches of batchRows.
func (s *Store) rewriteRows(src, dst string, m *tableMeta, remap func(engine.Row) engine.Row) error {
	var after []byte
	for {
		var rows []engine.Row
		err := s.db.View(func(txn *badger.Txn) error {
			var err error
			rows, after, err = scanRows(txn, src, after, batchRows)
			return err
		})
		if err != nil || len(rows) == 0 {
			return err
		}
		wb := s.db.NewWriteBatch()
		for _, row := range rows {
			if err := writeRow(wb.Set, dst, m, remap(row)); err != nil {
				wb.Cancel()
				return err
			}
		}
		if err := wb.Flush(); err != nil {
			return err
		}
	}
}

// GetTable returns a definition.
func (s *Store) GetTable(ctx context.Context, id string) (engine.TableDef, error) {
	var def engine.TableDef
	err := s.db.View(func(txn *badger.Txn) error {
		m, err := s.loadMeta(txn, id)
		if err == nil {
			def = m.def
		}
		return err
	})
	return def, err
}

// ListTables lists definitions sorted by name.
func (s *Store) ListTables(ctx context.Context) ([]engine.TableDef, error) {
	byID := map[string]engine.TableDef{}
	err := s.db.View(func(txn *badger.Txn) error {
		for _, prefix := range []string{"tbldef/", tblDefPrefix} {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix), PrefetchValues: true})
			for it.Rewind(); it.Valid(); it.Next() {
				var def engine.TableDef
				if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &def) }); err != nil {
					it.Close()
					return err
				}
				byID[def.ID] = def
			}
			it.Close()
		}
		return nil
	})
	out := make([]engine.TableDef, 0, len(byID))
	for _, d := range byID {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out, err
}

// DeleteTable removes a table with its rows and indexes.
func (s *Store) DeleteTable(ctx context.Context, id string) error {
	if _, err := s.GetTable(ctx, id); err != nil {
		return err
	}
	if err := s.dropPrefix(ctx, []byte(tblPrefix+id+"/")); err != nil {
		return err
	}
	return s.db.Update(func(txn *badger.Txn) error {
		if err := txn.Delete(tblDefKey(id)); err != nil {
			return err
		}
		return txn.Delete([]byte("tbldef/" + id))
	})
}

// dropPrefix deletes every key under prefix in batches and returns nothing.
func (s *Store) dropPrefix(ctx context.Context, prefix []byte) error {
	_, err := s.deletePrefix(ctx, prefix, nil)
	return err
}

// deletePrefix deletes keys under prefix; count (if set) counts keys under
// that sub-prefix as they go.
func (s *Store) deletePrefix(ctx context.Context, prefix, count []byte) (int, error) {
	n := 0
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		var keys [][]byte
		err := s.db.View(func(txn *badger.Txn) error {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
			defer it.Close()
			for it.Rewind(); it.Valid() && len(keys) < 20000; it.Next() {
				keys = append(keys, it.Item().KeyCopy(nil))
			}
			return nil
		})
		if err != nil || len(keys) == 0 {
			return n, err
		}
		wb := s.db.NewWriteBatch()
		for _, k := range keys {
			if count != nil && bytes.HasPrefix(k, count) {
				n++
			}
			if err := wb.Delete(k); err != nil {
				wb.Cancel()
				return n, err
			}
		}
		if err := wb.Flush(); err != nil {
			return n, err
		}
	}
}

// buildRow converts column values into a stored row. base is the existing
// row for updates (nil on create).
func buildRow(m *tableMeta, values map[string]any, base engine.Row, now string) (engine.Row, error) {
	row := make(engine.Row, len(m.def.Columns)+3)
	if base == nil {
		for _, c := range m.def.Columns {
			var v any
			if c.Default != nil && c.Default != "" {
				if cv, err := engine.Coerce(c.Default, m.types[c.Name]); err == nil {
					v = cv
				}
			}
			row[c.Name] = v
		}
		row[engine.ColRowID] = newRowID()
		row[engine.ColCreated] = now
	} else {
		for k, v := range base {
			row[k] = v
		}
	}
	row[engine.ColUpdated] = now
	for k, v := range values {
		if isSystem(k) {
			continue // system columns are the store's
		}
		t, ok := m.types[k]
		if !ok {
			return nil, &engine.FieldError{Key: k, Err: fmt.Errorf("table %q has no column %q", m.def.Name, k)}
		}
		if sv, isText := v.(string); isText && sv == "" && t.Kind != engine.KindString {
			v = nil // empty text is no value for numbers, dates, true/false
		}
		if v == nil && base == nil {
			continue // unset on create: the default stays
		}
		cv, err := engine.Coerce(v, t)
		if err != nil {
			return nil, &engine.FieldError{Key: k, Err: fmt.Errorf("column %q: %w", k, err)}
		}
		row[k] = cv
	}
	return row, nil
}

// writeRow sets a row and its index entries through set (a txn or batch).
func writeRow(set func(k, v []byte) error, table string, m *tableMeta, row engine.Row) error {
	b, err := json.Marshal(row)
	if err != nil {
		return err
	}
	id, _ := row[engine.ColRowID].(string)
	if err := set(tblRowKey(table, id), b); err != nil {
		return err
	}
	for _, c := range m.def.Columns {
		if err := set(tblIndexKey(table, c.Name, indexText(row[c.Name]), id), nil); err != nil {
			return err
		}
	}
	return nil
}

func nowText() string { return time.Now().UTC().Format(engine.DateLayout) }

// CreateRow adds a row.
func (s *Store) CreateRow(ctx context.Context, table string, values map[string]any) (engine.Row, error) {
	var row engine.Row
	err := s.tblUpdate(func(txn *badger.Txn) error {
		m, err := s.loadMeta(txn, table)
		if err != nil {
			return err
		}
		// a card that runs again after a crash (engine.IdempotencyKey)
		// gets the row it created the first time
		if prior, ok := s.idempotentRow(txn, ctx, m); ok {
			row = prior
			return nil
		}
		if row, err = buildRow(m, values, nil, nowText()); err != nil {
			return err
		}
		if err := s.rememberRow(txn, ctx, m, row); err != nil {
			return err
		}
		return writeRow(txn.Set, m.def.ID, m, row)
	})
	if err != nil {
		return nil, err
	}
	return row, nil
}

// CreateRows adds many rows through write batches.
func (s *Store) CreateRows(ctx context.Context, table string, rows []map[string]any) (int, error) {
	m, err := s.meta(table)
	if err != nil {
		return 0, err
	}
	now := nowText()
	n := 0
	for start := 0; start < len(rows); start += batchRows {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		end := min(start+batchRows, len(rows))
		wb := s.db.NewWriteBatch()
		for i := start; i < end; i++ {
			row, err := buildRow(m, rows[i], nil, now)
			if err == nil {
				err = writeRow(wb.Set, m.def.ID, m, row)
			}
			if err != nil {
				wb.Cancel()
				return n, fmt.Errorf("row %d: %w", i+1, err)
			}
		}
		if err := wb.Flush(); err != nil {
			return n, err
		}
		n = end
	}
	return n, nil
}

func (s *Store) meta(table string) (*tableMeta, error) {
	var m *tableMeta
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		m, err = s.loadMeta(txn, table)
		return err
	})
	return m, err
}

func getRow(txn *badger.Txn, table, id string) (engine.Row, error) {
	if len(id) == 0 || strings.Contains(id, "/") {
		return nil, fmt.Errorf("%w: %q", engine.ErrRowNotFound, id)
	}
	item, err := txn.Get(tblRowKey(table, id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fmt.Errorf("%w: %q", engine.ErrRowNotFound, id)
	}
	if err != nil {
		return nil, err
	}
	var row engine.Row
	err = item.Value(func(v []byte) error { return json.Unmarshal(v, &row) })
	return row, err
}

// ReadRow returns one row.
func (s *Store) ReadRow(ctx context.Context, table, rowID string) (engine.Row, error) {
	var row engine.Row
	err := s.db.View(func(txn *badger.Txn) error {
		m, err := s.loadMeta(txn, table)
		if err != nil {
			return err
		}
		row, err = getRow(txn, m.def.ID, rowID)
		return err
	})
	return row, err
}

// UpdateRow sets some columns of a row.
func (s *Store) UpdateRow(ctx context.Context, table, rowID string, values map[string]any) (engine.Row, error) {
	var row engine.Row
	err := s.tblUpdate(func(txn *badger.Txn) error {
		m, err := s.loadMeta(txn, table)
		if err != nil {
			return err
		}
		old, err := getRow(txn, m.def.ID, rowID)
		if err != nil {
			return err
		}
		if row, err = buildRow(m, values, old, nowText()); err != nil {
			return err
		}
		for _, c := range m.def.Columns {
			if o, n := indexText(old[c.Name]), indexText(row[c.Name]); o != n {
				if err := txn.Delete(tblIndexKey(m.def.ID, c.Name, o, rowID)); err != nil {
					return err
				}
			}
		}
		return writeRow(txn.Set, m.def.ID, m, row)
	})
	if err != nil {
		return nil, err
	}
	return row, nil
}

// DeleteRow removes one row and its index entries.
func (s *Store) DeleteRow(ctx context.Context, table, rowID string) error {
	return s.tblUpdate(func(txn *badger.Txn) error {
		m, err := s.loadMeta(txn, table)
		if err != nil {
			return err
		}
		old, err := getRow(txn, m.def.ID, rowID)
		if err != nil {
			return err
		}
		for _, c := range m.def.Columns {
			if err := txn.Delete(tblIndexKey(m.def.ID, c.Name, indexText(old[c.Name]), rowID)); err != nil {
				return err
			}
		}
		return txn.Delete(tblRowKey(m.def.ID, rowID))
	})
}

// CountRows counts a table's rows (key-only scan).
func (s *Store) CountRows(ctx context.Context, table string) (int, error) {
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		m, err := s.loadMeta(txn, table)
		if err != nil {
			return err
		}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: tblRowPrefix(m.def.ID)})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	return n, err
}

// ClearTable deletes all rows and index entries.
func (s *Store) ClearTable(ctx context.Context, table string) (int, error) {
	m, err := s.meta(table)
	if err != nil {
		return 0, err
	}
	n, err := s.deletePrefix(ctx, tblRowPrefix(m.def.ID), tblRowPrefix(m.def.ID))
	if err != nil {
		return n, err
	}
	return n, s.dropPrefix(ctx, tblIndexPrefix(m.def.ID))
}

// --- search ---

type clause struct {
	col  string
	op   string
	typ  *engine.Type
	val  any    // coerced to the column type
	text string // canonical text of val
}

// compile turns conditions into OR-groups of AND-ed clauses.
func compileWhere(m *tableMeta, where []engine.Condition) ([][]clause, error) {
	var groups [][]clause
	var cur []clause
	for i, c := range where {
		t, ok := m.types[c.Column]
		if !ok {
			return nil, fmt.Errorf("condition %d: table %q has no column %q", i+1, m.def.Name, c.Column)
		}
		op := c.Op
		switch op {
		case "==", "":
			op = "="
		case "<>":
			op = "!="
		case "=", "!=", "<", "<=", ">", ">=":
		default:
			return nil, fmt.Errorf("condition %d: unknown operator %q (use = != < <= > >=)", i+1, c.Op)
		}
		v := c.Value
		if s, isText := v.(string); isText && s == "" && t.Kind != engine.KindString {
			v = nil
		}
		cv, err := engine.Coerce(v, t)
		if err != nil {
			return nil, fmt.Errorf("condition %d (%s): %w", i+1, c.Column, err)
		}
		cur = append(cur, clause{col: c.Column, op: op, typ: t, val: cv, text: indexText(cv)})
		if strings.EqualFold(strings.TrimSpace(c.Join), "OR") && i < len(where)-1 {
			groups = append(groups, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	return groups, nil
}

// compareCol orders two stored values of a column type; ok is false when an
// ordering does not apply (an empty number, date or true/false).
func compareCol(t *engine.Type, a, b any) (int, bool) {
	switch t.Kind {
	case engine.KindNumber, engine.KindInteger:
		x, ok1 := a.(float64)
		y, ok2 := b.(float64)
		if !ok1 || !ok2 {
			return 0, false
		}
		switch {
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		}
		return 0, true
	case engine.KindDate:
		x, err1 := engine.ParseDate(a)
		y, err2 := engine.ParseDate(b)
		if a == nil || b == nil || err1 != nil || err2 != nil {
			return 0, false
		}
		return x.Compare(y), true
	case engine.KindBoolean:
		x, ok1 := a.(bool)
		y, ok2 := b.(bool)
		if !ok1 || !ok2 {
			return 0, false
		}
		switch {
		case x == y:
			return 0, true
		case !x:
			return -1, true
		}
		return 1, true
	}
	return strings.Compare(indexText(a), indexText(b)), true
}

func (c *clause) match(row engine.Row) bool {
	v := row[c.col]
	switch c.op {
	case "=":
		return indexText(v) == c.text
	case "!=":
		return indexText(v) != c.text
	}
	r, ok := compareCol(c.typ, v, c.val)
	if !ok {
		return false
	}
	switch c.op {
	case "<":
		return r < 0
	case "<=":
		return r <= 0
	case ">":
		return r > 0
	}
	return r >= 0
}

func matchGroups(groups [][]clause, row engine.Row) bool {
	if len(groups) == 0 {
		return true
	}
	for _, g := range groups {
		ok := true
		for i := range g {
			if !g[i].match(row) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// indexClause picks the equality clause of a group the index can answer.
func indexClause(g []clause) *clause {
	for i := range g {
		if g[i].op == "=" {
			return &g[i]
		}
	}
	return nil
}

// SearchRows returns matching rows.
func (s *Store) SearchRows(ctx context.Context, table string, where []engine.Condition, opt engine.SearchOptions) ([]engine.Row, error) {
	var out []engine.Row
	err := s.db.View(func(txn *badger.Txn) error {
		m, err := s.loadMeta(txn, table)
		if err != nil {
			return err
		}
		groups, err := compileWhere(m, where)
		if err != nil {
			return err
		}
		var sortType *engine.Type
		if opt.Sort != "" {
			var ok bool
			if sortType, ok = m.types[opt.Sort]; !ok {
				return fmt.Errorf("sort: table %q has no column %q", m.def.Name, opt.Sort)
			}
		}
		// without a sort we can stop at offset+limit matches
		stopAt := -1
		if sortType == nil && opt.Limit > 0 {
			stopAt = max(opt.Offset, 0) + opt.Limit
		}
		emit := func(row engine.Row) bool {
			if matchGroups(groups, row) {
				out = append(out, row)
			}
			return stopAt < 0 || len(out) < stopAt
		}
		n := 0
		var ferr error
		fetch := func(id string) bool {
			if n++; n%1024 == 0 && ctx.Err() != nil {
				ferr = ctx.Err()
				return false
			}
			row, err := getRow(txn, m.def.ID, id)
			if errors.Is(err, engine.ErrRowNotFound) {
				return true
			}
			if err != nil {
				ferr = err
				return false
			}
			return emit(row)
		}
		if indexCandidates(txn, m, groups, fetch) {
			if ferr != nil {
				return ferr
			}
		} else {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: tblRowPrefix(m.def.ID), PrefetchValues: true, PrefetchSize: 256})
			defer it.Close()
			n := 0
			for it.Rewind(); it.Valid(); it.Next() {
				if n++; n%1024 == 0 && ctx.Err() != nil {
					return ctx.Err()
				}
				var row engine.Row
				if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &row) }); err != nil {
					return err
				}
				if !emit(row) {
					break
				}
			}
		}
		if sortType != nil {
			sort.SliceStable(out, func(i, j int) bool {
				a, b := out[i][opt.Sort], out[j][opt.Sort]
				// empty values sort last in either direction
				if engine.IsEmpty(a) != engine.IsEmpty(b) {
					return engine.IsEmpty(b)
				}
				c, ok := compareCol(sortType, a, b)
				if !ok {
					return false
				}
				if opt.Desc {
					return c > 0
				}
				return c < 0
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if opt.Offset > 0 {
		if opt.Offset >= len(out) {
			return []engine.Row{}, nil
		}
		out = out[opt.Offset:]
	}
	if opt.Limit > 0 && len(out) > opt.Limit {
		out = out[:opt.Limit]
	}
	if out == nil {
		out = []engine.Row{}
	}
	return out, nil
}

// indexCandidates feeds candidate row ids, in row order, to fn (until it
// returns false) when every OR-group has an "=" clause answered from the
// equality index (or directly, for Row ID); it reports false, calling nothing,
// when the search needs a scan.
func indexCandidates(txn *badger.Txn, m *tableMeta, groups [][]clause, fn func(id string) bool) bool {
	if len(groups) == 0 {
		return false
	}
	picks := make([]*clause, len(groups))
	for i, g := range groups {
		if picks[i] = indexClause(g); picks[i] == nil || isSystem(picks[i].col) && picks[i].col != engine.ColRowID {
			return false // Created/Updated have no index
		}
	}
	// each walks the ids of one clause in row order
	each := func(c *clause, fn func(id string) bool) {
		if c.col == engine.ColRowID {
			fn(c.text)
			return
		}
		prefix := tblIndexColPrefix(m.def.ID, c.col, c.text)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().Key()
			if len(k) != len(prefix)+rowIDLen {
				continue // a longer value that shares this prefix
			}
			if !fn(string(k[len(prefix):])) {
				return
			}
		}
	}
	if len(picks) == 1 {
		each(picks[0], fn)
		return true
	}
	seen := map[string]bool{}
	var ids []string
	for _, c := range picks {
		each(c, func(id string) bool {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
			return true
		})
	}
	sort.Strings(ids)
	for _, id := range ids {
		if !fn(id) {
			break
		}
	}
	return true
}

// scanRows reads up to n rows after key after (nil = from the start).
func scanRows(txn *badger.Txn, table string, after []byte, n int) ([]engine.Row, []byte, error) {
	prefix := tblRowPrefix(table)
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true})
	defer it.Close()
	if after == nil {
		it.Rewind()
	} else {
		it.Seek(after)
		if it.Valid() && bytes.Equal(it.Item().Key(), after) {
			it.Next()
		}
	}
	var rows []engine.Row
	var last []byte
	for ; it.Valid() && len(rows) < n; it.Next() {
		var row engine.Row
		if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &row) }); err != nil {
			return nil, nil, err
		}
		rows = append(rows, row)
		last = it.Item().KeyCopy(nil)
	}
	return rows, last, nil
}

// --- CSV ---

// ImportCSV adds the rows of a CSV document (header first).
func (s *Store) ImportCSV(ctx context.Context, table string, r io.Reader, opt engine.CSVOptions) (int, error) {
	m, err := s.meta(table)
	if err != nil {
		return 0, err
	}
	cr := csv.NewReader(r)
	if opt.Delimiter != 0 {
		cr.Comma = opt.Delimiter
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("csv header: %w", err)
	}
	cols := make([]string, len(header))
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if isSystem(h) {
			continue
		}
		if _, ok := m.types[h]; !ok {
			return 0, fmt.Errorf("csv column %q is not a column of table %q", h, m.def.Name)
		}
		cols[i] = h
	}
	total := 0
	var batch []map[string]any
	flush := func() error {
		n, err := s.CreateRows(ctx, table, batch)
		total += n
		batch = batch[:0]
		return err
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return total, fmt.Errorf("csv: %w", err)
		}
		vals := make(map[string]any, len(cols))
		for i, c := range cols {
			if c == "" || i >= len(rec) {
				continue
			}
			if rec[i] == "" && m.types[c].Kind != engine.KindString {
				vals[c] = nil
				continue
			}
			vals[c] = rec[i]
		}
		batch = append(batch, vals)
		if len(batch) == batchRows {
			if err := flush(); err != nil {
				return total, fmt.Errorf("csv line %d: %w", line, err)
			}
		}
	}
	if len(batch) > 0 {
		if err := flush(); err != nil {
			return total, err
		}
	}
	return total, nil
}

// ExportCSV writes matching rows as CSV.
func (s *Store) ExportCSV(ctx context.Context, table string, w io.Writer, where []engine.Condition, opt engine.CSVOptions) (int, error) {
	m, err := s.meta(table)
	if err != nil {
		return 0, err
	}
	cols := opt.Columns
	if len(cols) == 0 {
		for _, c := range m.def.Columns {
			cols = append(cols, c.Name)
		}
	}
	for _, c := range cols {
		if _, ok := m.types[c]; !ok {
			return 0, fmt.Errorf("table %q has no column %q", m.def.Name, c)
		}
	}
	rows, err := s.SearchRows(ctx, table, where, engine.SearchOptions{Limit: opt.Limit, Offset: opt.Offset})
	if err != nil {
		return 0, err
	}
	cw := csv.NewWriter(w)
	if opt.Delimiter != 0 {
		cw.Comma = opt.Delimiter
	}
	if err := cw.Write(cols); err != nil {
		return 0, err
	}
	rec := make([]string, len(cols))
	for _, row := range rows {
		for i, c := range cols {
			rec[i] = engine.ToText(row[c])
		}
		if err := cw.Write(rec); err != nil {
			return 0, err
		}
	}
	cw.Flush()
	return len(rows), cw.Error()
}
