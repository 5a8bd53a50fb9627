// Package flopack imports Okta Workflows exports (.flopack template packs,
// .flow and .folder files) into native Flowbench flows, tables and
// connection placeholders. The format facts it relies on are measured in
// shared/docs/flopack-format.md; §12 there is the outline followed here.
//
// The card mapping is not a table in this package: every native card spec
// lists the Okta kinds it implements (engine.Spec.Okta) and the importer
// asks the registry (Registry.ByOkta). Cards without an implementation
// become type "unsupported", keeping their title, fields, wiring and
// original JSON, so they show on the canvas and validation reports them.
// Only the structural cards (If/Else join and branch heads, inline-body
// callables, hidden object:expand, event wrappers) are known here by kind.
package flopack

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// Options tune an import.
type Options struct {
	// KeepExpand keeps hidden object:expand cards instead of folding them
	// into binding paths.
	KeepExpand bool
	// Strict turns warnings about unknown (newer-version) keys into errors.
	Strict bool
}

// Result is what an export holds, as native values. Nothing here is a
// secret: connections are placeholders to bind.
type Result struct {
	Name        string                  `json:"name"`
	Flows       []*engine.Flow          `json:"flows"`
	Tables      []engine.TableDef       `json:"tables,omitempty"`
	Rows        map[string][]engine.Row `json:"rows,omitempty"`
	Connections []engine.ConnectionRef  `json:"connections,omitempty"`
	Report      *Report                 `json:"report"`
}

// Folders groups the result by folder path (flows without a folder go to
// a folder named after the import). Tables follow their folder;
// connections are listed in every folder that has a card using them.
func (r *Result) Folders() []engine.Folder {
	byName := map[string]*engine.Folder{}
	var order []string
	get := func(name string) *engine.Folder {
		if name == "" {
			name = r.Name
		}
		f, ok := byName[name]
		if !ok {
			f = &engine.Folder{Format: engine.FolderFormat, Name: name, Flows: []*engine.Flow{}}
			byName[name] = f
			order = append(order, name)
		}
		return f
	}
	conns := map[string]engine.ConnectionRef{}
	for _, c := range r.Connections {
		conns[c.ID] = c
	}
	for _, fl := range r.Flows {
		f := get(fl.Folder)
		f.Flows = append(f.Flows, fl)
		fl.Walk(func(c *engine.Card, _ *engine.Card) bool {
			if ref, ok := conns[c.Connection]; ok && !hasConn(f.Connections, ref.ID) {
				f.Connections = append(f.Connections, ref)
			}
			return true
		})
	}
	for _, t := range r.Tables {
		f := get(t.Folder)
		f.Tables = append(f.Tables, t)
		if rows, ok := r.Rows[t.ID]; ok {
			if f.Rows == nil {
				f.Rows = map[string][]engine.Row{}
			}
			f.Rows[t.ID] = rows
		}
	}
	out := make([]engine.Folder, 0, len(order))
	for _, n := range order {
		out = append(out, *byName[n])
	}
	return out
}

func hasConn(list []engine.ConnectionRef, id string) bool {
	for _, c := range list {
		if c.ID == id {
			return true
		}
	}
	return false
}

// Import reads one Okta Workflows export. name is the file (or template)
// name used in messages. reg supplies the card mapping (nil = engine.Default()).
func Import(name string, data []byte, reg *engine.Registry, opt Options) (res *Result, err error) {
	if reg == nil {
		reg = engine.Default()
	}
	// size, UTF-8 and nesting bounds before anything is decoded; a duplicate
	// key (which encoding/json resolves silently to the last value) is
	// reported as a warning of the import
	dupKey := ""
	if err := engine.CheckJSONText(data, engine.MaxJSONDepth, true); err != nil {
		var te *engine.JSONTextError
		if !errors.As(err, &te) || !strings.HasPrefix(te.Msg, "duplicate key") {
			return nil, &Error{Template: name, Msg: err.Error()}
		}
		dupKey = err.Error()
		if err := engine.CheckJSONText(data, engine.MaxJSONDepth, false); err != nil {
			return nil, &Error{Template: name, Msg: err.Error()}
		}
	}
	im := &importer{name: name, reg: reg, opt: opt,
		rep:         &Report{Template: name, MappedKinds: map[string]int{}, UnsupportedKinds: map[string]int{}, Flows: []FlowReport{}},
		warnedKeys:  map[string]bool{},
		folderPath:  map[string]string{},
		flowIDs:     map[string]bool{},
		connections: map[string]bool{},
		tables:      map[string]bool{},
	}
	defer func() {
		if !catchPanics {
			return
		}
		if p := recover(); p != nil { // never take the caller down on a malformed file
			res, err = nil, &Error{Template: name, Msg: fmt.Sprintf("internal error while importing: %v", p)}
		}
	}()
	if dupKey != "" {
		im.warn("", "", "", "%s in the file: the last value is used", dupKey)
	}
	return im.run(data)
}

