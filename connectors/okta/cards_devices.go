package okta

import (
	"context"
	"net/url"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// Okta Devices connector action cards (issue 10 point 8): Read Device,
// Search Devices, List Device Users and the device lifecycle, on
// /api/v1/devices through the Okta connection. No template of the corpus
// uses them, so their kinds (oktadevices:<method>) and keys follow the help
// pages' card and field names; the connector's event cards are in
// events_devices.go.

const devicesDoc = "https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/oktadevices/actions/"

var deviceRecordType = engine.Obj(map[string]*engine.Type{
	"ID": engine.T("string"), "Status": engine.T("string"), "Created": engine.T("string"), "Last Updated": engine.T("string"),
	"Display Name": engine.T("string"), "Platform": engine.T("string"), "Manufacturer": engine.T("string"), "Model": engine.T("string"),
	"OS Version": engine.T("string"), "Serial Number": engine.T("string"), "Registered": engine.T("boolean"), "Raw Output": engine.T("object"),
})

func deviceRecord(d any) map[string]any {
	return map[string]any{"ID": get(d, "id"), "Status": get(d, "status"), "Created": get(d, "created"), "Last Updated": get(d, "lastUpdated"),
		"Display Name": get(d, "profile", "displayName"), "Platform": get(d, "profile", "platform"), "Manufacturer": get(d, "profile", "manufacturer"),
		"Model": get(d, "profile", "model"), "OS Version": get(d, "profile", "osVersion"), "Serial Number": get(d, "profile", "serialNumber"),
		"Registered": get(d, "profile", "registered"), "Raw Output": d}
}

func init() {
	devCard := func(id, method, title, desc string, ins, outs []engine.FieldSpec, run engine.RunFunc) *engine.Spec {
		s := card("oktadevices."+id, "oktadevices:"+method, title, "", desc, ins, outs, run)
		s.DocURL, s.Category = devicesDoc+strings.ToLower(method)+".htm", "Okta Devices"
		return s
	}
	idIn := []engine.FieldSpec{in("Device", "ID", "string", true, "Device ID")}
	status := []engine.FieldSpec{{Key: "Status Code", Group: "Response", Label: "Status Code", Type: engine.T("number")}}
	specs := []*engine.Spec{
		devCard("readDevice", "readDevice", "Read Device", "Reads a registered device by ID.", idIn,
			[]engine.FieldSpec{outT("Device", "Device", deviceRecordType)}, func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				id, err := required(in, "ID")
				if err != nil {
					return nil, err
				}
				d, _, err := do(ctx, in, "GET", "/api/v1/devices/"+seg(id), nil, nil)
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"Device": deviceRecord(d)}, nil
			}),
		devCard("searchDevices", "searchDevices", "Search Devices",
			"Lists registered devices, optionally filtered by Status and Platform and an Okta search expression (Custom Filter); up to Limit (200 by default).",
			[]engine.FieldSpec{{Key: "Status", Group: "Search", Label: "Status", Type: engine.T("string"), Choices: choices("ACTIVE", "SUSPENDED", "DEACTIVATED")},
				{Key: "Platform", Group: "Search", Label: "Platform", Type: engine.T("string"), Choices: choices("ANDROID", "IOS", "MACOS", "WINDOWS")},
				in("Search", "Custom Filter", "string", false, "Custom Filter"), in("Search", "Limit", "number", false, "Limit")},
			[]engine.FieldSpec{outT("Result", "Devices", engine.ListOf(deviceRecordType)), out("Result", "Count", "number")},
			func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				var terms []string
				if s := text(in, "Status"); s != "" {
					terms = append(terms, "status eq "+quote(s))
				}
				if s := text(in, "Platform"); s != "" {
					terms = append(terms, "profile.platform eq "+quote(s))
				}
				if s := text(in, "Custom Filter"); s != "" {
					terms = append(terms, "("+s+")")
				}
				q := url.Values{"limit": {"200"}}
				if len(terms) > 0 {
					q.Set("search", strings.Join(terms, " and "))
				}
				max := limitOf(in, "Limit")
				if max == 0 {
					max = 200
				}
				list, n, err := listOrStream(ctx, in, "/api/v1/devices", q, false, max, deviceRecord)
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"Devices": list, "Count": float64(n)}, nil
			}),
		devCard("listDeviceUsers", "listDeviceUsers", "List Device Users", "Lists the users linked to a device.", idIn,
			[]engine.FieldSpec{outT("Result", "Users", engine.ListOf(userRecordType))}, func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				id, err := required(in, "ID")
				if err != nil {
					return nil, err
				}
				v, _, err := do(ctx, in, "GET", "/api/v1/devices/"+seg(id)+"/users", nil, nil)
				if err != nil {
					return nil, err
				}
				l, _ := v.([]any)
				out := make([]any, 0, len(l))
				for _, du := range l {
					out = append(out, userRecord(get(du, "user")))
				}
				return engine.Outputs{"Users": out}, nil
			}),
		devCard("deleteDevice", "deleteDevice", "Delete Device", "Deletes a device; Okta requires it to be deactivated first.", idIn, status,
			func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
				id, err := required(in, "ID")
				if err != nil {
					return nil, err
				}
				_, st, err := do(ctx, in, "DELETE", "/api/v1/devices/"+seg(id), nil, nil)
				if err != nil {
					return nil, err
				}
				return engine.Outputs{"Status Code": float64(st)}, nil
			}),
	}
	for _, op := range []struct{ method, title, op, desc string }{
		{"activateDevice", "Activate Device", "activate", "Activates a deactivated device."},
		{"deactivateDevice", "Deactivate Device", "deactivate", "Deactivates a device; its user links are removed."},
		{"suspendDevice", "Suspend Device", "suspend", "Suspends an active device."},
		{"unsuspendDevice", "Unsuspend Device", "unsuspend", "Returns a suspended device to ACTIVE."},
	} {
		op := op
		specs = append(specs, devCard(op.method, op.method, op.title, op.desc, idIn, status, func(ctx context.Context, in engine.Inputs) (engine.Outputs, error) {
			id, err := required(in, "ID")
			if err != nil {
				return nil, err
			}
			_, st, err := do(ctx, in, "POST", "/api/v1/devices/"+seg(id)+"/lifecycle/"+op.op, nil, nil)
			if err != nil {
				return nil, err
			}
			return engine.Outputs{"Status Code": float64(st)}, nil
		}))
	}
	for _, s := range specs {
		engine.Register(s)
	}
}
