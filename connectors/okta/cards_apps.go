package okta

import (
	"context"

	"github.com/flowbench/flowbench/engine"
)

// Application and group cards of the Okta connector that the first set
// lacked (issue 10 point 8): Activate Application (activateapplication.htm),
// Deactivate Application (deactivateapplication.htm), Remove Group from
// Application (removegroupfromapplication.htm) and Delete Group
// (deletegroup.htm). No template of the corpus uses them, so their field
// keys follow the help pages' field names.

func init() {
	appIDOnly := []engine.FieldSpec{in("Application", "ID", "string", true, "ID")}
	status := []engine.FieldSpec{out("Output", "Status Code", "number")}
	for _, s := range []*engine.Spec{
		card("okta.activateApplication", "okta:activateApplication", "Activate Application", "activateapplication.htm",
			"Activates an inactive Okta application (an active one stays active).", appIDOnly, status, appLifecycle("activate")),
		card("okta.deactivateApplication", "okta:deactivateApplication", "Deactivate Application", "deactivateapplication.htm",
			"Deactivates an Okta application: its users can no longer sign in to it.", appIDOnly, status, appLifecycle("deactivate")),
		card("okta.removeGroupFromApplication", "okta:removeGroupFromApplication", "Remove Group from Application", "removegroupfromapplication.htm",
			"Removes a group's assignment from an application; members keep the application only through other assignments.",
			[]engine.FieldSpec{appParam(), appIDInput(), in("Group", "groupID", "string", true, "ID")},
			[]engine.FieldSpec{out("Output", "Status", "number")}, removeGroupFromApp),
		card("okta.deleteGroup", "okta:deleteGroup", "Delete Group", "deletegroup.htm",
			"Removes an Okta group from the org (its members stay, without the membership). Okta refuses groups used in a group push mapping and built-in groups.",
			[]engine.FieldSpec{in("Group", "ID", "string", true, "ID")}, status, deleteGroup),
	} {
		engine.Register(s)
	}
}

func appLifecycle(op string) engine.RunFunc {
	return func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
		id, err := required(in, "ID")
		if err != nil {
			return nil, err
		}
		_, st, err := do(ctx, in, "POST", "/api/v1/apps/"+seg(id)+"/lifecycle/"+op, nil, nil)
		if err != nil {
			return nil, err
		}
		return engine.Outputs{"Status Code": float64(st)}, nil
	}
}

func removeGroupFromApp(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	app, err := appID(in)
	if err != nil {
		return nil, err
	}
	gid, err := required(in, "groupID")
	if err != nil {
		return nil, err
	}
	_, st, err := do(ctx, in, "DELETE", "/api/v1/apps/"+seg(app)+"/groups/"+seg(gid), nil, nil)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Status": float64(st)}, nil
}

func deleteGroup(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
	id, err := required(in, "ID")
	if err != nil {
		return nil, err
	}
	_, st, err := do(ctx, in, "DELETE", "/api/v1/groups/"+seg(id), nil, nil)
	if err != nil {
		return nil, err
	}
	return engine.Outputs{"Status Code": float64(st)}, nil
}
