package store

import (
	"encoding/json"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
)

// importTableDef records a table definition that came with an import, in
// the same transaction as the flows.
func (s *Store) importTableDef(txn *badger.Txn, t engine.TableDef) error {
	b, err := json.Marshal(t)
	if err != nil {
		return err
	}
	return txn.Set([]byte("tbldef/"+t.ID), b)
}

// ImportedTableDefs lists table definitions recorded by imports.
func (s *Store) ImportedTableDefs() ([]engine.TableDef, error) {
	var out []engine.TableDef
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, Prefix: []byte("tbldef/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var t engine.TableDef
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &t) }); err != nil {
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	return out, err
}
