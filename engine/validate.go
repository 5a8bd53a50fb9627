package engine

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Problem is one design-time validation finding. Pointer is a JSON pointer
// into the flow file.
type Problem struct {
	Flow     string `json:"flow"`
	Card     string `json:"card,omitempty"`
	Title    string `json:"title,omitempty"`
	Input    string `json:"input,omitempty"`
	Pointer  string `json:"pointer"`
	Kind     string `json:"kind"` // unknown-card, bad-binding, missing-field, type-mismatch, missing-input, missing-flow, flow-cycle, missing-connection, unsupported, duplicate-id
	Message  string `json:"message"`
	Severity string `json:"severity"` // "error" or "warning"
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString("flow " + p.Flow)
	if p.Card != "" {
		if p.Title != "" {
			fmt.Fprintf(&b, ", card %s %q", p.Card, p.Title)
		} else {
			fmt.Fprintf(&b, ", card %s", p.Card)
		}
	}
	if p.Input != "" {
		fmt.Fprintf(&b, ", input %q", p.Input)
	}
	fmt.Fprintf(&b, " (%s): %s", p.Pointer, p.Message)
	return b.String()
}

// ValidateEnv is what validation checks references against.
type ValidateEnv struct {
	Registry *Registry
	// Flows are the other flows that helper references may name (the flow
	// itself is added automatically).
	Flows map[string]*Flow
	// Connections are known connection ids; nil skips the check.
	Connections map[string]bool
}

// Validate checks a flow at design time. It never stops at the first
// problem: the canvas shows them all.
func Validate(f *Flow, env *ValidateEnv) []Problem {
	if env == nil {
		env = &ValidateEnv{}
	}
	v := &validator{f: f, env: env, reg: env.Registry, outs: map[string]outInfo{}}
	if v.reg == nil {
		v.reg = Default()
	}
	v.card(&f.Trigger, rootPtr.at("trigger"), nil)
	sc := &idScope{ids: map[string]int{}}
	sc.push(f.Trigger.ID)
	v.list(f.Cards, rootPtr.at("cards"), sc)
	v.cycles()
	v.probs = append(v.probs, runChecks(f)...)
	sort.SliceStable(v.probs, func(i, j int) bool { return v.probs[i].Pointer < v.probs[j].Pointer })
	return v.probs
}

type outInfo struct {
	spec *Spec
	card *Card
}

type validator struct {
	f     *Flow
	env   *ValidateEnv
	reg   *Registry
	probs []Problem
	outs  map[string]outInfo // cards seen so far, by id
	ids   map[string]bool    // every card id of the flow (built on first use)
}

func (v *validator) add(c *Card, input string, ptr *jptr, kind, format string, args ...any) {
	p := Problem{Flow: v.f.ID, Input: input, Pointer: ptr.String(), Kind: kind, Message: fmt.Sprintf(format, args...), Severity: "error"}
	if c != nil {
		p.Card, p.Title = c.ID, c.Title
	}
	v.probs = append(v.probs, p)
}

// idScope is the set of card ids a card may bind to (earlier cards of its
// list and of enclosing lists, and the trigger), kept as counts so that a
// nested list adds and removes its ids instead of copying the whole set:
// validation stays linear in the number of cards however deep they nest.
type idScope struct{ ids map[string]int }

func (s *idScope) push(id string) { s.ids[id]++ }
func (s *idScope) pop(id string) {
	if s.ids[id]--; s.ids[id] <= 0 {
		delete(s.ids, id)
	}
}
func (s *idScope) has(id string) bool { return s.ids[id] > 0 }

// list validates cards in order; visible is the ids a card may bind to.
// The ids list adds are removed again when it returns.
func (v *validator) list(cards []Card, ptr *jptr, visible *idScope) {
	for i := range cards {
		c := &cards[i]
		p := ptr.at(strconv.Itoa(i))
		v.card(c, p, visible)
		for j := range c.Branches {
			b := &c.Branches[j]
			bp := p.at("branches", strconv.Itoa(j))
			for k := range b.Inputs {
				v.field(c, &b.Inputs[k], bp.at("inputs", strconv.Itoa(k)), visible, nil)
			}
			visible.push(c.ID) // branch cards see the container's vars (e.g. If Error's error)
			v.list(b.Cards, bp.at("cards"), visible)
			visible.pop(c.ID)
		}
		// declared outputs (If/Else join values) may bind into the card's own lanes
		var inner []string
		for j := range c.Outputs {
			if c.Outputs[j].From != nil || len(c.Outputs[j].Any) > 0 {
				if inner == nil {
					inner = v.inner(c)
					for _, id := range inner {
						visible.push(id)
					}
				}
				v.field(c, &c.Outputs[j], p.at("outputs", strconv.Itoa(j)), visible, nil)
			}
		}
		for _, id := range inner {
			visible.pop(id)
		}
		visible.push(c.ID)
	}
	for i := range cards {
		visible.pop(cards[i].ID)
	}
}

