package store

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

// The data key (Badger's 32-byte encryption key) lives in the OS keyring
// when one is reachable: the Secret Service over D-Bus on Linux (GNOME
// Keyring, KeePassXC), the macOS Keychain, the Windows Credential Manager
// (github.com/zalando/go-keyring). Otherwise, and with FLOWBENCH_NO_KEYRING
// set, it lives in the file "key" (0600) beside the data: the headless
// fallback. A data folder moves between the two without loss:
//
//   - a folder with a key file, opened where a keyring is reachable, moves
//     its key into the keyring; the file is removed only once the keyring
//     gives the same key back;
//   - MoveKeyToFile moves it back (before copying the folder to a headless
//     machine, or to keep it in the file with FLOWBENCH_NO_KEYRING);
//   - the file "key.keyring" names the keyring entry, so the folder can be
//     renamed or moved on disk, and a folder whose keyring cannot be reached
//     fails with an error that says so instead of getting a new key (which
//     would make the data unreadable).

const keyringService = "flowbench"

const (
	keyFileName    = "key"
	keyringRefName = "key.keyring"
)

// KeyringDisabled tells whether FLOWBENCH_NO_KEYRING keeps the key in the file.
func KeyringDisabled() bool { return os.Getenv("FLOWBENCH_NO_KEYRING") != "" }

// keyringReachable probes the OS keyring: a lookup of an entry that does
// not exist answers "not found" when a keyring service is there.
func keyringReachable() bool {
	if runtime.GOOS == "linux" && os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return false // no session bus: no Secret Service (and no D-Bus autolaunch attempts)
	}
	_, err := keyring.Get(keyringService, "probe")
	return err == nil || errors.Is(err, keyring.ErrNotFound)
}

// useKeyring: the keyring when one is reachable and not switched off. Test
// binaries keep keys in files (their temporary folders would otherwise leave
// entries in the developer's keyring), except in the keyring test's own
// D-Bus session.
func useKeyring() bool {
	if testing.Testing() && os.Getenv("FLOWBENCH_KEYRING_SESSION") == "" {
		return false
	}
	return !KeyringDisabled() && keyringReachable()
}

func readKeyFile(p string) ([]byte, error) {
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read encryption key: %w", err)
	}
	if len(b) != 32 {
		return nil, fmt.Errorf("encryption key file %s is damaged (want 32 bytes, got %d)", p, len(b))
	}
	return b, nil
}

func keyringRef(dir string) string {
	b, _ := os.ReadFile(filepath.Join(dir, keyringRefName))
	return strings.TrimSpace(string(b))
}

func keyringGet(account string) ([]byte, error) {
	s, err := keyring.Get(keyringService, account)
	if err != nil {
		return nil, err
	}
	k, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(k) != 32 {
		return nil, fmt.Errorf("keyring entry %s/%s is not a Flowbench data key", keyringService, account)
	}
	return k, nil
}

