package app

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/flowbench/flowbench/engine/store"
)

func init() { RegisterCommand((*CLI).keyringCmd) }

func (c *CLI) keyringCmd() *cobra.Command {
	dir := func() string {
		if c.dataDir != "" {
			return c.dataDir
		}
		return store.DefaultDir()
	}
	cmd := &cobra.Command{
		Use:   "keyring",
		Short: "Show or move where the data key is kept",
		Long: `The data folder is encrypted with a data key. Where a desktop session offers an
OS keyring (Secret Service / GNOME Keyring or KWallet on Linux, the macOS
Keychain, the Windows Credential Manager) the key is kept there; otherwise, and
with FLOWBENCH_NO_KEYRING set, in the file "key" beside the data (sealed in
"key.sealed" when FLOWBENCH_PASSPHRASE or FLOWBENCH_PASSPHRASE_FILE is set).

A folder with a key file that is opened where a keyring is reachable moves its
key into the keyring by itself. Before taking a folder to a machine without a
keyring, move the key into the file with "flowbench keyring to-file" (and set
FLOWBENCH_NO_KEYRING=1 where it should stay in the file).`,
		Example: `  flowbench keyring
  flowbench keyring to-file
  flowbench keyring to-keyring`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return c.keyringStatus(dir()) },
	}
	status := &cobra.Command{
		Use:     "status",
		Short:   "Say where the data key is",
		Example: "  flowbench keyring status --data ~/flows",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return c.keyringStatus(dir()) },
	}
	toFile := &cobra.Command{
		Use:     "to-file",
		Short:   "Move the data key from the OS keyring into the key file",
		Example: "  flowbench keyring to-file && FLOWBENCH_NO_KEYRING=1 flowbench flows",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := store.MoveKeyToFile(dir()); err != nil {
				return err
			}
			return c.keyringStatus(dir())
		},
	}
	toKeyring := &cobra.Command{
		Use:     "to-keyring",
		Short:   "Move the data key from the key file into the OS keyring",
		Example: "  flowbench keyring to-keyring",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := store.MoveKeyToKeyring(dir()); err != nil {
				return err
			}
			return c.keyringStatus(dir())
		},
	}
	cmd.AddCommand(status, toFile, toKeyring)
	return cmd
}

func (c *CLI) keyringStatus(dir string) error {
	where, detail := store.KeyLocation(dir)
	if where != "keyring" {
		if _, err := os.Stat(filepath.Join(dir, "key.sealed")); err == nil {
			where, detail = "sealed", filepath.Join(dir, "key.sealed")
		}
	}
	switch where {
	case "sealed":
		fmt.Fprintf(c.Stdout, "data key of %s: sealed with a passphrase in %s\n", dir, detail)
	case "keyring":
		fmt.Fprintf(c.Stdout, "data key of %s: in the OS keyring (%s)\n", dir, detail)
	case "file":
		fmt.Fprintf(c.Stdout, "data key of %s: in the key file %s\n", dir, detail)
	default:
		fmt.Fprintf(c.Stdout, "data key of %s: not created yet\n", dir)
	}
	return nil
}
