package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/flowbench/flowbench/engine"
	"github.com/spf13/cobra"
)

func init() {
	RegisterCommand((*CLI).importCmd)
	RegisterCommand((*CLI).exportCmd)
}

func (c *CLI) importCmd() *cobra.Command {
	var into string
	var report, asJSON bool
	cmd := &cobra.Command{
		Use:   "import FILE|DIR...",
		Short: "Import flows from a Flowbench or Okta Workflows file",
		Long: `Import a native .flow.json / .folder.json, or an Okta Workflows .flopack,
.flow or .folder export, into the data directory. Tables come along; the
connections the flows need are listed with the command that binds each one.
Several files, or a folder (every flow file under it: a Git repository of
exported flows), are imported in one go, all in one data directory open.`,
		Example: `  flowbench import workflow.flopack --report
  flowbench import greet.flow.json --into "Onboarding"
  flowbench import flows/              # every *.flow.json, *.folder.json, … under flows/`,
		Args: minArgs(1, "one or more files or folders"),
		RunE: func(cmd *cobra.Command, args []string) error {
			files, err := expandFlowDirs("import", args)
			if err != nil {
				return err
			}
			return c.importFiles(cmd.Context(), c.dataDir, files, into, report, asJSON)
		},
	}
	cmd.Flags().StringVar(&into, "into", "", "folder to put the imported flows in")
	cmd.Flags().BoolVar(&report, "report", false, "print the import (mapping) report")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

// importFiles imports each file in turn (one open of the data directory;
// the first that fails stops, naming its file). --json prints one report,
// or a list of them for several files.
func (c *CLI) importFiles(ctx context.Context, dir string, files []string, into string, report, asJSON bool) error {
	for _, file := range files {
		// before opening (and perhaps creating) the data directory
		if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("import: %s: no such file", file)
		} else if err != nil {
			return err
		}
	}
	a, err := c.open(ctx, dir, false)
	if err != nil {
		return err
	}
	defer a.close()
	var reps []any
	for _, file := range files {
		rep, err := c.importFile(a, file, into, report, asJSON)
		if err != nil {
			if len(files) > 1 && !strings.Contains(err.Error(), file) {
				return fmt.Errorf("%s: %w", file, err)
			}
			return err
		}
		reps = append(reps, rep)
	}
	if asJSON {
		if len(reps) == 1 {
			return c.printJSON(reps[0])
		}
		return c.printJSON(reps)
	}
	return nil
}

func (c *CLI) importFile(a *App, file, into string, report, asJSON bool) (any, error) {
	data, err := engine.ReadFileBounded(file)
	if err != nil {
		return nil, err
	}
	rep, err := a.importFile(file, data, into)
	if err != nil {
		return nil, err
	}
	if asJSON {
		return rep, nil
	}
	fmt.Fprintf(c.Stdout, "imported %d flow(s), %d table(s) from %s\n", len(rep.Flows), rep.Tables, file)
	builtin := map[string]bool{}
	for _, id := range sandboxConnectionIDs() {
		builtin[id] = true
	}
	for _, ref := range rep.Connections {
		if builtin[ref.ID] {
			// provided by run, serve and the window (the sandbox tenant, a
			// local fake): there is nothing to bind, whatever this data
			// folder holds yet
			continue
		}
		fmt.Fprintf(c.Stdout, "connection to bind: %q (%s): flowbench connection bind %s CONNECTION\n", ref.Name, ref.Kind, ref.ID)
	}
	if report && rep.Details != nil {
		if s, ok := rep.Details.(fmt.Stringer); ok {
			fmt.Fprintln(c.Stdout, s.String())
		} else {
			_ = c.printJSON(rep.Details)
		}
	}
	return rep, nil
}

func (c *CLI) exportCmd() *cobra.Command {
	var all, prune bool
	var folder, out string
	cmd := &cobra.Command{
		Use:   "export FLOW-ID...|--all|--folder NAME",
		Short: "Export flows as native JSON files (never a secret)",
		Long: `Write flows as deterministic native JSON: one flow to stdout, several flows
into a directory (-o), or a whole folder as one bundle with its helper flows
and tables (--folder). Secrets are never exported.

Keeping flows in Git: export --all -o DIR again after a change; a flow file in
DIR that no stored flow exports to (deleted, or its id changed) is listed on stderr,
and --prune removes it, so the commit records the deletion.`,
		Example: `  flowbench export my-flow > my-flow.flow.json
  flowbench export --all -o flows/
  flowbench export --all -o flows/ --prune && git add -A flows/
  flowbench export --folder Onboarding -o bundles/`,
		RunE: func(cmd *cobra.Command, ids []string) error {
			if prune && (!all || out == "") {
				return usagef("export --prune: only with --all -o DIR")
			}
			return c.export(cmd.Context(), c.dataDir, ids, all, folder, out, prune)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "export every flow")
	cmd.Flags().StringVar(&folder, "folder", "", "export one folder as a bundle")
	cmd.Flags().StringVarP(&out, "output", "o", "", "directory to write files into (default: stdout)")
	cmd.Flags().BoolVar(&prune, "prune", false, "with --all -o DIR: remove flow files of flows no longer stored")
	return cmd
}

func (c *CLI) export(ctx context.Context, dir string, ids []string, all bool, folder, out string, prune bool) error {
	if folder == "" && !all && len(ids) == 0 {
		return usagef("export: give a flow id, --all or --folder NAME")
	}
	if n := btoi(folder != "") + btoi(all) + btoi(len(ids) > 0); n > 1 {
		return usagef("export: give flow ids, --all or --folder NAME, not several of them (%s)", exportSelectors(ids, all, folder))
	}
	a, err := c.open(ctx, dir, false)
	if err != nil {
		return err
	}
	defer a.close()
	if folder != "" {
		text, err := a.ExportFolder(folder)
		if err != nil {
			return err
		}
		return c.emit(out, slug(folder)+".folder.json", text)
	}
	if all {
		ids = nil
		for _, f := range a.Store.Flows() {
			ids = append(ids, f.ID)
		}
	}
	if len(ids) == 0 {
		return errors.New("export: there are no flows")
	}
	if len(ids) > 1 && out == "" {
		return usagef("export: several flows need -o DIR")
	}
	for _, id := range ids {
		text, err := a.ExportFlow(id)
		if err != nil {
			return err
		}
		if err := c.emit(out, id+".flow.json", text); err != nil {
			return err
		}
	}
	if all {
		return c.staleFlowFiles(out, ids, prune)
	}
	return nil
}

func (c *CLI) emit(dir, name, text string) error {
	if dir == "" {
		_, err := io.WriteString(c.Stdout, text)
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	p, err := engine.ConfinedPath(dir, name) // never outside -o DIR, whatever the name
	if err != nil {
		return err
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		return err
	}
	fmt.Fprintln(c.Stderr, "wrote", p)
	return nil
}
