package app

import (
	"fmt"
	"os"

	"github.com/flowbench/flowbench/engine"
	"github.com/spf13/cobra"
)

func init() { RegisterCommand((*CLI).diffCmd) }

// Exit statuses of diff, as diff(1).
const (
	diffSame      = 0
	diffDifferent = 1
	diffTrouble   = 2
)

func (c *CLI) diffCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "diff A.flow.json B.flow.json",
		Short: "Show the card-level differences between two flow files",
		Long: `Compare two versions of a flow card by card, as the designer's Versions panel
does: cards added, removed and moved, and inputs, bindings and settings changed.
Cards are the same card when they have the same id.

Exit status as diff(1): 0 no differences, 1 differences, 2 trouble.

As a git diff driver for *.flow.json (git passes 7 arguments: path old-file
old-hex old-mode new-file new-hex new-mode; /dev/null for a side that does
not exist). In that form the status is 0 whenever the files could be
compared, since git stops at any other status:

  echo '*.flow.json diff=flowbench' >> .gitattributes
  git config diff.flowbench.command 'flowbench diff'`,
		Example: `  flowbench diff greet.flow.json greet-new.flow.json
  git diff -- flows/greet.flow.json   # with the diff driver set up`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 && len(args) != 7 {
				return usagef("diff: give two flow files (or git's 7 diff driver arguments)")
			}
			return nil
		},
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			nameA, fileA, nameB, fileB := args[0], args[0], args[1], args[1]
			git := len(args) == 7
			if git {
				nameA, fileA, nameB, fileB = "a/"+args[0], args[1], "b/"+args[0], args[4]
			}
			fa, err := readDiffSide(fileA, nameA)
			if err != nil {
				fmt.Fprintln(c.Stderr, "flowbench diff:", err)
				return exitError{diffTrouble}
			}
			fb, err := readDiffSide(fileB, nameB)
			if err != nil {
				fmt.Fprintln(c.Stderr, "flowbench diff:", err)
				return exitError{diffTrouble}
			}
			d := engine.DiffFlows(fa, fb)
			fmt.Fprint(c.Stdout, d.Text(nameA, nameB))
			if d.Same || git {
				return nil
			}
			return exitError{diffDifferent}
		},
	}
}

// readDiffSide reads one flow file; /dev/null (a side git does not have)
// is no flow at all.
func readDiffSide(file, name string) (*engine.Flow, error) {
	if file == os.DevNull || file == "/dev/null" { // git writes /dev/null on every OS
		return nil, nil
	}
	data, err := engine.ReadFileBounded(file)
	if err != nil {
		return nil, err
	}
	folder, err := engine.ParseFile(name, data)
	if err != nil {
		return nil, err
	}
	if len(folder.Flows) != 1 {
		return nil, fmt.Errorf("%s holds %d flows; diff compares one flow file with another", name, len(folder.Flows))
	}
	return folder.Flows[0], nil
}
