package flopack

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// goldenRegistry holds only the engine's control cards and "unsupported",
// so the goldens show the importer's structure and do not change when
// engineers register more cards.
func goldenRegistry() *engine.Registry {
	r := engine.NewRegistry()
	engine.RegisterControlCards(r)
	r.MustAdd(UnsupportedSpec())
	return r
}

// TestGolden compares the native JSON of three small templates: an event
// flow with folded expand cards, an API Endpoint flow with If/Else and a
// table, and a helper pair with If Error and a Call Flow.
func TestGolden(t *testing.T) {
	for _, name := range []string{
		"email_notifications_office365",
		"validate_email_domain_using_registration_inline_ho",
		"remove_user_from_all_non_built_in_okta_groups",
	} {
		t.Run(name, func(t *testing.T) {
			res, err := Import(name, template1(t, name).data, goldenRegistry(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(struct {
				Flows       []*engine.Flow         `json:"flows"`
				Tables      []engine.TableDef      `json:"tables,omitempty"`
				Connections []engine.ConnectionRef `json:"connections,omitempty"`
				Counts      Counts                 `json:"counts"`
				Warnings    []Warning              `json:"warnings,omitempty"`
			}{res.Flows, res.Tables, res.Connections, res.Report.Counts, res.Report.Warnings}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", name+".golden.json")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the import; run go test ./engine/flopack -run TestGolden -update and review the diff", path)
			}
			// the native flows load back
			for _, f := range res.Flows {
				b, _ := json.Marshal(f)
				var back engine.Flow
				if err := json.Unmarshal(b, &back); err != nil {
					t.Errorf("flow %s does not read back: %v", f.Name, err)
				}
			}
		})
	}
}

// smallPack is a small template decoded for mutation.
func smallPack(t *testing.T, name string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(template1(t, name).data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func encode(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func flos(m map[string]any) map[string]any {
	return m["data"].(map[string]any)["flos"].(map[string]any)
}

// firstFlow returns the pack's first flow wrapper and its body's methods.
func firstFlow(m map[string]any) (map[string]any, []any) {
	for _, f := range flos(m) {
		fl := f.(map[string]any)
		return fl, fl["data"].(map[string]any)["methods"].([]any)
	}
	return nil, nil
}

func hasWarning(r *Report, parts ...string) bool {
	for _, w := range r.Warnings {
		s := w.String()
		ok := true
		for _, p := range parts {
			if !strings.Contains(s, p) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

const small = "raw_http_connection_gsuite"

func TestTruncated(t *testing.T) {
	data := template1(t, small).data
	for _, n := range []int{1, 100, len(data) / 2, len(data) - 2} {
		_, err := Import("cut.flopack", data[:n], registry(), Options{})
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("cut at %d: want *Error, got %v", n, err)
		}
		if e.Template != "cut.flopack" || e.Line < 1 || e.Offset < 0 || !strings.Contains(err.Error(), "truncated") {
			t.Errorf("cut at %d: %v (offset %d line %d)", n, err, e.Offset, e.Line)
		}
	}
	// a syntax error in the middle names its line and column
	bad := []byte("{\n  \"type\": \"flopack\",\n  \"data\": {\"flos\": {,}}\n}")
	_, err := Import("bad.flopack", bad, registry(), Options{})
	var e *Error
	if !errors.As(err, &e) || e.Line != 3 || e.Offset <= 0 || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("syntax error: %v", err)
	}
}

func TestNotAnExport(t *testing.T) {
	for _, in := range []string{"", "   ", "[]", "{}", `"x"`, `{"type":"flopack"}`, `{"data":{"flos":[]}}`, "null"} {
		_, err := Import("x.flopack", []byte(in), registry(), Options{})
		if err == nil {
			t.Errorf("%q: no error", in)
			continue
		}
		if !strings.Contains(err.Error(), "x.flopack") {
			t.Errorf("%q: error does not name the file: %v", in, err)
		}
	}
}

func TestUnknownFields(t *testing.T) {
	m := smallPack(t, small)
	m["version"] = "1.9.0"
	m["shinyNewThing"] = true
	fl, methods := firstFlow(m)
	fl["data"].(map[string]any)["futureSetting"] = 1
	methods[0].(map[string]any)["node"].(map[string]any)["model"].(map[string]any)["aiHints"] = "x"
	data := encode(t, m)
	res, err := Import("new.flopack", data, registry(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"shinyNewThing"`, `"futureSetting"`, `"aiHints"`} {
		if !hasWarning(res.Report, "new.flopack", k, "newer export version") {
			t.Errorf("no warning for %s: %v", k, res.Report.Warnings)
		}
	}
	if !hasWarning(res.Report, "card", `"aiHints"`) {
		t.Error("card-level warning does not name the card")
	}
	if _, err := Import("new.flopack", data, registry(), Options{Strict: true}); err == nil || !strings.Contains(err.Error(), "shinyNewThing") {
		t.Errorf("strict: %v", err)
	}
	// a newer major version still imports, with a warning
	m["version"] = "2.0.0"
	res, err = Import("v2.flopack", encode(t, m), registry(), Options{})
	if err != nil || !hasWarning(res.Report, "2.0.0") {
		t.Errorf("version 2: %v %v", err, res)
	}
}

func TestPinToMissingCard(t *testing.T) {
	m := smallPack(t, small)
	_, methods := firstFlow(m)
	done := false
	for _, mm := range methods {
		pins := mm.(map[string]any)["pins"].(map[string]any)
		for out, targets := range pins {
			for tgt, list := range targets.(map[string]any) {
				targets.(map[string]any)["ghostCard"] = list
				delete(targets.(map[string]any), tgt)
				_ = out
				done = true
				break
			}
			if done {
				break
			}
		}
		if done {
			break
		}
	}
	if !done {
		t.Fatal("no pin to mutate")
	}
	res, err := Import("pins.flopack", encode(t, m), registry(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.PinsUnresolved == 0 || res.Report.PinsResolved+res.Report.PinsUnresolved != res.Report.Pins {
		t.Errorf("counts: %+v", res.Report.Counts)
	}
	if !hasWarning(res.Report, "pins.flopack", "flow ", "card ", "field ", `"ghostCard"`) {
		t.Errorf("no warning naming template, flow, card, field and the missing card: %v", res.Report.Warnings)
	}
	// wires to a missing input and from a missing output
	m = smallPack(t, small)
	_, methods = firstFlow(m)
	for _, mm := range methods {
		for _, targets := range mm.(map[string]any)["pins"].(map[string]any) {
			for _, list := range targets.(map[string]any) {
				list.([]any)[0].(map[string]any)["input"] = "noSuchInput"
			}
		}
	}
	res, err = Import("pins.flopack", encode(t, m), registry(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(res.Report, `"noSuchInput"`) || res.Report.PinsUnresolved == 0 {
		t.Errorf("missing input not reported: %+v", res.Report.Counts)
	}
}

func TestDuplicateIDs(t *testing.T) {
	m := smallPack(t, small)
	fl, methods := firstFlow(m)
	// a copy of one of its cards, its uuid unchanged (the test skipped until now:
	// it looked for a comment card, which the small template has none of)
	if len(methods) == 0 {
		t.Fatal("the small template's first flow has no cards")
	}
	var dup map[string]any
	b, _ := json.Marshal(methods[0])
	_ = json.Unmarshal(b, &dup)
	fl["data"].(map[string]any)["methods"] = append(methods, dup)
	res, err := Import("dup.flopack", encode(t, m), registry(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(res.Report, "dup.flopack", "duplicate card id", dup["uuid"].(string)) {
		t.Errorf("no duplicate warning: %v", res.Report.Warnings)
	}
	ids := map[string]bool{}
	res.Flows[0].Walk(func(c *engine.Card, _ *engine.Card) bool {
		if ids[c.ID] {
			t.Errorf("native card id %s twice", c.ID)
		}
		ids[c.ID] = true
		return true
	})
	if !res.Report.Accounted() {
		t.Errorf("cards not accounted: %+v", res.Report.Counts)
	}
	// a flow id twice in data.flos (duplicate JSON keys)
	data := template1(t, small).data
	var key string
	for k := range flos(smallPack(t, small)) {
		key = k
	}
	i := bytes.Index(data, []byte(`"flos":{`)) + len(`"flos":{`)
	j := bytes.Index(data, []byte(`,"configs"`))
	if i < len(`"flos":{`) || j < 0 {
		t.Fatal("the template does not have the flos-then-configs layout this test edits")
	}
	inner := data[i : j-1] // "<key>":{…}
	twice := append(append(append(append([]byte{}, data[:j-1]...), ','), inner...), data[j-1:]...)
	res, err = Import("dupflow.flopack", twice, registry(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Flows) != 1 || !hasWarning(res.Report, "duplicate flow id", key) {
		t.Errorf("flows %d, warnings %v", len(res.Flows), res.Report.Warnings)
	}
}

func TestLargestTemplate(t *testing.T) {
	var big template
	for _, tp := range templates(t) {
		if len(tp.data) > len(big.data) {
			big = tp
		}
	}
	if len(big.data) < 1<<20 {
		t.Fatalf("the largest template is only %d bytes; this test needs one over 1 MB", len(big.data))
	}
	res, err := Import(big.name, big.data, registry(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(big.data, &m)
	if len(res.Flows) != len(flos(m)) || !res.Report.Accounted() || res.Report.PinsUnresolved != 0 {
		t.Errorf("%s (%d bytes): %+v", big.name, len(big.data), res.Report.Counts)
	}
	if _, err := json.Marshal(res); err != nil {
		t.Errorf("result does not serialise: %v", err)
	}
}

// TestEnvelopes: .flow and .folder exports, detected by content.
func TestEnvelopes(t *testing.T) {
	m := smallPack(t, "validate_email_domain_using_registration_inline_ho")
	fl, _ := firstFlow(m)
	body := fl["data"]
	data := m["data"].(map[string]any)
	cases := map[string]any{
		"folder envelope": map[string]any{"type": "folder", "version": "1.5.0", "data": data},
		"bare pack data":  data,
		"flow envelope":   map[string]any{"type": "flow", "version": "1.5.0", "data": fl},
		"flow wrapper":    fl,
		"flow body":       map[string]any{"type": "flow", "data": body},
		"bare body":       body,
	}
	for name, v := range cases {
		res, err := Import(name, encode(t, v), registry(), Options{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(res.Flows) != 1 || len(res.Flows[0].Cards) == 0 || !res.Report.Accounted() || res.Report.PinsUnresolved != 0 {
			t.Errorf("%s: %d flows, %+v", name, len(res.Flows), res.Report.Counts)
			continue
		}
		if res.Flows[0].ID != fl["id"] {
			t.Errorf("%s: flow id %q", name, res.Flows[0].ID)
		}
	}
}

// TestMapping checks the §12 mapping on known templates.
func TestMapping(t *testing.T) {
	reg := registry()
	get := func(tpl, flow string) (*Result, *engine.Flow) {
		t.Helper()
		res, err := Import(tpl, template1(t, tpl).data, reg, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Flows {
			if f.Name == flow {
				return res, f
			}
		}
		t.Fatalf("%s: no flow %q", tpl, flow)
		return nil, nil
	}
	find := func(f *engine.Flow, id string) *engine.Card {
		var out *engine.Card
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			if c.ID == id {
				out = c
				return false
			}
			return true
		})
		if out == nil {
			t.Fatalf("flow %s: no card %s", f.Name, id)
		}
		return out
	}
	input := func(c *engine.Card, key string) *engine.Field {
		f := c.Input(key)
		if f == nil {
			t.Fatalf("card %s: no input %q", c.ID, key)
		}
		return f
	}

	// event flow flattened: event trigger with the event fields, per-event note, body cards bound to the trigger
	_, f := get("assign_temporary_group_memberships", "Determine if user added to temporary group")
	if f.Trigger.ID != "43Xv7jpgB" || f.Origin == nil || !bytes.Contains(f.Origin.Raw, []byte("eachEvent")) {
		t.Errorf("event trigger %s origin %v", f.Trigger.ID, f.Origin)
	}
	trim := find(f, "Fdh0tUOgD")
	if b := input(trim, "string").From; b == nil || b.Card != "43Xv7jpgB" || strings.Join(b.Path, ".") != "Group.Display Name" {
		t.Errorf("folded expand through the event body callable: %+v", b)
	}
	add := find(f, "p97glKa1")
	if b := input(add, "start").From; b == nil || b.Convert != "dateTime" {
		t.Errorf("transform: %+v", b)
	}

	// If/ElseIf with wormholes into the clauses and Return → container outputs
	_, f = get("create_contact_in_salesforce", "Create Contact in Salesforce")
	br := find(f, "g4f77DV1i")
	if br.Type != "flow.ifElseIf" || len(br.Branches) != 2 || br.Branches[0].Name != "if" || br.Branches[1].Name != "else" {
		t.Fatalf("If/ElseIf: %s %+v", br.Type, br.Branches)
	}
	if br.Branches[0].Inputs[0].Key != "left-operand" || br.Branches[0].Inputs[0].From == nil {
		t.Errorf("clause condition: %+v", br.Branches[0].Inputs)
	}
	ret := br.Branches[0].Cards[len(br.Branches[0].Cards)-1]
	if ret.Type != "flow.return" || ret.Input("first_name").From.Card != "_gIVnER5T" {
		t.Errorf("wormhole not rewired to the outer source: %+v", ret.Input("first_name").From)
	}
	if c := find(f, "Me8yT0Lh3"); c.Input("FirstName").From.Card != "g4f77DV1i" {
		t.Errorf("container output binding: %+v", c.Input("FirstName").From)
	}

	// If/Else with a join: outputs with one Any binding per lane, downstream re-pointed to the If card
	_, f = get("automate_lifecycle_management_with_darwinbox", "Find Highest Login Increment")
	ifc := find(f, "bvOR_od-K")
	if ifc.Type != "flow.if" || len(ifc.Branches) != 2 || ifc.Branches[0].Name != "true" || len(ifc.Outputs) != 2 || len(ifc.Outputs[0].Any) != 2 {
		t.Fatalf("If/Else: %+v", ifc)
	}
	if b := find(f, "ZVtgLXOKw").Input("left-operand").From; b.Card != "bvOR_od-K" || b.Path[0] != "increment" {
		t.Errorf("join output not re-pointed: %+v", b)
	}
	if f.Trigger.Type != "flow.helper" {
		t.Errorf("helper trigger %s", f.Trigger.Type)
	}
	// the trigger's context is one object output
	hasCtx := false
	for _, o := range f.Trigger.Outputs {
		hasCtx = hasCtx || o.Key == "context"
	}
	if !hasCtx {
		t.Errorf("trigger outputs: %+v", f.Trigger.Outputs)
	}
}

// TestFeatures checks things spread over the corpus: scheduled triggers
// keep their cron, helper references, item mappings, error policies,
// comment notes, tables, folders and connections.
func TestFeatures(t *testing.T) {
	var sched, flowRef, item, retry, errFlow, continueOn, notes, ifError, catchErr int
	var tables, cols, conns, folders int
	for _, tp := range templates(t) {
		res, err := Import(tp.name, tp.data, registry(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, td := range res.Tables {
			tables++
			cols += len(td.Columns)
			for _, c := range td.Columns {
				if c.Type == nil || c.Type.Kind == "" {
					t.Errorf("%s: table %s column %s has no type", tp.name, td.Name, c.Name)
				}
			}
		}
		conns += len(res.Connections)
		for _, c := range res.Connections {
			if c.ID == "" || c.Kind == "" {
				t.Errorf("%s: connection %+v", tp.name, c)
			}
		}
		folders += len(res.Folders())
		for _, f := range res.Flows {
			if f.Trigger.Input("schedule") != nil {
				sched++
				if v, ok := f.Trigger.Input("schedule").Value.(map[string]any); !ok || v["timeZone"] == nil {
					t.Errorf("%s: flow %s schedule %v", tp.name, f.Name, f.Trigger.Input("schedule").Value)
				}
			}
			f.Walk(func(c *engine.Card, parent *engine.Card) bool {
				if c.Flow != "" {
					flowRef++
				}
				for _, in := range c.Inputs {
					if in.Item != nil {
						item++
					}
				}
				if p := c.OnError; p != nil {
					switch p.Action {
					case "fail":
						retry++
					case "flow":
						errFlow++
					case "continue":
						continueOn++
					}
				}
				if c.Type == "flow.comment" && c.Note != "" {
					notes++
				}
				if c.Type == "flow.ifError" {
					ifError++
				}
				for _, in := range c.Inputs {
					if in.From != nil && parent != nil && parent.Type == "flow.ifError" && in.From.Card == parent.ID && in.From.Path[0] == "error" {
						catchErr++
					}
				}
				return true
			})
		}
	}
	t.Logf("scheduled %d, helper refs %d, item mappings %d, retry policies %d, error flows %d, continue %d, notes %d, If Error %d (catch bindings to error %d), tables %d (%d columns), connections %d, folders %d",
		sched, flowRef, item, retry, errFlow, continueOn, notes, ifError, catchErr, tables, cols, conns, folders)
	for name, n := range map[string]int{"scheduled": sched, "helper refs": flowRef, "item mappings": item, "retry policies": retry,
		"error flows": errFlow, "notes": notes, "If Error": ifError, "catch error bindings": catchErr, "tables": tables, "connections": conns} {
		if n == 0 {
			t.Errorf("no %s imported", name)
		}
	}
}

// TestKeepExpand: with folding off, hidden expand cards stay as
// object.expand cards right after their source, and flows still validate.
func TestKeepExpand(t *testing.T) {
	reg := registry()
	name := "assign_temporary_group_memberships"
	res, err := Import(name, template1(t, name).data, reg, Options{KeepExpand: true})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Report
	if r.Folded != 0 || r.KeptExpand == 0 || !r.Accounted() || r.PinsUnresolved != 0 {
		t.Fatalf("counts: %+v", r.Counts)
	}
	env := &engine.ValidateEnv{Registry: reg, Flows: map[string]*engine.Flow{}}
	for _, f := range res.Flows {
		env.Flows[f.ID] = f
	}
	kept := 0
	for _, f := range res.Flows {
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			if c.Type == "object.expand" {
				kept++
				for _, o := range c.Outputs {
					if !strings.HasPrefix(o.Group, "[") {
						t.Errorf("expand output %s has no path group: %q", o.Key, o.Group)
					}
				}
			}
			return true
		})
		for _, p := range engine.Validate(f, env) {
			if !allowedProblem(f, p) {
				t.Errorf("%s", p)
			}
		}
	}
	if kept != r.KeptExpand {
		t.Errorf("kept %d expand cards, report says %d", kept, r.KeptExpand)
	}
}
