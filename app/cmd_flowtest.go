package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/flowtest"
	"github.com/spf13/cobra"
)

func init() { RegisterCommand((*CLI).testCmd) }

func (c *CLI) testCmd() *cobra.Command {
	var junit string
	var verbose bool
	cmd := &cobra.Command{
		Use:   "test [DIR|FILE...]",
		Short: "Run flow tests (*.test.json) without the network",
		Long: `Run the flow tests stored beside the flows: every *.test.json under DIR (default: the
current folder). A test file names its flow (default: the file of the same name ending in
.flow.json; when no file has that name, the flow file beside it whose flow has that name or
id, as flowbench export names files by id); each case gives the trigger input, the recorded
responses of the outside calls the cards make (keyed by card, in call order) and the
expected status and outputs of cards. Calls are answered from the recording: a call the
test did not record fails the test, and nothing is sent over the network. Helper flows are
found among the *.flow.json files under DIR. Save a test from a run with "Save as test" in
History, then "Download test".
Exit status 0 when every test passes, 1 when one fails.`,
		Example: `  flowbench test examples
  flowbench test flows/ --junit build/flow-tests.xml
  flowbench test flows/deprovision.test.json -v`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			suites, err := runTestFiles(cmd, args)
			if err != nil {
				return err
			}
			passed, failed := 0, 0
			for _, s := range suites {
				if s.Error != "" {
					failed++
					fmt.Fprintf(c.Stdout, "✗ %s\n    %s\n", s.Name, strings.TrimPrefix(s.Error, s.Name+": "))
					continue
				}
				for _, r := range s.Results {
					if r.Passed {
						passed++
						if verbose {
							fmt.Fprintf(c.Stdout, "✓ %s › %s\n", s.Name, r.Case)
						}
						continue
					}
					failed++
					fmt.Fprintf(c.Stdout, "✗ %s › %s\n", s.Name, r.Case)
					for _, f := range r.Failures {
						fmt.Fprintf(c.Stdout, "    %s\n", f)
					}
				}
			}
			fmt.Fprintf(c.Stdout, "%d passed, %d failed (%d test files)\n", passed, failed, len(suites))
			if junit != "" {
				if err := writeJUnit(junit, suites); err != nil {
					return err
				}
			}
			if failed > 0 {
				return exitError{ExitFailed}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&junit, "junit", "", "also write the results as JUnit XML to this file")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list passing tests too")
	return cmd
}

func writeJUnit(path string, suites []flowtest.Suite) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := flowtest.WriteJUnit(f, suites); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// runTestFiles finds the test files under args and runs them.
func runTestFiles(cmd *cobra.Command, args []string) ([]flowtest.Suite, error) {
	var tests []string
	flows := map[string]string{} // flow file path -> "" (helpers are loaded from every flow file)
	for _, a := range args {
		st, err := os.Stat(a)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, usagef("test: %s: no such file or folder", a)
		}
		if err != nil {
			return nil, usagef("test: %v", err)
		}
		if !st.IsDir() {
			if !strings.HasSuffix(a, ".test.json") {
				return nil, usagef("test: %s is not a *.test.json file", a)
			}
			tests = append(tests, a)
			dir := filepath.Dir(a)
			matches, _ := filepath.Glob(filepath.Join(dir, "*.flow.json"))
			for _, m := range matches {
				flows[m] = ""
			}
			continue
		}
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && p != a && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			switch {
			case strings.HasSuffix(p, ".test.json"):
				tests = append(tests, p)
			case strings.HasSuffix(p, ".flow.json"):
				flows[p] = ""
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(tests) == 0 {
		return nil, fmt.Errorf("no *.test.json files under %s", strings.Join(args, ", "))
	}
	sort.Strings(tests)
	// every flow file: the flows under test and their helpers (by id)
	byPath := map[string]*engine.Flow{}
	helpers := engine.FlowMap{}
	loadErr := map[string]string{}
	for p := range flows {
		f, err := loadFlowFile(p)
		if err != nil {
			loadErr[p] = err.Error()
			continue
		}
		byPath[filepath.Clean(p)] = f
		helpers[f.ID] = f
	}
	var suites []flowtest.Suite
	for _, tp := range tests {
		s := flowtest.Suite{Name: tp}
		data, err := os.ReadFile(tp)
		if err != nil {
			s.Error = err.Error()
			suites = append(suites, s)
			continue
		}
		tf, err := flowtest.Parse(tp, data)
		if err != nil {
			s.Error = err.Error()
			suites = append(suites, s)
			continue
		}
		fp := strings.TrimSuffix(tp, ".test.json") + ".flow.json"
		if tf.Flow != "" {
			fp = filepath.Join(filepath.Dir(tp), tf.Flow)
		}
		fp = filepath.Clean(fp)
		f := byPath[fp]
		if f == nil {
			if msg, ok := loadErr[fp]; ok {
				s.Error = msg
			} else if g, gerr := loadFlowFile(fp); gerr != nil {
				if errors.Is(gerr, fs.ErrNotExist) {
					f, s.Error = flowBesideTest(byPath, fp)
				} else {
					s.Error = fmt.Sprintf("its flow %s: %v", fp, gerr)
				}
			} else {
				f = g
				helpers[g.ID] = g
			}
		}
		if f != nil {
			s.Flow = f.Name
			if msg := missingHelpers(f, helpers, tf.Helpers, filepath.Dir(tp)); msg != "" {
				s.Error = msg
				suites = append(suites, s)
				continue
			}
			for i := range tf.Cases {
				s.Results = append(s.Results, flowtest.Run(cmd.Context(), engine.Default(), f, helpers, &tf.Cases[i]))
			}
		}
		suites = append(suites, s)
	}
	return suites, nil
}

func loadFlowFile(p string) (*engine.Flow, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	return engine.ParseFlow(p, data)
}
