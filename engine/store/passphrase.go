package store

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/scrypt"
)

// Headless machines without an OS keyring keep the data key in the file
// "key" beside the data (0600): anyone who can read the data folder can
// read the key. With a passphrase (FLOWBENCH_PASSPHRASE, or
// FLOWBENCH_PASSPHRASE_FILE naming a file that holds it, e.g. a systemd or
// Docker secret) the key is kept only sealed, in "key.sealed": AES-256-GCM
// under a key derived from the passphrase with scrypt (N=2^15, r=8, p=1),
// so a copy of the folder is useless without the passphrase. An existing
// plain key file is sealed (and removed) the first time the folder is
// opened with a passphrase; a wrong passphrase is refused, never replaced.

const sealedKeyName = "key.sealed"

// scrypt cost: about 50 ms and 32 MB per open on a laptop.
const scryptN, scryptR, scryptP = 1 << 15, 8, 1

type sealedKey struct {
	KDF    string `json:"kdf"` // "scrypt"
	N      int    `json:"n"`
	R      int    `json:"r"`
	P      int    `json:"p"`
	Salt   []byte `json:"salt"`
	Nonce  []byte `json:"nonce"`
	Sealed []byte `json:"sealed"`
}

// Passphrase returns the configured passphrase ("" for none).
func Passphrase() (string, error) {
	if p := os.Getenv("FLOWBENCH_PASSPHRASE"); p != "" {
		return p, nil
	}
	if f := os.Getenv("FLOWBENCH_PASSPHRASE_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("FLOWBENCH_PASSPHRASE_FILE: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	return "", nil
}

func deriveKEK(pass string, sk *sealedKey) (cipher.AEAD, error) {
	kek, err := scrypt.Key([]byte(pass), sk.Salt, sk.N, sk.R, sk.P, 32)
	if err != nil {
		return nil, err
	}
	blk, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(blk)
}

// sealKey writes the data key k sealed under pass into dir/key.sealed.
func sealKey(dir, pass string, k []byte) error {
	sk := &sealedKey{KDF: "scrypt", N: scryptN, R: scryptR, P: scryptP, Salt: make([]byte, 16), Nonce: make([]byte, 12)}
	if _, err := rand.Read(sk.Salt); err != nil {
		return err
	}
	if _, err := rand.Read(sk.Nonce); err != nil {
		return err
	}
	aead, err := deriveKEK(pass, sk)
	if err != nil {
		return err
	}
	sk.Sealed = aead.Seal(nil, sk.Nonce, k, []byte("flowbench data key"))
	b, err := json.Marshal(sk)
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, sealedKeyName+".tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, sealedKeyName)); err != nil {
		return err
	}
	got, err := openSealedKey(dir, pass)
	if err != nil || !bytes.Equal(got, k) {
		return fmt.Errorf("the sealed key does not open again: %v", err)
	}
	return nil
}

// openSealedKey reads dir/key.sealed with pass; (nil, nil) when there is none.
func openSealedKey(dir, pass string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(dir, sealedKeyName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read sealed key: %w", err)
	}
	var sk sealedKey
	if err := json.Unmarshal(b, &sk); err != nil || sk.KDF != "scrypt" || len(sk.Nonce) != 12 {
		return nil, fmt.Errorf("the sealed key %s is damaged", filepath.Join(dir, sealedKeyName))
	}
	if pass == "" {
		return nil, fmt.Errorf("the data key of %s is sealed with a passphrase: set FLOWBENCH_PASSPHRASE (or FLOWBENCH_PASSPHRASE_FILE)", dir)
	}
	aead, err := deriveKEK(pass, &sk)
	if err != nil {
		return nil, err
	}
	k, err := aead.Open(nil, sk.Nonce, sk.Sealed, []byte("flowbench data key"))
	if err != nil || len(k) != 32 {
		return nil, fmt.Errorf("wrong passphrase for the data key of %s", dir)
	}
	return k, nil
}

// passphraseKey is loadKey for a folder opened with a passphrase, or one
// whose key is sealed. handled is false when neither applies (the keyring
// or the plain key file decide).
func passphraseKey(dir string) (k []byte, handled bool, err error) {
	pass, err := Passphrase()
	if err != nil {
		return nil, true, err
	}
	if k, err := openSealedKey(dir, pass); err != nil || k != nil {
		return k, true, err
	}
	if pass == "" || keyringRef(dir) != "" {
		return nil, false, nil // no passphrase, or the key lives in the OS keyring
	}
	file := filepath.Join(dir, keyFileName)
	fk, err := readKeyFile(file)
	if err != nil {
		return nil, true, err
	}
	if fk == nil {
		if hasData(dir) {
			return nil, true, fmt.Errorf("the data key of %s is missing (no key file, no sealed key)", dir)
		}
		fk = make([]byte, 32)
		if _, err := rand.Read(fk); err != nil {
			return nil, true, err
		}
	}
	if err := sealKey(dir, pass, fk); err != nil {
		return nil, true, fmt.Errorf("seal the data key: %w", err)
	}
	if err := os.Remove(file); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, true, err
	}
	return fk, true, nil
}

// tightenDir makes an existing data folder private to its owner (0700): a
// folder created by hand or by an older version with 0777 keeps nobody
// else's access to flows, history and the key.
func tightenDir(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if st.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("make the data directory private (chmod 700 %s): %w", dir, err)
		}
	}
	for _, name := range []string{keyFileName, keyringRefName, sealedKeyName} {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, 0o600); err != nil {
				return err
			}
		}
	}
	return nil
}
