package okta

import (
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// The rest of the event cards of Okta's Okta connector reference and of the
// Okta Devices connector (issue 10 point 8): API tokens, access requests,
// authenticators, device enrollment and user links, group push, imports,
// sign-in and sign-out, phone verification, MFA factor suspension. Each
// card is listed with its System Log event type and help page in
// connectors/all/testdata/okta-connector-events.tsv. Their outputs follow
// the cards' help pages: the common event fields plus the System Log actor
// and the targets the page names (ID, Alternate ID, Display Name, Type;
// Device carries Detail, the target's detailEntry).

const (
	// SampleAPITokenID and the other Sample…IDs are the ids event samples
	// use for targets a tenant may not have.
	SampleAPITokenID      = "00T1a2b3c4d5e6f7g8h9"
	SampleDeviceID        = "guo1a2b3c4d5e6f7g8h9"
	SampleAuthenticatorID = "aut1a2b3c4d5e6f7g8h9"
)

// refTarget is an output holding one System Log target, found by its type.
type refTarget struct {
	key   string   // output key ("API Token")
	types []string // System Log target types, first match wins
}

var refTargets = []refTarget{
	{"API Token", []string{"Token", "ApiToken", "API Token"}},
	{"Access Request", []string{"AccessRequest", "ACCESS_REQUEST", "Request"}},
	{"Authenticator", []string{"Authenticator", "AuthenticatorEnrollment"}},
	{"Global Application", []string{"AppInstance"}},
	{"Okta Application", []string{"AppInstance"}},
	{"Group Push Mapping", []string{"GroupPushMapping", "AppGroupMapping"}},
	{"Phone", []string{"Phone", "PhoneNumber", "SmsPhone", "VoicePhone"}},
}

// eventPages are help pages whose file name is not the method in lower case.
var eventPages = map[string]string{}

// eventDocURL is the help page of an event card.
func eventDocURL(ec *EventCard) string {
	if p := eventPages[ec.Method]; p != "" {
		return eventDoc + p
	}
	return eventDoc + strings.ToLower(ec.Method) + ".htm"
}

// eventInputs are a card's own options beyond delivery (events.go's
// eventSpec appends them).
var eventInputs = map[string][]engine.FieldSpec{}

// appInstanceInputs are the options of the cards that watch one app
// instance (User Assigned to / Unassigned from Application, User App
// Password Changed, User Synced in External Application), with Okta's
// export keys: useId, app, instance, appId. The app and instance are
// chosen by name and id ("-- All Apps --" / "-- All App Instances --" for
// every one), or the instance id is typed with Use App Instance ID? = Yes.
const (
	allInstances    = "-- All App Instances --"
	enterInstanceID = "-- Enter App Instance ID --"
)

func appInstanceInputs() []engine.FieldSpec {
	byID := &engine.ShownWhen{Key: "useId", Values: []any{"Yes"}}
	byList := &engine.ShownWhen{Key: "useId", Values: []any{"No"}}
	return []engine.FieldSpec{
		{Key: "useId", Label: "Use App Instance ID?", Type: engine.T("string"), Default: "No",
			Choices:     []engine.Choice{{Value: "No", Label: "No"}, {Value: "Yes", Label: "Yes"}},
			Description: "Yes: type the app instance's id in App Instance ID; No: choose the application and its instance"},
		{Key: "app", Label: "Application", Type: engine.T("string"), ShownWhen: byList,
			Description: "the app to watch (its name, e.g. salesforce); -- All Apps -- for every app"},
		{Key: "instance", Label: "Application Instance", Type: engine.T("string"), ShownWhen: byList,
			Choices:     []engine.Choice{{Value: allInstances, Label: allInstances}, {Value: enterInstanceID, Label: enterInstanceID}},
			ChoicesFrom: ChoicesApps, // the org's applications: label shown, instance id kept (choicesources.go)
			Description: "the app instance to watch; -- All App Instances -- for every instance"},
		{Key: "appId", Label: "App Instance ID", Type: engine.T("string"), ShownWhen: byID,
			Description: "the app instance's id, as in the Admin Console's URL …/admin/app/<name>/instance/<id>/"},
	}
}

// appInstanceOption is the app instance id a flow's event card watches
// ("" for every instance).
func appInstanceOption(f *engine.Flow) string {
	in := map[string]string{}
	for _, fl := range f.Trigger.Inputs {
		in[fl.Key] = strings.TrimSpace(engine.ToText(fl.Value))
	}
	id := in["instance"]
	if strings.EqualFold(in["useId"], "Yes") {
		id = in["appId"]
	}
	if strings.HasPrefix(id, "--") {
		return ""
	}
	return id
}

// eventWanted says whether a System Log event passes the card's options:
// an app instance card runs only for events whose AppInstance target is
// the chosen instance.
func eventWanted(f *engine.Flow, ec *EventCard, ev map[string]any) bool {
	if len(eventInputs[ec.Method]) == 0 {
		return true
	}
	want := appInstanceOption(f)
	if want == "" {
		return true
	}
	app := target(ev, "AppInstance")
	return app != nil && app["ID"] == want
}

// eventMappers fill outputs of event cards beyond MapEvent's common set.
var eventMappers = []func(all, ev map[string]any){mapRefTargets}

func mapRefTargets(all, ev map[string]any) {
	for _, rt := range refTargets {
		all[rt.key] = target(ev, rt.types...)
	}
	// Device carries the target's detailEntry (Okta Devices cards' Detail)
	list, _ := ev["target"].([]any)
	for _, t := range list {
		m, _ := t.(map[string]any)
		if evStr(m["type"]) != "Device" {
			continue
		}
		d := entity(m)
		detail, _ := m["detailEntry"].(map[string]any)
		if detail == nil {
			detail = map[string]any{}
		}
		d["Detail"] = detail
		all["Device"] = d
		break
	}
}

// sampleTargets are the System Log targets of a card's sample event, for
// cards whose event names more than a user.
var sampleTargets = map[string]func() []any{}

func sampleTargetsFor(ec *EventCard, def []any) []any {
	if f := sampleTargets[ec.Method]; f != nil {
		return f()
	}
	return def
}

func sampleTarget(id, typ, alt, name string) map[string]any {
	return map[string]any{"id": id, "type": typ, "alternateId": alt, "displayName": name}
}

var referenceEventCards = func() bool {
	_, _ = devicesEventCards, groupEventCards // their tables first: Device's type is redefined below
	adminUser := join(base, []string{"Admin", "Okta User"}, tail)
	actorUser := join(base, []string{"Actor", "Okta User"}, tail)
	sampleUser := func() map[string]any {
		return sampleTarget("00u1a2b3c4d5e6f7g8h9", "User", "jane.doe@example.com", "Jane Doe")
	}
	sampleApp := func() map[string]any { return sampleTarget(SampleAppID, "AppInstance", "Slack", "Slack") }
	sampleGroup := func() map[string]any { return sampleTarget(SampleGroupID, "UserGroup", "unknown", "Engineering") }
	sampleDevice := func() []any {
		d := sampleTarget(SampleDeviceID, "Device", "Jane's MACOS", "Jane's MACOS")
		d["detailEntry"] = map[string]any{"platform": "MACOS", "osVersion": "14.4.1"}
		return []any{d, sampleUser()}
	}
	type card struct {
		EventCard
		page    string
		devices bool // also an Okta Devices card (oktadevices:<method>)
		sample  func() []any
	}
	cards := []card{
		{EventCard{"accessRequestCreated", "Access Request Created", "access.request.create",
			join(base, []string{"Admin", "Access Request"}, tail)}, "iga-accessrequestcreated.htm", false,
			func() []any {
				return []any{sampleTarget("req1a2b3c4d5e6f7g8h9", "AccessRequest", "Access to Slack", "Access to Slack")}
			}},
		{EventCard{"accessRequestResolved", "Access Request Resolved", "access.request.resolve",
			join(base, []string{"Admin", "Access Request"}, tail)}, "iga-accessrequestresolved.htm", false,
			func() []any {
				return []any{sampleTarget("req1a2b3c4d5e6f7g8h9", "AccessRequest", "Access to Slack", "Access to Slack")}
			}},
		{EventCard{"apiTokenCreated", "API Token Created", "system.api_token.create",
			join(base, []string{"Actor", "API Token"}, tail)}, "", false,
			func() []any { return []any{sampleTarget(SampleAPITokenID, "Token", "unknown", "SCIM integration")} }},
		{EventCard{"apiTokenRevoked", "API Token Revoked", "system.api_token.revoke",
			join(base, []string{"Actor", "API Token"}, tail)}, "", false,
			func() []any { return []any{sampleTarget(SampleAPITokenID, "Token", "unknown", "SCIM integration")} }},
		{EventCard{"applicationPolicySignOnAccessDenied", "Application Policy Sign On Access Denied", "application.policy.sign_on.deny_access",
			join(base, []string{"Okta User", "Global Application"}, tail)}, "", false,
			func() []any { return []any{sampleUser(), sampleApp()} }},
		{EventCard{"groupPushFailed", "Group Push Failed", "application.provision.group_push.mapping.update.or.delete.failed.with.error",
			join(base, []string{"Actor", "Okta Application", "Group", "Group Push Mapping"}, tail)}, "", false,
			func() []any {
				return []any{sampleApp(), sampleGroup(), sampleTarget("gpm1a2b3c4d5e6f7g8h9", "GroupPushMapping", "Engineering", "Engineering")}
			}},
		{EventCard{"importGroupCreated", "Import Group Created", "system.import.group.create",
			join(base, []string{"Admin", "Application", "Group"}, tail)}, "", false,
			func() []any { return []any{sampleApp(), sampleGroup()} }},
		{EventCard{"importGroupDeleted", "Import Group Deleted", "system.import.group.delete",
			join(base, []string{"Admin", "Application", "Group"}, tail)}, "", false,
			func() []any { return []any{sampleApp(), sampleGroup()} }},
		{EventCard{"importProcessCompleted", "Import Process Completed", "system.import.complete",
			join(base, []string{"Actor", "Application"}, tail)}, "", false,
			func() []any { return []any{sampleApp()} }},
		{EventCard{"importStarted", "Import Started", "system.import.start",
			join(base, []string{"Actor", "Application"}, tail)}, "", false,
			func() []any { return []any{sampleApp()} }},
		{EventCard{"userAccountLocked", "User Account Locked", "user.account.lock", actorUser}, "", false, nil},
		{EventCard{"userAppPasswordChanged", "User App Password Changed", "application.user_membership.change_password",
			join(base, []string{"Admin", "Okta User", "Application User", "Application"}, tail)}, "", false,
			func() []any {
				return []any{sampleUser(), sampleTarget("0ua1a2b3c4d5e6f7g8h9", "AppUser", "jane.doe@example.com", "Jane Doe"), sampleApp()}
			}},
		{EventCard{"syncUserInExternalApplication", "User Synced in External Application", "application.provision.user.sync",
			join(base, []string{"Actor", "Okta User", "Application User", "Application"}, tail)}, "", false,
			func() []any {
				return []any{sampleUser(), sampleTarget("0ua1a2b3c4d5e6f7g8h9", "AppUser", "jane.doe@example.com", "Jane Doe"), sampleApp()}
			}},
		{EventCard{"userPasswordImported", "User Password Imported", "user.import.password", adminUser}, "", false, nil},
		{EventCard{"userOktaPasswordResetByAnAdmin", "User Okta Password Reset by an Admin", "user.account.reset_password", adminUser}, "", false, nil},
		{EventCard{"userSignedInAttempt", "User Signed In Attempt", "user.session.start", join(base, []string{"Actor"}, tail)}, "", false, nil},
		{EventCard{"userSignedOut", "User Signed Out", "user.session.end", join(base, []string{"Actor"}, tail)}, "", false, nil},
		// Okta Devices connector (and the Okta connector's deprecated copies)
		{EventCard{"authenticatorActivated", "Authenticator Activated", "security.authenticator.lifecycle.activate",
			join(base, []string{"Admin", "Authenticator"}, tail)}, "", true,
			func() []any {
				return []any{sampleTarget(SampleAuthenticatorID, "Authenticator", "okta_verify", "Okta Verify")}
			}},
		{EventCard{"authenticatorDeactivated", "Authenticator Deactivated", "security.authenticator.lifecycle.deactivate",
			join(base, []string{"Admin", "Authenticator"}, tail)}, "", true,
			func() []any {
				return []any{sampleTarget(SampleAuthenticatorID, "Authenticator", "okta_verify", "Okta Verify")}
			}},
		{EventCard{"deviceAddedToUser", "Device Added to User", "device.user.add", join(base, []string{"Actor", "Device"}, tail)}, "", true, sampleDevice},
		{EventCard{"deviceEnrolled", "Device Enrolled", "device.enrollment.create", join(base, []string{"Actor", "Device"}, tail)}, "", true, sampleDevice},
		{EventCard{"deviceRemovedFromUser", "Device Removed from User", "device.user.remove", join(base, []string{"Actor", "Device"}, tail)}, "", true, sampleDevice},
		{EventCard{"phoneVerificationCallSent", "Phone Verification Call Sent", "system.voice.send_phone_verification_call",
			join(base, []string{"Actor", "Okta User", "Phone"}, tail)}, "", true,
			func() []any {
				return []any{sampleUser(), sampleTarget("mbl1a2b3c4d5e6f7g8h9", "Phone", "+1 XXX-XXX-4567", "+1 XXX-XXX-4567")}
			}},
		{EventCard{"phoneVerificationSMSSent", "Phone Verification SMS Sent", "system.sms.send_phone_verification_message",
			join(base, []string{"Actor", "Okta User", "Phone"}, tail)}, "", true,
			func() []any {
				return []any{sampleUser(), sampleTarget("mbl1a2b3c4d5e6f7g8h9", "Phone", "+1 XXX-XXX-4567", "+1 XXX-XXX-4567")}
			}},
		{EventCard{"userMFAFactorSuspended", "User MFA Factor Suspended", "user.mfa.factor.suspend",
			join(base, []string{"Admin", "Okta User", "Reason"}, tail)}, "", true, nil},
		{EventCard{"userMFAFactorUnsuspended", "User MFA Factor Unsuspended", "user.mfa.factor.unsuspend",
			join(base, []string{"Admin", "Okta User", "Reason"}, tail)}, "", true, nil},
	}
	for _, c := range cards {
		EventCards = append(EventCards, c.EventCard)
		if c.page != "" {
			eventPages[c.Method] = c.page
		}
		if c.devices {
			eventNamespaces[c.Method] = "oktadevices"
		}
		if c.sample != nil {
			sampleTargets[c.Method] = c.sample
		}
	}
	for _, m := range []string{"userAddedToApplicationMembership", "userRemovedFromApplicationMembership", "userAppPasswordChanged", "syncUserInExternalApplication"} {
		eventInputs[m] = appInstanceInputs()
	}
	// the application cards' samples name the app
	for _, m := range []string{"applicationCreated", "applicationActivated", "applicationDeactivated", "applicationUpdated", "applicationDeleted"} {
		sampleTargets[m] = func() []any { return []any{sampleUser(), sampleApp()} }
	}
	// the device lifecycle cards' samples name a device too
	for _, m := range []string{"deviceActivated", "deviceDeactivated", "deviceSuspended", "deviceUnsuspended", "deviceDeleted"} {
		sampleTargets[m] = sampleDevice
	}
	for _, rt := range refTargets {
		outputTypes[rt.key] = entityType
	}
	outputTypes["Device"] = engine.Obj(map[string]*engine.Type{"ID": engine.T("string"), "Alternate ID": engine.T("string"),
		"Display Name": engine.T("string"), "Type": engine.T("string"), "Detail": engine.T("object")})
	return true
}()
