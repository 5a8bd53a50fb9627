package flopack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

const maxDepth = 16 // inline body nesting (the corpus reaches 2)

// parseBody reads a flow body and, recursively, the inline bodies its
// container cards hold.
func (im *importer) parseBody(fl *flowCtx, raw json.RawMessage, parent *body, container *method, role, clause string, depth int) (*body, error) {
	if depth > maxDepth {
		return nil, im.fail(fl.label, container.label(), "", "inline flows nested deeper than %d levels", maxDepth)
	}
	o, err := parseObj(raw)
	if err != nil {
		where := ""
		if container != nil {
			where = container.label()
		}
		return nil, im.fail(fl.label, where, "", "flow body: %v", err)
	}
	im.unknownKeys("flow body", fl.label, "", o, knownBody)
	b := &body{uuid: o.str("uuid"), byID: map[string]*method{}, parent: parent, container: container, role: role,
		clause: clause, obj: o, incoming: map[string]map[string][]*pin{}}
	list, err := parseArr(o.raw("methods"))
	if err != nil {
		return nil, im.fail(fl.label, "", "methods", "%v", err)
	}
	for i, mr := range list {
		m, err := im.parseMethod(fl, mr, i)
		if err != nil {
			return nil, err
		}
		if _, dup := b.byID[m.uuid]; dup {
			im.warn(fl.label, m.label(), "", "duplicate card id %q in one flow body: wires to it go to the first card with that id", m.uuid)
		} else {
			b.byID[m.uuid] = m
		}
		b.methods = append(b.methods, m)
	}
	// orderings: map id -> [from, to]
	if ords, err := parseObj(o.raw("orderings")); err != nil {
		im.warn(fl.label, "", "orderings", "execution order ignored: %v", err)
	} else {
		for _, id := range ords.keys {
			e, err := parseArr(ords.vals[id])
			if err != nil || len(e) != 2 {
				im.warn(fl.label, "", "orderings/"+id, "ordering edge ignored: not a [from, to] pair")
				continue
			}
			from, to := jstr(e[0]), jstr(e[1])
			if b.byID[from] == nil || b.byID[to] == nil {
				im.warn(fl.label, "", "orderings/"+id, "ordering edge %s → %s names a card that is not in the flow; ignored", from, to)
				continue
			}
			b.edges = append(b.edges, [2]string{from, to})
		}
	}
	// wires, indexed by target
	for _, m := range b.methods {
		for _, p := range m.pins {
			t := b.byID[p.target]
			if _, ok := m.outByID[p.out]; !ok {
				p.state = pinUnresolved
				im.warn(fl.label, m.label(), p.out, "wire from output %q that the card does not have; dropped", p.out)
				continue
			}
			if t == nil {
				p.state = pinUnresolved
				im.warn(fl.label, m.label(), m.outByID[p.out].qualified(), "wire to card %q that is not in the flow body; dropped", p.target)
				continue
			}
			if _, ok := t.inByID[p.input]; !ok {
				p.state = pinUnresolved
				im.warn(fl.label, t.label(), p.input, "wire from %s into input %q that the card does not have; dropped", m.label(), p.input)
				continue
			}
			byIn := b.incoming[p.target]
			if byIn == nil {
				byIn = map[string][]*pin{}
				b.incoming[p.target] = byIn
			}
			byIn[p.input] = append(byIn[p.input], p)
		}
	}
	// inline bodies
	for _, m := range b.methods {
		for _, f := range m.inputs {
			if f.typeName() != "flo" || !isObjectJSON(f.data) {
				continue
			}
			r := "each"
			switch m.kind {
			case "control:branch":
				r = "clause"
			case "control:tryCatch":
				r = "try"
			}
			sub, err := im.parseBody(fl, f.data, b, m, r, f.group, depth+1)
			if err != nil {
				return nil, err
			}
			if m.inline == nil {
				m.inline = map[string]*body{}
			}
			m.inline[f.id] = sub
		}
		if m.policy != nil && m.policy.str("type") == "handler" && isObjectJSON(m.policy.raw("flo")) {
			sub, err := im.parseBody(fl, m.policy.raw("flo"), b, m, "catch", "", depth+1)
			if err != nil {
				return nil, err
			}
			m.handler = sub
		}
	}
	return b, nil
}

func isObjectJSON(b json.RawMessage) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{'
}

