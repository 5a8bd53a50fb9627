package trigger

import (
	"context"
	"sync"
	"time"
)

// job is one accepted trigger waiting for (or in) execution. Accepted jobs
// are persisted under trg/q/<id> until their execution ends, so a restart
// replays what was accepted but not run.
type job struct {
	ID      string         `json:"id"` // also the execution id
	Flow    string         `json:"flow"`
	Trigger string         `json:"trigger"` // "event" | "schedule"
	Event   string         `json:"event,omitempty"`
	Input   map[string]any `json:"input"`
	At      time.Time      `json:"at"`  // event / scheduled time (lag)
	Enq     time.Time      `json:"enq"` // accepted
	replay  bool           // loaded at start: resume its journal if it has one
}

// dispatcher is the bounded queue between triggers and executions: one
// FIFO per flow, served round-robin with a per-flow concurrency cap, so a
// burst on one flow or a slow flow cannot starve the others.
type dispatcher struct {
	mu      sync.Mutex
	cond    *sync.Cond
	queues  map[string]*flowQueue
	ready   []*flowQueue
	load    int // reserved + queued
	queued  int
	cap     int
	perFlow int
	closed  bool
}

type flowQueue struct {
	id      string
	jobs    []*job
	running int
	cap     int
	inReady bool
}

func newDispatcher(capacity, perFlow int) *dispatcher {
	d := &dispatcher{queues: map[string]*flowQueue{}, cap: capacity, perFlow: perFlow}
	d.cond = sync.NewCond(&d.mu)
	return d
}

// reserve claims room for n jobs; false when the queue is full.
func (d *dispatcher) reserve(n int) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.load+n > d.cap {
		return false
	}
	d.load += n
	return true
}

// reserveWait waits (polling) until n jobs fit.
func (d *dispatcher) reserveWait(ctx context.Context, n int) error {
	if n > d.cap {
		n = d.cap
	}
	for !d.reserve(n) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil
}

// commit queues jobs that were reserved (reserved ≥ len(jobs); the rest
// is released). reserved < 0 forces the jobs in without a reservation
// (replay at start-up, schedules).
func (d *dispatcher) commit(jobs []*job, reserved int) {
	d.mu.Lock()
	if reserved < 0 {
		d.load += len(jobs)
	} else {
		d.load -= reserved - len(jobs)
	}
	for _, j := range jobs {
		q := d.queue(j.Flow)
		q.jobs = append(q.jobs, j)
		d.queued++
		d.markReady(q)
	}
	d.mu.Unlock()
	d.cond.Broadcast()
}

func (d *dispatcher) queue(id string) *flowQueue {
	q := d.queues[id]
	if q == nil {
		q = &flowQueue{id: id, cap: d.perFlow}
		d.queues[id] = q
	}
	return q
}

func (d *dispatcher) setCap(flow string, n int) {
	if n <= 0 {
		n = d.perFlow
	}
	d.mu.Lock()
	q := d.queue(flow)
	q.cap = n
	d.markReady(q)
	d.mu.Unlock()
	d.cond.Broadcast()
}

func (d *dispatcher) markReady(q *flowQueue) {
	if !q.inReady && len(q.jobs) > 0 && q.running < q.cap {
		q.inReady = true
		d.ready = append(d.ready, q)
	}
}

// next blocks until a job may run; nil when the dispatcher closed.
func (d *dispatcher) next() (*job, *flowQueue) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for {
		if d.closed {
			return nil, nil
		}
		for len(d.ready) > 0 {
			q := d.ready[0]
			d.ready = d.ready[1:]
			q.inReady = false
			if len(q.jobs) == 0 || q.running >= q.cap {
				continue
			}
			j := q.jobs[0]
			q.jobs[0] = nil
			q.jobs = q.jobs[1:]
			q.running++
			d.queued--
			d.load--
			d.markReady(q) // round-robin: back of the line
			return j, q
		}
		d.cond.Wait()
	}
}

func (d *dispatcher) done(q *flowQueue) {
	d.mu.Lock()
	q.running--
	d.markReady(q)
	d.mu.Unlock()
	d.cond.Signal()
}

func (d *dispatcher) close() {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	d.cond.Broadcast()
}

// stats: queued jobs and jobs queued per flow.
func (d *dispatcher) stats(flow string) (total, forFlow, running int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if q := d.queues[flow]; q != nil {
		forFlow, running = len(q.jobs), q.running
	}
	return d.queued, forFlow, running
}