// keyringPut stores k under a new entry, reads it back, and records the
// entry beside the data.
func keyringPut(dir string, k []byte) error {
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	account := "data-key-" + hex.EncodeToString(id)
	if err := keyring.Set(keyringService, account, base64.StdEncoding.EncodeToString(k)); err != nil {
		return err
	}
	if got, err := keyringGet(account); err != nil || !bytes.Equal(got, k) {
		_ = keyring.Delete(keyringService, account)
		return fmt.Errorf("the keyring did not give the key back: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, keyringRefName), []byte(account+"\n"), 0o600); err != nil {
		_ = keyring.Delete(keyringService, account)
		return err
	}
	return nil
}

// hasData tells whether the folder already holds an encrypted database.
func hasData(dir string) bool {
	ents, err := os.ReadDir(filepath.Join(dir, "db"))
	return err == nil && len(ents) > 0
}

// loadKey returns the data key of dir, from the keyring or the key file,
// creating it on first use (see the top of this file).
func loadKey(dir string) ([]byte, error) {
	if k, handled, err := passphraseKey(dir); handled {
		return k, err
	}
	file := filepath.Join(dir, keyFileName)
	fk, err := readKeyFile(file)
	if err != nil {
		return nil, err
	}
	ref := keyringRef(dir)
	if !useKeyring() {
		switch {
		case fk != nil:
			return fk, nil
		case ref != "":
			return nil, fmt.Errorf("the data key of %s is in the OS keyring (entry %s/%s), which this session cannot reach "+
				"(no D-Bus session with a Secret Service, or FLOWBENCH_NO_KEYRING is set); open it where the keyring is, "+
				"or there run `flowbench keyring to-file` to move the key into the key file", dir, keyringService, ref)
		case hasData(dir):
			return nil, fmt.Errorf("the data key of %s is missing (no key file %s, no keyring entry)", dir, file)
		}
		k := make([]byte, 32)
		if _, err := rand.Read(k); err != nil {
			return nil, err
		}
		if err := os.WriteFile(file, k, 0o600); err != nil {
			return nil, fmt.Errorf("write encryption key: %w", err)
		}
		return k, nil
	}
	if ref != "" {
		k, err := keyringGet(ref)
		switch {
		case err == nil:
			if fk != nil && bytes.Equal(fk, k) {
				_ = os.Remove(file) // a move into the keyring that stopped halfway
			}
			return k, nil
		case fk == nil:
			return nil, fmt.Errorf("the data key of %s is not in this keyring (entry %s/%s): %w", dir, keyringService, ref, err)
		}
		// the entry is gone but the key file is here: use it, move it in again
	}
	if fk != nil {
		if err := keyringPut(dir, fk); err == nil {
			_ = os.Remove(file)
		}
		return fk, nil // if the keyring refused, the file stays the key's home
	}
	if hasData(dir) {
		return nil, fmt.Errorf("the data key of %s is missing (no key file %s, no keyring entry)", dir, file)
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	if err := keyringPut(dir, k); err != nil {
		if werr := os.WriteFile(file, k, 0o600); werr != nil {
			return nil, fmt.Errorf("write encryption key: %w", werr)
		}
	}
	return k, nil
}

// KeyLocation says where the data key of dir is: "keyring" (with the
// entry's name), "file" (with its path), or "none" (not created yet).
func KeyLocation(dir string) (where, detail string) {
	if ref := keyringRef(dir); ref != "" {
		return "keyring", keyringService + "/" + ref
	}
	file := filepath.Join(dir, keyFileName)
	if _, err := os.Stat(file); err == nil {
		return "file", file
	}
	return "none", ""
}

// MoveKeyToFile moves the data key of dir out of the OS keyring into the
// key file. The keyring entry is deleted once the file holds the same key.
func MoveKeyToFile(dir string) error {
	ref := keyringRef(dir)
	if ref == "" {
		if _, err := readKeyFile(filepath.Join(dir, keyFileName)); err != nil {
			return err
		}
		return nil // already in the file (or no key yet)
	}
	if !keyringReachable() {
		return errors.New("the OS keyring cannot be reached from this session (no D-Bus session with a Secret Service)")
	}
	k, err := keyringGet(ref)
	if err != nil {
		return fmt.Errorf("read the data key from the keyring: %w", err)
	}
	file := filepath.Join(dir, keyFileName)
	if err := os.WriteFile(file, k, 0o600); err != nil {
		return fmt.Errorf("write encryption key: %w", err)
	}
	if got, err := readKeyFile(file); err != nil || !bytes.Equal(got, k) {
		return fmt.Errorf("the key file %s does not hold the key after writing it", file)
	}
	if err := os.Remove(filepath.Join(dir, keyringRefName)); err != nil {
		return err
	}
	_ = keyring.Delete(keyringService, ref)
	return nil
}

// MoveKeyToKeyring moves the data key of dir from the key file into the OS
// keyring (what opening the folder does by itself where a keyring is).
func MoveKeyToKeyring(dir string) error {
	if KeyringDisabled() {
		return errors.New("FLOWBENCH_NO_KEYRING is set")
	}
	if !keyringReachable() {
		return errors.New("the OS keyring cannot be reached from this session (no D-Bus session with a Secret Service)")
	}
	if keyringRef(dir) != "" {
		if _, err := loadKey(dir); err != nil {
			return err
		}
		return nil
	}
	fk, err := readKeyFile(filepath.Join(dir, keyFileName))
	if err != nil {
		return err
	}
	if fk == nil {
		return fmt.Errorf("%s has no data key yet", dir)
	}
	if err := keyringPut(dir, fk); err != nil {
		return fmt.Errorf("store the key in the keyring: %w", err)
	}
	return os.Remove(filepath.Join(dir, keyFileName))
}
