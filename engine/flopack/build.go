package flopack

import (
	"encoding/json"
	"fmt"

	"github.com/flowbench/flowbench/engine"
)

// card states: which report bucket an Okta card landed in.
const (
	statePending = iota
	stateMapped
	stateUnsupported
	stateFolded
	stateStructural
)

// flowCtx is the state of one top-level flow's import.
type flowCtx struct {
	label   string
	id      string
	flow    *engine.Flow
	rep     *FlowReport
	ids     map[string]bool
	bodies  []*body
	trigger string // native trigger card id

	eventWrapper *method // list:asyncEach wrapper of an event flow (flattened)
	eventBody    *body

	specs   map[*method]*engine.Spec
	folds   map[*method]*foldInfo
	visited map[*method]bool
	graphs  map[*body]*graph
}

type graph struct {
	succ   map[string][]string
	indeg  map[string]int
	isHead map[string]bool
	joinOf map[string]string // If card -> its join
	ifOf   map[string]string // join -> If card
	stops  map[string]bool
}

type foldInfo struct {
	busy bool
	ok   bool
	base engine.Binding
}

func (im *importer) importFlow(rf rawFlow) error {
	fl := &flowCtx{label: flowLabel(rf.name, rf.id), id: rf.id, ids: map[string]bool{engine.TriggerID: true},
		specs: map[*method]*engine.Spec{}, folds: map[*method]*foldInfo{}, visited: map[*method]bool{}, graphs: map[*body]*graph{}}
	if isNull(rf.body) {
		return im.fail(fl.label, "", "data", "flow has no body")
	}
	top, err := im.parseBody(fl, rf.body, nil, nil, "top", "", 0)
	if err != nil {
		return err
	}
	if fl.id == "" {
		fl.id = top.uuid
	}
	if fl.id == "" {
		fl.id = fmt.Sprintf("flow%d", len(im.res.Flows)+1)
	}
	if err := engine.CheckID("flow", fl.id); err != nil {
		return im.fail(fl.label, "", "id", "%v", err)
	}
	if top.uuid != "" && top.uuid != fl.id {
		im.warn(fl.label, "", "uuid", "flow body uuid %q differs from the flow id %q; the flow id is used", top.uuid, fl.id)
	}
	im.flowIDs[fl.id] = true
	fl.rep = &FlowReport{ID: fl.id, Name: rf.name, UnsupportedKinds: map[string]int{}}
	fl.rep.Flows = 1
	collectBodies(top, &fl.bodies)
	for _, b := range fl.bodies {
		fl.rep.Cards += len(b.methods)
		for _, m := range b.methods {
			id := m.uuid
			for n := 2; fl.ids[id]; n++ {
				id = fmt.Sprintf("%s-%d", m.uuid, n)
			}
			if id != m.uuid {
				im.warn(fl.label, m.label(), "", "card id %q is used twice in the flow; this one is renamed %q", m.uuid, id)
			}
			fl.ids[id] = true
			m.nativeID = id
			im.assignKeys(fl, m)
		}
		im.prepGraph(fl, b)
	}

	f := &engine.Flow{Format: engine.FlowFormat, ID: fl.id, Name: rf.name, Description: rf.description,
		Settings: engine.Settings{History: true}, Cards: []engine.Card{},
		Origin: &engine.Origin{Source: "okta", ID: fl.id, Address: im.name}}
	fl.flow = f
	if top.obj.has("log") {
		f.Settings.History = top.obj.bool("log")
	}
	if g := top.obj.str("group"); g != "" {
		p, ok := im.folderPath[g]
		if !ok {
			im.warn(fl.label, "", "group", "flow names folder %q that is not in the export; imported without a folder", g)
		}
		f.Folder = p
	}

	// trigger
	t := im.findTrigger(fl, top)
	var cards []engine.Card
	if t != nil && im.triggerLike(fl, t) {
		top.entry = t
		fl.trigger = t.nativeID
		im.detectEvent(fl, top, t)
		f.Trigger = im.buildTrigger(fl, top, t)
		cards = im.walk(fl, top, t.uuid, "")
	} else {
		fl.trigger = engine.TriggerID
		f.Trigger = engine.Card{ID: engine.TriggerID, Type: "flow.manual", Title: "Manual Run"}
		if t == nil {
			im.warn(fl.label, "", "", "flow has no start card; a Manual Run trigger was added")
		} else {
			im.warn(fl.label, t.label(), "", "flow does not start with a trigger card; a Manual Run trigger was added before it")
			cards = im.walk(fl, top, t.uuid, "")
		}
	}
	f.Cards = im.finishBody(fl, top, cards)
	fl.rep.Trigger = f.Trigger.Type
	im.tally(fl)
	dropShadowedValues(f)
	im.res.Flows = append(im.res.Flows, f)
	im.rep.Flows = append(im.rep.Flows, *fl.rep)
	im.rep.Counts.add(fl.rep.Counts)
	return nil
}