// inner lists ids of all cards nested in c.
func (v *validator) inner(c *Card) []string {
	var ids []string
	walkCards([]Card{*c}, nil, func(x *Card, _ *Card) bool {
		if x.ID != c.ID {
			ids = append(ids, x.ID)
		}
		return true
	})
	return ids
}

func (v *validator) card(c *Card, ptr *jptr, visible *idScope) {
	if prev, dup := v.outs[c.ID]; dup {
		_ = prev
		v.add(c, "", ptr.at("id"), "duplicate-id", "card id %q is used twice", c.ID)
	}
	spec, ok := v.reg.Card(c.Type)
	v.outs[c.ID] = outInfo{spec: spec, card: c}
	if !ok {
		v.add(c, "", ptr.at("type"), "unknown-card", "unknown card type %q", c.Type)
		return
	}
	if c.Type == "unsupported" {
		name := fmt.Sprintf("%q", c.Title)
		if c.Origin != nil && c.Origin.App != "" {
			name = c.Origin.App + " card " + name
		}
		v.add(c, "", ptr.at("type"), "unsupported", "%s is not supported by Flowbench yet; the flow stops here when run", name)
	}
	if visible == nil { // trigger: its connection is optional (event hooks need none) but must exist when set
		if c.Connection != "" && v.env.Connections != nil && !v.env.Connections[c.Connection] {
			v.add(c, "", ptr.at("connection"), "missing-connection", "connection %q does not exist", c.Connection)
		}
		return
	}
	given := map[string]bool{}
	for i := range c.Inputs {
		f := &c.Inputs[i]
		given[f.Key] = f.From != nil || len(f.Any) > 0 || f.Value != nil || f.Item != nil
		if !spec.ExtensibleInputs && spec.InputSpec(f.Key) == nil && f.Group != "context" {
			v.add(c, f.Key, ptr.at("inputs", strconv.Itoa(i), "key"), "unknown-input", "card %s has no input %q", spec.Title, f.Key)
			continue
		}
		if spec.ExtensibleInputs && !spec.TakesAddedInput(f.Group) && spec.InputSpec(f.Key) == nil && f.Group != "context" {
			v.add(c, f.Key, ptr.at("inputs", strconv.Itoa(i), "key"), "unused-input", "card %s does not use input %q: it takes added inputs only in %s", spec.Title, f.Key, strings.Join(spec.ExtensibleGroups, ", "))
		}
		var want *Type
		if fs := spec.InputSpec(f.Key); fs != nil {
			want = fs.Type
		}
		if f.Type != nil {
			want = f.Type
		}
		v.field(c, f, ptr.at("inputs", strconv.Itoa(i)), visible, want)
		v.choice(c, f, spec.InputSpec(f.Key), ptr.at("inputs", strconv.Itoa(i))) // choicecheck.go
	}
	for _, fs := range spec.Inputs {
		if fs.RequiredOn(c, spec) && !given[fs.Key] && fs.Default == nil {
			v.add(c, fs.Key, ptr.at("inputs"), "missing-input", "required input %q (%s) is not set", fs.Key, labelOr(fs))
		}
	}
	for i := range c.Inputs {
		f := &c.Inputs[i]
		if f.Required && !given[f.Key] {
			v.add(c, f.Key, ptr.at("inputs", strconv.Itoa(i)), "missing-input", "required input %q is not set", f.Key)
		}
	}
	if spec.Connection != "" {
		switch {
		case c.Connection == "":
			v.add(c, "", ptr.at("connection"), "missing-connection", "card needs a %s connection; none is chosen", spec.Connection)
		case v.env.Connections != nil && !v.env.Connections[c.Connection]:
			v.add(c, "", ptr.at("connection"), "missing-connection", "connection %q does not exist", c.Connection)
		}
	}
	// (a streaming card may name its helper in a wired "Flow" input instead)
	if needsFlow(spec) || Streams(spec, c) && c.Input("Flow") == nil {
		v.helperRef(c, ptr)
	}
	v.errorPolicy(c, ptr)
	if c.OnError != nil && c.OnError.Action == "flow" && c.OnError.Flow != "" && v.env.Flows != nil && v.env.Flows[c.OnError.Flow] == nil && c.OnError.Flow != v.f.ID {
		v.add(c, "", ptr.at("onError", "flow"), "missing-flow", "error-handler flow %q does not exist", c.OnError.Flow)
	}
}

