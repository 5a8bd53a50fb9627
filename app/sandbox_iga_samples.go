package app

import (
	"context"
	"strings"

	"github.com/flowbench/flowbench/connectors/okta"
	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// The Run panel's sample of Access Certification Decision Submitted is the
// sandbox tenant's newest review decision (its System Log event, mapped as a
// delivered event is): the Review Item is a review that GET
// /governance/api/v1/reviews/{id} returns and Debug Data carries the
// campaign and item details, as Okta's event does. Without a decision the
// card's own sample stays. A helper flow's made-up WebAuthn preregistration
// enrollment id is the tenant's pending enrollment.
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
		// a helper's WebAuthn preregistration enrollment (the Yubico
		// template's error flow): the tenant's pending one and its user
		a.sampleFixups = append(a.sampleFixups, func(_ *engine.Flow, in map[string]any) {
			if uid, eid, ok := s.PendingPreregistration(); ok {
				fillEnrollment(in, uid, eid)
			}
		})
		return nil, nil
	}})
}

// fillEnrollment replaces a made-up authenticatorEnrollmentId ("sample …")
// anywhere in a sample by the tenant's enrollment, and the user id beside it
// (userId, userID, User ID) by the enrollment's user.
func fillEnrollment(v any, userID, enrollmentID string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if t, ok := e.(string); ok && strings.EqualFold(k, "authenticatorEnrollmentId") && strings.HasPrefix(t, "sample ") {
				x[k] = enrollmentID
				for uk := range x {
					if n := strings.ToLower(strings.ReplaceAll(uk, " ", "")); n == "userid" {
						x[uk] = userID
					}
				}
			}
		}
		for _, e := range x {
			fillEnrollment(e, userID, enrollmentID)
		}
	case []any:
		for _, e := range x {
			fillEnrollment(e, userID, enrollmentID)
		}
	}
}