func collectBodies(b *body, out *[]*body) {
	*out = append(*out, b)
	for _, m := range b.methods {
		for _, id := range inlineOrder(m) {
			collectBodies(m.inline[id], out)
		}
		if m.handler != nil {
			collectBodies(m.handler, out)
		}
	}
}

// inlineOrder lists a card's inline body input ids in field order.
func inlineOrder(m *method) []string {
	var out []string
	for _, f := range m.inputs {
		if _, ok := m.inline[f.id]; ok {
			out = append(out, f.id)
		}
	}
	return out
}

func (im *importer) setState(fl *flowCtx, m *method, st int) {
	if m.state != statePending {
		return
	}
	m.state = st
	switch st {
	case stateMapped:
		fl.rep.Mapped++
		im.rep.MappedKinds[m.reportKind()]++
	case stateUnsupported:
		fl.rep.Unsupported++
		fl.rep.UnsupportedKinds[m.reportKind()]++
		im.rep.UnsupportedKinds[m.reportKind()]++
	case stateFolded:
		fl.rep.Folded++
	case stateStructural:
		fl.rep.Structural++
	}
}

// tally counts wires and checks that every card landed somewhere.
func (im *importer) tally(fl *flowCtx) {
	for _, b := range fl.bodies {
		for _, m := range b.methods {
			if m.state == statePending {
				im.warn(fl.label, m.label(), "", "card %s was not placed in the flow (internal)", m.kind)
				im.setState(fl, m, stateStructural)
			}
			for _, p := range m.pins {
				fl.rep.Pins++
				switch p.state {
				case pinResolved:
					fl.rep.PinsResolved++
				case pinUnresolved:
					fl.rep.PinsUnresolved++
				default:
					fl.rep.PinsUnresolved++
					fld := p.input
					if t := b.byID[p.target]; t != nil {
						if f := t.inByID[p.input]; f != nil {
							fld = f.qualified()
						}
						im.warn(fl.label, t.label(), fld, "wire from %s was not carried over (the input has no place on the native card)", m.label())
					}
				}
			}
		}
	}
}

// --- specs and keys ---

func (im *importer) spec(fl *flowCtx, m *method) *engine.Spec {
	if s, ok := fl.specs[m]; ok {
		return s
	}
	var s *engine.Spec
	for _, k := range m.kinds() {
		if sp, ok := im.reg.ByOkta(k); ok {
			s = sp
			break
		}
	}
	fl.specs[m] = s
	return s
}

// assignKeys gives every field its native key: the Okta key, or
// "group/key" when the spec declares that form or when the key occurs in
// several groups of the card.
func (im *importer) assignKeys(fl *flowCtx, m *method) {
	s := im.spec(fl, m)
	if m.is("object:expand") {
		// one output group per extracted path: value keyed by the group
		// id, key by "<group>#key" (the object.expand card's convention)
		for _, f := range m.outputs {
			f.native = f.group
			if f.key != "value" {
				f.native = f.group + "#" + f.key
			}
		}
		for _, f := range m.inputs {
			f.native = f.key
		}
		return
	}
	for side, list := range [][]*field{m.inputs, m.outputs} {
		groups := map[string]map[string]bool{}
		for _, f := range list {
			if groups[f.key] == nil {
				groups[f.key] = map[string]bool{}
			}
			groups[f.key][f.group] = true
		}
		used := map[string]bool{}
		for _, f := range list {
			q := f.qualified()
			declared := func(k string) bool {
				if s == nil {
					return false
				}
				if side == 0 {
					return s.InputSpec(k) != nil
				}
				return s.OutputSpec(k) != nil
			}
			switch {
			case q != f.key && declared(q):
				f.native = q
			case len(groups[f.key]) > 1 && !declared(f.key):
				f.native = q
				if !m.is("control:branch") && !m.is("object:expand") {
					im.warn(fl.label, m.label(), q, "key %q occurs in several groups of the card; the field is keyed %q", f.key, q)
				}
			default:
				f.native = f.key
			}
			if used[f.native] {
				n := f.native
				for i := 2; used[n]; i++ {
					n = fmt.Sprintf("%s#%d", f.native, i)
				}
				f.native = n
			}
			used[f.native] = true
		}
	}
}

