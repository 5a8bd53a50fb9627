package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/flowbench/flowbench/engine"
)

// temporalPauseProblems: under `serve --temporal` a Pause card cannot work
// (a workflow does not wait for the resume URL), so the designer says so
// before the run fails with the same words.
func (a *App) temporalPauseProblems(f *engine.Flow) []engine.Problem {
	if _, onCluster := clusterStarters.Load(a); !onCluster || f == nil {
		return nil
	}
	var out []engine.Problem
	for i := range f.Cards {
		if c := &f.Cards[i]; engine.IsPause(c.Type) {
			out = append(out, engine.Problem{Flow: f.ID, Card: c.ID, Title: c.Title, Pointer: "/cards/" + strconv.Itoa(i), Kind: "unsupported", Severity: "error",
				Message: "Pause is not supported on the Temporal executor: this app runs flows on a Temporal cluster (serve --temporal)"})
		}
	}
	return out
}

// ResumePaused continues a run paused at a Pause / Pause Raw card from the
// app (History, `flowbench history resume --body`), as a request to its
// resume URL would: values fill the Pause card's outputs by name (Pause
// Raw: they are the body, as JSON). It returns the run once it ends or
// pauses again.
func (a *App) ResumePaused(id string, values map[string]any) (*engine.Execution, error) {
	a.Store.Flush()
	ex, err := a.Store.Execution(id)
	if err != nil {
		return nil, err
	}
	if ex.Status != engine.StatusPaused {
		return nil, &engine.ResumeError{Status: http.StatusConflict, Msg: fmt.Sprintf("execution %s is not paused: it is %s", id, ex.Status)}
	}
	if _, onCluster := clusterStarters.Load(a); onCluster {
		return nil, &engine.ResumeError{Status: http.StatusNotImplemented, Msg: "Pause is not supported on the Temporal executor"}
	}
	f, err := a.Store.Flow(a.ctx, ex.Flow)
	if err != nil {
		return nil, fmt.Errorf("flow of execution %s: %w", id, err)
	}
	if values == nil {
		values = map[string]any{}
	}
	body, err := json.Marshal(values)
	if err != nil {
		return nil, err
	}
	run, err := a.Exec.ResumePaused(a.ctx, f, id, engine.ResumeRequest{Values: values, Body: string(body),
		Headers: map[string]any{"content-type": "application/json"}})
	if run == nil { // not resumed: the reason (not paused, being resumed, a value that does not convert)
		return nil, err
	}
	a.Store.Flush()
	return run.Record(), nil // secrets redacted, as History shows it
}

// resumePaused is `history resume EXEC-ID --body JSON`.
func (c *CLI) resumePaused(cmd *cobra.Command, id, body string, asJSON bool) error {
	var values map[string]any
	if err := json.Unmarshal([]byte(body), &values); err != nil || values == nil {
		return usagef("--body: a JSON object of the Pause card's outputs, e.g. '{\"approved\": true}'")
	}
	a, err := c.openForExecution(cmd.Context(), id)
	if err != nil {
		return err
	}
	defer a.close()
	ex, err := a.ResumePaused(id, values)
	if err != nil {
		return err
	}
	if err := c.printRun(ex, asJSON, ""); err != nil {
		return err
	}
	if ex.Status != engine.StatusSuccess && ex.Status != engine.StatusPaused {
		return exitError{ExitFailed}
	}
	return nil
}
