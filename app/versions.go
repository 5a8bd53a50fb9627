package app

import (
	"errors"
	"fmt"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

// Versions of a flow (issue 16 point 2): every save is a version kept in the
// store (store/versions.go, bounded); the designer lists them, draws the
// card-level diff of any two on the canvas and restores any one.

// FlowVersions lists the stored versions of a flow, newest first.
func (a *App) FlowVersions(id string) ([]store.FlowVersion, error) {
	if _, err := a.Store.Flow(a.ctx, id); err != nil {
		return nil, err
	}
	return a.Store.FlowVersions(id)
}

// GetFlowVersion returns a flow as saved at a revision.
func (a *App) GetFlowVersion(id string, rev int64) (*engine.Flow, error) {
	return a.Store.FlowAt(id, rev)
}

// VersionDiff is the card-level diff of two versions of a flow and the
// flow the canvas draws for it: the newer version with the removed cards
// put back where they were.
type VersionDiff struct {
	A      int64            `json:"a"`
	B      int64            `json:"b"`
	Diff   *engine.FlowDiff `json:"diff"`
	Merged *engine.Flow     `json:"merged"`
	Text   string           `json:"text"` // what `flowbench diff` prints
}

// DiffFlowVersions compares revision a (the older) with revision b of a
// flow; 0 for either is the flow as stored now.
func (a *App) DiffFlowVersions(id string, ra, rb int64) (*VersionDiff, error) {
	at := func(rev int64) (*engine.Flow, error) {
		if rev == 0 {
			return a.Store.Flow(a.ctx, id)
		}
		return a.Store.FlowAt(id, rev)
	}
	fa, err := at(ra)
	if err != nil {
		return nil, err
	}
	fb, err := at(rb)
	if err != nil {
		return nil, err
	}
	d := engine.DiffFlows(fa, fb)
	m, err := d.Merged(fa, fb)
	if err != nil {
		return nil, err
	}
	m.Revision = fb.Revision
	return &VersionDiff{A: fa.Revision, B: fb.Revision, Diff: d, Merged: m,
		Text: d.Text(versionName(fa), versionName(fb))}, nil
}

func versionName(f *engine.Flow) string {
	return fmt.Sprintf("%s (version %d)", f.Name, f.Revision)
}

// RestoreFlowVersion brings back version rev of a flow as a new save (so
// the restore is itself a version and can be undone by restoring again).
// base is the revision the designer shows: a change made elsewhere since is
// a conflict, as for SaveFlow.
func (a *App) RestoreFlowVersion(id string, rev, base int64) (*SaveResult, error) {
	if rev <= 0 {
		return nil, errors.New("restore: give the version (revision) to bring back")
	}
	f, err := a.Store.RestoreFlowVersion(id, rev, base)
	if err != nil {
		return nil, err
	}
	a.Exec.Invalidate(id)
	c, err := cloneFlow(f)
	if err != nil {
		return nil, err
	}
	probs, _ := a.ValidateFlow(c)
	return &SaveResult{Flow: c, Problems: probs}, nil
}
