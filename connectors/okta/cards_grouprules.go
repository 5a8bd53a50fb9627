package okta

import (
	"context"
	"net/url"

	"github.com/flowbench/flowbench/engine"
)

// Group rule cards of the Okta connector (issue 10 point 8): Create, Update,
// Activate, Deactivate and Delete Group Rule, on /api/v1/groups/rules. No
// template of the corpus uses them, so their field keys follow the help
// pages' field names (creategrouprule.htm, updategrouprule.htm).

var ruleOutputs = func(excluded string) []engine.FieldSpec {
	return []engine.FieldSpec{out("Properties", "ID", "string"), out("Properties", "Type", "string"), out("Properties", "Status", "string"),
		out("Properties", "Name", "string"), out("Properties", "Expression Conditions", "string"),
		out("Properties", excluded, "string[]"), out("Properties", "Group Assignments", "string[]")}
}

func init() {
	ruleInputs := func(withID bool) []engine.FieldSpec {
		var ins []engine.FieldSpec
		if withID {
			ins = append(ins, in("Group Rule", "ID", "string", true, "ID"))
		}
		return append(ins, in("Group Rule", "Name", "string", true, "Name"),
			in("Group Rule", "Expression Conditions", "string", true, "Expression Conditions"),
			in("Group Rule", "Assign to Groups", "string[]", true, "Assign to Groups"),
			in("Group Rule", "Exclude Users", "string[]", withID, "Exclude Users"))
	}
	idOnly := []engine.FieldSpec{in("Group Rule", "ID", "string", true, "ID")}
	status := []engine.FieldSpec{{Key: "Status Code", Group: "Response", Label: "Status Code", Type: engine.T("number")}}
	for _, s := range []*engine.Spec{
		card("okta.createGroupRule", "okta:createGroupRule", "Create Group Rule", "creategrouprule.htm",
			"Creates a group rule that adds users matching the Okta expression to the groups (inactive until activated).",
			ruleInputs(false), ruleOutputs("Excluded Users"), writeGroupRule(false)),
		card("okta.updateGroupRule", "okta:updateGroupRule", "Update Group Rule", "updategrouprule.htm",
			"Replaces a group rule's name, expression, groups and excluded users. The rule must be inactive.",
			ruleInputs(true), ruleOutputs("Exclude Users"), writeGroupRule(true)),
		card("okta.activateGroupRule", "okta:activateGroupRule", "Activate Group Rule", "activategrouprule.htm",
			"Activates a group rule: Okta assigns every matching user to its groups.", idOnly, status, groupRuleLifecycle("activate")),
		card("okta.deactivateGroupRule", "okta:deactivateGroupRule", "Deactivate Group Rule", "deactivategrouprule.htm",
			"Deactivates a group rule (memberships it made stay).", idOnly, status, groupRuleLifecycle("deactivate")),
		card("okta.deleteGroupRule", "okta:deleteGroupRule", "Delete Group Rule", "deletegrouprule.htm",
			"Deletes a group rule; with Remove Users, the memberships it made are removed too.",
			append(append([]engine.FieldSpec(nil), idOnly...), in("Group Rule", "Remove Users", "boolean", false, "Remove Users")), status, deleteGroupRule),
	} {
		engine.Register(s)
	}
}

func ruleRecord(r any, excluded string) engine.Outputs {
	return engine.Outputs{"ID": get(r, "id"), "Type": get(r, "type"), "Status": get(r, "status"), "Name": get(r, "name"),
		"Expression Conditions": get(r, "conditions", "expression", "value"),
		excluded:                get(r, "conditions", "people", "users", "exclude"),
		"Group Assignments":     get(r, "actions", "assignUserToGroups", "groupIds")}
}

func textList(in engine.Inputs, key string) []string {
	l, _ := in.Values[key].([]any)
	out := []string{}
	for _, v := range l {
		if s := engine.ToText(v); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func writeGroupRule(update bool) engine.RunFunc {
	return func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
		name, err := required(in, "Name")
		if err != nil {
			return nil, err
		}
		expr, err := required(in, "Expression Conditions")
		if err != nil {
			return nil, err
		}
		groups := textList(in, "Assign to Groups")
		if len(groups) == 0 {
			return nil, engine.InputErrorf("Assign to Groups", "needs at least one group ID")
		}
		body := map[string]any{"type": "group_rule", "name": name,
			"conditions": map[string]any{"expression": map[string]any{"type": "urn:okta:expression:1.0", "value": expr},
				"people": map[string]any{"users": map[string]any{"exclude": textList(in, "Exclude Users")}}},
			"actions": map[string]any{"assignUserToGroups": map[string]any{"groupIds": groups}}}
		method, path, excluded := "POST", "/api/v1/groups/rules", "Excluded Users"
		if update {
			id, err := required(in, "ID")
			if err != nil {
				return nil, err
			}
			method, path, excluded = "PUT", "/api/v1/groups/rules/"+seg(id), "Exclude Users"
		}
		r, _, err := do(ctx, in, method, path, nil, body)
		if err != nil {
			return nil, err
		}
		return ruleRecord(r, excluded), nil
	}
}

func groupRuleLifecycle(op string) engine.RunFunc {
	return func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
		id, err := required(in, "ID")
		if err != nil {
			return nil, err
		}
		_, st, err := do(ctx, in, "POST", "/api/v1/groups/rules/"+seg(id)+"/lifecycle/"+op, nil, nil)
		if err != nil {
			return nil, err
		}
		return engine.Outputs{"Status Code": float64(st)}, nil
	}
}

func deleteGroupRule(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "ID")
	if err != nil {
		return nil, err
	}
	var q url.Values
	if boolean(in, "Remove Users", false) {
		q = url.Values{"removeUsers": {"true"}}
	}
	_, st, err := do(ctx, in, "DELETE", "/api/v1/groups/rules/"+seg(id), q, nil)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Status Code": float64(st)}, nil
}
