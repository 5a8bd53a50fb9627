package app

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/temporal"
)

func init() { RegisterCommand((*CLI).workerCmd) }

// workerOptions configure one Temporal worker process.
type workerOptions struct {
	HostPort, Namespace, TaskQueue string
	Serve, Token                   string
}

func (c *CLI) workerCmd() *cobra.Command {
	var o workerOptions
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Run flows for a Temporal cluster (scale-out worker)",
		Long: `Run a Temporal worker that executes Flowbench flows started by
` + "`flowbench serve --temporal`" + ` or ` + "`flowbench run --temporal`" + `. Start as many as needed, on
any machines: each execution is one Temporal workflow, its outside cards are
activities that any worker may run, and a worker that dies mid-run loses
nothing (another worker continues from the workflow's history).

Helper flows and connections come from the serve node's worker API
(--serve, with the worker token that serve prints or was given); secrets
live only in this process's memory. Execution records go back to the serve
node's history. The token may also come from FLOWBENCH_WORKER_TOKEN.`,
		Example: `  flowbench worker --temporal 127.0.0.1:7233 --serve http://10.0.0.5:8080 --token "$FLOWBENCH_WORKER_TOKEN"
  flowbench worker --temporal temporal.internal:7233 --namespace identity --task-queue it-team`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.HostPort == "" {
				return usagef("worker: --temporal HOST:PORT is required")
			}
			if o.Token == "" {
				o.Token = os.Getenv("FLOWBENCH_WORKER_TOKEN")
			}
			if o.Serve != "" && o.Token == "" {
				return usagef("worker: --serve needs the worker token (--token or FLOWBENCH_WORKER_TOKEN)")
			}
			return runWorker(cmd.Context(), o, c.Stdout)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.HostPort, "temporal", "", "Temporal frontend `HOST:PORT`")
	f.StringVar(&o.Namespace, "namespace", temporal.DefaultNamespace, "Temporal namespace")
	f.StringVar(&o.TaskQueue, "task-queue", temporal.DefaultTaskQueue, "Temporal task queue to poll")
	f.StringVar(&o.Serve, "serve", "", "`URL` of flowbench serve --temporal (flows, connections, history)")
	f.StringVar(&o.Token, "token", "", "worker token of the serve node (default: $FLOWBENCH_WORKER_TOKEN)")
	return cmd
}

// newTemporalWorker builds the flow worker (every card of this binary's
// registry) for the options.
func newTemporalWorker(o workerOptions) *temporal.Worker {
	w := &temporal.Worker{Registry: engine.Default(), Services: map[string]any{}}
	if o.Serve != "" {
		src := &temporal.HTTPSource{Base: o.Serve, Token: o.Token}
		w.Source = src
		// Tables cards write through the serve node's store (one writer)
		w.Services["tables"] = src.Tables()
	}
	return w
}

// runWorker polls the task queue until ctx ends.
func runWorker(ctx context.Context, o workerOptions, out io.Writer) error {
	cl, err := temporal.Dial(o.HostPort, o.Namespace, temporal.PayloadKey(o.Token)) // payloads encrypted with the serve node's token
	if err != nil {
		return err
	}
	defer cl.Close()
	fw := newTemporalWorker(o)
	if src, ok := fw.Source.(*temporal.HTTPSource); ok {
		if err := src.Check(ctx); err != nil {
			return fmt.Errorf("worker: the serve node %s does not take this worker: %w", o.Serve, err)
		}
	}
	tw := fw.NewWorker(cl, o.TaskQueue)
	if err := tw.Start(); err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	defer tw.Stop()
	if out != nil {
		fmt.Fprintf(out, "Flowbench worker on %s (namespace %s, task queue %s)\n", o.HostPort, o.Namespace, o.TaskQueue)
	}
	<-ctx.Done()
	return nil
}