// catchPanics turns an internal panic into an error; the fuzz test turns
// it off so that panics surface.
var catchPanics = true

type importer struct {
	name string
	reg  *engine.Registry
	opt  Options
	rep  *Report
	res  *Result

	warnedKeys  map[string]bool
	folderPath  map[string]string // folder id -> "Parent/Child"
	flowIDs     map[string]bool
	connections map[string]bool
	tables      map[string]bool
	strictErr   error
	attn        attention
}

func (im *importer) warn(flow, card, fld, format string, args ...any) {
	w := Warning{Template: im.name, Flow: flow, Card: card, Field: fld, Message: fmt.Sprintf(format, args...)}
	im.rep.Warnings = append(im.rep.Warnings, w)
	im.rep.Counts.Warnings++
}

// unknownKeys warns once per level and key about keys of a newer format.
func (im *importer) unknownKeys(level, flow, card string, o *obj, known map[string]bool) {
	for _, k := range o.unknown(known) {
		id := level + "\x00" + k
		if im.warnedKeys[id] {
			continue
		}
		im.warnedKeys[id] = true
		msg := fmt.Sprintf("unknown %s key %q (newer export version?) ignored", level, k)
		if im.opt.Strict && im.strictErr == nil {
			im.strictErr = &Error{Template: im.name, Flow: flow, Card: card, Field: k, Msg: msg}
		}
		im.warn(flow, card, k, "%s", msg)
	}
	for _, k := range o.dups {
		im.warn(flow, card, k, "duplicate %s key %q: the first one is used", level, k)
	}
}

func (im *importer) fail(flow, card, fld string, format string, args ...any) error {
	return &Error{Template: im.name, Flow: flow, Card: card, Field: fld, Msg: fmt.Sprintf(format, args...)}
}

// rawFlow is a flow wrapper {id, name, description, data: body}.
type rawFlow struct {
	id, name, description string
	body                  json.RawMessage
}

func (im *importer) run(data []byte) (*Result, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // UTF-8 BOM
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{Template: im.name, Msg: "empty file"}
	}
	if err := checkSyntax(data); err != nil {
		return nil, syntaxError(im.name, data, err)
	}
	top, err := parseObj(data)
	if err != nil {
		return nil, &Error{Template: im.name, Msg: "not an Okta Workflows export: " + err.Error(), Offset: -1}
	}
	im.res = &Result{Name: im.name, Flows: []*engine.Flow{}, Report: im.rep}
	flows, pack, err := im.envelope(top)
	if err != nil {
		return nil, err
	}
	if pack != nil {
		if err := im.packData(pack); err != nil {
			return nil, err
		}
	}
	for _, rf := range flows {
		if err := im.importFlow(rf); err != nil {
			return nil, err
		}
	}
	if im.strictErr != nil {
		return nil, im.strictErr
	}
	im.rep.Counts.Tables = len(im.res.Tables)
	im.rep.Counts.Connections = len(im.res.Connections)
	im.finishAttention()
	return im.res, nil
}

// checkSyntax validates the whole document once so that syntax errors
// (and truncation) carry absolute byte offsets.
func checkSyntax(data []byte) error {
	if json.Valid(data) {
		return nil
	}
	var v json.RawMessage
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	return fmt.Errorf("invalid JSON")
}

