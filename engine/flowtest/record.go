package flowtest

import (
	"encoding/json"
	"fmt"

	"github.com/flowbench/flowbench/engine"
)

// FromExecution turns an execution in history into a test case: its
// trigger input, the outside calls its cards (and its helper runs' cards,
// found with load) made with their recorded responses, and what every card
// did as the expectations. conns are the connections its cards used.
func FromExecution(name string, ex *engine.Execution, load func(id string) (*engine.Execution, bool), conns map[string]Connection) (*Case, error) {
	c := &Case{Name: name, Input: ex.Input, Connections: conns, Expect: Expect{Status: ex.Status, Cards: map[string]CardExpect{}}}
	if ex.Error != nil && ex.Status != engine.StatusSuccess {
		c.Expect.Error = ex.Error.Message
	}
	if len(ex.Outputs) > 0 {
		c.Expect.Outputs = ex.Outputs
	}
	var calls func(x *engine.Execution, flow string, depth int) error
	calls = func(x *engine.Execution, flow string, depth int) error {
		if depth > engine.MaxCardNesting {
			return fmt.Errorf("helper runs nest deeper than %d", engine.MaxCardNesting)
		}
		for i := range x.Cards {
			r := &x.Cards[i]
			for _, rc := range r.Calls {
				if rc.Truncated {
					return fmt.Errorf("card %s: the response to %s %s was longer than %d KiB and was not kept whole: it cannot be replayed", cardName(r), rc.Method, rc.URL, engine.MaxRecordedBody>>10)
				}
				call := Call{Flow: flow, Card: r.ID, Method: rc.Method, URL: rc.URL, Status: rc.Status, Header: rc.Header, Error: rc.Error}
				var v any
				if rc.Body != "" && json.Unmarshal([]byte(rc.Body), &v) == nil && v != nil {
					call.JSON = v
				} else {
					call.Text = rc.Body
				}
				c.Calls = append(c.Calls, call)
			}
			for _, id := range r.Children {
				child, ok := load(id)
				if !ok {
					if len(r.Calls) == 0 && childMayCall(r) {
						return fmt.Errorf("card %s: its helper run %s is no longer in history (or its flow keeps no history): its calls cannot be recorded", cardName(r), id)
					}
					continue
				}
				if err := calls(child, child.Flow, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := calls(ex, "", 0); err != nil {
		return nil, err
	}
	for i := range ex.Cards {
		r := &ex.Cards[i]
		if i == 0 && r.Parent == "" {
			continue // the trigger: its outputs are the input (and the run's context)
		}
		ce := CardExpect{Status: r.Status}
		if r.Status == engine.StatusSuccess && len(r.Outputs) > 0 && !Unrepeatable(r.Type) {
			ce.Outputs = r.Outputs
		}
		c.Expect.Cards[r.ID] = ce
	}
	return c, nil
}

// Unrepeatable card types give another value every run (the clock, a
// random value): a saved test expects their status, not their outputs.
func Unrepeatable(cardType string) bool {
	switch cardType {
	case "date.now", "number.random", "text.random":
		return true
	}
	return false
}

func childMayCall(r *engine.CardRecord) bool { return r.Status != engine.StatusSkipped }

func cardName(r *engine.CardRecord) string {
	if r.Title != "" {
		return fmt.Sprintf("%s %q", r.ID, r.Title)
	}
	return r.ID
}

// Stabilize drops the expectations that a replay of the case disagrees
// with (a date from Now, an execution id, a random value, a header the
// recording does not keep, a token the recording scrubbed): what is left is
// what the flow does every time with these inputs and responses. Use it
// when the flow is the version the recorded run used.
func Stabilize(c *Case, runs ...*engine.Execution) {
	for _, run := range runs {
		rs := records(run)
		for id, ce := range c.Expect.Cards {
			x := rs[id]
			if x == nil {
				continue
			}
			if x.Status != ce.Status {
				ce.Status = ""
			}
			prune(ce.Outputs, ce.Outputs, x.Outputs)
			if len(ce.Outputs) == 0 {
				ce.Outputs = nil
			}
			c.Expect.Cards[id] = ce
		}
		prune(c.Expect.Outputs, c.Expect.Outputs, run.Outputs)
		if run.Error != nil && c.Expect.Error != "" && run.Error.Message != c.Expect.Error {
			c.Expect.Error = ""
		}
	}
}

// StabilizeBetween drops the expectations two replays disagree on (when
// the flow changed since the recorded run, the replays' agreement with the
// recording is what the test checks).
func StabilizeBetween(c *Case, a, b *engine.Execution) {
	ra, rb := records(a), records(b)
	for id, ce := range c.Expect.Cards {
		x, y := ra[id], rb[id]
		if x == nil || y == nil {
			continue
		}
		if x.Status != y.Status {
			ce.Status = ""
		}
		prune(ce.Outputs, x.Outputs, y.Outputs)
		if len(ce.Outputs) == 0 {
			ce.Outputs = nil
		}
		c.Expect.Cards[id] = ce
	}
	prune(c.Expect.Outputs, a.Outputs, b.Outputs)
}

func records(ex *engine.Execution) map[string]*engine.CardRecord {
	out := map[string]*engine.CardRecord{}
	for i := range ex.Cards {
		out[ex.Cards[i].ID] = &ex.Cards[i]
	}
	return out
}

// prune deletes from want the values where a and b differ.
func prune(want, a, b map[string]any) {
	if want == nil {
		return
	}
	for k, w := range want {
		av, aok := a[k]
		bv, bok := b[k]
		if wm, ok := w.(map[string]any); ok {
			am, aok2 := av.(map[string]any)
			bm, bok2 := bv.(map[string]any)
			if aok && bok && aok2 && bok2 {
				prune(wm, am, bm)
				if len(wm) == 0 {
					delete(want, k)
				}
				continue
			}
		}
		if aok != bok || !equal(av, bv) {
			delete(want, k)
		}
	}
}
