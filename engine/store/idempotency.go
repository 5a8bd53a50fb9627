package store

import (
	"context"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
)

// Create Row keeps the row id it made under the card's idempotency key
// (engine.IdempotencyKey: execution and card) for as long as history is
// kept, so a card repeated by a resume after a crash does not add a
// second row.

func idemKey(table, key string) []byte { return []byte("tidem/" + table + "/" + key) }

func (s *Store) idempotentRow(txn *badger.Txn, ctx context.Context, m *tableMeta) (engine.Row, bool) {
	key := engine.IdempotencyKey(ctx)
	if key == "" {
		return nil, false
	}
	item, err := txn.Get(idemKey(m.def.ID, key))
	if err != nil {
		return nil, false
	}
	id, err := item.ValueCopy(nil)
	if err != nil {
		return nil, false
	}
	row, err := getRow(txn, m.def.ID, string(id))
	return row, err == nil
}

func (s *Store) rememberRow(txn *badger.Txn, ctx context.Context, m *tableMeta, row engine.Row) error {
	key := engine.IdempotencyKey(ctx)
	if key == "" {
		return nil
	}
	id, _ := row[engine.ColRowID].(string)
	days := s.opts.HistoryDays
	if days <= 0 {
		days = DefaultHistoryDays
	}
	return txn.SetEntry(badger.NewEntry(idemKey(m.def.ID, key), []byte(id)).WithTTL(time.Duration(days) * 24 * time.Hour))
}