// errorPolicy checks what the executor does not refuse but would run other
// than written: an unknown action ran as "fail", a helper-flow action with no
// flow as "continue", negative retries as none.
func (v *validator) errorPolicy(c *Card, ptr *jptr) {
	p := c.OnError
	if p == nil {
		return
	}
	switch p.Action {
	case "", "fail", "continue":
	case "flow":
		if p.Flow == "" {
			v.add(c, "", ptr.at("onError", "flow"), "bad-error-policy", "error handling runs a helper flow, but no flow is chosen")
		}
	default:
		v.add(c, "", ptr.at("onError", "action"), "bad-error-policy", "error handling action %q is unknown: use fail (stop the flow), continue or flow (run a helper flow)", p.Action)
	}
	if p.Retries < 0 {
		v.add(c, "", ptr.at("onError", "retries"), "bad-error-policy", "error handling retries %d is negative", p.Retries)
	}
}

func labelOr(fs FieldSpec) string {
	if fs.Label != "" {
		return fs.Label
	}
	return fs.Type.String()
}

// helperRef checks the helper flow a calling card names: chosen, stored
// (not deleted) and callable (it starts with a Helper Flow card).
func (v *validator) helperRef(c *Card, ptr *jptr) {
	if c.Flow == "" {
		v.add(c, "", ptr.at("flow"), "missing-flow", "no helper flow chosen")
		return
	}
	if c.Flow == v.f.ID || v.env.Flows == nil {
		return
	}
	h := v.env.Flows[c.Flow]
	switch {
	case h == nil:
		v.add(c, "", ptr.at("flow"), "missing-flow", "helper flow %q does not exist (deleted, or not imported)", c.Flow)
	case h.Trigger.Type != "flow.helper":
		v.add(c, "", ptr.at("flow"), "missing-flow", "flow %q is not a helper flow: it starts with %s, not a Helper Flow card", h.Name, h.Trigger.Type)
	}
}

// Streams reports whether a connector list card streams its records to a
// helper flow: it has a "Streaming" input group and its result set (or
// request type) option is a streaming one ("Stream Matching Records",
// "Stream Records", "GET(Streaming)").
func Streams(s *Spec, c *Card) bool {
	streaming := false
	for i := range s.Inputs {
		if s.Inputs[i].Group == "Streaming" {
			streaming = true
			break
		}
	}
	if !streaming {
		return false
	}
	keys := []string{"resultSet", "requestType"}
	for i := range s.Inputs { // connectors with generated keys (Okta Realms: result_set_GCTSBH)
		if strings.HasPrefix(s.Inputs[i].Key, "result_set_") {
			keys = append(keys, s.Inputs[i].Key)
		}
	}
	for _, key := range keys {
		fs := s.InputSpec(key)
		if fs == nil {
			continue
		}
		val := fs.Default
		if f := c.Input(key); f != nil && f.Value != nil {
			val = f.Value
		}
		txt, _ := val.(string)
		return strings.Contains(strings.ToLower(txt), "stream")
	}
	return false
}

// needsFlow: cards that call a helper flow by id.
func needsFlow(s *Spec) bool {
	return s.Helper != HelperNone
}

func (v *validator) field(c *Card, f *Field, ptr *jptr, visible *idScope, want *Type) {
	check := func(b *Binding, bptr *jptr) {
		if !visible.has(b.Card) && !(b.Card == TriggerID) {
			if _, exists := v.outs[b.Card]; exists || v.exists(b.Card) {
				v.add(c, f.Key, bptr.at("card"), "bad-binding", "binds to card %q, which does not run before this card", b.Card)
			} else {
				v.add(c, f.Key, bptr.at("card"), "bad-binding", "binds to card %q, which does not exist", b.Card)
			}
			return
		}
		srcID := b.Card
		if srcID == TriggerID {
			srcID = v.f.Trigger.ID
		}
		src := v.outs[srcID]
		if src.spec == nil || len(b.Path) == 0 {
			return
		}
		t, known := outputType(src, b.Path[0], c.ID == srcID)
		if !known {
			v.add(c, f.Key, bptr.at("path", "0"), "missing-field", "card %s has no output %q", src.card.Label(), b.Path[0])
			return
		}
		if len(b.Path) > 1 && t != nil {
			nt := t.At(b.Path[1:])
			if nt == nil && t.Kind != KindAny && (t.Kind != KindObject || len(t.Fields) > 0) {
				v.add(c, f.Key, bptr.at("path"), "missing-field", "output %q of card %s has no field %q", b.Path[0], src.card.Label(), strings.Join(b.Path[1:], "."))
				return
			}
			t = nt
		}
		if b.Convert != "" {
			return // an explicit conversion decides the type
		}
		if want != nil && t != nil && !Compatible(t, want) {
			v.add(c, f.Key, bptr, "type-mismatch", "%s (%s) cannot feed input %q of type %s", b.String(), t, f.Key, want)
		}
	}
	if f.From != nil {
		check(f.From, ptr.at("from"))
	}
	for i := range f.Any {
		check(&f.Any[i], ptr.at("any", strconv.Itoa(i)))
	}
	if f.From == nil && len(f.Any) == 0 && f.Value != nil && want != nil && f.Item == nil {
		if _, err := Coerce(f.Value, want); err != nil {
			v.add(c, f.Key, ptr.at("value"), "type-mismatch", "value does not fit type %s: %v", want, err)
		}
	}
}

