package app

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// exportSelectors names what was given, for the conflicting-selectors error.
func exportSelectors(ids []string, all bool, folder string) string {
	var parts []string
	if len(ids) > 0 {
		parts = append(parts, "flow ids "+strings.Join(ids, " "))
	}
	if all {
		parts = append(parts, "--all")
	}
	if folder != "" {
		parts = append(parts, "--folder "+folder)
	}
	return strings.Join(parts, ", ")
}

// staleFlowFiles handles the *.flow.json files in DIR after export --all -o
// DIR that hold no stored flow: a flow deleted (or given another id) since
// the last export. Without prune they are listed on stderr; with prune they
// are removed, so that a Git commit of DIR records the deletion. Only files
// that are native flow files are considered: anything else in DIR is left
// as it is.
func (c *CLI) staleFlowFiles(dir string, exported []string, prune bool) error {
	if dir == "" {
		return nil
	}
	keep := map[string]bool{}
	for _, id := range exported {
		keep[id+".flow.json"] = true
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.flow.json"))
	if err != nil {
		return err
	}
	sort.Strings(names)
	var stale []string
	for _, p := range names {
		if keep[filepath.Base(p)] {
			continue
		}
		data, err := engine.ReadFileBounded(p)
		if err != nil {
			continue
		}
		var head struct {
			Format string `json:"format"`
		}
		if json.Unmarshal(data, &head) != nil || head.Format != engine.FlowFormat {
			continue // not a native flow file: not ours to judge
		}
		stale = append(stale, p)
	}
	for _, p := range stale {
		if prune {
			if err := os.Remove(p); err != nil {
				return err
			}
			fmt.Fprintln(c.Stderr, "removed", p, "(no stored flow exports to it)")
		} else {
			fmt.Fprintln(c.Stderr, "stale:", p, "(no stored flow exports to it: deleted, or its id changed; --prune removes it)")
		}
	}
	return nil
}
