package flopack

import (
	"encoding/json"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// --- triggers ---

func (im *importer) buildTrigger(fl *flowCtx, top *body, t *method) engine.Card {
	var s *engine.Spec
	typ := Unsupported
	if t.is("control:noop") {
		if sp, ok := im.reg.Card("flow.manual"); ok {
			s = sp
		}
	} else {
		s = im.spec(fl, t)
	}
	if s != nil {
		typ = s.ID
	}
	c := engine.Card{ID: t.nativeID, Type: typ, Title: t.title, Origin: &engine.Origin{Source: "okta", Address: t.address}}
	if s != nil && s.Connection != "" {
		c.Connection = t.config // event cards poll the System Log through it
	}
	if s == nil {
		c.Origin.Raw = compactRaw(t.raw)
		c.Origin.App = appOf(t)
		if c.Title == "" {
			c.Title = oktaTitle(t)
		}
		im.noteUnsupported(fl, t)
		im.setState(fl, t, stateUnsupported)
		im.warn(fl.label, t.label(), "", "%s trigger %q is not supported by Flowbench yet (%s)", appOf(t), oktaTitle(t), t.kind)
	} else {
		im.setState(fl, t, stateMapped)
	}
	outs := t.outputs
	if fl.eventBody != nil && fl.eventBody.entry != nil {
		outs = fl.eventBody.entry.outputs
	}
	c.Outputs = im.triggerOutputs(fl, t, outs)
	if !t.mirrored {
		for _, f := range t.inputs {
			if f.typeName() == "invoke" || (t.webhook && f.group == "" && (f.key == "data" || (f.key == "type" && jstr(f.data) == "invoke"))) {
				continue // runtime plumbing of event cards
			}
			c.Inputs = append(c.Inputs, im.buildInput(fl, top, t, f, s))
		}
	}
	if top.obj.bool("scheduled") {
		cron, _ := jany(top.obj.raw("cron"))
		c.Inputs = append(c.Inputs, engine.Field{Key: "schedule", Label: "Schedule", Type: engine.T("object"), Value: cron})
	}
	if lvl := top.obj.str("security_level"); lvl != "" {
		c.Inputs = append(c.Inputs, engine.Field{Key: "security_level", Label: "Security", Type: engine.T("string"), Value: lvl})
	}
	if t.policy != nil {
		c.OnError = im.errorPolicy(fl, t)
	}
	return c
}

// triggerOutputs are the run inputs: the trigger's (or the event body
// callable's) outputs, with the "context" group merged into one object
// output "context" (execution_id, index, error, parent).
func (im *importer) triggerOutputs(fl *flowCtx, t *method, outs []*field) []engine.Field {
	var fields []engine.Field
	var ctx *engine.Type
	for _, f := range outs {
		if f.group == "context" {
			if ctx == nil {
				ctx = &engine.Type{Kind: engine.KindObject, Fields: map[string]*engine.Type{}}
			}
			ft := im.fieldType(fl, t, f)
			if l := f.label(); l != "" {
				cp := *ft
				cp.Label = l
				ft = &cp
			}
			ctx.Fields[f.key] = ft
			continue
		}
		fld := engine.Field{Key: f.native, Group: f.group, Label: f.label(), Type: im.fieldType(fl, t, f), Hidden: f.hidden()}
		if v, _ := jany(f.data); v != nil && !isZero(v) {
			fld.Value = v
		}
		fields = append(fields, fld)
	}
	if ctx != nil {
		fields = append(fields, engine.Field{Key: "context", Group: "context", Label: "Context", Type: ctx})
	}
	return fields
}

// --- ordinary cards ---

// buildCard maps one Okta card. skip drops inputs handled by a container.
func (im *importer) buildCard(fl *flowCtx, b *body, m *method, skip func(*field) bool) engine.Card {
	s := im.spec(fl, m)
	c := engine.Card{ID: m.nativeID, Title: m.title, Hidden: !m.displayed, Origin: &engine.Origin{Source: "okta", Address: m.address}}
	if s != nil {
		c.Type = s.ID
		im.setState(fl, m, stateMapped)
	} else {
		c.Type = Unsupported
		c.Origin.Raw = compactRaw(m.raw)
		c.Origin.App = appOf(m)
		if c.Title == "" {
			c.Title = oktaTitle(m)
		}
		im.noteUnsupported(fl, m)
		im.setState(fl, m, stateUnsupported)
	}
	if m.config != "" {
		c.Connection = m.config
		im.noteConnection(m)
		if !im.connections[m.config] {
			im.warn(fl.label, m.label(), "config", "card uses connection %q that is not in the export", m.config)
		}
	}
	if md := commentMarkdown(m.comments); md != "" {
		c.Note = md
	}
	for _, f := range m.inputs {
		if skip != nil && skip(f) {
			continue
		}
		if isWormhole(m, f) {
			// values entering an inline body: the inner cards bind to the source directly
			for _, p := range b.incoming[m.uuid][f.id] {
				p.state = pinResolved
			}
			continue
		}
		if f.typeName() == "flo" {
			if _, inline := m.inline[f.id]; inline {
				continue
			}
			if ref := jstr(f.data); ref != "" {
				if c.Flow != "" && c.Flow != ref {
					im.warn(fl.label, m.label(), f.qualified(), "card references two helper flows; %s is used", c.Flow)
				} else {
					c.Flow = ref
				}
				if !im.flowIDs[ref] && !im.packHasFlow(ref) {
					im.warn(fl.label, m.label(), f.qualified(), "helper flow %s is not in the export", ref)
				}
				if s != nil && s.InputSpec(f.native) == nil && len(b.incoming[m.uuid][f.id]) == 0 {
					continue // the reference lives in Card.Flow
				}
			}
		}
		if f.metaBool("table") {
			if id := jstr(f.data); id != "" {
				im.noteTable(id)
			}
			if id := jstr(f.data); id != "" && !im.tables[id] {
				im.warn(fl.label, m.label(), f.qualified(), "card uses table %q that is not in the export", id)
			}
		}
		c.Inputs = append(c.Inputs, im.buildInput(fl, b, m, f, s))
	}
	for _, f := range m.outputs {
		fld := engine.Field{Key: f.native, Group: f.group, Label: f.label(), Type: im.fieldType(fl, m, f), Hidden: f.hidden()}
		if m.is("object:expand") {
			if path, ok := expandPath(m, f); ok {
				b, _ := json.Marshal(path)
				fld.Group = string(b) // the path, as the object.expand card reads it
			}
		}
		if v, _ := jany(f.data); v != nil && !isZero(v) && m.mirrored {
			fld.Value = v
		}
		if s != nil && !s.ExtensibleOutputs && s.OutputSpec(f.native) == nil && wired(m, f) {
			im.undeclared(fl, m, s, f, "output") // unwired extra outputs (mirrors) are harmless
		}
		c.Outputs = append(c.Outputs, fld)
	}
	if s != nil && c.Flow == "" && c.Input("resultSet") == nil && engine.Streams(s, &c) {
		im.keepRecords(fl, m, s, &c)
	}
	if m.policy != nil {
		c.OnError = im.errorPolicy(fl, m)
	}
	return c
}

func wired(m *method, f *field) bool {
	for _, p := range m.pins {
		if p.out == f.id {
			return true
		}
	}
	return false
}

func (im *importer) packHasFlow(id string) bool { return im.flowIDs[id] }

func (im *importer) undeclared(fl *flowCtx, m *method, s *engine.Spec, f *field, side string) {
	fl.rep.UndeclaredFields++
	im.warn(fl.label, m.label(), f.qualified(), "%s %q is not declared by card type %s; kept as is", side, f.native, s.ID)
}

// isWormhole reports whether f is a container's hidden input that carries
// a value into one of its inline bodies (§5.4).
func isWormhole(m *method, f *field) bool {
	if len(m.inline) == 0 && m.handler == nil {
		return false
	}
	return f.group == "context" && f.metaStr("wormholeMethodId") != ""
}

func commentMarkdown(raw json.RawMessage) string {
	if !isObjectJSON(raw) {
		return ""
	}
	var c struct {
		Markdown json.RawMessage `json:"markdown"`
	}
	if json.Unmarshal(raw, &c) != nil {
		return ""
	}
	return jstr(c.Markdown)
}

// compactRaw copies a card's original JSON (exports are one line already;
// json.Marshal compacts RawMessage on output anyway).
func compactRaw(raw json.RawMessage) json.RawMessage {
	return append(json.RawMessage(nil), raw...)
}

// buildInput maps one input field: binding, item mapping, static value.
func (im *importer) buildInput(fl *flowCtx, b *body, m *method, f *field, s *engine.Spec) engine.Field {
	fld := engine.Field{Key: f.native, Group: f.group, Label: f.label(), Type: im.fieldType(fl, m, f),
		Required: f.required, Hidden: f.hidden()}
	pins := b.incoming[m.uuid][f.id]
	for i, p := range pins {
		if i > 0 {
			p.state = pinUnresolved
			im.warn(fl.label, m.label(), f.qualified(), "input has %d wires; only the first (from %s) is used", len(pins), pins[0].src.label())
			continue
		}
		bind, ok, why := im.resolvePin(fl, b, p, 0)
		if ok {
			fld.From = &bind
			p.state = pinResolved
		} else {
			p.state = pinUnresolved
			im.warn(fl.label, m.label(), f.qualified(), "wire from %s not resolved: %s", p.src.label(), why)
		}
	}
	if item := itemMapping(f.proxy); item != nil {
		fld.Item = item
	}
	v, err := jany(f.data)
	if err != nil {
		im.warn(fl.label, m.label(), f.qualified(), "value ignored: %v", err)
	}
	if v != nil && keepValue(v, &fld, f, s) {
		fld.Value = v
		if fld.From == nil && fld.Item == nil {
			im.noteChoice(fl, m, &fld, s, v)
		}
		if fld.Type != nil && fld.Item == nil {
			if _, err := engine.Coerce(v, fld.Type); err != nil {
				im.warn(fl.label, m.label(), f.qualified(), "the exported value does not fit the field's type %s (%v); kept as exported", fld.Type, err)
			}
		}
	}
	if s != nil && !s.ExtensibleInputs && s.InputSpec(f.native) == nil {
		im.undeclared(fl, m, s, f, "input")
	} else if s != nil && !s.TakesAddedInput(f.group) && s.InputSpec(f.native) == nil && f.group != "context" {
		fl.rep.UndeclaredFields++
		im.warn(fl.label, m.label(), f.qualified(), "input %q is not used by card type %s (it takes added inputs only in %s); kept as is", f.native, s.ID, strings.Join(s.ExtensibleGroups, ", "))
	}
	return fld
}

// keepValue decides whether a static value.data is kept. Only values that
// say nothing are dropped: values overridden by a wire or an item mapping,
// "" in a field that is not text (Okta's "not set"), and empty defaults of
// optional built-in fields. 0 and false are values; user-defined fields
// (Construct keys, Return values…) and required fields keep even empty
// values, since those shape the result.
func keepValue(v any, fld *engine.Field, f *field, s *engine.Spec) bool {
	if !isZero(v) {
		return true
	}
	if fld.From != nil || fld.Item != nil {
		return false
	}
	if str, ok := v.(string); ok && str == "" && fld.Type != nil && fld.Type.Kind != engine.KindString && fld.Type.Kind != engine.KindAny {
		return false
	}
	switch v.(type) {
	case float64, bool:
		return true
	}
	if f.metaBool("custom") || f.required {
		return true
	}
	if s != nil {
		if fs := s.InputSpec(f.native); fs != nil && fs.Default != nil && !isZero(fs.Default) {
			return true // an explicit empty value overrides a non-empty default
		}
	}
	return false
}

// itemMapping reads value.proxy of list-iteration cards (§5.8).
func itemMapping(raw json.RawMessage) *engine.ItemMapping {
	if !isObjectJSON(raw) {
		return nil
	}
	var p struct {
		Dynamic json.RawMessage `json:"dynamic"`
		Path    json.RawMessage `json:"path"`
	}
	if json.Unmarshal(raw, &p) != nil || !jbool(p.Dynamic) {
		return nil
	}
	return &engine.ItemMapping{Path: jstr(p.Path)}
}

func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case float64:
		return x == 0
	case bool:
		return !x
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// --- types ---

var typeNames = map[string]string{
	"string": engine.KindString, "text": engine.KindString, "number": engine.KindNumber, "integer": engine.KindNumber,
	"boolean": engine.KindBoolean, "object": engine.KindObject, "Date": engine.KindDate, "date": engine.KindDate,
	"file": engine.KindFile, "flo": engine.KindFlow, "*": engine.KindAny, "any": engine.KindAny, "Array": engine.KindAny,
	"folder": engine.KindString, "invoke": engine.KindAny,
}

func (im *importer) fieldType(fl *flowCtx, m *method, f *field) *engine.Type {
	t, unknown := oktaType(f.typ, f.collection, 0)
	if unknown != "" {
		im.warn(fl.label, m.label(), f.qualified(), "unknown field type %q imported as any", unknown)
	}
	return t
}

// oktaType maps value.type (a name or a nested type map) and collection.
func oktaType(raw json.RawMessage, collection bool, depth int) (*engine.Type, string) {
	t := &engine.Type{Kind: engine.KindAny, List: collection && depth < 64}
	unknown := ""
	switch {
	case isObjectJSON(raw) && depth < 64:
		t.Kind = engine.KindObject
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) == nil && len(m) > 0 {
			t.Fields = make(map[string]*engine.Type, len(m))
			for _, k := range slices.Sorted(maps.Keys(m)) {
				var e struct {
					Type        json.RawMessage `json:"type"`
					Collection  json.RawMessage `json:"collection"`
					Displayname json.RawMessage `json:"displayname"`
				}
				if json.Unmarshal(m[k], &e) != nil {
					t.Fields[k] = &engine.Type{Kind: engine.KindAny}
					continue
				}
				sub, u := oktaType(e.Type, jbool(e.Collection), depth+1)
				if u != "" && unknown == "" {
					unknown = u
				}
				if l := jstr(e.Displayname); l != "" && l != k {
					sub.Label = l
				}
				t.Fields[k] = sub
			}
		}
	default:
		name := jstr(raw)
		if name == "" {
			return t, ""
		}
		k, ok := typeNames[name]
		if !ok {
			return t, name
		}
		t.Kind = k
	}
	return t, unknown
}

