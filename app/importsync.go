package app

import (
	"fmt"

	"github.com/flowbench/flowbench/engine"
)

// What the UI shows is true: a flow imported switched on (an Okta export
// of an active flow, a teammate's file) listens as soon as the import is
// stored — its endpoint answers, its schedule is planned — exactly as if it
// had been switched on by hand. One whose trigger cannot start (a bad
// schedule, an endpoint setting out of range) is stored switched off, and
// the import report says why, so no list ever shows "On" for a flow that
// does not listen. Flows imported switched off stop listening likewise.

// syncImported brings the trigger runtime in line with freshly imported
// flows and returns, per flow id, why an enabled flow was switched off.
func (a *App) syncImported(flows []*engine.Flow) map[string]string {
	if FlowToggled == nil {
		return nil
	}
	var off map[string]string
	for _, in := range flows {
		f, err := a.Store.Flow(a.ctx, in.ID) // the store's copy, which the runtime compares with
		if err != nil {
			continue
		}
		terr := FlowToggled(a, f)
		if terr == nil || !f.Enabled {
			continue
		}
		c, cerr := cloneFlow(f)
		if cerr != nil {
			continue
		}
		c.Enabled = false
		if err := a.Store.PutFlow(c); err != nil {
			continue
		}
		a.Exec.Invalidate(c.ID)
		if off == nil {
			off = map[string]string{}
		}
		off[c.ID] = terr.Error()
		fmt.Fprintf(a.opt.Out, "flowbench: imported flow %q stays off: %v\n", c.Name, terr)
	}
	return off
}