// envelope detects the export shape by content:
//   - {"type":"flopack"|"folder"|"flow", "data":{"flos":{…}, "configs", "tables", "groups"}}
//   - {"data":{"flos":…}} or {"flos":…} without a type
//   - a flow wrapper {"id","name","data":{"methods":…}} (optionally under "data")
//   - a bare flow body {"uuid","methods":…} (optionally under "data")
func (im *importer) envelope(top *obj) ([]rawFlow, *obj, error) {
	typ := top.str("type")
	im.rep.Format = typ
	im.rep.Version = top.str("version")
	if typ != "" {
		switch typ {
		case "flopack", "folder", "flow", "flo":
		default:
			im.warn("", "", "type", "unexpected envelope type %q; reading the content anyway", typ)
		}
	}
	if v := im.rep.Version; v != "" && !strings.HasPrefix(v, "1.") {
		im.warn("", "", "version", "export version %s is newer than the versions this importer was measured on (1.2.0–1.5.0)", v)
	}
	var data *obj
	if top.has("data") {
		d, err := parseObj(top.raw("data"))
		if err != nil {
			return nil, nil, im.fail("", "", "data", "%v", err)
		}
		data = d
	}
	switch {
	case data != nil && data.has("flos"):
		im.unknownKeys("envelope", "", "", top, knownEnvelope)
		im.unknownKeys("pack data", "", "", data, knownData)
		if im.rep.Format == "" {
			im.rep.Format = "flopack"
		}
		flows, err := im.flos(data.raw("flos"))
		return flows, data, err
	case top.has("flos"):
		im.unknownKeys("pack data", "", "", top, knownData)
		if im.rep.Format == "" {
			im.rep.Format = "folder"
		}
		flows, err := im.flos(top.raw("flos"))
		return flows, top, err
	case top.has("methods"):
		if im.rep.Format == "" {
			im.rep.Format = "flow"
		}
		return []rawFlow{{id: top.str("uuid"), name: im.name, body: rawOf(top)}}, nil, nil
	case data != nil && data.has("methods"):
		if im.rep.Format == "" {
			im.rep.Format = "flow"
		}
		return []rawFlow{{id: firstNonEmpty(top.str("id"), data.str("uuid")), name: firstNonEmpty(top.str("name"), im.name),
			description: top.str("description"), body: top.raw("data")}}, nil, nil
	case data != nil && data.has("data"):
		// {"type":"flow","data":{"id","name","data":{"methods"}}}
		inner, err := parseObj(data.raw("data"))
		if err == nil && inner.has("methods") {
			if im.rep.Format == "" {
				im.rep.Format = "flow"
			}
			return []rawFlow{{id: firstNonEmpty(data.str("id"), inner.str("uuid")), name: firstNonEmpty(data.str("name"), im.name),
				description: data.str("description"), body: data.raw("data")}}, nil, nil
		}
	}
	return nil, nil, &Error{Template: im.name, Offset: -1,
		Msg: "not an Okta Workflows export: no data.flos (a .flopack/.folder) and no flow with data.methods (a .flow)"}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func rawOf(o *obj) json.RawMessage {
	m := make(map[string]json.RawMessage, len(o.vals))
	for k, v := range o.vals {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	return b
}

func (im *importer) flos(b json.RawMessage) ([]rawFlow, error) {
	o, err := parseObj(b)
	if err != nil {
		return nil, im.fail("", "", "data.flos", "%v", err)
	}
	for _, k := range o.dups {
		im.warn(k, "", "", "duplicate flow id %q in data.flos: the first one is used", k)
	}
	out := make([]rawFlow, 0, len(o.keys))
	for _, k := range o.keys {
		w, err := parseObj(o.vals[k])
		if err != nil {
			return nil, im.fail(k, "", "", "%v", err)
		}
		im.unknownKeys("flow", k, "", w, knownFlow)
		rf := rawFlow{id: k, name: w.str("name"), description: w.str("description"), body: w.raw("data")}
		if id := w.str("id"); id != "" && id != k {
			im.warn(flowLabel(rf.name, k), "", "id", "flow id %q differs from its key %q; the key is used", id, k)
		}
		if rf.name == "" {
			rf.name = k
		}
		out = append(out, rf)
		im.flowIDs[k] = true
	}
	return out, nil
}

func flowLabel(name, id string) string {
	if name != "" && name != id {
		return fmt.Sprintf("%q (%s)", name, id)
	}
	return id
}

// packData loads folders, connections and tables.
func (im *importer) packData(d *obj) error {
	// folders first: flows and tables name them
	if g, err := parseObj(d.raw("groups")); err == nil {
		type folder struct{ name, parent string }
		folders := map[string]folder{}
		for _, id := range g.keys {
			fo, err := parseObj(g.vals[id])
			if err != nil {
				im.warn("", "", "groups/"+id, "folder ignored: %v", err)
				continue
			}
			fd, _ := parseObj(fo.raw("data"))
			if fd == nil {
				fd = &obj{vals: map[string]json.RawMessage{}}
			}
			folders[id] = folder{name: fd.str("name"), parent: fd.str("path")}
		}
		for id := range folders {
			var parts []string
			seen := map[string]bool{}
			for cur := id; cur != "" && !seen[cur]; {
				seen[cur] = true
				f, ok := folders[cur]
				if !ok {
					break
				}
				parts = append([]string{f.name}, parts...)
				cur = f.parent
			}
			im.folderPath[id] = strings.Join(parts, "/")
		}
	} else {
		im.warn("", "", "data.groups", "folders ignored: %v", err)
	}
	if c, err := parseObj(d.raw("configs")); err == nil {
		for _, id := range c.keys {
			co, err := parseObj(c.vals[id])
			if err != nil {
				im.warn("", "", "configs/"+id, "connection ignored: %v", err)
				continue
			}
			ref := engine.ConnectionRef{ID: id, Name: co.str("name"), Kind: co.str("module")}
			if ref.Name == "" {
				ref.Name = ref.Kind
			}
			im.res.Connections = append(im.res.Connections, ref)
			im.connections[id] = true
		}
	} else {
		im.warn("", "", "data.configs", "connections ignored: %v", err)
	}
	if t, err := parseObj(d.raw("tables")); err == nil {
		for _, id := range t.keys {
			td, err := im.table(id, t.vals[id])
			if err != nil {
				im.warn("", "", "tables/"+id, "table ignored: %v", err)
				continue
			}
			im.res.Tables = append(im.res.Tables, td)
			im.tables[id] = true
		}
	} else {
		im.warn("", "", "data.tables", "tables ignored: %v", err)
	}
	return nil
}

var columnTypes = map[string]string{"str": engine.KindString, "dte": engine.KindDate, "bln": engine.KindBoolean,
	"dec": engine.KindNumber, "num": engine.KindNumber, "int": engine.KindNumber}

func (im *importer) table(id string, b json.RawMessage) (engine.TableDef, error) {
	if err := engine.CheckID("table", id); err != nil {
		return engine.TableDef{}, err
	}
	to, err := parseObj(b)
	if err != nil {
		return engine.TableDef{}, err
	}
	td := engine.TableDef{ID: id, Name: to.str("name"), Columns: []engine.Column{}}
	d, err := parseObj(to.raw("data"))
	if err != nil {
		return td, err
	}
	if gid := d.str("group_id"); gid != "" {
		td.Folder = im.folderPath[gid]
	}
	var cols []struct {
		Name    json.RawMessage `json:"name"`
		Type    json.RawMessage `json:"type"`
		Default json.RawMessage `json:"default"`
	}
	if !isNull(d.raw("structure")) {
		if err := json.Unmarshal(d.raw("structure"), &cols); err != nil {
			return td, fmt.Errorf("structure: %w", err)
		}
	}
	for _, c := range cols {
		name, ct := jstr(c.Name), jstr(c.Type)
		kind, ok := columnTypes[ct]
		if !ok {
			im.warn("", "", "tables/"+td.Name+"/"+name, "unknown column type %q, imported as text", ct)
			kind = engine.KindString
		}
		col := engine.Column{Name: name, Type: &engine.Type{Kind: kind}}
		if def := jstr(c.Default); def != "" {
			col.Default = columnDefault(kind, def)
		}
		td.Columns = append(td.Columns, col)
	}
	if td.Name == "" {
		td.Name = id
	}
	// rows, should an export ever carry them (exports drop table data today)
	if !isNull(d.raw("rows")) {
		var rows []engine.Row
		if err := json.Unmarshal(d.raw("rows"), &rows); err == nil && len(rows) > 0 {
			if im.res.Rows == nil {
				im.res.Rows = map[string][]engine.Row{}
			}
			im.res.Rows[id] = rows
		}
	}
	return td, nil
}

// columnDefault types a column's text default.
func columnDefault(kind, def string) any {
	switch kind {
	case engine.KindNumber:
		if n, ok := jnum(json.RawMessage(def)); ok {
			return n
		}
	case engine.KindBoolean:
		if b, err := engine.ToBool(def); err == nil {
			return b
		}
	}
	return def
}
