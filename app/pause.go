package app

import (
	"strconv"

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
