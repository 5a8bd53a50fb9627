package okta

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/flowbench/flowbench/connectors/okta/sandbox"
	"github.com/flowbench/flowbench/engine"
)

// refCase is one event card added for Okta's connector reference: how the
// sandbox comes to write its System Log event, and which output must hold
// which target.
type refCase struct {
	method string
	// cause writes the event into the sandbox's System Log (through the
	// sandbox's API where it has one) and returns output key -> wanted ID.
	cause func(t *testing.T, e *evEnv) map[string]string
}

func recordCase(method, eventType, reason string, targets func(e *evEnv) []sandbox.LogTarget, want map[string]string) refCase {
	return refCase{method, func(t *testing.T, e *evEnv) map[string]string {
		tg := targets(e)
		if _, err := e.srv.RecordEvent(eventType, "sandbox: "+eventType, reason, tg...); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for k, idx := range want {
			switch {
			case strings.HasPrefix(idx, "="):
				out[k] = idx[1:]
			default:
				for _, x := range tg {
					if x.Type == idx {
						out[k] = x.ID
						break
					}
				}
			}
		}
		return out
	}}
}

func refCases() []refCase {
	alice := func(e *evEnv) sandbox.LogTarget {
		u, ok := e.srv.UserTarget("alice.nguyen@example.com")
		if !ok {
			e.t.Fatal("no alice")
		}
		return u
	}
	app := func(e *evEnv) sandbox.LogTarget {
		id := e.appID()
		return sandbox.LogTarget{ID: id, Type: "AppInstance", AlternateID: "Slack", DisplayName: "Slack"}
	}
	group := func(e *evEnv) sandbox.LogTarget {
		return sandbox.LogTarget{ID: e.groupID("Sales"), Type: "UserGroup", AlternateID: "unknown", DisplayName: "Sales"}
	}
	req := sandbox.LogTarget{ID: "req00000000000000001", Type: "AccessRequest", AlternateID: "Access to Slack", DisplayName: "Access to Slack"}
	phone := sandbox.LogTarget{ID: "mbl00000000000000001", Type: "Phone", AlternateID: "+1 XXX-XXX-0142", DisplayName: "+1 XXX-XXX-0142"}
	appUser := sandbox.LogTarget{ID: "0ua00000000000000001", Type: "AppUser", AlternateID: "alice.nguyen@example.com", DisplayName: "Alice Nguyen"}
	mapping := sandbox.LogTarget{ID: "gpm00000000000000001", Type: "GroupPushMapping", AlternateID: "Sales", DisplayName: "Sales"}
	device := func(e *evEnv) sandbox.LogTarget {
		return sandbox.LogTarget{ID: "guo00000000000000042", Type: "Device", AlternateID: "Alice's MACOS", DisplayName: "Alice's MACOS",
			DetailEntry: map[string]any{"platform": "MACOS"}}
	}
	only := func(ts ...sandbox.LogTarget) func(*evEnv) []sandbox.LogTarget {
		return func(*evEnv) []sandbox.LogTarget { return ts }
	}
	with := func(fs ...func(*evEnv) sandbox.LogTarget) func(*evEnv) []sandbox.LogTarget {
		return func(e *evEnv) []sandbox.LogTarget {
			var out []sandbox.LogTarget
			for _, f := range fs {
				out = append(out, f(e))
			}
			return out
		}
	}
	fixed := func(t sandbox.LogTarget) func(*evEnv) sandbox.LogTarget {
		return func(*evEnv) sandbox.LogTarget { return t }
	}
	token := func(revoke bool) func(t *testing.T, e *evEnv) map[string]string {
		return func(t *testing.T, e *evEnv) map[string]string {
			if !revoke {
				_, id := e.srv.IssueAPIToken("Provisioning bot")
				return map[string]string{"API Token": id}
			}
			// revoke the seed's unused token through the API (no create event)
			id := ""
			for _, v := range e.list("/api/v1/api-tokens") {
				if v["name"] == sandbox.LegacySCIMTokenName {
					id, _ = v["id"].(string)
				}
			}
			if s := e.api("DELETE", "/api/v1/api-tokens/"+id); s != 204 {
				t.Fatalf("revoke token %q: %d", id, s)
			}
			return map[string]string{"API Token": id}
		}
	}
	authenticator := func(key, op string) func(t *testing.T, e *evEnv) map[string]string {
		return func(t *testing.T, e *evEnv) map[string]string {
			id := ""
			for _, a := range e.list("/api/v1/authenticators") {
				if a["key"] == key {
					id, _ = a["id"].(string)
				}
			}
			if s := e.api("POST", "/api/v1/authenticators/"+id+"/lifecycle/"+op); s != 200 {
				t.Fatalf("%s %s: %d", op, key, s)
			}
			return map[string]string{"Authenticator": id}
		}
	}
	// Okta Verify enrolling a device (sandbox.EnrollDevice) writes
	// device.enrollment.create and device.user.add
	var enrolled string
	enroll := func(t *testing.T, e *evEnv) map[string]string {
		if enrolled == "" {
			id, err := e.srv.EnrollDevice("alice.nguyen@example.com", "MACOS", "Alice's MACOS")
			if err != nil {
				t.Fatal(err)
			}
			enrolled = id
		}
		return map[string]string{"Device": enrolled}
	}
	return []refCase{
		recordCase("accessRequestCreated", "access.request.create", "", only(req), map[string]string{"Access Request": "AccessRequest"}),
		recordCase("accessRequestResolved", "access.request.resolve", "", only(req), map[string]string{"Access Request": "AccessRequest"}),
		{"apiTokenCreated", token(false)},
		{"apiTokenRevoked", token(true)},
		recordCase("applicationPolicySignOnAccessDenied", "application.policy.sign_on.deny_access", "", with(alice, app),
			map[string]string{"Okta User": "User", "Global Application": "AppInstance"}),
		recordCase("groupPushFailed", "application.provision.group_push.mapping.update.or.delete.failed.with.error", "", with(app, group, fixed(mapping)),
			map[string]string{"Okta Application": "AppInstance", "Group": "UserGroup", "Group Push Mapping": "GroupPushMapping"}),
		recordCase("importGroupCreated", "system.import.group.create", "", with(app, group), map[string]string{"Application": "AppInstance", "Group": "UserGroup"}),
		recordCase("importGroupDeleted", "system.import.group.delete", "", with(app, group), map[string]string{"Application": "AppInstance", "Group": "UserGroup"}),
		recordCase("importProcessCompleted", "system.import.complete", "", with(app), map[string]string{"Application": "AppInstance"}),
		recordCase("importStarted", "system.import.start", "", with(app), map[string]string{"Application": "AppInstance"}),
		recordCase("userAccountLocked", "user.account.lock", "", with(alice), map[string]string{"Okta User": "User"}),
		recordCase("userAppPasswordChanged", "application.user_membership.change_password", "", with(alice, fixed(appUser), app),
			map[string]string{"Okta User": "User", "Application User": "AppUser", "Application": "AppInstance"}),
		recordCase("syncUserInExternalApplication", "application.provision.user.sync", "", with(alice, fixed(appUser), app),
			map[string]string{"Okta User": "User", "Application User": "AppUser", "Application": "AppInstance"}),
		recordCase("userPasswordImported", "user.import.password", "", with(alice), map[string]string{"Okta User": "User"}),
		{"userOktaPasswordResetByAnAdmin", func(t *testing.T, e *evEnv) map[string]string {
			u, _ := e.srv.UserTarget("carol.okafor@example.com")
			if s := e.api("POST", "/api/v1/users/"+u.ID+"/lifecycle/reset_password?sendEmail=false"); s != 200 {
				t.Fatalf("reset password: %d", s)
			}
			return map[string]string{"Okta User": u.ID}
		}},
		recordCase("userSignedInAttempt", "user.session.start", "", only(), map[string]string{}),
		recordCase("userSignedOut", "user.session.end", "", only(), map[string]string{}),
		{"authenticatorActivated", authenticator("phone_number", "activate")}, // an admin's change through the API
		{"authenticatorDeactivated", authenticator("okta_verify", "deactivate")},
		{"deviceAddedToUser", enroll}, // one enrollment writes both events
		{"deviceEnrolled", enroll},
		recordCase("deviceRemovedFromUser", "device.user.remove", "", with(device, alice), map[string]string{"Device": "Device"}),
		recordCase("phoneVerificationCallSent", "system.voice.send_phone_verification_call", "", with(alice, fixed(phone)),
			map[string]string{"Okta User": "User", "Phone": "Phone"}),
		recordCase("phoneVerificationSMSSent", "system.sms.send_phone_verification_message", "", with(alice, fixed(phone)),
			map[string]string{"Okta User": "User", "Phone": "Phone"}),
		recordCase("userMFAFactorSuspended", "user.mfa.factor.suspend", "User suspended FACTOR", with(alice), map[string]string{"Okta User": "User"}),
		recordCase("userMFAFactorUnsuspended", "user.mfa.factor.unsuspend", "User unsuspended FACTOR", with(alice), map[string]string{"Okta User": "User"}),
	}
}

