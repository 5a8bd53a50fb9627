package trigger_test

import (
	"fmt"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine/trigger"
)

// storeKeys counts the Badger keys under a prefix.
func storeKeys(t *testing.T, e *env, prefix string) int {
	t.Helper()
	n := 0
	err := e.st.DB().View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix)})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Issue 15 point 10: 2,000 unauthenticated hook requests naming 2,000
// connection ids (and a listening one with a wrong secret) write nothing.
func TestUnauthenticatedHooksWriteNothing(t *testing.T) {
	e := newEnv(t, t.TempDir(), trigger.Options{}).start()
	defer e.close()
	close(freshGate("h1"))
	f := eventFlow("h1")
	f.Trigger.Connection = "okta-prod"
	f.Cards[1].Inputs[0].Value = "h1"
	e.put(f)
	before := storeKeys(t, e, "trg/")
	refused := 0
	for i := range 2000 {
		conn := fmt.Sprintf("conn-%d", i)
		if i%10 == 0 {
			conn = "okta-prod" // listening, but the secret is wrong (and not yet shown)
		}
		r := call(t, "POST", e.srv.URL+"/hooks/test/connection/"+conn, map[string]string{"Authorization": "guess"}, delivery(fmt.Sprintf("ev%d", i)))
		if r.status == 401 || r.status == 404 {
			refused++
		}
	}
	after := storeKeys(t, e, "trg/")
	t.Logf("unauthenticated requests refused: %d of 2000; keys written: %d", refused, after-before)
	if refused != 2000 || after != before {
		t.Fatalf("refused %d of 2000, store keys %d → %d", refused, before, after)
	}
	// the real secret still works once shown
	st := e.rt.State(f)
	if r := call(t, "POST", e.srv.URL+st.Endpoint, map[string]string{"Authorization": st.Secret}, delivery("ok1")); r.status != 200 {
		t.Fatalf("authorized delivery: %d %s", r.status, r.body)
	}
}
