package flopack

import (
	"fmt"

	"github.com/flowbench/flowbench/engine"
)

const maxResolve = 64

// resolvePin turns an Okta wire into a native binding: the source card
// and output key, with nested paths for folded expand cards, wormholes
// rewired to their outer source, join outputs re-pointed to the If card,
// and trigger / inline-body callable outputs bound to the trigger.
func (im *importer) resolvePin(fl *flowCtx, b *body, p *pin, depth int) (engine.Binding, bool, string) {
	if depth > maxResolve {
		return engine.Binding{}, false, "wiring too deep (a cycle through expand cards or wormholes?)"
	}
	src := p.src
	out := src.outByID[p.out]
	if out == nil {
		return engine.Binding{}, false, fmt.Sprintf("source output %q does not exist", p.out)
	}
	switch {
	case src == b.entry:
		return im.fromEntry(fl, b, src, out, p.convert, depth)
	case src.is("object:expand"):
		fi := im.fold(fl, b, src)
		if fi.ok {
			path, ok := expandPath(src, out)
			if !ok {
				return engine.Binding{}, false, "expand output has no path"
			}
			bind := engine.Binding{Card: fi.base.Card, Path: append(append([]string{}, fi.base.Path...), path...), Convert: p.convert}
			return bind, true, ""
		}
	case src.is("control:join"):
		if ifc := fl.graphs[b].ifOf[src.uuid]; ifc != "" {
			return engine.Binding{Card: b.byID[ifc].nativeID, Path: []string{out.native}, Convert: p.convert}, true, ""
		}
	case src.is("control:callable") && b.parent != nil:
		return engine.Binding{}, false, "wire from a second start card of an inline flow"
	}
	return engine.Binding{Card: src.nativeID, Path: []string{out.native}, Convert: p.convert}, true, ""
}

// fromEntry binds an output of a body's start card: the trigger, the
// event body's callable (= trigger), or an inline callable (wormholes,
// If Error's error, context).
func (im *importer) fromEntry(fl *flowCtx, b *body, src *method, out *field, convert string, depth int) (engine.Binding, bool, string) {
	if b.parent == nil || b == fl.eventBody {
		return engine.Binding{Card: fl.trigger, Path: triggerPath(out), Convert: convert}, true, ""
	}
	cont := b.container
	if w := wormholeInput(cont, src, out); w != nil {
		pins := b.parent.incoming[cont.uuid][w.id]
		if len(pins) == 0 {
			return engine.Binding{}, false, fmt.Sprintf("value %q enters the inline flow through %s but nothing is wired into it there", out.key, cont.label())
		}
		bind, ok, why := im.resolvePin(fl, b.parent, pins[0], depth+1)
		if !ok {
			return bind, false, why
		}
		if convert != "" {
			if bind.Convert != "" && bind.Convert != convert {
				im.warn(fl.label, cont.label(), w.qualified(), "value is converted twice (%s, then %s); only %s is kept", bind.Convert, convert, convert)
			}
			bind.Convert = convert
		}
		return bind, true, ""
	}
	if out.group == "context" {
		if out.key == "error" && b.role == "catch" {
			return engine.Binding{Card: cont.nativeID, Path: []string{"error"}, Convert: convert}, true, ""
		}
		return engine.Binding{Card: fl.trigger, Path: []string{"context", out.key}, Convert: convert}, true, ""
	}
	if b.role == "each" {
		// an inline body on an iteration card: its inputs are the item values
		return engine.Binding{Card: cont.nativeID, Path: []string{out.native}, Convert: convert}, true, ""
	}
	return engine.Binding{}, false, fmt.Sprintf("output %q of the inline flow's start card has no source outside it", out.qualified())
}

// wormholeInput finds the container input that feeds an inner callable
// output (same key, group "context", wormholeMethodId = the callable).
func wormholeInput(cont, callable *method, out *field) *field {
	if out.metaStr("wormholeMethodId") == "" && out.group != "context" {
		return nil
	}
	var any *field
	for _, f := range cont.inputs {
		if f.group != "context" || f.key != out.key || f.metaStr("wormholeMethodId") == "" {
			continue
		}
		if f.metaStr("wormholeMethodId") == callable.uuid {
			return f
		}
		if any == nil {
			any = f
		}
	}
	if out.metaStr("wormholeMethodId") != "" {
		return any
	}
	return nil
}

func triggerPath(out *field) []string {
	if out.group == "context" {
		return []string{"context", out.key}
	}
	return []string{out.native}
}

// fold decides whether a hidden object:expand card can become a binding
// path: one wire into its object input (no conversion on it), and only
// its value outputs are used.
func (im *importer) fold(fl *flowCtx, b *body, m *method) *foldInfo {
	if fi, ok := fl.folds[m]; ok {
		return fi
	}
	fi := &foldInfo{busy: true}
	fl.folds[m] = fi
	defer func() { fi.busy = false }()
	if im.opt.KeepExpand {
		return fi
	}
	var in []*pin
	for _, f := range m.inputs {
		in = append(in, b.incoming[m.uuid][f.id]...)
	}
	if len(in) != 1 || len(m.inputs) != 1 {
		return fi
	}
	for _, p := range m.pins {
		o := m.outByID[p.out]
		if o == nil || o.key != "value" {
			return fi
		}
		if _, ok := expandPath(m, o); !ok {
			return fi
		}
	}
	if src := in[0].src; src.is("object:expand") {
		if sfi := fl.folds[src]; sfi != nil && sfi.busy {
			return fi // cycle
		}
	}
	base, ok, _ := im.resolvePin(fl, b, in[0], 0)
	if !ok || base.Convert != "" {
		return fi
	}
	fi.ok, fi.base = true, base
	return fi
}

// expandPath is the extraction path of an expand value output:
// metadata.path, else the data of the group's key field.
func expandPath(m *method, o *field) ([]string, bool) {
	if p, ok := strList(o.metaAny("path")); ok && len(p) > 0 {
		return p, true
	}
	for _, f := range m.outputs {
		if f.group == o.group && f.key == "key" {
			if v, err := jany(f.data); err == nil {
				if p, ok := strList(v); ok && len(p) > 0 {
					return p, true
				}
			}
		}
	}
	return nil, false
}

func strList(v any) ([]string, bool) {
	l, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(l))
	for _, x := range l {
		switch s := x.(type) {
		case string:
			out = append(out, s)
		case float64:
			out = append(out, engine.FormatNumber(s))
		default:
			return nil, false
		}
	}
	return out, true
}
