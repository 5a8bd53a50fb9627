package app

import (
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

// ResumePlan is what a resume of a failed execution would do: the card it
// starts from, the cards whose recorded outputs it reuses, the earlier
// cards changed since the run, and why it cannot resume, if it cannot.
type ResumePlan struct {
	Execution   string `json:"execution"`
	Flow        string `json:"flow"`
	Status      string `json:"status"`
	Interrupted bool   `json:"interrupted,omitempty"` // resumes after its last completed card (ResumeExecution)
	From        string `json:"from,omitempty"`        // card id the resume starts at (the failed card)
	FromTitle   string `json:"fromTitle,omitempty"`
	// Reused: cards whose recorded outputs are reused (in run order).
	Reused []string `json:"reused"`
	// Items: For Each items and helper calls that succeeded and are not run again.
	Items int `json:"items"`
	// Changed: cards the run completed that changed since (or were added
	// to or removed from the flow), from the flow version the run used.
	Changed     []engine.CardChange `json:"changed"`
	RanRevision int64               `json:"ranRevision,omitempty"`
	Revision    int64               `json:"revision"` // the flow's current revision
	VersionNote string              `json:"versionNote,omitempty"`
	CanResume   bool                `json:"canResume"`
	CanRerun    bool                `json:"canRerun"`
	Problems    []string            `json:"problems"` // why not (empty when it can)
}

var retrying sync.Map // execution id -> struct{}: one resume or re-run at a time

// ResumePlan tells what resuming execution id would do, and why it can't.
func (a *App) ResumePlan(id string) (*ResumePlan, error) {
	p, _, _, err := a.resumePlan(id)
	return p, err
}

func (a *App) resumePlan(id string) (*ResumePlan, *engine.Execution, *engine.Flow, error) {
	a.Store.Flush()
	ex, err := a.Store.Execution(id)
	if err != nil {
		return nil, nil, nil, err
	}
	p := &ResumePlan{Execution: ex.ID, Flow: ex.Flow, Status: ex.Status, Reused: []string{}, Changed: []engine.CardChange{}, Problems: []string{}}
	cur, err := a.Store.Flow(a.ctx, ex.Flow)
	if err != nil {
		p.Problems = append(p.Problems, fmt.Sprintf("the flow %q of this run no longer exists", ex.Flow))
		return p, ex, nil, nil
	}
	p.Revision = cur.Revision
	refuse := func(format string, args ...any) { p.Problems = append(p.Problems, fmt.Sprintf(format, args...)) }
	if ex.Parent != "" {
		refuse("this is a helper run: resume or re-run the run that called it (%s)", ex.Parent)
		return p, ex, cur, nil
	}
	p.CanRerun = true
	switch ex.Status {
	case engine.StatusInterrupted:
		p.Interrupted = true
		if _, ok := a.Store.Interrupted(id); !ok {
			refuse("this interrupted run was resumed already")
		}
	case engine.StatusFailed, engine.StatusTimeout, engine.StatusCanceled:
	case engine.StatusPaused:
		p.CanRerun = false
		refuse("this run is paused at its Pause card: it continues when its caller sends the Pause card's outputs to the flow's resume URL, POST /api/flo/%s/resume/%s (or Resume here… on the card, flowbench history resume --body)", ex.Flow, ex.ID)
	default:
		refuse("only a failed, timed out, canceled or interrupted run can be resumed; this one is %s (Re-run repeats it)", ex.Status)
	}
	if fc := ex.FailedCard(); fc != nil {
		p.From, p.FromTitle = fc.ID, fc.Title
		if p.FromTitle == "" {
			p.FromTitle = fc.ID
		}
	}
	reused := a.reusable(ex)
	for i := range ex.Cards {
		if reused[ex.Cards[i].ID] != nil {
			p.Reused = append(p.Reused, ex.Cards[i].ID)
		}
	}
	p.Items = len(engine.RetryItems(ex, a.childLoader()))
	// what changed since the run, among the cards it completed
	p.RanRevision = ex.FlowRevision
	if ex.FlowRevision == 0 {
		p.VersionNote = "the run did not record its flow version: changes since cannot be listed"
	} else if old, err := a.Store.FlowAt(ex.Flow, ex.FlowRevision); err != nil {
		p.VersionNote = fmt.Sprintf("version %d of the flow is no longer kept: changes since cannot be listed", ex.FlowRevision)
	} else if old.Revision != cur.Revision || ex.FlowRevision != cur.Revision {
		done := map[string]bool{}
		for i := range ex.Cards {
			if st := ex.Cards[i].Status; st == engine.StatusSuccess || st == engine.StatusContinued {
				done[ex.Cards[i].ID] = true
			}
		}
		for _, c := range engine.DiffFlows(old, cur).Cards {
			if done[c.ID] || c.Added {
				p.Changed = append(p.Changed, c)
			}
		}
	}
	if p.Interrupted {
		p.CanResume = len(p.Problems) == 0
		return p, ex, cur, nil
	}
	a.checkBindings(p, ex, cur, reused)
	for _, pr := range a.validate(cur) {
		if pr.Severity == "error" {
			title := pr.Title
			if title == "" {
				title = pr.Card
			}
			refuse("the flow has a problem to fix first: %s%s", prefix(title, pr.Input), pr.Message)
		}
	}
	p.CanResume = len(p.Problems) == 0
	return p, ex, cur, nil
}

func prefix(card, field string) string {
	switch {
	case card != "" && field != "":
		return card + " › " + field + ": "
	case card != "":
		return card + ": "
	}
	return ""
}

func (a *App) validate(f *engine.Flow) []engine.Problem {
	probs, err := a.ValidateFlow(f)
	if err != nil {
		return []engine.Problem{{Severity: "error", Message: err.Error()}}
	}
	return probs
}

// reusable: the card records a resume would reuse (control cards run again).
func (a *App) reusable(ex *engine.Execution) map[string]*engine.CardRecord {
	out := engine.ReusableCards(ex)
	for id, c := range out {
		if s, ok := a.Reg.Card(c.Type); ok && s.Control != nil {
			delete(out, id)
		}
	}
	if len(ex.Cards) > 0 {
		delete(out, ex.Cards[0].ID) // the trigger: the run starts from the recorded input
	}
	return out
}

// checkBindings refuses a resume whose cards that run again bind to values
// the recorded run does not have: an output the reused card did not
// produce, a reused card whose type changed, a trigger input it lacks.
func (a *App) checkBindings(p *ResumePlan, ex *engine.Execution, cur *engine.Flow, reused map[string]*engine.CardRecord) {
	byID := map[string]*engine.Card{}
	var walk func(cs []engine.Card)
	walk = func(cs []engine.Card) {
		for i := range cs {
			byID[cs[i].ID] = &cs[i]
			for j := range cs[i].Branches {
				walk(cs[i].Branches[j].Cards)
			}
		}
	}
	walk(cur.Cards)
	title := func(c *engine.Card) string {
		if c.Title != "" {
			return c.Title
		}
		return c.ID
	}
	var ids []string
	for id := range reused {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if c := byID[id]; c != nil && c.Type != reused[id].Type {
			p.Problems = append(p.Problems, fmt.Sprintf("card %s is now a %s card (the run recorded a %s card): its recorded outputs no longer fit; use Re-run", title(c), c.Type, reused[id].Type))
		}
	}
	input := ex.Input
	trig := cur.Trigger.ID
	declared := map[string]bool{}
	for _, o := range cur.Trigger.Outputs {
		if o.Value != nil {
			declared[o.Key] = true
		}
	}
	var check func(c *engine.Card)
	check = func(c *engine.Card) {
		if reused[c.ID] != nil && byID[c.ID] != nil && byID[c.ID].Type == reused[c.ID].Type {
			return // reused: its inputs are not read again
		}
		for _, f := range c.Inputs {
			bs := f.Any
			if f.From != nil {
				bs = append([]engine.Binding{*f.From}, bs...)
			}
			for _, b := range bs {
				if len(b.Path) == 0 {
					continue
				}
				key := b.Path[0]
				switch {
				case b.Card == trig || b.Card == engine.TriggerID:
					if _, ok := input[key]; !ok && !declared[key] && key != "context" {
						p.Problems = append(p.Problems, fmt.Sprintf("%s › %s: binds to the trigger's %q, which the run's input does not have; use Re-run with new input", title(c), fieldName(f), key))
					}
				case reused[b.Card] != nil:
					if _, ok := reused[b.Card].Outputs[key]; !ok {
						src := b.Card
						if s := byID[b.Card]; s != nil {
							src = title(s)
						}
						p.Problems = append(p.Problems, fmt.Sprintf("%s › %s: binds to %q of %s, which the recorded run of that card did not output; use Re-run", title(c), fieldName(f), key, src))
					}
				}
			}
		}
	}
	for _, c := range byID {
		check(c)
	}
	sort.Strings(p.Problems)
}

func fieldName(f engine.Field) string {
	if f.Label != "" {
		return f.Label
	}
	return f.Key
}

func (a *App) childLoader() func(id string) (*engine.Execution, bool) {
	return func(id string) (*engine.Execution, bool) {
		ex, err := a.Store.Execution(id)
		return ex, err == nil && ex != nil
	}
}

// ResumeRun resumes execution id: a failed (or timed out, canceled) run
// from its failed card, reusing the recorded outputs of the cards and For
// Each items before it and the original trigger input, with the flow and
// connections as they are now; an interrupted run after its last
// completed card. The new attempt is linked to id in history.
func (a *App) ResumeRun(id string) (*engine.Execution, error) {
	p, ex, f, err := a.resumePlan(id)
	if err != nil {
		return nil, err
	}
	if !p.CanResume {
		return nil, fmt.Errorf("cannot resume execution %s: %s", id, joinProblems(p.Problems))
	}
	if p.Interrupted {
		return a.ResumeExecution(id)
	}
	return a.retry(ex, f, engine.RetryResume)
}

// RerunExecution runs the flow of execution id again, whole, with the same
// trigger input; the new execution is linked to id in history.
func (a *App) RerunExecution(id string) (*engine.Execution, error) {
	p, ex, f, err := a.resumePlan(id)
	if err != nil {
		return nil, err
	}
	if !p.CanRerun {
		return nil, fmt.Errorf("cannot re-run execution %s: %s", id, joinProblems(p.Problems))
	}
	return a.retry(ex, f, engine.RetryRerun)
}

func joinProblems(ps []string) string {
	if len(ps) == 0 {
		return "unknown reason"
	}
	s := ps[0]
	for _, p := range ps[1:] {
		s += "; " + p
	}
	return s
}

func (a *App) retry(ex *engine.Execution, f *engine.Flow, kind string) (*engine.Execution, error) {
	if _, busy := retrying.LoadOrStore(ex.ID, struct{}{}); busy {
		return nil, fmt.Errorf("execution %s is already being resumed or re-run", ex.ID)
	}
	defer retrying.Delete(ex.ID)
	rt := &engine.Retry{Of: ex, Kind: kind}
	if kind == engine.RetryResume {
		rt.Items = engine.RetryItems(ex, a.childLoader())
	}
	input := ex.Input
	if input == nil {
		input = map[string]any{}
	}
	out, _ := a.Exec.Run(a.retryCtx(ex), f, input, engine.RunOptions{Trigger: "manual", Retry: rt})
	a.Store.Flush()
	if out == nil {
		return nil, errors.New("the run did not start")
	}
	return out.Record(), nil // secrets redacted, as History shows it
}

// ExecutionAttempts lists every attempt linked with execution id — the
// runs it was resumed or re-run from and those that resumed or re-ran it —
// oldest first (id's own summary included).
func (a *App) ExecutionAttempts(id string) ([]ExecutionSummary, error) {
	a.Store.Flush()
	ex, err := a.Store.Execution(id)
	if err != nil {
		return nil, err
	}
	rows, err := a.Store.Executions(store.Query{Flow: ex.Flow, Limit: 1000})
	if err != nil {
		return nil, err
	}
	byID := map[string]ExecutionSummary{}
	kids := map[string][]string{}
	for _, r := range rows {
		byID[r.ID] = r
		if r.AttemptOf != "" {
			kids[r.AttemptOf] = append(kids[r.AttemptOf], r.ID)
		}
	}
	root := id
	for seen := 0; seen < 1000; seen++ { // walk back to the first attempt
		r, ok := byID[root]
		if !ok || r.AttemptOf == "" {
			break
		}
		if _, ok := byID[r.AttemptOf]; !ok {
			break
		}
		root = r.AttemptOf
	}
	var out []ExecutionSummary
	var walk func(x string)
	walk = func(x string) {
		if r, ok := byID[x]; ok {
			out = append(out, r)
		}
		for _, k := range kids[x] {
			walk(k)
		}
	}
	walk(root)
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}
