package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// Issue 15 point 14: an existing data directory with mode 0777 (and a
// loose key file) is made private when opened.
func TestDataDirTightened(t *testing.T) {
	t.Setenv("FLOWBENCH_NO_KEYRING", "1")
	t.Setenv("FLOWBENCH_PASSPHRASE", "")
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil { // past the umask
		t.Fatal(err)
	}
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Chmod(filepath.Join(dir, keyFileName), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, p := range []string{dir, filepath.Join(dir, keyFileName)} {
		st, _ := os.Stat(p)
		t.Logf("%s: %v", filepath.Base(p), st.Mode().Perm())
		if st.Mode().Perm()&0o077 != 0 {
			t.Fatalf("%s is %v", p, st.Mode().Perm())
		}
	}
}

// A passphrase seals the headless key file: the folder alone opens
// nothing, a wrong passphrase is refused, the right one reads the data; a
// plain key file from before is sealed on the first open with a passphrase.
func TestPassphraseSealsTheKey(t *testing.T) {
	t.Setenv("FLOWBENCH_NO_KEYRING", "1")
	dir := filepath.Join(t.TempDir(), "data")
	t.Setenv("FLOWBENCH_PASSPHRASE", "")
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := &engine.Flow{Format: engine.FlowFormat, ID: "kept", Name: "kept", Trigger: engine.Card{ID: "trigger", Type: "flow.manual"}, Cards: []engine.Card{}}
	if err := s.PutFlow(f); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(filepath.Join(dir, keyFileName)); err != nil {
		t.Fatal("no plain key file before the passphrase")
	}
	t.Setenv("FLOWBENCH_PASSPHRASE", "correct horse battery staple")
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Flow(t.Context(), "kept"); err != nil {
		t.Fatalf("data lost when sealing the key: %v", err)
	}
	s.Close()
	if _, err := os.Stat(filepath.Join(dir, keyFileName)); !os.IsNotExist(err) {
		t.Fatal("the plain key file is still beside the data")
	}
	for pass, want := range map[string]string{"wrong": "wrong passphrase", "": "sealed with a passphrase"} {
		t.Setenv("FLOWBENCH_PASSPHRASE", pass)
		if _, err := Open(dir, Options{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("passphrase %q: %v", pass, err)
		}
	}
	pf := filepath.Join(t.TempDir(), "pass")
	os.WriteFile(pf, []byte("correct horse battery staple\n"), 0o600)
	t.Setenv("FLOWBENCH_PASSPHRASE", "")
	t.Setenv("FLOWBENCH_PASSPHRASE_FILE", pf)
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Flow(t.Context(), "kept"); err != nil {
		t.Fatal(err)
	}
}
