package app

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "github.com/flowbench/flowbench/connectors/all"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/flopack"
	"github.com/flowbench/flowbench/engine/trigger"
)

// corpusRun is the outcome of one runnable corpus flow.
type corpusRun struct {
	template, flow string
	outside        string // why it failed outside Flowbench ("" when ok or a defect)
	defect         string // a Flowbench defect ("" when none)
}

// TestCorpusRunsEveryRunnableFlow imports every developers' template, binds
// its Okta placeholders to the in-process sandbox, runs every flow whose
// cards (and called helpers' cards) are all supported with the Run panel's
// sample input and classifies each failure: outside Flowbench (a third-party
// connection nobody configured, data the template expects but the sandbox
// lacks) or a Flowbench defect. Any defect fails the test.
func TestCorpusRunsEveryRunnableFlow(t *testing.T) {
	files := corpusTemplates(t)
	// FLOWBENCH_CORPUS=name,name runs only those templates (while working on them)
	only := os.Getenv("FLOWBENCH_CORPUS")
	var runs []corpusRun
	for _, p := range files {
		if only != "" && !strings.Contains(","+only+",", ","+filepath.Base(filepath.Dir(p))+",") {
			continue
		}
		runs = append(runs, runTemplate(t, p)...)
	}
	ok, defects := 0, 0
	outside := map[string]int{}
	for _, r := range runs {
		switch {
		case r.defect != "":
			defects++
			t.Errorf("%s / %s: %s", r.template, r.flow, r.defect)
		case r.outside != "":
			outside[r.outside]++
			t.Logf("outside: %s / %s: %s", r.template, r.flow, r.outside)
		default:
			ok++
		}
	}
	t.Logf("corpus: %d templates, %d runnable flows, %d ok, outside Flowbench %v, defects %d", len(files), len(runs), ok, outside, defects)
	if len(runs) < 50 && only == "" {
		t.Errorf("only %d runnable flows", len(runs))
	}
}