// --- control graph ---

func (im *importer) prepGraph(fl *flowCtx, b *body) {
	g := &graph{succ: map[string][]string{}, indeg: map[string]int{}, isHead: map[string]bool{},
		joinOf: map[string]string{}, ifOf: map[string]string{}, stops: map[string]bool{}}
	fl.graphs[b] = g
	seen := map[[2]string]bool{}
	for _, e := range b.edges {
		if e[0] == e[1] {
			continue
		}
		g.indeg[e[1]]++
		if b.byID[e[0]].is("object:expand") || b.byID[e[1]].is("object:expand") || seen[e] {
			continue
		}
		seen[e] = true
		g.succ[e[0]] = append(g.succ[e[0]], e[1])
	}
	for _, m := range b.methods {
		for _, h := range m.heads {
			g.isHead[h.uuid] = true
		}
	}
	for _, m := range b.methods {
		if len(m.heads) == 0 || g.joinOf[m.uuid] != "" {
			continue
		}
		var common map[string]bool
		for _, h := range m.heads {
			js := map[string]bool{}
			for _, x := range g.succ[h.uuid] {
				if xm := b.byID[x]; xm != nil && xm.is("control:join") {
					js[x] = true
				}
			}
			if common == nil {
				common = js
				continue
			}
			for x := range common {
				if !js[x] {
					delete(common, x)
				}
			}
		}
		if len(common) == 1 {
			for j := range common {
				g.joinOf[m.uuid], g.ifOf[j], g.stops[j] = j, m.uuid, true
			}
		} else {
			im.warn(fl.label, m.label(), "", "If/Else has no single join card (found %d); its lanes end where their chains end and it has no outputs", len(common))
		}
	}
	if b.parent != nil {
		// inline bodies start at their control:callable
		for _, m := range b.methods {
			if m.is("control:callable") && g.indeg[m.uuid] == 0 {
				b.entry = m
				break
			}
		}
		if b.entry == nil {
			for _, m := range b.methods {
				if m.is("control:callable") {
					b.entry = m
					break
				}
			}
		}
	}
}

// findTrigger picks the start card of a top-level body: no incoming edge,
// not a branch head, not an expand card.
func (im *importer) findTrigger(fl *flowCtx, b *body) *method {
	g := fl.graphs[b]
	var cands []*method
	for _, m := range b.methods {
		if g.indeg[m.uuid] == 0 && !g.isHead[m.uuid] && !m.is("object:expand") {
			cands = append(cands, m)
		}
	}
	if len(cands) == 0 {
		for _, m := range b.methods {
			if im.triggerLike(fl, m) {
				im.warn(fl.label, m.label(), "", "every card has a predecessor; %s is taken as the trigger", m.kind)
				return m
			}
		}
		if len(b.methods) > 0 && !b.methods[0].is("object:expand") {
			return b.methods[0]
		}
		return nil
	}
	pick := cands[0]
	for _, m := range cands {
		if im.triggerLike(fl, m) {
			pick = m
			break
		}
	}
	for _, m := range cands {
		if m != pick && !m.is("control:comment") {
			im.warn(fl.label, m.label(), "", "card has no predecessor but is not the trigger; it is placed at the end of the flow")
		}
	}
	return pick
}

func (im *importer) triggerLike(fl *flowCtx, m *method) bool {
	switch {
	case m.is("control:callable"), m.is("http:accept"), m.is("http:delegated"), m.webhook:
		return true
	case m.is("control:noop") && m.displayed:
		return true
	}
	s := im.spec(fl, m)
	return s != nil && s.Kind == engine.KindTrigger
}

