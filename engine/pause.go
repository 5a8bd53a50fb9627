package engine

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Pause and Pause Raw (Okta's control:pause, control:pauseRaw) stop an API
// Endpoint flow: the caller of the flow gets the card's inputs (Pause: a
// JSON object; Pause Raw: status, headers and body as given) with the
// execution id, and the run stays paused — durably, in the journal — until
// a request to the flow's resume URL continues it after the card. Each key
// of the resume request's JSON body fills the Pause card's output of that
// name (Pause Raw's outputs are the request's headers and body).
//
// A paused run is the interrupted-run machinery (journal.go) with one more
// status: the card records so far stay in the journal, the header says
// "paused", the history record shows it, and ResumePaused runs the flow
// with RunOptions.Resume: completed cards replay, the Pause card's record
// becomes a completed one holding the resume values, and the cards after it
// run.

// StatusPaused is the status of an execution (and of its Pause card) that
// waits for its resume request.
const StatusPaused = "paused"

// Pause card types.
const (
	PauseID    = "flow.pause"
	PauseRawID = "flow.pauseRaw"
)

// HeaderExecutionID is the response header that carries the execution id
// of an API Endpoint run (the id a resume request names).
const HeaderExecutionID = "x-okta-execution-id"

// PauseJournal is a Journal that keeps paused runs (the store). Pause
// writes the execution's history record (status paused, when end.Keep),
// keeps its journal for the resume with the header's status set to paused,
// drops end.Release, and returns once that is on disk.
type PauseJournal interface {
	Journal
	Pause(ex *Execution, end JournalEnd)
}

func init() { RegisterCheck(checkPause) }

func pauseCards() []*Spec {
	outside := func(context.Context, Inputs) (Outputs, error) {
		return nil, errors.New("Pause stops the flow until its resume request: it runs only as part of a flow run")
	}
	return []*Spec{
		{ID: PauseID, Okta: []string{"control:pause"}, Title: "Pause", Category: "Flow control", Kind: KindControl,
			ExtensibleInputs: true, ExtensibleOutputs: true, Run: outside,
			DocURL: helpFlowControl + "Flow-Control/flocontrol_pause.htm",
			Description: "Pauses an API Endpoint flow: its inputs go to the caller as JSON (execution id in the x-okta-execution-id header). " +
				"A POST to the flow's resume URL (/api/flo/<flow>/resume/<execution id>) continues it after this card; " +
				"each key of the request's JSON body fills the output of that name."},
		{ID: PauseRawID, Okta: []string{"control:pauseRaw"}, Title: "Pause Raw", Category: "Flow control", Kind: KindControl,
			Inputs: []FieldSpec{
				{Key: "statusCode", Label: "statusCode", Type: T("number"), Default: float64(200), Description: "200, or 400 through 599"},
				{Key: "headers", Label: "headers", Type: T("object")},
				{Key: "body", Label: "body", Type: T("string")}},
			Outputs: []FieldSpec{
				{Key: "headers", Label: "Headers", Type: T("object"), Description: "headers of the resume request"},
				{Key: "body", Label: "Body", Type: T("string"), Description: "body of the resume request, as sent"}},
			Run:    outside,
			DocURL: helpFlowControl + "flow-control/flocontrol_pauseraw.htm",
			Description: "Pauses an API Endpoint flow and answers its caller with this HTTP status, headers and body (execution id in the x-okta-execution-id header). " +
				"A request to the flow's resume URL continues it after this card with the request's headers and body."},
	}
}

// IsPause tells whether a card type is Pause or Pause Raw.
func IsPause(typ string) bool { return typ == PauseID || typ == PauseRawID }

// checkPause is the design-time rule: Okta resumes only a flow paused at its
// top level, and only through the API Endpoint's resume URL.
func checkPause(f *Flow) []Problem {
	var out []Problem
	add := func(c *Card, ptr, format string, args ...any) {
		out = append(out, Problem{Flow: f.ID, Card: c.ID, Title: c.Title, Pointer: ptr, Kind: "unsupported",
			Message: fmt.Sprintf(format, args...), Severity: "error"})
	}
	for i := range f.Cards {
		c := &f.Cards[i]
		ptr := "/cards/" + strconv.Itoa(i)
		if IsPause(c.Type) {
			switch f.Trigger.Type {
			case "api.endpoint":
			case "api.delegated":
				add(c, ptr, "Pause and Pause Raw can't be used in a Delegated flow (a flow has one endpoint security setting); put the pause in an API Endpoint flow")
			default:
				add(c, ptr, "Pause works only in a flow started by an API Endpoint card: its caller gets the inputs and resumes the run at the flow's resume URL")
			}
		}
		if sc := c.Input("statusCode"); c.Type == PauseRawID && sc != nil && sc.From == nil && len(sc.Any) == 0 && sc.Value != nil {
			if n, err := ToNumber(sc.Value); err != nil || (n != 200 && (n < 400 || n > 599)) {
				out = append(out, Problem{Flow: f.ID, Card: c.ID, Title: c.Title, Input: "statusCode", Pointer: ptr, Kind: "type-mismatch", Severity: "error",
					Message: fmt.Sprintf("statusCode must be 200 or 400 through 599, not %v", sc.Value)})
			}
		}
		walkCards([]Card{*c}, nil, func(x *Card, parent *Card) bool {
			if parent != nil && IsPause(x.Type) {
				add(x, ptr, "Pause must be at the top level of the flow, not inside %s: Okta can't resume a flow paused inside another card", parent.Label())
			}
			return true
		})
	}
	return out
}

// pauseSignal ends a run as paused; response is what the caller gets.
type pauseSignal struct {
	card     string
	response map[string]any
}

func (*pauseSignal) Error() string { return "paused" }

// pause runs a Pause card: it checks that this run can be resumed later,
// marks the card paused and returns the signal that ends the run as paused.
func (r *run) pause(st *step, idx int, in map[string]any) error {
	c := st.card
	var pj PauseJournal
	if r.j != nil {
		pj, _ = r.j.j.(PauseJournal)
	}
	switch {
	case r.e.Hooks != nil:
		return r.fail(idx, st, errors.New("Pause is not supported on the Temporal executor: run this flow on the local executor (serve without --temporal)"))
	case st.parent != nil:
		return r.fail(idx, st, fmt.Errorf("Pause must be at the top level of the flow, not inside %s: Okta can't resume a flow paused inside another card", st.parent.card.Label()))
	case r.ex.Parent != "" || r.ex.Trigger == "call":
		return r.fail(idx, st, errors.New("Pause works only in the flow its API Endpoint started, not in a helper flow"))
	case pj == nil:
		return r.fail(idx, st, errors.New("Pause needs the app's store to wait for the resume request: run the flow in the app or with flowbench serve"))
	}
	resp := make(map[string]any, len(in))
	if c.Type == PauseRawID {
		status := http.StatusOK
		if n, ok := in["statusCode"].(float64); ok {
			status = int(n)
		}
		if status != http.StatusOK && (status < 400 || status > 599) {
			return r.fail(idx, st, InputErrorf("statusCode", "Pause Raw's statusCode must be 200 or 400 through 599, got %d", status))
		}
		resp["raw"], resp["statusCode"], resp["headers"], resp["body"] = true, float64(status), in["headers"], in["body"]
	} else {
		for k, v := range in {
			resp[k] = v
		}
	}
	rec := &r.ex.Cards[idx]
	rec.Status, rec.Ended = StatusPaused, time.Now()
	return &pauseSignal{card: c.ID, response: resp}
}

// paused ends a run that a Pause card stopped: its records and the paused
// header are written (and waited for); false when the run did not pause.
func (r *run) paused(f *Flow, opt *RunOptions) bool {
	if r.ex.Status != StatusPaused || r.j == nil {
		return false
	}
	pj, ok := r.j.j.(PauseJournal)
	if !ok {
		return false
	}
	r.flush(-1, false)
	r.j.bmu.Lock()
	r.j.ended = true
	if r.j.timer != nil {
		r.j.timer.Stop()
	}
	r.j.bmu.Unlock()
	// a paused run is listed even when the flow keeps no history: it waits
	// for its resume (the end drops the record again then)
	rec := r.sec.execution(r.ex) // the Pause's answer redacted like Return values
	if rec != r.ex {
		r.ex.record = rec
	}
	pj.Pause(rec, JournalEnd{Keep: true, Release: opt.Release})
	if r.e.OnFinish != nil {
		r.e.OnFinish(rec)
	}
	return true
}

// unpause turns the paused card's journaled record into a completed one
// with the resume values (written at once: a crash after this resumes
// with them), so the card replays and the run goes on after it.
func (r *run) unpause(opt *RunOptions) {
	if opt.unpause == nil || r.j == nil {
		return
	}
	p := r.j.prior[opt.unpause.card]
	if p == nil || p.Status != StatusPaused {
		return
	}
	rec := *p
	rec.Status, rec.Outputs, rec.Ended = StatusSuccess, opt.unpause.values, time.Now()
	r.j.prior[rec.ID] = &rec
	r.j.j.Step(r.ex, r.j.seq, []CardRecord{rec}, nil, false)
	r.j.seq++
}

// unpauseValues carries a resume request's values into the run.
type unpauseValues struct {
	card   string
	values map[string]any
}

// ResumeRequest is a request to a paused execution's resume URL.
type ResumeRequest struct {
	// Values: the JSON body's fields (Pause: each fills the output of that name).
	Values map[string]any
	// Headers and Body as received (Pause Raw's outputs).
	Headers map[string]any
	Body    string
}

// ResumeError says why a paused execution could not be resumed; Status is
// the HTTP status to answer with.
type ResumeError struct {
	Status int
	Msg    string
}

func (e *ResumeError) Error() string { return e.Msg }

// HTTPStatus is the status the app's API answers with.
func (e *ResumeError) HTTPStatus() int { return e.Status }

// unpausing holds the executions being resumed: one resume at a time.
var unpausing sync.Map

// takePaused takes paused execution id of flow f for a resume or a cancel
// (one at a time; call release after) and reads its journal. A run that is
// not paused (it ended, runs, or was resumed already), is another flow's, or
// is being resumed is a *ResumeError (404, 409).
func (e *Executor) takePaused(f *Flow, id string) (jn Journal, u *Unfinished, release func(), err error) {
	if _, busy := unpausing.LoadOrStore(id, struct{}{}); busy {
		return nil, nil, nil, &ResumeError{Status: http.StatusConflict, Msg: "execution " + id + " is being resumed by another request"}
	}
	release = func() { unpausing.Delete(id) }
	fail := func(err error) (Journal, *Unfinished, func(), error) {
		release()
		return nil, nil, nil, err
	}
	if jn = e.journal(); jn == nil {
		return fail(&ResumeError{Status: http.StatusNotFound, Msg: "no paused execution " + id + ": this executor keeps no journal"})
	}
	if u, err = jn.Unfinished(id); err != nil {
		return fail(fmt.Errorf("execution %s: %w", id, err))
	}
	switch {
	case u == nil:
		return fail(&ResumeError{Status: http.StatusConflict, Msg: "execution " + id + " is not paused: it ended or was resumed already"})
	case u.Execution.Flow != f.ID:
		return fail(&ResumeError{Status: http.StatusNotFound, Msg: "execution " + id + " is not a run of flow " + f.ID})
	case u.Execution.Status != StatusPaused:
		return fail(&ResumeError{Status: http.StatusConflict, Msg: "execution " + id + " is not paused: it is " + u.Execution.Status})
	}
	return jn, u, release, nil
}

// ResumePaused continues execution id of flow f, paused at a Pause or Pause
// Raw card, with the values of a resume request; it returns when the run
// ends or pauses again. A run that is not paused (it ended, runs, or was
// resumed already) or is being resumed is a *ResumeError (404, 409); so is
// a value that does not convert to the type of its Pause output (400).
func (e *Executor) ResumePaused(ctx context.Context, f *Flow, id string, rq ResumeRequest) (*Execution, error) {
	jn, u, release, err := e.takePaused(f, id)
	if err != nil {
		return nil, err
	}
	defer release()
	pe := u.Execution
	var rec *CardRecord
	for i := range pe.Cards {
		if pe.Cards[i].Status == StatusPaused {
			rec = &pe.Cards[i]
		}
	}
	if rec == nil {
		return nil, &ResumeError{Status: http.StatusConflict, Msg: "execution " + id + " has no paused card"}
	}
	var card *Card
	for i := range f.Cards {
		if f.Cards[i].ID == rec.ID {
			card = &f.Cards[i]
		}
	}
	if card == nil || !IsPause(card.Type) {
		return nil, &ResumeError{Status: http.StatusConflict, Msg: fmt.Sprintf("execution %s paused at card %s, which is no longer a Pause card of flow %q", id, rec.ID, f.Name)}
	}
	values, err := pauseOutputs(card, rq)
	if err != nil {
		return nil, &ResumeError{Status: http.StatusBadRequest, Msg: err.Error()}
	}
	ex, err := e.Run(ctx, f, nil, RunOptions{ID: id, Resume: true, Trigger: pe.Trigger, unpause: &unpauseValues{card: card.ID, values: values}})
	// the run's last writes land before another resume may look at it
	jn.Step(ex, 0, nil, nil, true)
	return ex, err
}

// pauseOutputs are the Pause card's outputs from a resume request: Pause
// Raw's the request's headers and body; Pause's each declared output by
// its key (or label), converted to its type. Keys the card does not
// declare are ignored, as Okta ignores them.
func pauseOutputs(c *Card, rq ResumeRequest) (map[string]any, error) {
	if c.Type == PauseRawID {
		h := rq.Headers
		if h == nil {
			h = map[string]any{}
		}
		return map[string]any{"headers": h, "body": rq.Body}, nil
	}
	if rq.Values == nil && strings.TrimSpace(rq.Body) != "" {
		return nil, fmt.Errorf("card %s: the resume request's body must be a JSON object whose keys fill the card's outputs (got %.40q)", c.Label(), rq.Body)
	}
	out := make(map[string]any, len(c.Outputs))
	for i := range c.Outputs {
		o := &c.Outputs[i]
		v, ok := rq.Values[o.Key]
		if !ok && o.Label != "" {
			v, ok = rq.Values[o.Label]
		}
		if !ok {
			if o.Required {
				return nil, fmt.Errorf("card %s, output %q: the resume request's body has no %q", c.Label(), o.Key, o.Key)
			}
			continue
		}
		if o.Type != nil {
			cv, err := Coerce(v, o.Type)
			if err != nil {
				return nil, fmt.Errorf("card %s, output %q (%s): %v", c.Label(), o.Key, o.Type, err)
			}
			v = cv
		}
		out[o.Key] = v
	}
	return out, nil
}
