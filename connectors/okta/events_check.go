package okta

import (
	"fmt"
	"strings"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// checkEventOptions refuses to switch on an app instance event card whose
// options name no instance although they say one is given: Use App Instance
// ID? = Yes with App Instance ID empty, or Application Instance left at
// "-- Enter App Instance ID --". Without this the flow would run for every
// app's events (appInstanceOption reads them as "every instance").
func checkEventOptions(f *engine.Flow) error {
	ec := byType[f.Trigger.Type]
	if ec == nil || len(eventInputs[ec.Method]) == 0 {
		return nil
	}
	bad := func(field, format string, args ...any) error {
		return trigger.NewConfigError(f, field, fmt.Errorf(format, args...))
	}
	text := func(key string) string {
		in := f.Trigger.Input(key)
		if in == nil {
			return ""
		}
		if in.From != nil || len(in.Any) > 0 {
			return "?" // wired: known only when it runs
		}
		return strings.TrimSpace(engine.ToText(in.Value))
	}
	if strings.EqualFold(text("useId"), "Yes") {
		if text("appId") == "" {
			return bad("appId", "App Instance ID is empty while Use App Instance ID? is Yes: type the app instance's id (the …/instance/<id>/ part of its Admin Console address), or choose No and pick the application instance")
		}
		return nil
	}
	if text("instance") == enterInstanceID {
		return bad("instance", "Application Instance is %q: choose Yes in Use App Instance ID? and type the id in App Instance ID, or pick an instance", enterInstanceID)
	}
	return nil
}