func (e *evEnv) appID() string {
	apps := e.list("/api/v1/apps?limit=1")
	if len(apps) == 0 {
		e.t.Fatal("no apps in the sandbox")
	}
	return apps[0]["id"].(string)
}

// list GETs a list from the sandbox's API as the admin.
func (e *evEnv) list(path string) []map[string]any {
	req, _ := http.NewRequest("GET", e.url+path, nil)
	req.Header.Set("Authorization", "SSWS "+sandbox.DefaultAPIToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	return out
}

// refFlow is an enabled flow started by the event card, with one card.
func (e *evEnv) refFlow(id, method string, inputs ...engine.Field) *engine.Flow {
	f := &engine.Flow{Format: engine.FlowFormat, ID: id, Name: id, Enabled: true, Settings: engine.Settings{History: true},
		Trigger: engine.Card{ID: "trigger", Type: EventCardID(method), Connection: "sandbox", Inputs: inputs},
		Cards:   []engine.Card{{ID: "count", Type: "test.count"}}}
	if err := e.st.PutFlow(f); err != nil {
		e.t.Fatal(err)
	}
	got, err := e.st.Flow(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.rt.Sync(got); err != nil {
		e.t.Fatalf("%s: %v", id, err)
	}
	return got
}

// Every event card added for Okta's connector reference starts its flow
// from a System Log event of its type, delivered by the sandbox's event hook
// over loopback HTTP and found by polling /api/v1/logs, with the outputs
// its help page documents: the common fields, the actor, and each target
// in the output named for it.
func TestReferenceEventCardsHookAndPoll(t *testing.T) {
	e := newEvEnv(t)
	cases := refCases()
	var types []string
	var shared string
	for _, c := range cases {
		ec := byMethod(c.method)
		if ec == nil {
			t.Fatalf("%s: no such event card", c.method)
		}
		types = append(types, ec.EventType)
		f := e.refFlow("hook-"+c.method, c.method)
		st := e.rt.State(f)
		if st.EventType != ec.EventType || st.Delivery != "hook" || !st.Listening {
			t.Fatalf("%s: state %+v", c.method, st)
		}
		if shared == "" {
			shared = st.Secret
		}
		if st.Secret != shared || st.Endpoint != "/hooks/okta/connection/sandbox" {
			t.Fatalf("%s: not the connection's shared hook: %+v", c.method, st)
		}
		e.refFlow("poll-"+c.method, c.method, engine.Field{Key: "delivery", Value: "poll"}, engine.Field{Key: "pollInterval", Value: "1h"})
	}
	// the hook subscribes to every type (Okta's event hook lists them)
	e.srv.AddEventHook(sandbox.EventHook{URL: e.hs.URL + "/hooks/okta/connection/sandbox", AuthHeader: "Authorization", AuthValue: shared, EventTypes: types})
	if err := e.srv.VerifyEventHook(e.hs.URL + "/hooks/okta/connection/sandbox"); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{}
	for _, c := range cases {
		want[c.method] = c.cause(t, e)
	}
	var wg sync.WaitGroup // the poll flows poll at once, as their timers would
	errs := make([]error, len(cases))
	for i, c := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = e.rt.PollNow(context.Background(), "poll-"+c.method)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("%s: poll: %v", cases[i].method, err)
		}
	}
	for _, c := range cases {
		ec := byMethod(c.method)
		for _, via := range []string{"hook-", "poll-"} {
			list := e.wait(via+c.method, 1)
			in := list[0].Input
			for _, k := range ec.Outputs {
				if _, ok := in[k]; !ok {
					t.Errorf("%s%s: output %q missing: %s", via, c.method, k, asJSON(in))
				}
			}
			if in["Event Type"] != ec.EventType || in["UUID"] == "" || in["Date and Time"] == "" {
				t.Errorf("%s%s: common fields %s", via, c.method, asJSON(in))
			}
			who := "Actor"
			if _, ok := in["Admin"]; ok {
				who = "Admin"
			}
			if _, ok := in[who]; ok && at(in, who, "Type") != "User" {
				t.Errorf("%s%s: %s %v", via, c.method, who, in[who])
			}
			if in[who] != nil && at(in, who, "ID") == "" {
				t.Errorf("%s%s: %s has no id", via, c.method, who)
			}
			for k, id := range want[c.method] {
				if got := at(in, k, "ID"); got != id {
					t.Errorf("%s%s: %s.ID = %v, want %s (%s)", via, c.method, k, got, id, asJSON(in[k]))
				}
			}
			if strings.HasPrefix(c.method, "device") && at(in, "Device", "Detail", "platform") != "MACOS" {
				t.Errorf("%s%s: Device.Detail %v", via, c.method, in["Device"])
			}
			if strings.HasPrefix(c.method, "userMFAFactor") && !strings.HasSuffix(engine.ToText(in["Reason"]), "FACTOR") {
				t.Errorf("%s%s: Reason %v", via, c.method, in["Reason"])
			}
		}
	}
	e.stop()
}

