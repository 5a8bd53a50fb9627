package microsoft365

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"testing"
)

// TestMain checks, after a full run (no -run filter), that every operation
// of testdata/graph-openapi.yaml was exchanged by some test: the trimmed
// description holds no operation the connector does not use.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && spec != nil {
		var missed []string
		for _, op := range spec.Operations() {
			if spec.Seen[op] == 0 {
				missed = append(missed, op)
			}
		}
		slices.Sort(missed)
		if len(missed) > 0 {
			fmt.Fprintf(os.Stderr, "TestEveryOperationIsExercised: operations of testdata/graph-openapi.yaml no test exchanged: %v\n", missed)
			code = 1
		}
	}
	os.Exit(code)
}
