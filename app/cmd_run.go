package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
	"github.com/flowbench/flowbench/engine/temporal"
)

func init() {
	RegisterCommand((*CLI).runCmd)
	RegisterCommand((*CLI).validateCmd)
}

func (c *CLI) runCmd() *cobra.Command {
	var input, env string
	var asJSON bool
	var tc temporalServe
	cmd := &cobra.Command{
		Use:   "run FILE|FLOW-ID",
		Short: "Run a flow once and print its execution record",
		Long: `Run a flow from a file (.flow.json, .folder.json, Okta .flopack/.flow) or a
stored flow by id, and print what every card did. The run is kept in history.

Without --input the trigger's sample input is used (and flowbench says so on
stderr). A flow that uses the built-in "sandbox" connection gets the in-process
sandbox Okta tenant, so it runs without an Okta account.

With --temporal the run is a workflow on a Temporal cluster, executed by
` + "`flowbench worker`" + ` processes; its record goes to the history of the serve node
the workers report to, and is printed here with the workflow's link.

Its connections are bound in the environment --env names (dev, staging or
prod), else in the one switched on in the app's top bar; a run in staging or
prod says so on stderr.

Exit status 1 when the flow run failed.`,
		Example: `  flowbench run examples/okta-is-member-of-group.flow.json
  flowbench run greet.flow.json --input '{"name": "Ann"}'
  flowbench run my-flow-id --input @event.json --json
  flowbench run my-flow-id --env staging
  flowbench run examples/okta-is-member-of-group.flow.json --temporal 127.0.0.1:7233`,
		Args: exactArgs(1, "one flow file or flow id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if tc.HostPort != "" { // temporal_serve.go
				return c.runTemporal(cmd.Context(), args[0], input, cmd.Flags().Changed("input"), asJSON, tc)
			}
			if env != "" {
				if err := checkEnv(env); err != nil {
					return usagef("run --env: %v", err)
				}
			}
			return c.run(engine.WithEnvironment(cmd.Context(), env), c.dataDir, args[0], input, cmd.Flags().Changed("input"), asJSON)
		},
	}
	cmd.Flags().StringVar(&input, "input", "", "trigger input as a JSON object, or @FILE to read it from a file")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the execution record as JSON")
	cmd.Flags().StringVar(&env, "env", "", "bind connections in this environment: dev, staging or prod (default: the app's active one)")
	cmd.Flags().StringVar(&tc.HostPort, "temporal", "", "run on this Temporal cluster (frontend `HOST:PORT`) with flowbench workers")
	cmd.Flags().StringVar(&tc.Namespace, "namespace", temporal.DefaultNamespace, "Temporal namespace (with --temporal)")
	cmd.Flags().StringVar(&tc.TaskQueue, "task-queue", temporal.DefaultTaskQueue, "Temporal task queue of the workers (with --temporal)")
	return cmd
}

// usesSandbox tells whether a flow (or one of the helper flows beside it)
// names the built-in sandbox connection.
func usesSandbox(flows ...*engine.Flow) bool {
	var walk func(cards []engine.Card) bool
	walk = func(cards []engine.Card) bool {
		for i := range cards {
			if cards[i].Connection == SandboxConnectionID {
				return true
			}
			for _, b := range cards[i].Branches {
				if walk(b.Cards) {
					return true
				}
			}
		}
		return false
	}
	for _, f := range flows {
		if f.Trigger.Connection == SandboxConnectionID || walk(f.Cards) {
			return true
		}
	}
	return false
}

