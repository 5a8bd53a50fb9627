package app

import (
	"context"

	"github.com/flowbench/flowbench/connectors/okta"
	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// The Run panel's sample of Access Certification Decision Submitted is the
// sandbox tenant's newest review decision (its System Log event, mapped as a
// delivered event is): the Review Item is a review that GET
// /governance/api/v1/reviews/{id} returns and Debug Data carries the
// campaign and item details, as Okta's event does. Without a decision the
// card's own sample stays.
func init() {
	RegisterHook(Hook{Name: "sandbox-iga-samples", Start: func(_ context.Context, a *App) (func(), error) {
		s, _ := a.Exec.Services["sandbox"].(*sandbox.Server)
		if s == nil {
			return nil, nil
		}
		card := okta.EventCardID("accessCertificationDecisionSubmitted")
		a.sampleFixups = append(a.sampleFixups, func(f *engine.Flow, in map[string]any) {
			if f == nil || f.Trigger.Type != card {
				return
			}
			ev := s.DecisionEvent()
			if ev == nil {
				return
			}
			text := func(k string) string { v, _ := in[k].(string); return v }
			hdr, _ := in["Headers"].(map[string]any)
			full := okta.MapEvent("", ev, okta.Delivery{EventID: text("Event ID"), EventTime: text("Event Time"), Source: text("Source"), Headers: hdr})
			for k := range in {
				if v, ok := full[k]; ok {
					in[k] = v
				}
			}
		})
		return nil, nil
	}})
}