// --- error policy (§3.6) ---

func (im *importer) errorPolicy(fl *flowCtx, m *method) *engine.ErrorPolicy {
	p := m.policy
	typ := p.str("type")
	pol := &engine.ErrorPolicy{Action: "fail"}
	if n, ok := jnum(p.raw("retry")); ok && n > 0 {
		pol.Retries = int(n)
	}
	if d := p.raw("delay"); !isNull(d) {
		var list []json.RawMessage
		if json.Unmarshal(d, &list) == nil {
			if len(list) > 0 {
				if n, ok := jnum(list[0]); ok {
					pol.Delay = ms(n)
				}
			}
			if len(list) > 1 {
				if n, ok := jnum(list[1]); ok {
					pol.DelayMax = ms(n)
				}
			}
		} else if n, ok := jnum(d); ok {
			pol.Delay = ms(n)
		}
	}
	switch rc := p.str("retryCondition"); rc {
	case "":
	case "ratelimits":
		pol.RetryOn = "ratelimits"
	default:
		pol.RetryOn = rc
	}
	switch typ {
	case "", "finish":
		if pol.Retries == 0 && pol.Delay == 0 && pol.DelayMax == 0 && pol.RetryOn == "" {
			return nil
		}
	case "flo":
		ref := jstr(p.raw("flo"))
		if _, err := strconv.ParseFloat(ref, 64); err == nil || ref == "" {
			im.warn(fl.label, m.label(), "policy.error.flo", "error helper flow %q is not a flow id; the card fails on error instead", ref)
			break
		}
		pol.Action, pol.Flow = "flow", ref
		if !im.flowIDs[ref] {
			im.warn(fl.label, m.label(), "policy.error.flo", "error helper flow %s is not in the export", ref)
		}
	case "return":
		pol.Action = "continue"
	case "handler":
		if !m.is("control:tryCatch") {
			im.warn(fl.label, m.label(), "policy.error", "error handler body on a %s card ignored", m.kind)
		}
		return nil
	default:
		im.warn(fl.label, m.label(), "policy.error.type", "unknown error policy %q; the card fails on error", typ)
		return nil
	}
	return pol
}

