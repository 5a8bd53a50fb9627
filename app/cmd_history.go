package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/flowbench/flowbench/engine"
)

// historyStatuses are the statuses an execution ends (or waits) with.
var historyStatuses = []string{engine.StatusSuccess, engine.StatusFailed, engine.StatusTimeout, engine.StatusCanceled, engine.StatusInterrupted, engine.StatusPaused}

func init() {
	RegisterCommand((*CLI).historyCmd)
	RegisterCommand((*CLI).flowsCmd)
}

func (c *CLI) historyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List and show past executions",
		Long:  "Browse the execution history: every run, card by card.",
		Example: `  flowbench history list --status failed
  flowbench history show EXEC-ID --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	var q HistoryQuery
	var listJSON bool
	list := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List executions, newest first",
		Example: `  flowbench history list
  flowbench history list --flow okta-is-member-of-group --status failed --limit 10
  flowbench history list --text alice@example.com --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if q.Status != "" && !slices.Contains(historyStatuses, q.Status) {
				return usagef("history list --status: %q is not a status; give one of %s", q.Status, strings.Join(historyStatuses, ", "))
			}
			a, err := c.open(cmd.Context(), c.dataDir, false)
			if err != nil {
				return err
			}
			defer a.close()
			if q.Flow, err = a.flowByIDOrName(cmd.Context(), q.Flow); err != nil {
				return err
			}
			rows, err := a.ListExecutions(q)
			if err != nil {
				return err
			}
			if len(rows) == 0 && q.Flow != "" {
				// a typo in --flow listed nothing, as if the flow had never run
				if _, err := a.Store.Flow(cmd.Context(), q.Flow); err != nil {
					return fmt.Errorf("history list --flow: no stored flow has the id or name %q, and no run is kept for it (flowbench flows lists them)", q.Flow)
				}
			}
			if listJSON {
				return c.printJSON(rows)
			}
			tw := tabwriter.NewWriter(c.Stdout, 2, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "EXECUTION\tFLOW\tSTATUS\tSTARTED\tDURATION\tFAILED CARD")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.1fms\t%s\n", r.ID, r.FlowName, r.Status, r.Started.Local().Format("2006-01-02 15:04:05"), r.DurationMS, r.FailedCard)
			}
			return tw.Flush()
		},
	}
	list.Flags().StringVar(&q.Flow, "flow", "", "only executions of this flow (its id, or its name as the Flows list shows it)")
	list.Flags().StringVar(&q.Status, "status", "", "only this status: success, failed, timeout, canceled, interrupted, paused")
	list.Flags().StringVar(&q.Text, "text", "", "only executions whose values or errors hold these words (any case; an address like ada@example.com is one word)")
	list.Flags().IntVar(&q.Limit, "limit", 50, "at most this many rows")
	list.Flags().BoolVar(&listJSON, "json", false, "print the rows as JSON")
	var showJSON bool
	show := &cobra.Command{
		Use:     "show EXEC-ID",
		Short:   "Show one execution card by card",
		Example: "  flowbench history show 01JD8M3Q4Z8R --json",
		Args:    exactArgs(1, "one execution id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := c.open(cmd.Context(), c.dataDir, false)
			if err != nil {
				return err
			}
			defer a.close()
			ex, err := a.GetExecution(args[0])
			if err != nil {
				return err
			}
			if showJSON {
				return c.printJSON(ex)
			}
			c.printExecution(ex)
			return nil
		},
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print the execution record as JSON")
	cmd.AddCommand(append([]*cobra.Command{list, show}, c.historyRetryCmds()...)...)
	return cmd
}

func (c *CLI) flowsCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "flows",
		Short: "List stored flows",
		Example: `  flowbench flows
  flowbench flows --json | jq -r '.[].id'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := c.open(cmd.Context(), c.dataDir, false)
			if err != nil {
				return err
			}
			defer a.close()
			rows, err := a.ListFlows()
			if err != nil {
				return err
			}
			if asJSON {
				return c.printJSON(rows)
			}
			tw := tabwriter.NewWriter(c.Stdout, 2, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tFOLDER\tNAME\tON\tTRIGGER\tCARDS\tLAST RUN")
			for _, r := range rows {
				last := ""
				if r.LastRun != nil {
					last = r.LastRun.Status + " " + r.LastRun.Started.Local().Format("2006-01-02 15:04")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%s\t%d\t%s\n", r.ID, r.Folder, r.Name, r.Enabled, r.Trigger, r.Cards, last)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the rows as JSON")
	return cmd
}

// flowByIDOrName is the id of the flow --flow names: a stored flow's id, or
// the name of exactly one stored flow (any case). Anything else is taken as
// an id, so the history of a deleted flow stays reachable.
func (a *App) flowByIDOrName(ctx context.Context, s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if _, err := a.Store.Flow(ctx, s); err == nil {
		return s, nil
	}
	var ids []string
	for _, f := range a.Store.Flows() {
		if strings.EqualFold(f.Name, s) {
			ids = append(ids, f.ID)
		}
	}
	if len(ids) > 1 {
		return "", usagef("--flow %q: %d flows have that name (%s): give its id", s, len(ids), strings.Join(ids, ", "))
	}
	if len(ids) == 1 {
		return ids[0], nil
	}
	return s, nil
}
