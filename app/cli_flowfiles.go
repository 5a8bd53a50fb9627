package app

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/flowbench/flowbench/connectors/kit"
)

// flowFileSuffixes are the files a folder argument stands for.
var flowFileSuffixes = []string{".flow.json", ".folder.json", ".flopack", ".flow", ".folder"}

// expandFlowDirs replaces each folder among args by the flow files under it
// (native and Okta exports, sorted; hidden folders and node_modules
// skipped), so `flowbench validate flows/` checks a repository of exported
// flows (it said "read flows/: is a directory"). A folder without any is a
// usage error naming it; files stay as given.
func expandFlowDirs(cmd string, args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil || !st.IsDir() {
			out = append(out, a) // the command reports a missing file itself
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != a && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
					return filepath.SkipDir
				}
				return nil
			}
			for _, suf := range flowFileSuffixes {
				if strings.HasSuffix(p, suf) {
					found = append(found, p)
					break
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, usagef("%s: no flow files (%s) under %s", cmd, strings.Join(flowFileSuffixes, ", "), a)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// sandboxConnectionIDs are the connections run, serve and the window
// provide by themselves: the sandbox Okta tenant's and each local fake's
// (sandbox-<app>), which a data folder only the CLI has opened does not
// hold yet. Worked out once (it makes every app's fake): `import DIR` asks
// for each file.
var sandboxConnectionIDs = sync.OnceValue(func() []string {
	ids := []string{SandboxConnectionID}
	for _, name := range kit.Fakes() {
		f, err := kit.NewFake(name)
		if err != nil {
			continue
		}
		r := &kit.RunningFake{App: name, Fake: f, URL: "http://127.0.0.1:0"}
		for _, c := range r.Connections() {
			ids = append(ids, c.ID)
		}
	}
	return ids
})