func (im *importer) parseMethod(fl *flowCtx, raw json.RawMessage, i int) (*method, error) {
	mo, err := parseObj(raw)
	if err != nil {
		return nil, im.fail(fl.label, fmt.Sprintf("#%d", i+1), "", "%v", err)
	}
	m := &method{uuid: mo.str("uuid"), address: mo.str("address"), raw: raw, idx: i, displayed: true}
	if m.uuid == "" {
		m.uuid = fmt.Sprintf("card%d", i+1)
		im.warn(fl.label, m.uuid, "uuid", "card #%d has no uuid; named %s", i+1, m.uuid)
	}
	im.unknownKeys("card", fl.label, m.uuid, mo, knownMethod)
	node, err := parseObj(mo.raw("node"))
	if err != nil {
		return nil, im.fail(fl.label, m.uuid, "node", "%v", err)
	}
	if nd, err := parseObj(node.raw("data")); err == nil {
		m.title = nd.str("name")
	}
	model, err := parseObj(node.raw("model"))
	if err != nil {
		return nil, im.fail(fl.label, m.label(), "node.model", "%v", err)
	}
	im.unknownKeys("card model", fl.label, m.label(), model, knownModel)
	if m.title == "" {
		if md, err := parseObj(model.raw("metadata")); err == nil {
			m.title = md.str("name")
		}
	}
	if m.address == "" {
		return nil, im.fail(fl.label, m.label(), "address", "card has no address (kind unknown)")
	}
	if err := m.parseAddress(); err != nil {
		im.warn(fl.label, m.label(), "address", "%v", err)
		if m.key == "" {
			m.key = node.str("key")
		}
		m.kind = m.module + ":" + m.key
	}
	if model.has("displayed") && !model.bool("displayed") {
		m.displayed = false
	}
	m.webhook, m.whList, m.mirrored = model.bool("webhook"), model.bool("webhookList"), model.bool("mirrored")
	m.config = model.str("config")
	m.comments = model.raw("comments")
	if pe, err := parseObj(model.raw("policy")); err == nil {
		if e, err := parseObj(pe.raw("error")); err == nil && len(e.keys) > 0 {
			im.unknownKeys("error policy", fl.label, m.label(), e, knownPolicy)
			m.policy = e
		}
	}
	if m.inputs, m.inByID, _, err = parseFields(model.raw("inputs")); err != nil {
		return nil, im.cardErr(fl, m, "inputs", err)
	}
	if m.outputs, m.outByID, _, err = parseFields(model.raw("outputs")); err != nil {
		return nil, im.cardErr(fl, m, "outputs", err)
	}
	if err := im.parsePins(fl, m, mo.raw("pins")); err != nil {
		return nil, err
	}
	if br, err := parseObj(mo.raw("branches")); err == nil {
		for _, h := range br.keys {
			m.heads = append(m.heads, head{uuid: h, val: jbool(br.vals[h])})
		}
	} else {
		im.warn(fl.label, m.label(), "branches", "%v", err)
	}
	if jo, err := parseObj(mo.raw("joins")); err == nil && len(jo.keys) > 0 {
		m.joins = map[string][]joinLink{}
		for _, in := range jo.keys {
			var links []struct {
				Output    json.RawMessage `json:"output"`
				Transform json.RawMessage `json:"transform"`
			}
			if err := json.Unmarshal(jo.vals[in], &links); err != nil {
				im.warn(fl.label, m.label(), "joins/"+in, "%v", err)
				continue
			}
			for _, l := range links {
				m.joins[in] = append(m.joins[in], joinLink{output: jstr(l.Output), convert: convertOf(l.Transform, "")})
			}
		}
	}
	return m, nil
}

func (im *importer) cardErr(fl *flowCtx, m *method, where string, err error) error {
	if e, ok := err.(*Error); ok {
		e.Template, e.Flow, e.Card = im.name, fl.label, m.label()
		if e.Field == "" {
			e.Field = where
		} else {
			e.Msg = where + ": " + e.Msg
		}
		return e
	}
	return im.fail(fl.label, m.label(), where, "%v", err)
}

// parsePins reads pins: {outputId: {targetCardId: [{input, transform}]}}.
func (im *importer) parsePins(fl *flowCtx, m *method, raw json.RawMessage) error {
	po, err := parseObj(raw)
	if err != nil {
		im.warn(fl.label, m.label(), "pins", "wires ignored: %v", err)
		return nil
	}
	for _, out := range po.keys {
		to, err := parseObj(po.vals[out])
		if err != nil {
			im.warn(fl.label, m.label(), "pins/"+out, "wires ignored: %v", err)
			continue
		}
		for _, target := range to.keys {
			list, err := parseArr(to.vals[target])
			if err != nil {
				im.warn(fl.label, m.label(), "pins/"+out, "wires to %s ignored: %v", target, err)
				continue
			}
			for _, l := range list {
				lo, err := parseObj(l)
				if err != nil {
					im.warn(fl.label, m.label(), "pins/"+out, "wire to %s ignored: %v", target, err)
					continue
				}
				m.pins = append(m.pins, &pin{src: m, out: out, target: target, input: lo.str("input"), convert: convertOf(lo.raw("transform"), out)})
			}
		}
	}
	return nil
}

// convertOf reads a transform {<outputId>: {"convert": …}} (or a bare {"convert": …}).
func convertOf(raw json.RawMessage, out string) string {
	if isNull(raw) {
		return ""
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	if c, ok := m["convert"]; ok {
		return jstr(c)
	}
	pick := func(b json.RawMessage) string {
		var t struct {
			Convert json.RawMessage `json:"convert"`
		}
		if json.Unmarshal(b, &t) != nil {
			return ""
		}
		return jstr(t.Convert)
	}
	if b, ok := m[out]; ok {
		return pick(b)
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if c := pick(m[k]); c != "" {
			return c
		}
	}
	return ""
}