func ms(n float64) engine.Duration { return engine.Duration(time.Duration(n) * time.Millisecond) }

// --- If/Else, If/ElseIf, If Error ---

func (im *importer) buildIf(fl *flowCtx, b *body, m *method, j string) engine.Card {
	c := im.buildCard(fl, b, m, nil)
	c.Outputs = nil
	g := fl.graphs[b]
	heads := append([]head(nil), m.heads...)
	sort.SliceStable(heads, func(i, k int) bool { return heads[i].val && !heads[k].val })
	used := map[string]bool{}
	for _, h := range heads {
		name := strconv.FormatBool(h.val)
		for n := 2; used[name]; n++ {
			name = strconv.FormatBool(h.val) + strconv.Itoa(n)
		}
		used[name] = true
		lane := []engine.Card{}
		hm := b.byID[h.uuid]
		switch {
		case hm == nil:
			im.warn(fl.label, m.label(), "branches", "branch head %q is not in the flow; the %s lane is empty", h.uuid, name)
		case hm.is("control:noop") && !hm.displayed:
			fl.visited[hm] = true
			im.setState(fl, hm, stateStructural)
			for _, x := range im.next(g, h.uuid, j) {
				lane = append(lane, im.walk(fl, b, x, j)...)
				break
			}
		default:
			lane = append(lane, im.walk(fl, b, h.uuid, j)...)
		}
		c.Branches = append(c.Branches, engine.Branch{Name: name, Cards: lane})
	}
	if j == "" {
		return c
	}
	jm := b.byID[j]
	fed := map[string]bool{}
	for _, o := range jm.outputs {
		out := engine.Field{Key: o.native, Group: o.group, Label: o.label(), Type: im.fieldType(fl, jm, o)}
		for _, in := range jm.inputs {
			links, mapped := jm.joins[in.id]
			feeds, convert := false, ""
			for _, l := range links {
				if l.output == o.id {
					feeds, convert = true, l.convert
				}
			}
			if !mapped && in.key == o.key {
				feeds = true
			}
			if !feeds {
				continue
			}
			fed[in.id] = true
			for _, p := range b.incoming[j][in.id] {
				bind, ok, why := im.resolvePin(fl, b, p, 0)
				if !ok {
					p.state = pinUnresolved
					im.warn(fl.label, m.label(), o.qualified(), "If/Else output wire from %s not resolved: %s", p.src.label(), why)
					continue
				}
				if bind.Convert == "" {
					bind.Convert = convert
				}
				out.Any = append(out.Any, bind)
				p.state = pinResolved
			}
			if v, _ := jany(in.data); v != nil && !isZero(v) && out.Value == nil {
				out.Value = v
			}
		}
		c.Outputs = append(c.Outputs, out)
	}
	for _, in := range jm.inputs {
		if fed[in.id] {
			continue
		}
		for _, p := range b.incoming[j][in.id] {
			p.state = pinUnresolved
			im.warn(fl.label, m.label(), in.qualified(), "If/Else output input feeds no output; wire from %s dropped", p.src.label())
		}
	}
	return c
}

