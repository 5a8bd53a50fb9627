package store

import (
	"bytes"
	"encoding/base64"
	"os"
	"os/exec"
	"strings"
)

// The data key lives in the OS keyring (Secret Service via secret-tool)
// when a desktop session offers one; headless machines use the key file.

func keyringAvailable() bool {
	if os.Getenv("FLOWBENCH_NO_KEYRING") != "" || os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return false
	}
	_, err := exec.LookPath("secret-tool")
	return err == nil
}

func keyringGet(dir string) ([]byte, bool) {
	if !keyringAvailable() {
		return nil, false
	}
	out, err := exec.Command("secret-tool", "lookup", "application", "flowbench", "data", dir).Output()
	if err != nil {
		return nil, false
	}
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(out)))
	if err != nil || len(k) != 32 {
		return nil, false
	}
	return k, true
}

func keyringSet(dir string, k []byte) bool {
	if !keyringAvailable() {
		return false
	}
	cmd := exec.Command("secret-tool", "store", "--label=Flowbench data key", "application", "flowbench", "data", dir)
	cmd.Stdin = bytes.NewReader([]byte(base64.StdEncoding.EncodeToString(k)))
	return cmd.Run() == nil
}
