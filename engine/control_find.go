package engine

import (
	"context"
	"fmt"
)

// moreControlCards are control cards of Okta's function reference added
// after the first set (issue 10 point 7).
func moreControlCards() []*Spec {
	return []*Spec{
		{ID: "list.findCustom", Okta: []string{"list:find"}, Title: "Find Custom", Category: "List", Kind: KindControl, ExtensibleInputs: true, Helper: HelperWaits,
			Inputs:  []FieldSpec{{Key: "list", Type: T("any[]"), Required: true}},
			Outputs: []FieldSpec{{Key: "item", Type: T("any")}, {Key: "index", Type: T("number")}},
			DocURL:  helpFlowControl + "List/list_find.htm",
			Description: "Calls the helper flow for each item in order (the item goes to the helper input mapped to Item, with the card's other inputs) " +
				"until the helper returns true; outputs that item and its index (0-based). No match: item is empty and index is -1. " +
				"A helper that stops without a Return (e.g. at a Continue If) counts as false; one that returns something other than true or false is an error naming the item.",
			Control: iterFind},
	}
}

func iterFind(ctx context.Context, in Inputs, _ Scope) (Outputs, error) {
	list, _ := in.Values["list"].([]any)
	base := helperArgs(in.Values, iterOwn)
	for i, item := range list {
		out, err := in.Run.CallFlow(ctx, in.Card.Flow, itemArgs(in.Card, base, item, i))
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		if len(out) == 0 {
			continue // the helper stopped without a Return (Continue If): no match
		}
		ok, err := ToBool(single(out))
		if err != nil {
			return nil, fmt.Errorf("item %d: helper must return true or false: %w", i, err)
		}
		if ok {
			return Outputs{"item": item, "index": float64(i)}, nil
		}
	}
	return Outputs{"item": nil, "index": float64(-1)}, nil
}