func (im *importer) buildIfElseIf(fl *flowCtx, b *body, m *method) engine.Card {
	type clause struct {
		f   *field
		sub *body
	}
	var clauses []clause
	groups := map[string]bool{}
	for _, id := range inlineOrder(m) {
		f := m.inByID[id]
		clauses = append(clauses, clause{f, m.inline[id]})
		groups[f.group] = true
	}
	rank := func(c clause) int {
		switch c.f.group {
		case "if":
			return 0
		case "else":
			return 2
		}
		return 1
	}
	sort.SliceStable(clauses, func(i, k int) bool { return rank(clauses[i]) < rank(clauses[k]) })
	c := im.buildCard(fl, b, m, func(f *field) bool { return groups[f.group] })
	for _, cl := range clauses {
		name := cl.f.group
		if name == "" {
			name = cl.f.native
		}
		br := engine.Branch{Name: name}
		for _, f := range m.inputs {
			if f.group != cl.f.group || f == cl.f {
				continue
			}
			switch f.key {
			case "left-operand", "operator", "right-operand":
				fld := im.buildInput(fl, b, m, f, nil)
				fld.Key, fld.Group = f.key, ""
				br.Inputs = append(br.Inputs, fld)
			default:
				for _, p := range b.incoming[m.uuid][f.id] {
					p.state = pinUnresolved
					im.warn(fl.label, m.label(), f.qualified(), "If/ElseIf clause input %q has no native place; wire from %s dropped", f.key, p.src.label())
				}
			}
		}
		br.Cards = im.inlineCards(fl, cl.sub)
		c.Branches = append(c.Branches, br)
	}
	return c
}

func (im *importer) buildIfError(fl *flowCtx, b *body, m *method) engine.Card {
	c := im.buildCard(fl, b, m, nil)
	c.OnError = nil
	try := []engine.Card{}
	for _, id := range inlineOrder(m) {
		try = append(try, im.inlineCards(fl, m.inline[id])...)
	}
	catch := []engine.Card{}
	if m.handler != nil {
		catch = im.inlineCards(fl, m.handler)
	}
	c.Branches = []engine.Branch{{Name: "try", Cards: try}, {Name: "catch", Cards: catch}}
	return c
}