func (c *CLI) run(ctx context.Context, dir, target, input string, haveInput, asJSON bool) error {
	in := map[string]any{}
	if haveInput {
		var err error
		if in, err = inputObject("run --input", input); err != nil {
			return err
		}
	}
	var folder *engine.Folder
	if data, rerr := os.ReadFile(target); rerr == nil {
		var err error
		if folder, err = engine.ParseFile(target, data); err != nil {
			return err
		}
		if len(folder.Flows) == 0 {
			return fmt.Errorf("run: %s holds no flow", target)
		}
	}
	var a *App
	var err error
	if folder != nil {
		a, err = c.open(ctx, dir, usesSandbox(folder.Flows...))
	} else {
		a, err = c.open(ctx, dir, false)
	}
	if err != nil {
		return err
	}
	defer a.close()
	a.setContext(ctx)
	var f *engine.Flow
	if folder != nil {
		// helper flows of a folder file are reachable by Call Flow
		extra := engine.FlowMap{}
		for _, fl := range folder.Flows {
			extra[fl.ID] = fl
		}
		a.Exec.Flows = overlay{extra, a.Store}
		f = folder.Flows[0]
		if probs := engine.Validate(f, a.validateEnvWith(extra)); len(probs) > 0 {
			for _, p := range probs {
				fmt.Fprintln(c.Stderr, "warning:", p)
			}
		}
	} else if f, err = a.Store.Flow(ctx, target); err != nil {
		return fmt.Errorf("run: %s is neither a readable file nor a stored flow id", target)
	} else if usesSandbox(f) {
		// a stored flow on the sandbox connection: reopen with the tenant
		a.close()
		if a, err = c.open(ctx, dir, true); err != nil {
			return err
		}
		defer a.close()
		a.setContext(ctx)
		if f, err = a.Store.Flow(ctx, target); err != nil {
			return err
		}
	}
	if unknown, known := unknownInputKeys(f, in); len(unknown) > 0 {
		fmt.Fprintf(c.Stderr, "warning: run --input: %s not a field of the trigger %q (its fields: %s)\n",
			quoteList(unknown), f.Trigger.Title, strings.Join(known, ", "))
	}
	if !haveInput {
		in = a.sampleFor(f)
		if len(in) > 0 {
			fmt.Fprintf(c.Stderr, "no --input given: using the trigger's sample input (%s); give --input JSON or @FILE to choose (the record with --json shows it)\n",
				strings.Join(slices.Sorted(maps.Keys(in)), ", "))
		}
	}
	env := engine.EnvironmentFrom(ctx)
	if env == "" {
		env = a.activeEnv()
		ctx = engine.WithEnvironment(ctx, env)
	}
	if env != "dev" {
		fmt.Fprintf(c.Stderr, "runs in %s: its connections' %s bindings (--env to choose)\n", env, env)
	}
	ex, runErr := a.Exec.Run(ctx, f, in, engine.RunOptions{Trigger: "manual"})
	a.Store.Flush()
	ex = ex.Record() // the record, as History keeps it: secrets redacted, Return values too
	if asJSON {
		if err := c.printJSON(ex); err != nil {
			return err
		}
	} else {
		c.printExecution(ex)
	}
	if runErr != nil {
		return exitError{ExitFailed}
	}
	return nil
}

type overlay struct {
	m  engine.FlowMap
	st *store.Store
}

func (o overlay) Flow(ctx context.Context, id string) (*engine.Flow, error) {
	if f, ok := o.m[id]; ok {
		return f, nil
	}
	return o.st.Flow(ctx, id)
}

func (a *App) validateEnvWith(extra engine.FlowMap) *engine.ValidateEnv {
	env := a.validateEnv()
	for id, f := range extra {
		env.Flows[id] = f
	}
	return env
}

func (c *CLI) printExecution(ex *engine.Execution) {
	mark := map[string]string{engine.StatusSuccess: "✓", engine.StatusFailed: "✗", engine.StatusNotRun: "·",
		engine.StatusSkipped: "-", engine.StatusContinued: "!", engine.StatusTimeout: "✗", engine.StatusCanceled: "✗", engine.StatusPaused: "‖"}
	fmt.Fprintf(c.Stdout, "%s %s %q %s in %s (execution %s)\n", mark[ex.Status], "flow", ex.FlowName, ex.Status,
		ex.Duration().Round(time.Microsecond), ex.ID)
	tw := tabwriter.NewWriter(c.Stdout, 2, 2, 2, ' ', 0)
	for _, r := range ex.Cards {
		d := ""
		if !r.Ended.IsZero() {
			d = r.Ended.Sub(r.Started).Round(time.Microsecond).String()
		}
		indent := ""
		if r.Parent != "" {
			indent = "  "
		}
		fmt.Fprintf(tw, "  %s%s\t%s\t%s\t%s\t%s\n", indent, mark[r.Status], r.ID, r.Title, r.Status, d)
	}
	tw.Flush()
	if ex.Error != nil {
		fmt.Fprintf(c.Stdout, "error: %s\n", ex.Error.Error())
	}
	if len(ex.Outputs) > 0 {
		b, _ := json.Marshal(ex.Outputs)
		fmt.Fprintf(c.Stdout, "outputs: %s\n", b)
	}
	if ex.Status == engine.StatusPaused {
		fmt.Fprintf(c.Stdout, "paused: the caller got the Pause card's inputs; POST its outputs as JSON to /api/flo/%s/resume/%s to continue\n", ex.Flow, ex.ID)
	}
}

