package trigger

import (
	"context"
	"encoding/json"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
)

// --- schedules ---

type nextRun struct {
	Next time.Time `json:"next"`
	Desc string    `json:"desc"`
}

// planSchedule sets a.next from the stored next run, applying the
// missed-run policy when it passed while the app was closed.
func (r *Runtime) planSchedule(a *active) error {
	now := r.clk.Now()
	var stored nextRun
	if v, ok := r.get(nextKey(a.flow.ID)); ok {
		_ = json.Unmarshal([]byte(v), &stored)
	}
	if stored.Desc == a.schedule.Desc && !stored.Next.IsZero() {
		if !stored.Next.Before(now) {
			a.next = stored.Next
			return nil
		}
		// missed while closed
		if a.schedule.Missed == MissedOnce {
			a.next = stored.Next // fires at once
			return nil
		}
		r.opt.Logf("triggers: flow %q: skipping runs missed since %s", a.flow.Name, stored.Next.Format(time.RFC3339))
	}
	a.next = a.schedule.Next(now)
	return r.saveNext(nil, a)
}

func (r *Runtime) saveNext(txn *badger.Txn, a *active) error {
	b, _ := json.Marshal(nextRun{Next: a.next, Desc: a.schedule.Desc})
	if txn != nil {
		return txn.Set(nextKey(a.flow.ID), b)
	}
	return r.update(func(txn *badger.Txn) error { return txn.Set(nextKey(a.flow.ID), b) })
}

func (r *Runtime) scheduleLoop() {
	defer r.wg.Done()
	for {
		now := r.clk.Now()
		var first time.Time
		r.mu.RLock()
		for _, a := range r.active {
			if a.kind == KindSchedule && !a.next.IsZero() && (first.IsZero() || a.next.Before(first)) {
				first = a.next
			}
		}
		r.mu.RUnlock()
		var timer <-chan time.Time
		if !first.IsZero() {
			timer = r.clk.After(first.Sub(now))
		}
		select {
		case <-r.ctx.Done():
			return
		case <-r.wake:
		case <-timer:
			r.fireDue()
		}
	}
}

// fireDue starts every schedule whose time has come: one run each (runs
// that fell while the machine slept are not repeated), then the next run
// after now.
func (r *Runtime) fireDue() {
	now := r.clk.Now()
	r.mu.RLock()
	var due []*active
	for _, a := range r.active {
		if a.kind == KindSchedule && !a.next.IsZero() && !a.next.After(now) {
			due = append(due, a)
		}
	}
	r.mu.RUnlock()
	for _, a := range due {
		at := a.next
		input := map[string]any{}
		if a.flow.Trigger.Type == TypeSchedule {
			input["scheduledTime"] = at.UTC().Format(engine.DateLayout)
		}
		next := a.schedule.Next(now)
		r.mu.Lock()
		a.next = next
		r.mu.Unlock()
		_, err := r.accept(r.ctx, a.flow.ID, KindSchedule, []Event{{Time: at, Input: input}},
			func(txn *badger.Txn) error { return r.saveNext(txn, a) }, acceptForce)
		if err != nil {
			r.opt.Logf("triggers: flow %q: scheduled run: %v", a.flow.Name, err)
		}
	}
}

// --- polling ---

func (r *Runtime) pollLoop(ctx context.Context, a *active) {
	defer r.wg.Done()
	defer close(a.done)
	for {
		r.pollOnce(ctx, a)
		select {
		case <-ctx.Done():
			return
		case <-r.clk.After(a.interval):
		}
	}
}

// PollNow runs one poll of a polling flow (tests, "check now" buttons).
func (r *Runtime) PollNow(ctx context.Context, flowID string) error {
	r.mu.RLock()
	a := r.active[flowID]
	r.mu.RUnlock()
	if a == nil || a.delivery != DeliveryPoll {
		return nil
	}
	return r.pollOnce(ctx, a)
}

func (r *Runtime) pollOnce(ctx context.Context, a *active) error {
	a.pollMu.Lock()
	defer a.pollMu.Unlock()
	cursor, _ := r.get(cursorKey(a.flow.ID))
	env := PollEnv{Connections: r.exec.Connections, Services: r.exec.Services}
	if v, ok := r.get(sinceKey(a.flow.ID)); ok {
		env.Since, _ = time.Parse(time.RFC3339Nano, v)
	}
	for pages := 0; pages < 100; pages++ {
		env.Now = r.clk.Now()
		res, err := a.provider.Poll(ctx, env, a.flow, cursor)
		r.mu.Lock()
		st := r.stateLocked(a.flow.ID)
		st.lastPoll = env.Now
		if err != nil {
			st.pollErr = err.Error()
		} else {
			st.pollErr = ""
		}
		r.mu.Unlock()
		if err != nil {
			if ctx.Err() == nil {
				r.opt.Logf("triggers: flow %q: polling: %v", a.flow.Name, err)
			}
			return err
		}
		next := res.Cursor
		_, err = r.accept(ctx, a.flow.ID, KindEvent, res.Events, func(txn *badger.Txn) error {
			return txn.Set(cursorKey(a.flow.ID), []byte(next))
		}, acceptWait)
		if err != nil {
			return err
		}
		cursor = next
		if !res.More {
			return nil
		}
	}
	return nil
}
