package storetest

import (
	"bytes"
	"slices"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

func TestHoldingFindsNeedlesButInConnections(t *testing.T) {
	dir := t.TempDir()
	key := bytes.Repeat([]byte{7}, 32)
	db, err := badger.Open(badger.DefaultOptions(dir).WithEncryptionKey(key).WithIndexCacheSize(1 << 20).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(txn *badger.Txn) error {
		for k, v := range map[string]string{"exec/1": "token s3cret", "conn/okta": "s3cret", "s3cret-key": "x", "exec/2": "clean"} {
			if err := txn.Set([]byte(k), []byte(v)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	found, err := Holding(dir, key, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(found)
	if want := []string{"exec/1 holds s3cret", "s3cret-key holds s3cret"}; !slices.Equal(found, want) {
		t.Fatalf("found %q, want %q", found, want)
	}
	if _, err := Holding(dir, bytes.Repeat([]byte{8}, 32), "s3cret"); err == nil {
		t.Fatal("opened with the wrong key")
	}
}