func runTemplate(t *testing.T, path string) []corpusRun {
	t.Helper()
	name := filepath.Base(filepath.Dir(path))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Open(t.Context(), Options{DataDir: t.TempDir(), Out: &bytes.Buffer{}, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	rep, err := a.importFile(path, data, "")
	if err != nil {
		return []corpusRun{{template: name, defect: "import: " + err.Error()}}
	}
	// the apps' fakes (connectors/<app>/fake) have ready connections, by
	// connection kind; an import names the Okta module of each placeholder
	// ("slack", "gmail", …): the kind is that of the cards implementing it
	fakeConn := map[string]string{}
	for _, r := range Fakes(a) {
		for _, c := range r.Connections() {
			fakeConn[c.Kind] = c.ID
		}
	}
	for _, ref := range rep.Connections {
		switch {
		case ref.Kind == "okta":
			if _, err := a.BindConnection(ref.ID, SandboxConnectionID); err != nil {
				t.Fatal(err)
			}
		case fakeConn[moduleKind(a, ref.Kind)] != "":
			if _, err := a.BindConnection(ref.ID, fakeConn[moduleKind(a, ref.Kind)]); err != nil {
				t.Fatal(err)
			}
		}
	}
	// cards whose template left the Okta connection unset get the sandbox
	// too, as the import dialog's "use for every Okta card" does
	for _, id := range rep.Flows {
		f, err := a.Store.Flow(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		changed := false
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			if spec, ok := a.Reg.Card(c.Type); ok && spec.Connection == "okta" && c.Connection == "" {
				c.Connection, changed = SandboxConnectionID, true
			} else if ok && c.Connection == "" && fakeConn[spec.Connection] != "" {
				c.Connection, changed = fakeConn[spec.Connection], true
			}
			return true
		})
		if changed {
			if _, err := a.SaveFlow(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	flows := map[string]*engine.Flow{}
	for _, id := range rep.Flows {
		f, err := a.Store.Flow(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		flows[id] = f
	}
	// the pauses of Wait For / Wait Until and of card retries are not under
	// test: they are made zero
	for _, f := range flows {
		changed := false
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			if c.OnError != nil && (c.OnError.Delay != 0 || c.OnError.DelayMax != 0) {
				c.OnError.Delay, c.OnError.DelayMax, changed = 0, 0, true
			}
			for i := range c.Inputs {
				in := &c.Inputs[i]
				switch {
				case c.Type == "flow.waitFor" && in.Key == "delay":
					in.Value, in.From, in.Any, changed = 0.0, nil, nil, true
				case c.Type == "flow.waitUntil" && in.Key == "date":
					in.Value, in.From, in.Any, changed = "2000-01-01T00:00:00.000Z", nil, nil, true
				}
			}
			return true
		})
		if changed {
			if _, err := a.SaveFlow(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	tvals := templateValues(flows)
	var out []corpusRun
	for _, id := range rep.Flows {
		f := flows[id]
		if !runnable(f, flows, map[string]bool{}) {
			continue
		}
		r := corpusRun{template: name, flow: f.Name}
		start := time.Now()
		ex, err := a.RunFlow(f.ID, a.sampleFor(f))
		if d := time.Since(start); d > time.Second {
			t.Logf("SLOW %s / %s: %v", name, f.Name, d)
		}
		switch {
		case err != nil:
			r.defect = "run: " + err.Error()
		case ex.Status == engine.StatusSuccess:
		default:
			r.outside, r.defect = classifyFailure(a, ex, tvals)
		}
		out = append(out, r)
	}
	return out
}

// moduleKind is the connection kind of the cards of an Okta module
// ("slack_4151667dbd1c434fb0b7dae901b00cc7" → "slack", "gmail" → "google").
func moduleKind(a *App, module string) string {
	for _, s := range a.Reg.Cards() {
		for _, k := range s.Okta {
			if strings.HasPrefix(k, module+":") && s.Connection != "" {
				return s.Connection
			}
		}
	}
	return ""
}

// runnable: no unsupported card in the flow or in any flow it calls.
func runnable(f *engine.Flow, flows map[string]*engine.Flow, seen map[string]bool) bool {
	if seen[f.ID] {
		return true
	}
	seen[f.ID] = true
	ok := true
	f.Walk(func(c *engine.Card, _ *engine.Card) bool {
		if c.Type == flopack.Unsupported {
			ok = false
		}
		if c.Flow != "" {
			if h, has := flows[c.Flow]; has && !runnable(h, flows, seen) {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// failedRecord finds the card that failed the run (the innermost one, also
// inside If/Else lanes), following helper calls into the child execution
// that failed.
func failedRecord(a *App, ex *engine.Execution) (*engine.Execution, *engine.CardRecord) {
	var rec *engine.CardRecord
	for i := range ex.Cards {
		r := &ex.Cards[i]
		if r.Status == engine.StatusFailed && (rec == nil || ex.Error != nil && r.ID == ex.Error.Card) {
			rec = r
		}
	}
	if rec == nil {
		return ex, nil
	}
	for i := len(rec.Children) - 1; i >= 0; i-- {
		if child, err := a.Store.Execution(rec.Children[i]); err == nil && child.Status == engine.StatusFailed {
			if cex, crec := failedRecord(a, child); crec != nil {
				return cex, crec
			}
		}
	}
	return ex, rec
}

var notFoundID = regexp.MustCompile(`Resource not found: (.*) \((\w+)\)`)

// Reasons a corpus flow fails outside Flowbench.
const (
	outsideConnection  = "third-party connection not configured"
	outsideProduct     = "Okta product API the sandbox tenant does not serve (an Identity Governance endpoint beyond campaigns, reviews, request conditions, entitlements)"
	outsideRecord      = "record id written in the template, not in the sandbox"
	outsideCaller      = "helper input only its caller gives (JSON, table row, key, URL)"
	outsideTable       = "table rows the template expects (its tables come empty)"
	outsidePlaceholder = "value the template leaves for the user to fill in"
	outsideClient      = "API Endpoint request data only its client sends"
	outsideState       = "record an earlier flow of the template left in the sandbox"
	outsideTemplate    = "the template's own inconsistency (a column its table does not have)"
	outsideAppRecord   = "record the app's fake does not have (a user, team or profile of the template author's account)"
	outsideNetwork     = "host outside this machine (a real vendor URL or the template's placeholder host)"
	outsideSetup       = "the template's setup the sandbox lacks (its readme: the manager attribute holds the manager's username)"
	outsideMultiLevel  = "the template's setup the sandbox lacks (a multi-level access certification campaign: its reviews' allReviewerLevels)"
)

// multiLevelOnly: the failing input is bound to a Get of a review's
// allReviewerLevels, which Okta returns only for the reviews of multi-level
// campaigns (the sandbox's Semi-Annual campaign has one reviewer level).
func multiLevelOnly(a *App, ex *engine.Execution, card, input string) bool {
	f, err := a.Store.Flow(a.ctx, ex.Flow)
	if err != nil || input == "" {
		return false
	}
	byID := map[string]*engine.Card{}
	f.Walk(func(c *engine.Card, _ *engine.Card) bool { byID[c.ID] = c; return true })
	c := byID[card]
	if c == nil || c.Input(input) == nil || c.Input(input).From == nil {
		return false
	}
	src := byID[c.Input(input).From.Card]
	if src == nil || src.Type != "object.get" || src.Input("path") == nil {
		return false
	}
	return src.Input("path").Value == "allReviewerLevels"
}

// managerName: v is the manager attribute of a user the run read.
func managerName(ex *engine.Execution, v any) bool {
	name, ok := v.(string)
	if !ok || name == "" {
		return false
	}
	for _, r := range ex.Cards {
		if r.Type == "okta.readUser" && r.Outputs["manager"] == name {
			return true
		}
	}
	return false
}

// classifyFailure says why a run failed: outside Flowbench (a reason) or a
// Flowbench defect (a description).
func classifyFailure(a *App, ex *engine.Execution, template map[string]bool) (outside, defect string) {
	a.Store.Flush()
	fex, rec := failedRecord(a, ex)
	root, _ := a.Store.Flow(a.ctx, ex.Flow)
	standalone := root != nil && root.Trigger.Type == "flow.helper"         // a helper run on its own: made-up inputs
	endpoint := root != nil && root.Trigger.Type == trigger.TypeAPIEndpoint // the request only its client sends
	if rec == nil || rec.Error == nil {
		return "", fmt.Sprintf("run %s without a failed card: %+v", ex.Status, ex.Error)
	}
	ce := rec.Error
	msg := ce.Message
	spec, _ := a.Reg.Card(rec.Type)
	sample := func(v any) bool { s, ok := v.(string); return ok && strings.HasPrefix(s, "sample ") }
	switch {
	case spec != nil && spec.Connection != "" && spec.Connection != "okta" && strings.Contains(msg, "connection"):
		return outsideConnection, ""
	case ce.Status == 404 && (strings.Contains(msg, "/governance/") || strings.Contains(msg, "/webauthn-registration/")):
		return outsideProduct, ""
	case ce.Input != "" && rec.Inputs[ce.Input] == nil && multiLevelOnly(a, fex, rec.ID, ce.Input):
		return outsideMultiLevel, ""
	case ce.Status == 404 && rec.Type == "okta.readUser" && managerName(fex, rec.Inputs["ID or Login"]):
		// Okta's manager attribute is a free text (the sandbox's people hold
		// their manager's name); templates that read the manager ask the admin
		// to store the manager's username there
		return outsideSetup, ""
	case ce.Status == 404 && notFoundID.MatchString(msg):
		id := notFoundID.FindStringSubmatch(msg)[1]
		if template[id] {
			return outsideRecord, ""
		}
		if strings.HasPrefix(id, "sample ") {
			return outsideCaller, ""
		}
	case strings.Contains(msg, "row not found: \"sample "):
		return outsideCaller, ""
	case ce.Input != "" && sample(rec.Inputs[ce.Input]), strings.Contains(msg, "\"sample "):
		return outsideCaller, ""
	case strings.Contains(msg, "sample%20"):
		return outsideCaller, ""
	case strings.Contains(msg, "-- Enter ") || strings.Contains(msg, "{userId}") || strings.Contains(fmt.Sprint(rec.Inputs), "-- Enter "):
		return outsidePlaceholder, ""
	case ce.Status == 400 && strings.Contains(msg, "already exists"):
		return outsideState, ""
	case ce.Status == 400 && onlyTemplateRecords(msg, template):
		return outsideRecord, ""
	case ce.Status == 400 && strings.Contains(msg, "cannot be left blank"):
		if why := blankBodyOrigin(a, fex, rec.ID, msg, standalone, endpoint); why != "" {
			return why, ""
		}
	case strings.Contains(msg, "has no column"):
		return outsideTemplate, ""
	case spec != nil && fakeKind(a, spec.Connection) && appRefusal(ce) && usesTemplateValue(rec.Inputs, template):
		// an app's record (a Slack channel, a Jira reporter, a Salesforce
		// profile) the template's author had and the app's fake does not
		return outsideRecord, ""
	case spec != nil && fakeKind(a, spec.Connection) && usesSample(rec.Inputs) && appRefusal(ce):
		return outsideCaller, ""
	case spec != nil && fakeKind(a, spec.Connection) && (ce.Status == 404 || ce.Status == 422) && missingRecord.MatchString(msg):
		return outsideAppRecord, ""
	case strings.Contains(msg, "no such host"):
		return outsideNetwork, ""
	case rec.Type == "flow.returnError" && ranAppCard(a, fex):
		// the template's own check of what an app's fake returned (a ticket
		// field its author's instance fills in)
		return outsideAppRecord, ""
	}
	if ce.Input != "" && rec.Inputs[ce.Input] == nil || strings.Contains(msg, "got null") || strings.Contains(msg, "no value") || strings.Contains(msg, "is required") {
		// an empty value: where did it come from?
		if why := emptyOrigin(a, fex, rec.ID, ce.Input, standalone, endpoint); why != "" {
			return why, ""
		}
	}
	return "", fmt.Sprintf("[%s] card %s %q (%s): %s inputs %v%s", fex.FlowName, rec.ID, rec.Title, rec.Type, ce.Error(), trim(rec.Inputs), bindingOf(a, fex, rec.ID, ce.Input))
}

// bindingOf says where a failing input's value came from (and what that
// card gave), for the defect message.
func bindingOf(a *App, ex *engine.Execution, card, input string) string {
	f, err := a.Store.Flow(a.ctx, ex.Flow)
	if err != nil || input == "" {
		return ""
	}
	out := ""
	f.Walk(func(c *engine.Card, _ *engine.Card) bool {
		if c.ID != card {
			return true
		}
		if in := c.Input(input); in != nil && in.From != nil {
			out = fmt.Sprintf("; %s from %s %v", input, in.From.Card, in.From.Path)
			for _, r := range ex.Cards {
				if r.ID == in.From.Card || in.From.Card == engine.TriggerID && r.ID == f.Trigger.ID {
					out += " which gave " + trim(r.Outputs)
				}
			}
		}
		return false
	})
	return out
}

// emptyOrigin follows the binding of an input that was empty back through
// the cards that passed it on: a Tables card that found no row means the
// template's table data is missing; the trigger input of a helper flow run
// on its own (a made-up sample) means only its caller gives that data; a
// static value the template left empty is for the user to fill in.
func emptyOrigin(a *App, ex *engine.Execution, card, input string, standalone, endpoint bool) string {
	f, err := a.Store.Flow(a.ctx, ex.Flow)
	if err != nil {
		return ""
	}
	byID := map[string]*engine.Card{}
	f.Walk(func(c *engine.Card, _ *engine.Card) bool { byID[c.ID] = c; return true })
	recs := map[string]*engine.CardRecord{}
	for i := range ex.Cards {
		recs[ex.Cards[i].ID] = &ex.Cards[i]
	}
	helper := f.Trigger.Type == "flow.helper" && ex.Parent == ""
	seen := map[string]bool{}
	var trace func(card, input string, depth int) string
	trace = func(card, input string, depth int) string {
		c := byID[card]
		if c == nil || depth > 6 || seen[card+"/"+input] {
			return ""
		}
		seen[card+"/"+input] = true
		in := c.Input(input)
		if in == nil {
			return ""
		}
		if in.From == nil && len(in.Any) == 0 {
			if s, ok := in.Value.(string); in.Value == nil || ok && (strings.TrimSpace(s) == "" || s == "{}") {
				return outsidePlaceholder // e.g. a Parse of "{}" where the user pastes a key file
			}
			return ""
		}
		b := in.From
		if b == nil {
			b = &in.Any[0]
		}
		if b.Card == engine.TriggerID || b.Card == f.Trigger.ID {
			switch {
			case helper || standalone:
				return outsideCaller
			case endpoint:
				return outsideClient
			}
			return ""
		}
		src := byID[b.Card]
		if src == nil {
			return ""
		}
		if strings.HasPrefix(src.Type, "tables.") {
			if r := recs[src.ID]; r != nil && (r.Outputs["Row ID"] == nil || r.Outputs["Row ID"] == "") {
				return outsideTable
			}
		}
		if r := recs[src.ID]; r != nil && (src.Type == "flow.call" || src.Type == "flow.callAsync") && len(r.Children) > 0 && len(b.Path) > 0 {
			// a helper's output: follow its Return card's input of that name
			if child, err := a.Store.Execution(r.Children[len(r.Children)-1]); err == nil {
				if hf, err := a.Store.Flow(a.ctx, child.Flow); err == nil {
					ret := ""
					hf.Walk(func(c *engine.Card, _ *engine.Card) bool {
						if c.Type == "flow.return" && c.Input(b.Path[0]) != nil {
							ret = c.ID
						}
						return ret == ""
					})
					if ret != "" {
						return emptyOrigin(a, child, ret, b.Path[0], standalone, endpoint)
					}
				}
			}
		}
		// a card that passes a value on: follow each of its inputs
		for _, si := range src.Inputs {
			if why := trace(src.ID, si.Key, depth+1); why != "" {
				return why
			}
		}
		return ""
	}
	return trace(card, input, 0)
}

// fakeKind: a connection kind served by one of the apps' fakes.
func fakeKind(a *App, kind string) bool {
	for _, r := range Fakes(a) {
		for _, c := range r.Connections() {
			if c.Kind == kind {
				return true
			}
		}
	}
	return false
}

// ranAppCard: the execution ran a card of an app that has a fake.
func ranAppCard(a *App, ex *engine.Execution) bool {
	for _, r := range ex.Cards {
		if spec, ok := a.Reg.Card(r.Type); ok && fakeKind(a, spec.Connection) {
			return true
		}
	}
	return false
}

// appRefusal: an app refused the card's request (4xx, Slack's HTTP 200 with
// an error code) or the card refused an input.
func appRefusal(ce *engine.CardError) bool {
	return ce.Status >= 400 && ce.Status < 500 || ce.Input != "" || ce.Status == 200 && ce.Code != ""
}

// missingRecord is a vendor's answer for a record it does not have.
var missingRecord = regexp.MustCompile(`(?i)(does not exist|doesn't exist|not found|inexistent|no such)`)

// usesSample: one of a card's inputs is a made-up sample value.
func usesSample(inputs map[string]any) bool {
	for _, v := range inputs {
		if s, ok := v.(string); ok && strings.HasPrefix(s, "sample ") {
			return true
		}
	}
	return false
}

// usesTemplateValue: one of a card's inputs is a value written in the template.
func usesTemplateValue(inputs map[string]any, template map[string]bool) bool {
	for _, v := range inputs {
		if s, ok := v.(string); ok && s != "" && template[s] {
			return true
		}
	}
	return false
}

// blankBodyOrigin explains a validation failure whose every cause is a
// blank field of a request body ("parent.externalId: The field cannot be
// left blank"): the card input that field comes from (the field itself, or
// its top-level key) must be empty for an outside reason.
func blankBodyOrigin(a *App, ex *engine.Execution, card, msg string, standalone, endpoint bool) string {
	rest, ok := strings.CutPrefix(msg, "Api validation failed: ")
	if !ok {
		return ""
	}
	rest, _, _ = strings.Cut(rest, " (")
	why := ""
	for _, cause := range strings.Split(rest, ", ") {
		field, ok := strings.CutSuffix(cause, ": The field cannot be left blank")
		if !ok {
			return ""
		}
		top, _, _ := strings.Cut(field, "[")
		w := ""
		for _, in := range []string{field, top, "Body"} { // a body's own field, or the object it is in
			if w = emptyOrigin(a, ex, card, in, standalone, endpoint); w != "" {
				break
			}
		}
		if w == "" && ex.Parent != "" && ex.ParentCard != "" {
			// a helper's body the caller filled: follow the calling card's inputs
			if pex, err := a.Store.Execution(ex.Parent); err == nil {
				if f, err := a.Store.Flow(a.ctx, pex.Flow); err == nil {
					f.Walk(func(c *engine.Card, _ *engine.Card) bool {
						if c.ID == ex.ParentCard {
							for _, in := range c.Inputs {
								if w = emptyOrigin(a, pex, c.ID, in.Key, false, false); w != "" {
									break
								}
							}
						}
						return w == ""
					})
				}
			}
		}
		if w == "" {
			return ""
		}
		if why == "" {
			why = w
		}
	}
	return why
}

// noRecord is the sandbox's validation cause for a record a body names
// that the org does not have (Identity Governance bodies).
var noRecord = regexp.MustCompile(`^[\w.\[\]]+: no (?:user|group|application) (\w+) in the org$`)

// onlyTemplateRecords: a validation failure whose every cause is a record id
// the template wrote (its author's org) and the sandbox does not have.
func onlyTemplateRecords(msg string, template map[string]bool) bool {
	rest, ok := strings.CutPrefix(msg, "Api validation failed: ")
	if !ok {
		return false
	}
	rest, _, _ = strings.Cut(rest, " (")
	for _, cause := range strings.Split(rest, ", ") {
		m := noRecord.FindStringSubmatch(cause)
		if m == nil || !template[m[1]] {
			return false
		}
	}
	return true
}

// templateValues are the static texts of a template's cards and its
// triggers' example values (record ids it names).
func templateValues(flows map[string]*engine.Flow) map[string]bool {
	out := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			out[x] = true
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	for _, f := range flows {
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			for _, in := range c.Inputs {
				walk(in.Value)
			}
			for _, o := range c.Outputs { // a trigger's example values (its sample's ids)
				walk(o.Value)
			}
			return true
		})
	}
	return out
}

func trim(v any) string {
	s := fmt.Sprint(v)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return strings.ReplaceAll(s, "\n", " ")
}
