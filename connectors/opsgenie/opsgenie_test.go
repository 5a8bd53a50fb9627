package opsgenie

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/kit/kittest"
	"github.com/flowbench/flowbench/connectors/opsgenie/fake"
	"github.com/flowbench/flowbench/engine"
)

func start(t *testing.T) (*kittest.Harness, *fake.Server) {
	v := kittest.SpecFile(t, "testdata/opsgenie-swagger.json", "")
	f := fake.New(fake.Config{})
	h := kittest.Start(t, Connector, kittest.Options{Fake: f, Spec: v})
	h.Rec.Strict = true // every call must be an operation of the description
	return h, f
}

func run(t *testing.T, kind string, in map[string]any) map[string]any {
	t.Helper()
	s, ok := engine.Default().ByOkta(kind)
	if !ok {
		t.Fatalf("no card %s", kind)
	}
	out, err := s.Run(context.Background(), engine.Inputs{Values: in})
	if err != nil {
		t.Fatalf("%s: %v", kind, err)
	}
	return out
}

// TestOnCallTemplate follows "Manage on-call rotation and schedules with
// Opsgenie": a team with members, a schedule it owns, a daily rotation of
// its members, then weekday time restrictions, read back.
func TestOnCallTemplate(t *testing.T) {
	h, f := start(t)
	team := h.MustRun(NS+":createTeam", map[string]any{"name": "Identity On-Call", "description": "For Demo Purpose."})
	if team["Name"] != "Identity On-Call" || team["ID"] == nil {
		t.Fatalf("create team: %v", team)
	}
	for _, u := range []string{"alice.nguyen@example.com", "bob.martinez@example.com"} {
		out := h.MustRun(NS+":addTeamMember", map[string]any{"teamIdentifierType": "Team Name", "userIdentifierType": "Username",
			"teamIdentifier": "Identity On-Call", "userIdentifier": u, "role": "User"})
		if out["Status Code"] != float64(200) || out["Result"] != "Added" {
			t.Fatalf("add member: %v", out)
		}
	}
	read := h.MustRun(NS+":readTeam", map[string]any{"identifierType": "Team Name", "identifier": "Identity On-Call"})
	members, _ := read["Members"].([]any)
	if read["Number of Members"] != float64(2) || len(members) != 2 || members[0].(map[string]any)["Role"] != "user" {
		t.Fatalf("read team: %v", read)
	}
	sched := h.MustRun(NS+":createSchedule", map[string]any{"addOwnerTeam": "Team Name", "name": "Identity Schedule", "ownerTeam": "Identity On-Call"})
	if sched["Name"] != "Identity Schedule" {
		t.Fatalf("create schedule: %v", sched)
	}
	var participants []any
	for _, m := range members {
		p := run(t, NS+":buildParticipantObject", map[string]any{"participantType": "User", "identifierType": "username",
			"identifier": m.(map[string]any)["Username"]})
		participants = append(participants, p["Participant"])
	}
	rot := h.MustRun(NS+":createScheduleRotation", map[string]any{"scheduleIdentifierType": "Schedule Name", "addTimeRestrictions": "No",
		"scheduleIdentifier": "Identity Schedule", "name": "Weekdays", "startDate": "2026-12-07T09:00:00.000Z", "type": "daily",
		"participants": participants})
	rotID, _ := rot["ID"].(string)
	if rotID == "" || rot["Name"] != "Weekdays" {
		t.Fatalf("create rotation: %v", rot)
	}
	var days []any
	for _, d := range []string{"monday", "wednesday", "friday"} {
		r := run(t, NS+":buildTimeRestrictionsObject", map[string]any{"restrictionType": "Day and Time", "startDay": d, "endDay": d,
			"startHour": 9, "endHour": 17})
		days = append(days, r["Time Restriction"])
	}
	up := h.MustRun(NS+":updateScheduleRotation", map[string]any{"scheduleIdentifierType": "Schedule Name", "updateTimeRestriction": "Day and Time",
		"scheduleIdentifier": "Identity Schedule", "scheduleRotationID": rotID, "timeRestriction": days})
	if up["Status Code"] != float64(200) || up["Result"] != "Updated" {
		t.Fatalf("update rotation: %v", up)
	}
	got := h.MustRun(NS+":readScheduleRotation", map[string]any{"scheduleIdentifierType": "Schedule Name",
		"scheduleIdentifier": "Identity Schedule", "scheduleRotationID": rotID})
	tr, _ := got["Time Restrictions"].(map[string]any)
	list, _ := tr["restrictions"].([]any)
	if got["Type"] != "daily" || got["Start Date"] != "2026-12-07T09:00:00.000Z" || tr["type"] != "weekday-and-time-of-day" || len(list) != 3 {
		t.Fatalf("read rotation: %v", got)
	}
	if ps, _ := got["Participants"].([]any); len(ps) != 2 {
		t.Fatalf("participants: %v", got["Participants"])
	}
	// Time Only: one daily range
	only := run(t, NS+":buildTimeRestrictionsObject", map[string]any{"restrictionType": "Time Only", "endHour": 15})
	h.MustRun(NS+":updateScheduleRotation", map[string]any{"scheduleIdentifierType": "Schedule Name", "updateTimeRestriction": "Time Only",
		"scheduleIdentifier": "Identity Schedule", "scheduleRotationID": rotID, "timeRestriction": only["Time Restriction"]})
	stored := f.Rotation("Identity Schedule", "Weekdays")
	if r := stored["timeRestriction"].(map[string]any); r["type"] != "time-of-day" || r["restriction"].(map[string]any)["endHour"] != float64(15) {
		t.Fatalf("time-only restriction: %v", stored["timeRestriction"])
	}
	if got := strings.Join(f.TeamMembers("Identity On-Call"), ","); got != "alice.nguyen@example.com,bob.martinez@example.com" {
		t.Fatalf("team members: %s", got)
	}
}

func TestErrorsNameTheProblem(t *testing.T) {
	h, _ := start(t)
	_, _, err := h.Run(NS+":readTeam", map[string]any{"identifierType": "Team Name", "identifier": "Nope"})
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Status != 404 || !strings.Contains(he.Summary, "No team exists with name [Nope]") {
		t.Fatalf("missing team: %v", err)
	}
	_, _, err = h.Run(NS+":addTeamMember", map[string]any{"teamIdentifierType": "Team Name", "userIdentifierType": "Username",
		"teamIdentifier": "IT Operations", "userIdentifier": "ghost@example.com"})
	if !errors.As(err, &he) || he.Status != 422 {
		t.Fatalf("unknown user: %v", err)
	}
	spec, _ := engine.Default().Card("opsgenie.buildTimeRestrictionsObject")
	_, err = spec.Run(context.Background(),
		engine.Inputs{Values: map[string]any{"restrictionType": "Day and Time", "startDay": "funday", "endDay": "monday"}})
	if err == nil || !strings.Contains(err.Error(), "startDay") {
		t.Fatalf("a bad weekday must name the field: %v", err)
	}
}

func TestLadderAndRevokedKey(t *testing.T) {
	h, f := start(t)
	rep := Connector.TestWith(context.Background(), h.Conn, kit.ClientOptions{})
	if !rep.OK || rep.Info["account"] != "flowbench-sandbox" {
		t.Fatalf("ladder: %+v", rep)
	}
	f.Revoke()
	rep = Connector.TestWith(context.Background(), h.Conn, kit.ClientOptions{})
	last := rep.Steps[len(rep.Steps)-1]
	if rep.OK || last.Status != 401 || !strings.Contains(last.Message, "Could not authenticate") {
		t.Fatalf("revoked key: %+v", rep)
	}
}
