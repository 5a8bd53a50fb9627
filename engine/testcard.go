package engine

import (
	"context"
	"fmt"
	"maps"
	"slices"
)

// TestCard runs one card on its own — the designer's "test this card" —
// by native id or Okta name, with input values by key. It goes through
// the same path as a flow run: conversion, schema checks, error naming.
func TestCard(ctx context.Context, e *Executor, id string, input map[string]any) (map[string]any, error) {
	spec, ok := e.registry().Card(id)
	if !ok {
		return nil, fmt.Errorf("unknown card %q", id)
	}
	if spec.Kind == KindTrigger {
		return nil, fmt.Errorf("card %q is a trigger: run its flow instead", id)
	}
	c := Card{ID: "card", Type: spec.ID, Title: spec.Title}
	for _, k := range slices.Sorted(maps.Keys(input)) {
		// "connection" and "flow" name the card's connection and helper
		// flow (below), unless the card has an input of that name
		if (k == "connection" && spec.Connection != "" || k == "flow") && spec.InputSpec(k) == nil {
			continue
		}
		f := Field{Key: k, Value: input[k]}
		if spec.InputSpec(k) == nil {
			f.Type = &Type{Kind: KindAny}
		}
		c.Inputs = append(c.Inputs, f)
	}
	if conn, ok := input["connection"].(string); ok && spec.Connection != "" {
		c.Connection = conn
	}
	if fl, ok := input["flow"].(string); ok {
		c.Flow = fl
	}
	f := &Flow{Format: FlowFormat, ID: "test-card-" + spec.ID, Name: "Test " + spec.Title,
		Trigger: Card{ID: TriggerID, Type: "flow.manual"}, Cards: []Card{c}}
	ex, err := e.Run(ctx, f, nil, RunOptions{Trigger: "test"})
	e.Invalidate(f.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range ex.Cards {
		if r.ID == "card" {
			return r.Outputs, nil
		}
	}
	return ex.Outputs, nil
}
