package engine

import (
	"context"
	"time"
)

// Execution statuses.
const (
	StatusRunning  = "running"
	StatusSuccess  = "success"
	StatusFailed   = "failed"
	StatusCanceled = "canceled"
	StatusTimeout  = "timeout"
	// card-only statuses
	StatusNotRun    = "not run" // after a failure
	StatusSkipped   = "skipped" // branch not taken
	StatusContinued = "failed, continued"
)

// Execution is one run of a flow, with a record per card: the history entry.
type Execution struct {
	ID         string         `json:"id"`
	Flow       string         `json:"flow"`
	FlowName   string         `json:"flowName,omitempty"`
	Status     string         `json:"status"`
	Started    time.Time      `json:"started"`
	Ended      time.Time      `json:"ended"`
	Trigger    string         `json:"trigger,omitempty"` // "manual", "api", "schedule", "event", "call"
	Input      map[string]any `json:"input,omitempty"`
	Outputs    map[string]any `json:"outputs,omitempty"`
	Error      *CardError     `json:"error,omitempty"`
	Halted     string         `json:"halted,omitempty"` // card id of a Continue If that ended the run
	Parent     string         `json:"parent,omitempty"` // parent execution id (helper / For Each runs)
	ParentCard string         `json:"parentCard,omitempty"`
	Resumed    int            `json:"resumed,omitempty"` // times resumed after an interruption
	Repeats    []string       `json:"repeats,omitempty"` // cards that were in flight at an interruption and ran again: their effect may be doubled
	// Link names where the run ran when not in this process: the Temporal
	// workflow ("temporal://HOST:PORT/NAMESPACE/WORKFLOW-ID/RUN-ID").
	Link string `json:"link,omitempty"`
	// FlowRevision is the stored flow's revision the run used (retry.go).
	FlowRevision int64 `json:"flowRevision,omitempty"`
	// AttemptOf is the execution this one retried; AttemptKind says how:
	// "resume" (from its failed card) or "rerun" (the whole run again).
	AttemptOf   string   `json:"attemptOf,omitempty"`
	AttemptKind string   `json:"attemptKind,omitempty"`
	Reused      []string `json:"reused,omitempty"` // cards whose recorded outputs a resume reused
	// Environment the run's connections were bound in (dev, staging, prod)
	// and the tenants (domains) it touched (envs.go).
	Environment string       `json:"environment,omitempty"`
	Tenants     []string     `json:"tenants,omitempty"`
	Cards       []CardRecord `json:"cards"`
	// record: what history keeps of this run when it differs (secrets
	// redacted, redact.go); see Record.
	record *Execution
}

// Record returns the execution as history keeps it: the run tree's secrets
// redacted, Return values included. The execution Run returns holds the live
// Return values for its caller (Call Flow, an API Endpoint's answer); what is
// shown to a person (the designer's run view) is the record.
func (e *Execution) Record() *Execution {
	if e.record != nil {
		return e.record
	}
	return e
}

// CardRecord is what one card did in an execution.
type CardRecord struct {
	ID       string         `json:"id"`
	Type     string         `json:"type"`
	Title    string         `json:"title,omitempty"`
	Status   string         `json:"status"`
	Parent   string         `json:"parent,omitempty"` // container card id when inside a branch
	Branch   string         `json:"branch,omitempty"`
	Inputs   map[string]any `json:"inputs,omitempty"`
	Outputs  map[string]any `json:"outputs,omitempty"`
	Error    *CardError     `json:"error,omitempty"`
	Started  time.Time      `json:"started"`
	Ended    time.Time      `json:"ended"`
	Attempts []Attempt      `json:"attempts,omitempty"`
	Children []string       `json:"children,omitempty"` // child execution ids
	Calls    []RecordedCall `json:"calls,omitempty"`    // outside calls with their responses (calls.go)
}

// Duration of the execution.
func (e *Execution) Duration() time.Duration { return e.Ended.Sub(e.Started) }

// FailedCard returns the record of the card that failed the run, if any.
func (e *Execution) FailedCard() *CardRecord {
	for i := range e.Cards {
		if e.Cards[i].Status == StatusFailed {
			return &e.Cards[i]
		}
	}
	return nil
}

// FlowSource loads flows by id (helper flows for Call Flow / For Each).
type FlowSource interface {
	Flow(ctx context.Context, id string) (*Flow, error)
}

// ConnectionSource loads a connection with its secrets.
type ConnectionSource interface {
	Connection(ctx context.Context, id string) (*Connection, error)
}

// HistorySink receives finished executions. Save must not block the run
// for long: stores batch writes.
type HistorySink interface {
	Save(e *Execution)
}

// FlowMap is a FlowSource over an in-memory set (tests, CLI file runs).
type FlowMap map[string]*Flow

// Flow implements FlowSource.
func (m FlowMap) Flow(_ context.Context, id string) (*Flow, error) {
	f, ok := m[id]
	if !ok {
		return nil, &CardError{Message: "helper flow " + id + " not found"}
	}
	return f, nil
}
