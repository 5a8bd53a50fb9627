package okta

import "github.com/flowbench/flowbench/engine"

// Okta Devices connector event cards (oktadevices:<method>, also still in
// the Okta connector as okta:<method>; issue 10 point 8): the factor events
// imported flows start from. They take the same
// Okta connection and deliveries (event hook or System Log polling) as the
// Okta connector's event cards; their outputs follow the cards' exports
// (connector 1.0.104).

// eventNamespaces maps an event card method to its Okta connector when it is
// not the Okta connector itself.
var eventNamespaces = map[string]string{}

var devicesEventCards = func() bool {
	factorEv := join(base, []string{"Admin", "Okta User", "Reason"}, tail)
	for _, ec := range []EventCard{
		{"userMFAFactorActivated", "User MFA Factor Activated", "user.mfa.factor.activate", factorEv},
		{"userMFAFactorDeactivated", "User MFA Factor Deactivated", "user.mfa.factor.deactivate", factorEv},
		{"userMFAFactorResetAll", "User MFA Factor Reset All", "user.mfa.factor.reset_all", join(base, []string{"Admin", "Okta User"}, tail)},
		{"userMFA", "User MFA", "user.authentication.auth_via_mfa", join(base, []string{"Admin", "Okta User"}, tail)},
		{"mfaPreregistrationInitiated", "MFA Preregistration Initiated", "system.mfa.preregister.initiate",
			join(base, []string{"Actor", "Okta User", "MFA Factor"}, tail)},
	} {
		EventCards = append(EventCards, ec)
		eventNamespaces[ec.Method] = "oktadevices"
	}
	// Okta connector events whose System Log type the sandbox writes too
	// (applications, admin privileges) and device lifecycle events (Okta
	// Verify devices, in both connectors).
	// outputs as the cards' help pages name them: the admin and the Okta
	// Application (Application Created also the Okta User it names)
	appEv := join(base, []string{"Admin", "Okta Application"}, tail)
	for _, ec := range []EventCard{
		{"applicationCreated", "Application Created", "application.lifecycle.create", join(base, []string{"Admin", "Okta User", "Okta Application"}, tail)},
		{"applicationActivated", "Application Activated", "application.lifecycle.activate", appEv},
		{"applicationDeactivated", "Application Deactivated", "application.lifecycle.deactivate", appEv},
		{"applicationUpdated", "Application Updated", "application.lifecycle.update", appEv},
		{"applicationDeleted", "Application Deleted", "application.lifecycle.delete", appEv},
		{"userPrivilegeGranted", "User Privilege Granted", "user.account.privilege.grant", join(base, []string{"Actor", "Okta User"}, tail)},
		{"userPrivilegeRevoked", "User Privilege Revoked", "user.account.privilege.revoke", join(base, []string{"Actor", "Okta User"}, tail)},
	} {
		EventCards = append(EventCards, ec)
	}
	devEv := join(base, []string{"Actor", "Device"}, tail)
	for _, ec := range []EventCard{
		{"deviceActivated", "Device Activated", "device.lifecycle.activate", devEv},
		{"deviceDeactivated", "Device Deactivated", "device.lifecycle.deactivate", devEv},
		{"deviceSuspended", "Device Suspended", "device.lifecycle.suspend", devEv},
		{"deviceUnsuspended", "Device Unsuspended", "device.lifecycle.unsuspend", devEv},
		{"deviceDeleted", "Device Deleted", "device.lifecycle.delete", devEv},
	} {
		EventCards = append(EventCards, ec)
		eventNamespaces[ec.Method] = "oktadevices"
	}
	outputTypes["Device"] = entityType
	outputTypes["MFA Factor"] = engine.Obj(map[string]*engine.Type{"ID": engine.T("string"), "Alternate ID": engine.T("string"),
		"Display Name": engine.T("string"), "Type": engine.T("string"), "Detail": engine.T("object")})
	return true
}()

// eventKinds are the Okta kinds an event card implements. The factor cards
// exist in both connectors: Okta's help marks the Okta connector's copies as
// deprecated in favour of the identical Okta Devices cards, and imported
// flows may use either.
func eventKinds(ec *EventCard) []string {
	kinds := []string{"okta:" + ec.Method}
	if ns := eventNamespaces[ec.Method]; ns != "" {
		kinds = append(kinds, ns+":"+ec.Method)
	}
	return kinds
}

// addEventExtras fills the outputs only some event cards have: Reason (the
// outcome's reason) and MFA Factor (the factor or authenticator target).
func addEventExtras(all map[string]any, ev map[string]any) {
	outcome, _ := ev["outcome"].(map[string]any)
	all["Reason"] = evStr(outcome["reason"])
	all["Device"] = target(ev, "Device")
	list, _ := ev["target"].([]any)
	for _, t := range list {
		m, _ := t.(map[string]any)
		switch evStr(m["type"]) {
		case "Factor", "Authenticator", "AuthenticatorEnrollment", "Device":
			f := entity(m)
			detail, _ := m["detailEntry"].(map[string]any)
			if detail == nil {
				detail = map[string]any{}
			}
			f["Detail"] = detail
			all["MFA Factor"] = f
			return
		}
	}
	all["MFA Factor"] = nil
}
