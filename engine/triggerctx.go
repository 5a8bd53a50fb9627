package engine

// The trigger context every run's trigger outputs carry, with Okta's names
// and types (Okta's callable card exports them in group "context"):
//
//	execution_id   text: this execution
//	execution_time text: when the execution started (ISO 8601 UTC); Okta's
//	               Scheduled Flow documents it, every flow gets it here
//	index          number: the item position in a For Each / Map call
//	parent         object {id, method, name, execution_id, wf_id,
//	               root_execution_id, root_wf_id}: the calling flow of a
//	               helper run
//	error          object {message, method, flo, execution}: the failure an
//	               error-handling flow was called for
//
// Values the caller put in the context (index, error, parent) are kept.

// triggerContext completes ctxv (which may be shared: it is copied) for run r.
func (r *run) triggerContext(ctxv map[string]any) map[string]any {
	cp := make(map[string]any, len(ctxv)+3)
	for k, v := range ctxv {
		cp[k] = v
	}
	if _, has := cp["execution_id"]; !has {
		cp["execution_id"] = r.ex.ID
	}
	if v, has := cp["execution_time"]; !has || v == nil {
		cp["execution_time"] = r.ex.Started.UTC().Format(DateLayout)
	}
	return cp
}

// parentContext is the "parent" context value a helper run called from r
// receives.
func (r *run) parentContext(card string) map[string]any {
	p := map[string]any{"id": r.ex.Flow, "wf_id": r.ex.Flow, "name": r.ex.FlowName,
		"execution_id": r.ex.ID, "method": card,
		"root_execution_id": r.ex.ID, "root_wf_id": r.ex.Flow}
	if own, ok := r.ex.Input["context"].(map[string]any); ok { // the caller's context (immutable)
		if pp, ok := own["parent"].(map[string]any); ok {
			if v, ok := pp["root_execution_id"].(string); ok && v != "" {
				p["root_execution_id"] = v
			}
			if v, ok := pp["root_wf_id"].(string); ok && v != "" {
				p["root_wf_id"] = v
			}
		}
	}
	return p
}

// withParent returns args with context.parent set for a helper call from
// card (args is not modified: the caller may share it).
func (r *run) withParent(args map[string]any, card string) map[string]any {
	ctxv, _ := args["context"].(map[string]any)
	if _, has := ctxv["parent"]; has {
		return args
	}
	out := make(map[string]any, len(args)+1)
	for k, v := range args {
		out[k] = v
	}
	c := make(map[string]any, len(ctxv)+1)
	for k, v := range ctxv {
		c[k] = v
	}
	c["parent"] = r.parentContext(card)
	out["context"] = c
	return out
}