// detectEvent finds the per-event wrapper of an event flow (§6.2): a
// list:asyncEach holding an inline body whose list is the trigger's output.
func (im *importer) detectEvent(fl *flowCtx, top *body, t *method) {
	if !t.webhook {
		return
	}
	for _, p := range t.pins {
		w := top.byID[p.target]
		if p.state != pinPending || t.outByID[p.out] == nil || w == nil || !w.is("list:asyncEach") || len(w.inline) != 1 {
			continue
		}
		if in := w.inByID[p.input]; in == nil || in.key != "list" {
			continue
		}
		fl.eventWrapper = w
		for _, id := range inlineOrder(w) {
			fl.eventBody = w.inline[id]
		}
		p.state = pinResolved
		note := map[string]any{"eachEvent": map[string]any{
			"wrapper": w.uuid, "list": t.outByID[p.out].key, "ignoreErrors": true, "concurrency": 1.0,
			"note": "Okta delivers events in batches; the flow's cards run once per event, in order, and a failing event does not stop the others."}}
		if c := w.input("concurrency"); c != nil {
			if n, ok := jnum(c.data); ok && n > 0 {
				note["eachEvent"].(map[string]any)["concurrency"] = n
			}
		}
		fl.flow.Origin.Raw, _ = json.Marshal(note)
		return
	}
}

// --- walking chains ---

// walk follows the single-successor chain from u until stop, building
// cards; If/Else cards take their lanes with them and resume after their join.
func (im *importer) walk(fl *flowCtx, b *body, u, stop string) []engine.Card {
	g := fl.graphs[b]
	var out []engine.Card
	for u != "" && u != stop {
		m := b.byID[u]
		if m == nil {
			break
		}
		if fl.visited[m] {
			im.warn(fl.label, m.label(), "", "execution order reaches this card twice (a cycle?); the second path is dropped")
			break
		}
		fl.visited[m] = true
		var next []string
		if len(m.heads) > 0 {
			j := g.joinOf[u]
			out = append(out, im.buildIf(fl, b, m, j))
			if j != "" {
				jm := b.byID[j]
				fl.visited[jm] = true
				im.setState(fl, jm, stateStructural)
				next = im.next(g, j, stop)
			}
		} else {
			if m != b.entry {
				out = append(out, im.cardFor(fl, b, m)...)
			}
			next = im.next(g, u, stop)
		}
		if len(next) > 1 {
			im.warn(fl.label, m.label(), "", "card has %d successors in the execution order; following %s, the others are placed at the end", len(next), next[0])
		}
		u = ""
		if len(next) > 0 {
			u = next[0]
		}
	}
	return out
}

func (im *importer) next(g *graph, u, stop string) []string {
	var out []string
	for _, x := range g.succ[u] {
		if x == stop || g.stops[x] || g.isHead[x] {
			continue
		}
		out = append(out, x)
	}
	return out
}

// finishBody appends cards the chain walk did not reach, folds or places
// the hidden expand cards, and returns the body's card list.
func (im *importer) finishBody(fl *flowCtx, b *body, cards []engine.Card) []engine.Card {
	g := fl.graphs[b]
	for _, m := range b.methods {
		if fl.visited[m] || m.is("object:expand") || m == b.entry {
			continue
		}
		if g.stops[m.uuid] || (g.isHead[m.uuid] && m.is("control:noop")) {
			if !fl.visited[m] {
				fl.visited[m] = true
				im.setState(fl, m, stateStructural)
				if !g.isHead[m.uuid] || !m.displayed {
					continue
				}
			}
			continue
		}
		if m.state == statePending {
			if !m.is("control:comment") {
				im.warn(fl.label, m.label(), "", "card is not connected to the flow's execution order; it is placed at the end")
			}
			cards = append(cards, im.walk(fl, b, m.uuid, "")...)
		}
	}
	for _, m := range b.methods {
		if !m.is("object:expand") || m.state != statePending {
			continue
		}
		fi := im.fold(fl, b, m)
		if fi.ok {
			im.setState(fl, m, stateFolded)
			for _, f := range m.inputs {
				for _, p := range b.incoming[m.uuid][f.id] {
					p.state = pinResolved
				}
			}
			continue
		}
		fl.rep.KeptExpand++
		c := im.buildCard(fl, b, m, nil)
		src := ""
		for _, f := range m.inputs {
			if ps := b.incoming[m.uuid][f.id]; len(ps) > 0 {
				src = ps[0].src.nativeID
			}
		}
		if !insertAfter(&cards, src, c) {
			cards = append([]engine.Card{c}, cards...)
		}
		if !im.opt.KeepExpand {
			im.warn(fl.label, m.label(), "", "hidden expand card kept as a card (its value could not be folded into a binding path)")
		}
	}
	return cards
}

