package engine

import "sync"

// FlowCheck is a design-time check a package adds to Validate, for rules the
// engine cannot know (the Scheduled Flow trigger checks its schedule). It
// reports problems like Validate's own, naming card and input.
type FlowCheck func(f *Flow) []Problem

var (
	checksMu sync.RWMutex
	checks   []FlowCheck
)

// RegisterCheck adds a design-time check; call it from init.
func RegisterCheck(c FlowCheck) {
	checksMu.Lock()
	defer checksMu.Unlock()
	checks = append(checks, c)
}

// runChecks runs the registered checks on f.
func runChecks(f *Flow) []Problem {
	checksMu.RLock()
	defer checksMu.RUnlock()
	var out []Problem
	for _, c := range checks {
		out = append(out, c(f)...)
	}
	return out
}
