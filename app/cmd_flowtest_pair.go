package app

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// flowBesideTest finds the flow a test file names (want, a path whose file
// does not exist) among the flow files loaded from the test's folder, when
// the file is named the other way: the UI downloads "<flow name>.flow.json"
// and "<flow name>.test.json" (the test names that file), while `flowbench
// export` writes "<flow id>.flow.json". So a test saved from History sits
// beside the CLI's export of its flow in a Git repository and still runs.
// A flow is the one when its name or its id makes the wanted file name.
func flowBesideTest(byPath map[string]*engine.Flow, want string) (*engine.Flow, string) {
	dir, base := filepath.Dir(want), filepath.Base(want)
	stem := strings.TrimSuffix(base, ".flow.json")
	var found []*engine.Flow
	var where []string
	for p, f := range byPath {
		if filepath.Dir(p) != dir {
			continue
		}
		if f.ID == stem || strings.EqualFold(f.Name, stem) {
			found = append(found, f)
			where = append(where, p)
		}
	}
	switch len(found) {
	case 1:
		return found[0], ""
	case 0:
		return nil, fmt.Sprintf("its flow %s: no such file, and no flow file in %s holds a flow with that name or id (export it there: flowbench export FLOW-ID -o %s)", want, dir, dir)
	}
	sort.Strings(where)
	return nil, fmt.Sprintf("its flow %s: no such file, and %d flow files in %s hold a flow of that name or id (%s): set \"flow\" in the test file to one of them", want, len(found), dir, strings.Join(where, ", "))
}
