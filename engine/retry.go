package engine

// Retry makes a run a new attempt of an earlier execution: "resume" reuses
// the recorded outputs of the cards that completed in Of (and of its For
// Each items and helper calls in Items) and runs the rest with the current
// flow and connections; "rerun" runs everything again. Either way the new
// execution names Of in AttemptOf, so history links the attempts.
type Retry struct {
	Of   *Execution
	Kind string // RetryResume or RetryRerun
	// Items are Of's helper calls by ItemKey(card, index): a successful one
	// is not called again (a For Each that failed on some items re-runs
	// only those).
	Items map[string]*ItemRecord
}

// Retry kinds.
const (
	RetryResume = "resume"
	RetryRerun  = "rerun"
)

// retryBegin links the run to the attempt it repeats and, for a resume,
// loads the completed cards and items to reuse.
func (r *run) retryBegin(rt *Retry) {
	if rt == nil || rt.Of == nil {
		return
	}
	r.ex.AttemptOf, r.ex.AttemptKind = rt.Of.ID, rt.Kind
	if rt.Kind != RetryResume {
		return
	}
	r.j.retry = true
	r.j.prior = ReusableCards(rt.Of)
	r.j.items = rt.Items
}

// ReusableCards are the records of an execution's cards that a resume
// reuses: cards that completed (also "failed, continued"). Control cards'
// own records are never reused (they run again and the cards inside them
// replay one by one), nor the trigger's (the run starts from the recorded
// input).
func ReusableCards(ex *Execution) map[string]*CardRecord {
	out := make(map[string]*CardRecord, len(ex.Cards))
	for i := range ex.Cards {
		c := &ex.Cards[i]
		if c.Status == StatusSuccess || c.Status == StatusContinued {
			out[c.ID] = c
		}
	}
	return out
}

// nopJournal lets an executor without a Journal run a retry (tests, CLI
// file runs): the run's reuse works the same, nothing is written.
type nopJournal struct{}

func (nopJournal) Begin(*Execution, *ItemRecord)                          {}
func (nopJournal) Step(*Execution, int, []CardRecord, []ItemRecord, bool) {}
func (nopJournal) End(*Execution, JournalEnd)                             {}
func (nopJournal) Unfinished(string) (*Unfinished, error)                 { return nil, nil }

// RetryItems rebuilds the helper calls of an ended execution from its
// cards' child executions (load finds one in history): a For Each item is
// keyed by its index, other calls by their order on the card. Only calls
// that succeeded are listed: the rest run again.
func RetryItems(ex *Execution, load func(id string) (*Execution, bool)) map[string]*ItemRecord {
	items := map[string]*ItemRecord{}
	for i := range ex.Cards {
		c := &ex.Cards[i]
		for n, id := range c.Children {
			child, ok := load(id)
			if !ok || child.Status != StatusSuccess {
				continue
			}
			idx := n
			if cv, ok := child.Input["context"].(map[string]any); ok {
				if f, ok := cv["index"].(float64); ok {
					idx = int(f)
				}
			}
			out := child.Outputs
			if out == nil {
				out = map[string]any{}
			}
			it := &ItemRecord{Parent: ex.ID, Card: c.ID, Index: idx, Child: id, Status: StatusSuccess, Outputs: out}
			items[it.Key()] = it
		}
	}
	return items
}
