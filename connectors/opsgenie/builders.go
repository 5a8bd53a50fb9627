package opsgenie

import (
	"context"
	"fmt"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

var weekdays = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// builders are Okta's two Opsgenie helper cards: they call no API, they
// shape a participant and a time restriction as the rotation cards take them.
func builders() []*engine.Spec {
	hours := make([]engine.Choice, 24)
	for i := range hours {
		hours[i] = engine.Choice{Value: float64(i), Label: fmt.Sprint(i)}
	}
	mins := []engine.Choice{{Value: float64(0), Label: "0"}, {Value: float64(30), Label: "30"}}
	var days []engine.Choice
	for _, d := range weekdays {
		days = append(days, engine.Choice{Value: d, Label: d})
	}
	num := func(key, label string, ch []engine.Choice, def float64) engine.FieldSpec {
		return engine.FieldSpec{Key: key, Group: "Restriction", Label: label, Type: engine.T("number"), Choices: ch, Default: def}
	}
	day := func(key, label string) engine.FieldSpec {
		return engine.FieldSpec{Key: key, Group: "Restriction", Label: label, Type: engine.T("string"), Choices: days}
	}
	return []*engine.Spec{
		{ID: "opsgenie.buildParticipantObject", Okta: []string{NS + ":buildParticipantObject"}, Title: "Build Participant Object",
			Category: "Opsgenie", App: "opsgenie", Kind: engine.KindFunction,
			DocURL:      Connector.DocBase + "buildparticipantobject.htm",
			Description: "Makes one rotation participant (a user, team or escalation by username/name or ID, or none) for Create or Update Schedule Rotation.",
			Inputs: []engine.FieldSpec{
				choice("parameters", "participantType", "Participant Type", "User", "None", "User", "Escalation", "Team"),
				kit.ShownWhen(choice("Participant", "identifierType", "Identifier Type", "username", "username", "id"), "participantType", "User", "Escalation", "Team"),
				kit.ShownWhen(in("Participant", "identifier", "string", false, "Identifier"), "participantType", "User", "Escalation", "Team"),
			},
			Outputs: []engine.FieldSpec{{Key: "Participant", Group: "Result", Label: "Participant", Type: participantType}},
			Run:     buildParticipant},
		{ID: "opsgenie.buildTimeRestrictionsObject", Okta: []string{NS + ":buildTimeRestrictionsObject"}, Title: "Build Time Restriction Object",
			Category: "Opsgenie", App: "opsgenie", Kind: engine.KindFunction,
			DocURL:      Connector.DocBase + "buildtimerestrictionobject.htm",
			Description: "Makes one time restriction (a daily time range, or a weekday-and-time range) for a schedule rotation; put several in a list for several days.",
			Inputs: []engine.FieldSpec{
				choice("parameters", "restrictionType", "Restriction Type", "Time Only", "Time Only", "Day and Time"),
				num("startHour", "Start Hour", hours, 9), num("startMin", "Start Minute", mins, 0),
				num("endHour", "End Hour", hours, 17), num("endMin", "End Minute", mins, 0),
				kit.ShownWhen(day("startDay", "Start Day"), "restrictionType", "Day and Time"), kit.ShownWhen(day("endDay", "End Day"), "restrictionType", "Day and Time"),
			},
			Outputs: []engine.FieldSpec{{Key: "Time Restriction", Group: "Result", Label: "Time Restriction", Type: engine.T("object")}},
			Run:     buildRestriction},
	}
}

func buildParticipant(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	typ := engine.ToText(in.Values["participantType"])
	if typ == "" {
		typ = "User"
	}
	if typ == "None" {
		return engine.Outputs{"Participant": map[string]any{"type": "none"}}, nil
	}
	id := engine.ToText(in.Values["identifier"])
	if id == "" {
		return nil, engine.InputErrorf("identifier", "is required for a %s participant", typ)
	}
	byID := engine.ToText(in.Values["identifierType"]) == "id"
	p := map[string]any{}
	switch typ {
	case "User":
		p["type"] = "user"
		if byID {
			p["id"] = id
		} else {
			p["username"] = id
		}
	case "Team", "Escalation":
		p["type"] = map[string]string{"Team": "team", "Escalation": "escalation"}[typ]
		if byID {
			p["id"] = id
		} else {
			p["name"] = id
		}
	default:
		return nil, engine.InputErrorf("participantType", "%q is not None, User, Escalation or Team", typ)
	}
	return engine.Outputs{"Participant": p}, nil
}

func buildRestriction(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
	r := map[string]any{}
	for _, k := range []struct {
		key     string
		max     float64
		def     float64
		halfHrs bool
	}{{"startHour", 23, 9, false}, {"startMin", 30, 0, true}, {"endHour", 23, 17, false}, {"endMin", 30, 0, true}} {
		v := k.def
		if x, ok := in.Values[k.key]; ok && x != nil && x != "" {
			n, err := engine.ToNumber(x)
			if err != nil || n < 0 || n > k.max || n != float64(int(n)) || k.halfHrs && n != 0 && n != 30 {
				if k.halfHrs {
					return nil, engine.InputErrorf(k.key, "must be 0 or 30")
				}
				return nil, engine.InputErrorf(k.key, "must be an hour from 0 to 23")
			}
			v = n
		}
		r[k.key] = v
	}
	switch t := engine.ToText(in.Values["restrictionType"]); t {
	case "", "Time Only":
	case "Day and Time":
		for _, k := range []string{"startDay", "endDay"} {
			d := engine.ToText(in.Values[k])
			ok := false
			for _, w := range weekdays {
				ok = ok || w == d
			}
			if !ok {
				return nil, engine.InputErrorf(k, "must be a weekday (monday … sunday), not %q", d)
			}
			r[k] = d
		}
	default:
		return nil, engine.InputErrorf("restrictionType", "%q is not Time Only or Day and Time", t)
	}
	return engine.Outputs{"Time Restriction": r}, nil
}