// The Run panel's sample of each new card carries the targets its outputs
// name, so a flow can be tried before any event arrives.
func TestReferenceEventSamples(t *testing.T) {
	for _, c := range refCases() {
		ec := byMethod(c.method)
		s := SampleEvent(EventCardID(c.method))
		if len(s) != len(ec.Outputs) {
			t.Fatalf("%s: %d outputs, want %d", c.method, len(s), len(ec.Outputs))
		}
		for _, k := range ec.Outputs {
			if k == "Reason" || k == "Headers" || k == "Source" {
				continue
			}
			if s[k] == nil || s[k] == "" {
				t.Errorf("%s: sample output %q is empty: %s", c.method, k, asJSON(s))
			}
		}
		spec, _ := engine.Default().ByOkta("okta:" + c.method)
		if spec == nil || !strings.HasPrefix(spec.DocURL, eventDoc) || !strings.HasSuffix(spec.DocURL, ".htm") {
			t.Errorf("%s: doc %v", c.method, spec)
		}
	}
	if spec, _ := engine.Default().ByOkta("okta:accessRequestCreated"); spec == nil || !strings.HasSuffix(spec.DocURL, "/iga-accessrequestcreated.htm") {
		t.Errorf("Access Request Created page: %v", spec)
	}
}

// The app instance cards run only for the instance their options name
// (Okta's export keys useId, app, instance, appId), every instance when
// none is chosen.
func TestAppInstanceOptions(t *testing.T) {
	ev := func(uuid, app string) map[string]any {
		return map[string]any{"uuid": uuid, "eventType": "application.user_membership.add",
			"target": []any{map[string]any{"id": "00u1", "type": "User"}, map[string]any{"id": app, "type": "AppInstance", "displayName": app}}}
	}
	body, _ := json.Marshal(map[string]any{"data": map[string]any{"events": []any{ev("a", "0oaSALES"), ev("b", "0oaGITHUB")}}})
	f := func(kv ...string) *engine.Flow {
		fl := &engine.Flow{Trigger: engine.Card{Type: EventCardID("userAddedToApplicationMembership")}}
		for i := 0; i+1 < len(kv); i += 2 {
			fl.Trigger.Inputs = append(fl.Trigger.Inputs, engine.Field{Key: kv[i], Value: kv[i+1]})
		}
		return fl
	}
	for _, c := range []struct {
		name string
		flow *engine.Flow
		want string
	}{
		{"no options", f(), "a,b"},
		{"all apps", f("useId", "No", "app", "-- All Apps --", "instance", "-- All App Instances --"), "a,b"},
		{"chosen instance", f("useId", "No", "app", "salesforce", "instance", "0oaSALES"), "a"},
		{"typed id", f("useId", "Yes", "app", "-- Enter App Instance ID --", "instance", "-- Enter App Instance ID --", "appId", "0oaGITHUB"), "b"},
		{"typed id, other instance", f("useId", "Yes", "appId", "0oaNONE"), ""},
	} {
		evs, err := parseHook(c.flow, nil, body)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, e := range evs {
			ids = append(ids, e.ID)
		}
		if got := strings.Join(ids, ","); got != c.want {
			t.Errorf("%s: ran for %q, want %q", c.name, got, c.want)
		}
	}
	spec, _ := engine.Default().ByOkta("okta:userAddedToApplicationMembership")
	keys := map[string]bool{}
	for _, in := range spec.Inputs {
		keys[in.Key] = true
	}
	for _, k := range []string{"useId", "app", "instance", "appId"} {
		if !keys[k] {
			t.Errorf("User Assigned to Application lacks option %s", k)
		}
	}
	for _, in := range spec.Inputs {
		if in.Key == "instance" && in.ChoicesFrom != ChoicesApps {
			t.Errorf("Application Instance lists %q, want the org's applications", in.ChoicesFrom)
		}
	}
}
