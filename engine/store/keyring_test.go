package store

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/flowbench/flowbench/engine"
)

func putSecret(t *testing.T, dir, value string) {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.PutConnection(&engine.Connection{ID: "prod", Name: "Prod", Kind: "okta", Secrets: map[string]string{"apiToken": value}}); err != nil {
		t.Fatal(err)
	}
}

func secretOf(t *testing.T, dir string) (string, error) {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		return "", err
	}
	defer s.Close()
	c, err := s.Connection(t.Context(), "prod")
	if err != nil {
		t.Fatal(err)
	}
	return c.Secrets["apiToken"], nil
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// Without a keyring the key file is the key's home; a folder whose key is
// gone is refused rather than given a new key.
func TestKeyFileFallback(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	dir := t.TempDir()
	putSecret(t, dir, "tok-1")
	if where, _ := KeyLocation(dir); where != "file" || exists(filepath.Join(dir, keyringRefName)) {
		t.Fatalf("key in %s", where)
	}
	if fi, err := os.Stat(filepath.Join(dir, keyFileName)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v %v", fi, err)
	}
	if v, err := secretOf(t, dir); err != nil || v != "tok-1" {
		t.Fatalf("secret %q %v", v, err)
	}
	os.Remove(filepath.Join(dir, keyFileName))
	if _, err := secretOf(t, dir); err == nil || !strings.Contains(err.Error(), "data key of") || exists(filepath.Join(dir, keyFileName)) {
		t.Fatalf("missing key: %v", err)
	}
	// a folder whose key is in a keyring this session cannot reach
	os.WriteFile(filepath.Join(dir, keyringRefName), []byte("data-key-x\n"), 0o600)
	if _, err := secretOf(t, dir); err == nil || !strings.Contains(err.Error(), "flowbench keyring to-file") {
		t.Fatalf("unreachable keyring: %v", err)
	}
}

// TestKeyringSecretService runs against a real Secret Service:
// gnome-keyring-daemon on a private D-Bus session (dbus-run-session), with
// a throwaway HOME. The test re-runs itself inside that session.
func TestKeyringSecretService(t *testing.T) {
	if os.Getenv("FLOWBENCH_KEYRING_SESSION") == "" {
		for _, tool := range []string{"dbus-run-session", "gnome-keyring-daemon"} {
			if _, err := exec.LookPath(tool); err != nil {
				t.Fatalf("%s is missing: apt-get install dbus-daemon gnome-keyring (make deps installs them)", tool)
			}
		}
		home := t.TempDir()
		script := `printf flowbench | gnome-keyring-daemon --foreground --unlock --components=secrets >"$HOME/gk.log" 2>&1 & gk=$!
for i in $(seq 1 100); do grep -q GNOME_KEYRING_CONTROL "$HOME/gk.log" && break; sleep 0.1; done
"$0" -test.run '^TestKeyringSecretService$' -test.v -test.count=1; rc=$?
kill $gk; wait $gk 2>/dev/null; exit $rc`
		cmd := exec.Command("dbus-run-session", "--", "sh", "-c", script, os.Args[0])
		cmd.Env = append(os.Environ(), "FLOWBENCH_KEYRING_SESSION=1", "HOME="+home, "XDG_DATA_HOME="+home+"/data",
			"XDG_CACHE_HOME="+home+"/cache", "FLOWBENCH_NO_KEYRING=")
		out, err := cmd.CombinedOutput()
		if testing.Verbose() {
			t.Logf("%s", out)
		}
		if err != nil || !strings.Contains(string(out), "--- PASS: TestKeyringSecretService") {
			t.Fatalf("in the keyring session: %v\n%s", err, out)
		}
		return
	}
	if !keyringReachable() {
		t.Fatal("no Secret Service on the session bus")
	}
	base := t.TempDir()
	dir := filepath.Join(base, "data")

	// a new folder keeps its key in the keyring, not in a file
	putSecret(t, dir, "tok-1")
	where, entry := KeyLocation(dir)
	if where != "keyring" || exists(filepath.Join(dir, keyFileName)) {
		t.Fatalf("new folder: key in %s %s", where, entry)
	}
	ref := keyringRef(dir)
	if s, err := keyring.Get(keyringService, ref); err != nil || len(s) != 44 {
		t.Fatalf("keyring entry %s: %v", ref, err)
	}
	if v, err := secretOf(t, dir); err != nil || v != "tok-1" {
		t.Fatalf("reopen: %q %v", v, err)
	}
	// the folder moves on disk: the entry goes with it
	moved := filepath.Join(base, "moved")
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	dir = moved
	if v, err := secretOf(t, dir); err != nil || v != "tok-1" {
		t.Fatalf("after a rename: %q %v", v, err)
	}
	// FLOWBENCH_NO_KEYRING: refused with the way out, no new key made
	t.Setenv("FLOWBENCH_NO_KEYRING", "1")
	if _, err := secretOf(t, dir); err == nil || !strings.Contains(err.Error(), "keyring to-file") || exists(filepath.Join(dir, keyFileName)) {
		t.Fatalf("headless open of a keyring folder: %v", err)
	}
	// keyring → file: the headless fallback reads it; the entry is gone
	if err := MoveKeyToFile(dir); err != nil {
		t.Fatal(err)
	}
	if where, _ := KeyLocation(dir); where != "file" {
		t.Fatalf("after to-file: %s", where)
	}
	if _, err := keyring.Get(keyringService, ref); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("keyring entry still there: %v", err)
	}
	if v, err := secretOf(t, dir); err != nil || v != "tok-1" {
		t.Fatalf("headless after to-file: %q %v", v, err)
	}
	putSecret(t, dir, "tok-2") // written with the file key
	// file → keyring: opening with the keyring moves the key in
	t.Setenv("FLOWBENCH_NO_KEYRING", "")
	if v, err := secretOf(t, dir); err != nil || v != "tok-2" {
		t.Fatalf("back with the keyring: %q %v", v, err)
	}
	if where, _ := KeyLocation(dir); where != "keyring" || exists(filepath.Join(dir, keyFileName)) {
		t.Fatalf("file key not moved into the keyring: %s", where)
	}
	// and out again explicitly, then in explicitly
	if err := MoveKeyToFile(dir); err != nil {
		t.Fatal(err)
	}
	if err := MoveKeyToKeyring(dir); err != nil {
		t.Fatal(err)
	}
	if v, err := secretOf(t, dir); err != nil || v != "tok-2" {
		t.Fatalf("after to-file and to-keyring: %q %v", v, err)
	}
	// a key that the keyring lost, with no file: refused, not replaced
	if err := keyring.Delete(keyringService, keyringRef(dir)); err != nil {
		t.Fatal(err)
	}
	if _, err := secretOf(t, dir); err == nil || !strings.Contains(err.Error(), "not in this keyring") {
		t.Fatalf("lost entry: %v", err)
	}
}
