package flopack

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// body is one parsed flow body: a top-level flow or an inline body held by a
// container card (If/ElseIf clause, If Error try/catch, event wrapper).
type body struct {
	uuid      string
	methods   []*method
	byID      map[string]*method
	edges     [][2]string
	parent    *body
	container *method // the card holding this inline body
	role      string  // "top", "clause", "try", "catch", "each"
	clause    string  // clause group of an If/ElseIf body

	obj *obj // the raw body (top-level keys)

	// derived
	incoming map[string]map[string][]*pin // target card -> input field id -> pins
	entry    *method
}

type method struct {
	uuid    string
	address string
	raw     json.RawMessage
	title   string

	kernel    bool
	module    string // kernel module or connector name
	version   string
	key       string // method key
	kind      string // module:key
	displayed bool
	webhook   bool
	whList    bool
	mirrored  bool
	config    string
	policy    *obj
	comments  json.RawMessage

	inputs, outputs []*field
	inByID, outByID map[string]*field
	pins            []*pin
	heads           []head                // If/Else: branch head noop -> outcome
	joins           map[string][]joinLink // join: input id -> outputs
	inline          map[string]*body      // input field id -> inline body
	handler         *body                 // If Error catch body (policy.error.flo)
	idx             int                   // position in methods

	// set while building
	nativeID string
	state    int // see cardState
}

type head struct {
	uuid string
	val  bool
}

type joinLink struct {
	output  string
	convert string
}

type field struct {
	id         string
	group      string
	key        string
	typ        json.RawMessage
	collection bool
	data       json.RawMessage
	proxy      json.RawMessage
	required   bool
	meta       *obj
	index      float64
	order      int
	native     string // key on the native card
}

type pin struct {
	src     *method
	out     string // source output field id
	target  string // target card uuid
	input   string // target input field id
	convert string
	state   int // 0 pending, 1 resolved, 2 unresolved
}

const (
	pinPending = iota
	pinResolved
	pinUnresolved
)

func (f *field) metaStr(k string) string {
	if f.meta == nil {
		return ""
	}
	return jstr(f.meta.raw(k))
}

func (f *field) metaBool(k string) bool {
	if f.meta == nil {
		return false
	}
	return f.meta.bool(k)
}

func (f *field) metaAny(k string) any {
	if f.meta == nil {
		return nil
	}
	v, _ := jany(f.meta.raw(k))
	return v
}

func (f *field) typeName() string { return jstr(f.typ) }

// label is the display name (metadata.displayname).
func (f *field) label() string { return f.metaStr("displayname") }

func (f *field) hidden() bool { return f.metaBool("forceHide") || f.metaBool("hidden") }

// qualified is "group/key" (or key when there is no group).
func (f *field) qualified() string {
	if f.group == "" {
		return f.key
	}
	return f.group + "/" + f.key
}

// parseFields reads an inputs/outputs container: {extensible, rules, groupRules, data}.
func parseFields(b json.RawMessage) ([]*field, map[string]*field, bool, error) {
	o, err := parseObj(b)
	if err != nil {
		return nil, nil, false, err
	}
	ext := o.bool("extensible")
	d, err := parseObj(o.raw("data"))
	if err != nil {
		return nil, nil, false, fmt.Errorf("data: %w", err)
	}
	list := make([]*field, 0, len(d.keys))
	byID := make(map[string]*field, len(d.keys))
	for i, id := range d.keys {
		rf, err := parseObj(d.vals[id])
		if err != nil {
			return nil, nil, false, &Error{Field: id, Msg: err.Error()}
		}
		f := &field{id: id, group: rf.str("group"), key: rf.str("key"), required: rf.bool("required"), order: i}
		if f.key == "" {
			f.key = id
		}
		if v := rf.raw("value"); !isNull(v) {
			vo, err := parseObj(v)
			if err != nil {
				return nil, nil, false, &Error{Field: f.qualified(), Msg: "value: " + err.Error()}
			}
			f.typ, f.collection, f.data, f.proxy = vo.raw("type"), vo.bool("collection"), vo.raw("data"), vo.raw("proxy")
		}
		if md := rf.raw("metadata"); isObjectJSON(md) {
			if mo, err := parseObj(md); err == nil {
				f.meta = mo
			}
		}
		f.index = float64(i) + 1e6 // no index: after the indexed ones, in map order
		if f.meta != nil {
			if n, ok := jnum(f.meta.raw("index")); ok {
				f.index = n
			}
		}
		list = append(list, f)
		byID[id] = f
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].index < list[j].index })
	return list, byID, ext, nil
}

var (
	randomSuffix    = regexp.MustCompile(`_[A-Za-z0-9-]{8,12}$`)
	connectorSuffix = regexp.MustCompile(`_[0-9a-f]{32}$`)
)

// parseAddress splits root:kernel:<module>:<ver>:<method> and
// root:channels:<transport>:<connector>:<ver>:<method>.
func (m *method) parseAddress() error {
	a := strings.Split(m.address, ":")
	switch {
	case len(a) == 5 && a[0] == "root" && a[1] == "kernel":
		m.kernel, m.module, m.version, m.key = true, a[2], a[3], a[4]
	case len(a) == 6 && a[0] == "root" && a[1] == "channels":
		m.module, m.version, m.key = a[3], a[4], a[5]
	case len(a) >= 3:
		// unknown shape: take the last segment as the method and the one
		// before the version as the module
		m.key = a[len(a)-1]
		m.module = a[len(a)-2]
		if len(a) >= 4 {
			m.module, m.version = a[len(a)-3], a[len(a)-2]
		}
		return fmt.Errorf("unexpected address %q", m.address)
	default:
		return fmt.Errorf("unexpected address %q", m.address)
	}
	m.kind = m.module + ":" + m.key
	return nil
}

// kinds lists the Okta kinds to try in the registry: exact first, then
// with generated suffixes stripped (custom connector actions, partner connectors).
func (m *method) kinds() []string {
	out := []string{m.kind}
	key := m.key
	if !m.kernel && randomSuffix.MatchString(key) {
		key = randomSuffix.ReplaceAllString(key, "")
		out = append(out, m.module+":"+key)
	}
	if !m.kernel && connectorSuffix.MatchString(m.module) {
		mod := connectorSuffix.ReplaceAllString(m.module, "")
		out = append(out, mod+":"+m.key)
		if key != m.key {
			out = append(out, mod+":"+key)
		}
	}
	return out
}

// reportKind is the kind used in reports: suffixes stripped so that
// generated actions of one connector count together.
func (m *method) reportKind() string {
	k := m.kinds()
	return k[len(k)-1]
}

func (m *method) is(kind string) bool { return m.kind == kind }

// input returns the first input with key (and group, when given).
func (m *method) input(key string) *field {
	for _, f := range m.inputs {
		if f.key == key {
			return f
		}
	}
	return nil
}

func (m *method) label() string {
	if m.title != "" {
		return fmt.Sprintf("%q (%s)", m.title, m.uuid)
	}
	return m.uuid
}
