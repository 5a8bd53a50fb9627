package okta

import "github.com/flowbench/flowbench/engine"

// streamState is the State a streaming card hands its helper flow with each
// record: the card's State input, plus every input the user added to the
// card's Streaming section (Okta passes those to the helper as fields of
// State, e.g. timeWindowDays → State.timeWindowDays), so none is dropped.
func streamState(in engine.Inputs) any {
	state := in.Values["State"]
	extra := map[string]any{}
	if in.Card != nil {
		for _, f := range in.Card.Inputs {
			if f.Group != "Streaming" || f.Key == "State" || f.Key == "Limit" {
				continue
			}
			if v, ok := in.Values[f.Key]; ok {
				extra[f.Key] = v
			}
		}
	}
	if len(extra) == 0 {
		return state
	}
	if m, ok := state.(map[string]any); ok {
		for k, v := range m {
			if _, set := extra[k]; !set {
				extra[k] = v
			}
		}
	}
	return extra
}

// Placeholder ids of SampleEvent's admin, group and app; a sample for a
// connection's tenant replaces them with the tenant's own (app/samplefill.go).
const (
	SampleAdminID = "00uadmin0000000000001"
	SampleGroupID = "00g1a2b3c4d5e6f7g8h9"
	SampleAppID   = "0oa1a2b3c4d5e6f7g8h9"
)
