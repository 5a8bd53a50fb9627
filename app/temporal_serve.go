package app

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"
	tclient "go.temporal.io/sdk/client"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/temporal"
)

// temporalServe is `serve --temporal`: every trigger starts its executions
// as Temporal workflows, run by `flowbench worker` processes.
type temporalServe struct {
	HostPort, Namespace, TaskQueue, WorkerToken string
}

func (t *temporalServe) flags(f *pflag.FlagSet) {
	f.StringVar(&t.HostPort, "temporal", "", "run executions on this Temporal cluster (frontend `HOST:PORT`) with flowbench workers")
	f.StringVar(&t.Namespace, "namespace", temporal.DefaultNamespace, "Temporal namespace (with --temporal)")
	f.StringVar(&t.TaskQueue, "task-queue", temporal.DefaultTaskQueue, "Temporal task queue of the workers (with --temporal)")
	f.StringVar(&t.WorkerToken, "worker-token", "", "token workers use for the worker API (default: $FLOWBENCH_WORKER_TOKEN, else random and printed)")
}

// openTemporalServe opens the app for serve with triggers whose runs go to
// the cluster, and the worker API on.
func (c *CLI) openTemporalServe(ctx context.Context, sandbox bool, t temporalServe) (*App, func(), error) {
	if t.WorkerToken == "" {
		t.WorkerToken = os.Getenv("FLOWBENCH_WORKER_TOKEN")
	}
	if t.WorkerToken == "" {
		t.WorkerToken = RandomToken()
		fmt.Fprintf(c.Stderr, "worker token (give it to `flowbench worker --token`): %s\n", t.WorkerToken)
	} else if err := CheckServeToken(t.WorkerToken); err != nil {
		return nil, nil, usagef("serve --worker-token: %v", err)
	}
	cl, err := temporal.Dial(t.HostPort, t.Namespace, temporal.PayloadKey(t.WorkerToken)) // the workers' key: payloads encrypted
	if err != nil {
		return nil, nil, err
	}
	tuneGC()
	// triggers off while opening: they start when the routes mount, after
	// the starter is in place (no queued job runs in-process first)
	a, err := Open(ctx, Options{DataDir: c.dataDir, Out: c.Stdout, Sandbox: sandbox})
	if err != nil {
		cl.Close()
		return nil, nil, err
	}
	a.setContext(ctx)
	useTemporal(a, cl, t)
	return a, func() { workerTokens.Delete(a); clusterStarters.Delete(a); cl.Close() }, nil
}

// useTemporal points a's triggers at the cluster and turns the worker API on.
func useTemporal(a *App, cl tclient.Client, t temporalServe) {
	st := &temporal.Starter{Client: cl, HostPort: t.HostPort, Namespace: t.Namespace, TaskQueue: t.TaskQueue, Record: true}
	a.mu.Lock()
	h := a.triggers
	a.mu.Unlock()
	if h != nil {
		h.rt.SetStarter(func(ctx context.Context, f *engine.Flow, input map[string]any, opt engine.RunOptions, event string) (*engine.Execution, error) {
			return st.Run(ctx, f, input, opt, event)
		})
	}
	enableWorkerAPI(a, t.WorkerToken)
	clusterStarters.Store(a, st)
}

var clusterStarters sync.Map // *App -> *temporal.Starter (serve --temporal)

// runOnCluster runs a manual run (Run in the designer) on the cluster when
// serve runs with --temporal; ok is false otherwise. A run that cannot be
// started comes back as a failed execution naming the reason.
func (a *App) runOnCluster(f *engine.Flow, input map[string]any) (*engine.Execution, bool) {
	v, ok := clusterStarters.Load(a)
	if !ok {
		return nil, false
	}
	opt := engine.RunOptions{Trigger: "manual", ID: engine.NewID()}
	ex, err := v.(*temporal.Starter).Run(a.ctx, f, input, opt, "")
	if err != nil {
		now := time.Now()
		ex = &engine.Execution{ID: opt.ID, Flow: f.ID, FlowName: f.Name, Status: engine.StatusFailed, Trigger: "manual", Input: input,
			Started: now, Ended: now, Error: &engine.CardError{Message: "could not run on the cluster: " + err.Error(), Flow: f.ID}}
		return ex, true
	}
	// the workflow's result holds the live Return values; the record its
	// worker posted (before the workflow ended) has the run's secrets redacted
	a.Store.Flush()
	if rec, rerr := a.Store.Execution(ex.ID); rerr == nil && rec != nil {
		return rec, true
	}
	return ex, true
}

// runTemporal is `run --temporal`: the flow (from a file, or stored here)
// runs as a workflow; the record is printed with its link, and the workers
// post it to their serve node's history.
func (c *CLI) runTemporal(ctx context.Context, target, input string, haveInput, asJSON bool, t temporalServe) error {
	in := map[string]any{}
	if haveInput {
		var err error
		if in, err = inputObject("run --input", input); err != nil {
			return err
		}
	}
	var f *engine.Flow
	var err error
	helpers := map[string]*engine.Flow{}
	// the data folder is optional (serve may hold it): stored flows and
	// sample inputs need it, a flow file does not
	a, openErr := c.open(ctx, c.dataDir, false)
	if openErr == nil {
		defer a.close()
		a.setContext(ctx)
	}
	if data, rerr := os.ReadFile(target); rerr == nil {
		folder, err := engine.ParseFile(target, data)
		if err != nil {
			return err
		}
		if len(folder.Flows) == 0 {
			return fmt.Errorf("run: %s holds no flow", target)
		}
		f = folder.Flows[0]
		for _, h := range folder.Flows[1:] {
			helpers[h.ID] = h
		}
	} else if openErr != nil {
		return fmt.Errorf("run: %s is not a readable file, and stored flows need the data folder: %w", target, openErr)
	} else if f, err = a.Store.Flow(ctx, target); err != nil {
		return fmt.Errorf("run: %s is neither a readable file nor a stored flow id", target)
	}
	if !haveInput && a != nil {
		in = a.sampleFor(f)
		if len(in) > 0 {
			fmt.Fprintf(c.Stderr, "no --input given: using the trigger's sample input (%s); give --input JSON or @FILE to choose\n",
				strings.Join(slices.Sorted(maps.Keys(in)), ", "))
		}
	}
	// the workers encrypt payloads with their serve node's worker token
	cl, err := temporal.Dial(t.HostPort, t.Namespace, temporal.PayloadKey(os.Getenv("FLOWBENCH_WORKER_TOKEN")))
	if err != nil {
		return err
	}
	defer cl.Close()
	st := &temporal.Starter{Client: cl, HostPort: t.HostPort, Namespace: t.Namespace, TaskQueue: t.TaskQueue, Record: true, Helpers: helpers}
	ex, err := st.Run(ctx, f, in, engine.RunOptions{Trigger: "manual"}, "")
	if err != nil {
		return err
	}
	if err := c.printRun(ex, asJSON, "workflow: "+ex.Link); err != nil {
		return err
	}
	if ex.Status != engine.StatusSuccess {
		return exitError{ExitFailed}
	}
	return nil
}
