package app

import (
	"context"
	"fmt"

	"github.com/flowbench/flowbench/engine"
	"github.com/spf13/cobra"
)

// historyRetryCmds are `history resume` and `history rerun`.
func (c *CLI) historyRetryCmds() []*cobra.Command {
	var resumeJSON, rerunJSON bool
	var resumeBody string
	resume := &cobra.Command{
		Use:   "resume EXEC-ID",
		Short: "Resume a failed or interrupted execution from the card where it stopped",
		Long: `Resume a failed (or timed out, canceled) execution from its failed card: the cards before
it are not run again, their recorded outputs and the original trigger input are reused, and the
rest runs with the flow and connections as they are now. An interrupted run continues after its
last completed card. The new attempt is linked to EXEC-ID in history. A resume whose bindings no
longer fit the recorded run is refused with the reason: use rerun then.
A run paused at a Pause card continues after it with --body, as its resume URL would: a JSON
object whose keys fill the Pause card's outputs (Pause Raw: the body as sent).`,
		Example: `  flowbench history list --status failed
  flowbench history resume 0193a6c4e1f2000a8c1d2e3f40516273
  flowbench history resume 0193a6c4e1f2000a8c1d2e3f40516273 --body '{"approved": true}'`,
		Args: exactArgs(1, "one execution id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("body") {
				return c.resumePaused(cmd, args[0], resumeBody, resumeJSON) // pause.go
			}
			return c.retryExecution(cmd, args[0], engine.RetryResume, resumeJSON)
		},
	}
	resume.Flags().BoolVar(&resumeJSON, "json", false, "print the new execution record as JSON")
	resume.Flags().StringVar(&resumeBody, "body", "", "resume a paused run: a JSON object of the Pause card's outputs")
	rerun := &cobra.Command{
		Use:   "rerun EXEC-ID",
		Short: "Run an execution's flow again, whole, with the same trigger input",
		Long: `Run the flow of EXEC-ID again from its trigger with the input that execution had, using the
flow and connections as they are now. The new execution is linked to EXEC-ID in history.`,
		Example: "  flowbench history rerun 0193a6c4e1f2000a8c1d2e3f40516273",
		Args:    exactArgs(1, "one execution id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.retryExecution(cmd, args[0], engine.RetryRerun, rerunJSON)
		},
	}
	rerun.Flags().BoolVar(&rerunJSON, "json", false, "print the new execution record as JSON")
	return []*cobra.Command{resume, rerun}
}

func (c *CLI) retryExecution(cmd *cobra.Command, id, kind string, asJSON bool) error {
	a, err := c.openForExecution(cmd.Context(), id)
	if err != nil {
		return err
	}
	defer a.close()
	var ex *engine.Execution
	if kind == engine.RetryResume {
		if p, err := a.ResumePlan(id); err == nil && !asJSON {
			if len(p.Changed) > 0 {
				fmt.Fprintf(c.Stdout, "changed since the run (version %d → %d):\n", p.RanRevision, p.Revision)
				for _, ch := range p.Changed {
					fmt.Fprintf(c.Stdout, "  %s %s\n", changeMark(ch), ch.Title)
				}
			}
			if p.CanResume && !p.Interrupted && p.From != "" {
				fmt.Fprintf(c.Stdout, "resuming from %s, reusing %d cards and %d items\n", p.FromTitle, len(p.Reused), p.Items)
			}
		}
		ex, err = a.ResumeRun(id)
	} else {
		ex, err = a.RerunExecution(id)
	}
	if err != nil {
		return err
	}
	if err := c.printRun(ex, asJSON, fmt.Sprintf("attempt of %s (%s)", id, kind)); err != nil {
		return err
	}
	if ex.Status != engine.StatusSuccess {
		return exitError{ExitFailed}
	}
	return nil
}

func changeMark(ch engine.CardChange) string {
	switch {
	case ch.Added:
		return "+ added:"
	case ch.Removed:
		return "- removed:"
	case ch.Moved && len(ch.Fields) == 0:
		return "~ moved:"
	}
	return "~ changed:"
}

// openForExecution opens the app to resume or re-run execution id: with the
// in-process sandbox Okta tenant when its flow (or a helper flow it calls)
// uses the built-in sandbox connection, as `run` does — without it the
// sandbox connection points at the tenant of an earlier process, long gone.
func (c *CLI) openForExecution(ctx context.Context, id string) (*App, error) {
	a, err := c.open(ctx, c.dataDir, false)
	if err != nil {
		return nil, err
	}
	sandbox := false
	if ex, err := a.Store.Execution(id); err == nil {
		sandbox = a.flowTreeUsesSandbox(ctx, ex.Flow)
	}
	if !sandbox {
		return a, nil
	}
	a.close()
	return c.open(ctx, c.dataDir, true)
}

// flowTreeUsesSandbox tells whether a stored flow or a helper flow it
// calls (Call Flow, For Each, …) names the sandbox connection.
func (a *App) flowTreeUsesSandbox(ctx context.Context, id string) bool {
	seen := map[string]bool{}
	var visit func(id string) bool
	visit = func(id string) bool {
		if id == "" || seen[id] {
			return false
		}
		seen[id] = true
		f, err := a.Store.Flow(ctx, id)
		if err != nil {
			return false
		}
		if usesSandbox(f) {
			return true
		}
		var helpers func(cards []engine.Card) bool
		helpers = func(cards []engine.Card) bool {
			for i := range cards {
				if visit(cards[i].Flow) {
					return true
				}
				for _, b := range cards[i].Branches {
					if helpers(b.Cards) {
						return true
					}
				}
			}
			return false
		}
		return helpers(f.Cards)
	}
	return visit(id)
}