// insertAfter inserts c after the card with id in list (searching nested
// lists); false when not found.
func insertAfter(list *[]engine.Card, id string, c engine.Card) bool {
	if id == "" {
		return false
	}
	for i := range *list {
		if (*list)[i].ID == id {
			l := append((*list)[:i+1:i+1], c)
			*list = append(l, (*list)[i+1:]...)
			return true
		}
		for j := range (*list)[i].Branches {
			if insertAfter(&(*list)[i].Branches[j].Cards, id, c) {
				return true
			}
		}
	}
	return false
}

// cardFor builds the native card(s) of one chain member.
func (im *importer) cardFor(fl *flowCtx, b *body, m *method) []engine.Card {
	switch {
	case m.is("object:expand"):
		return nil
	case m == fl.eventWrapper:
		im.setState(fl, m, stateStructural)
		for _, f := range m.inputs {
			for _, p := range b.incoming[m.uuid][f.id] {
				if p.state == pinPending && f.key == "list" {
					p.state = pinResolved
				}
			}
		}
		return im.inlineCards(fl, fl.eventBody)
	case m.is("control:noop") && !m.displayed && fl.graphs[b].isHead[m.uuid]:
		im.setState(fl, m, stateStructural)
		return nil
	case m.is("control:branch") && len(m.inline) > 0:
		return []engine.Card{im.buildIfElseIf(fl, b, m)}
	case m.is("control:tryCatch"):
		return []engine.Card{im.buildIfError(fl, b, m)}
	}
	c := im.buildCard(fl, b, m, nil)
	// an inline body on a card that is not a known container: keep it as a branch
	for _, id := range inlineOrder(m) {
		sub := m.inline[id]
		im.warn(fl.label, m.label(), m.inByID[id].qualified(), "inline flow on a %s card kept as branch %q", m.kind, m.inByID[id].key)
		c.Branches = append(c.Branches, engine.Branch{Name: m.inByID[id].native, Cards: im.inlineCards(fl, sub)})
	}
	if m.handler != nil {
		c.Branches = append(c.Branches, engine.Branch{Name: "catch", Cards: im.inlineCards(fl, m.handler)})
	}
	return []engine.Card{c}
}

// inlineCards builds an inline body's cards (its callable is dropped).
func (im *importer) inlineCards(fl *flowCtx, b *body) []engine.Card {
	if b == nil {
		return []engine.Card{}
	}
	var cards []engine.Card
	if b.entry != nil {
		im.setState(fl, b.entry, stateStructural)
		cards = im.walk(fl, b, b.entry.uuid, "") // the entry itself yields no card
	} else if len(b.methods) > 0 {
		im.warn(fl.label, "", "", "inline flow %s has no start card (control:callable)", b.uuid)
	}
	cards = im.finishBody(fl, b, cards)
	if cards == nil {
		cards = []engine.Card{}
	}
	return cards
}

// dropShadowedValues removes the exported default of inputs that are wired:
// Okta keeps a stale value.data beside the pin, the engine would never use
// it, and the native format allows a static value or a binding, not both.
func dropShadowedValues(f *engine.Flow) {
	clear := func(fs []engine.Field) {
		for i := range fs {
			if fs[i].From != nil {
				fs[i].Value = nil
			}
		}
	}
	f.Walk(func(c *engine.Card, _ *engine.Card) bool {
		clear(c.Inputs)
		clear(c.Outputs)
		for i := range c.Branches {
			clear(c.Branches[i].Inputs)
		}
		return true
	})
}