func (c *CLI) validateCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "validate FILE|DIR...",
		Short: "Check flow files without running them",
		Long: `Run the design-time checks on flow files: unknown cards, missing required
inputs, broken bindings, unknown connections and helper flows. Each problem
names the file, flow, card and field. Exit status 1 when there are problems.`,
		Example: `  flowbench validate examples/*.flow.json
  flowbench validate flows/          # every flow file under the folder
  flowbench validate exported.folder.json --json`,
		Args: minArgs(1, "one or more files"),
		RunE: func(cmd *cobra.Command, files []string) error {
			return c.validate(cmd.Context(), c.dataDir, files, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the problems as JSON")
	return cmd
}

func (c *CLI) validate(ctx context.Context, dir string, files []string, asJSON bool) error {
	files, err := expandFlowDirs("validate", files)
	if err != nil {
		return err
	}
	var env *engine.ValidateEnv
	// validate reads files: it never creates a data folder (without one,
	// connections are not checked)
	if dir == "" {
		dir = store.DefaultDir()
	}
	var a *App
	err = store.ErrInUse // stands for "no store": no connection check
	if _, serr := os.Stat(dir); serr == nil {
		a, err = c.open(ctx, dir, false)
	}
	if err == nil {
		defer a.close()
		env = a.validateEnv()
		// the built-in sandbox tenant's and fakes' connections are there
		// whenever a flow runs (run, serve and the window provide them), even
		// in a data folder only the CLI has opened, where they are not stored yet
		for _, id := range sandboxConnectionIDs() {
			env.Connections[id] = true
		}
	} else if errors.Is(err, store.ErrInUse) {
		env = &engine.ValidateEnv{Flows: map[string]*engine.Flow{}} // no connection check without the store
	} else {
		return err
	}
	var all []engine.Problem
	flows, bad := 0, 0
	for _, file := range files {
		data, err := engine.ReadFileBounded(file)
		if err != nil {
			return err
		}
		folder, err := engine.ParseFile(file, data)
		if err != nil {
			if asJSON {
				all = append(all, engine.Problem{Flow: file, Kind: "format", Message: err.Error(), Severity: "error"})
			} else {
				fmt.Fprintln(c.Stdout, err)
			}
			bad++
			continue
		}
		for _, f := range folder.Flows {
			env.Flows[f.ID] = f
		}
		for _, f := range folder.Flows {
			flows++
			probs := engine.Validate(f, env)
			for _, p := range probs {
				p.Flow = fmt.Sprintf("%s (%s)", f.ID, file)
				all = append(all, p)
				if !asJSON {
					fmt.Fprintf(c.Stdout, "%s: %s\n", file, p)
				}
			}
		}
	}
	if asJSON {
		if all == nil {
			all = []engine.Problem{}
		}
		_ = c.printJSON(all)
	}
	if len(all) > 0 || bad > 0 {
		if !asJSON {
			fmt.Fprintf(c.Stdout, "%d problem(s) in %d file(s)\n", len(all)+bad, len(files))
		}
		return exitError{ExitFailed}
	}
	if !asJSON {
		fmt.Fprintf(c.Stdout, "ok: %d flow(s) in %d file(s), no problems\n", flows, len(files))
	}
	return nil
}