// outputType finds the declared type of a card output; known=false when
// the card certainly has no such output.
func outputType(src outInfo, key string, self bool) (*Type, bool) {
	if key == "context" {
		return &Type{Kind: KindObject}, true
	}
	if fs := src.spec.OutputSpec(key); fs != nil {
		return fs.Type, true
	}
	for i := range src.card.Outputs {
		if src.card.Outputs[i].Key == key {
			return src.card.Outputs[i].Type, true
		}
	}
	if src.spec.ExtensibleOutputs {
		// mirrored cards (Assign, Return) output their inputs
		for i := range src.card.Inputs {
			if src.card.Inputs[i].Key == key {
				return src.card.Inputs[i].Type, true
			}
		}
		if len(src.card.Outputs) == 0 {
			if src.spec.Kind == KindTrigger && len(src.spec.Outputs) > 0 {
				return nil, false // a trigger hands over its declared outputs only (e.g. after a trigger was replaced)
			}
			return nil, true // outputs known only at run time
		}
		// If Error / If/ElseIf also expose vars (error) to their branches
		if key == "error" {
			return &Type{Kind: KindObject}, true
		}
	}
	return nil, false
}

func (v *validator) exists(id string) bool {
	if v.ids == nil { // one walk per validation, not one per binding
		v.ids = map[string]bool{}
		v.f.Walk(func(c *Card, _ *Card) bool {
			v.ids[c.ID] = true
			return true
		})
	}
	return v.ids[id]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// cycles reports helper-flow call cycles reachable from this flow.
func (v *validator) cycles() {
	flows := map[string]*Flow{v.f.ID: v.f}
	for id, f := range v.env.Flows {
		if id != v.f.ID {
			flows[id] = f
		}
	}
	calls := func(f *Flow) []string {
		var out []string
		f.Walk(func(c *Card, _ *Card) bool {
			if c.Flow != "" {
				if s, ok := v.reg.Card(c.Type); ok && s.Helper == HelperWaits {
					out = append(out, c.Flow)
				}
			}
			return true
		})
		return out
	}
	var path []string
	onPath := map[string]bool{}
	done := map[string]bool{}
	var visit func(id string) bool
	visit = func(id string) bool {
		if onPath[id] {
			i := 0
			for path[i] != id {
				i++
			}
			cyc := append(append([]string{}, path[i:]...), id)
			v.add(nil, "", rootPtr.at("cards"), "flow-cycle", "helper flows call each other in a cycle: %s", strings.Join(cyc, " → "))
			return true
		}
		if done[id] {
			return false
		}
		f := flows[id]
		if f == nil {
			return false
		}
		onPath[id] = true
		path = append(path, id)
		for _, next := range calls(f) {
			if visit(next) {
				return true
			}
		}
		path = path[:len(path)-1]
		onPath[id] = false
		done[id] = true
		return false
	}
	visit(v.f.ID)
}

// jptr is a JSON pointer built as a chain: extending it costs one small
// allocation, and the text is made only for a problem, so validation does
// not spend time proportional to the nesting depth on every card.
type jptr struct {
	parent *jptr
	seg    string
}

var rootPtr = &jptr{}

func (p *jptr) at(segs ...string) *jptr {
	for _, s := range segs {
		p = &jptr{parent: p, seg: s}
	}
	return p
}

func (p *jptr) String() string {
	if p == nil || p.parent == nil {
		return ""
	}
	var segs []string
	for q := p; q.parent != nil; q = q.parent {
		segs = append(segs, q.seg)
	}
	var b strings.Builder
	for i := len(segs) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(segs[i])
	}
	return b.String()
}
