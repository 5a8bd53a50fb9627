// Package storetest holds helpers for tests that look into a store's files.
package storetest

import (
	"bytes"

	"github.com/dgraph-io/badger/v4"
)

// Holding reads every key and every value version of a closed store's
// Badger folder dir (decrypted with the data key: the files are encrypted
// at rest) but the connections' own records (where their secrets belong),
// and returns "KEY holds NEEDLE" for each key whose key or value holds a
// needle.
func Holding(dir string, key []byte, needles ...string) ([]string, error) {
	db, err := badger.Open(badger.DefaultOptions(dir).WithEncryptionKey(key).WithIndexCacheSize(1 << 20).WithLogger(nil))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var found []string
	err = db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{AllVersions: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			k := item.KeyCopy(nil)
			if bytes.HasPrefix(k, []byte("conn/")) {
				continue
			}
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			for _, n := range needles {
				if bytes.Contains(k, []byte(n)) || bytes.Contains(v, []byte(n)) {
					found = append(found, string(k)+" holds "+n)
				}
			}
		}
		return nil
	})
	return found, err
}
