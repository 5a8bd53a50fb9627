package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// FlowDiff is a card-level comparison of two versions of a flow (A the
// older, B the newer): cards added, removed and moved, and the inputs,
// bindings and settings that changed. The CLI prints it (Text) and the
// designer draws it on the canvas (Merged), so both say the same.
type FlowDiff struct {
	Same  bool          `json:"same"`
	Flow  []FieldChange `json:"flow,omitempty"` // flow properties (name, settings, …)
	Cards []CardChange  `json:"cards"`          // in canvas order (B's, removed cards where they were)
	// Added, Removed, Moved, Changed count the cards.
	Added   int `json:"added"`
	Removed int `json:"removed"`
	Moved   int `json:"moved"`
	Changed int `json:"changed"`
}

// CardChange is one card that differs. A card can be moved and changed at once.
type CardChange struct {
	ID      string        `json:"id"`
	Title   string        `json:"title"`
	Type    string        `json:"type"`
	Added   bool          `json:"added,omitempty"`
	Removed bool          `json:"removed,omitempty"`
	Moved   bool          `json:"moved,omitempty"`
	From    *CardPos      `json:"from,omitempty"` // place in A (nil when added)
	To      *CardPos      `json:"to,omitempty"`   // place in B (nil when removed)
	Fields  []FieldChange `json:"fields,omitempty"`
}

// FieldChange is one changed property. Kind: "input" (a static value),
// "binding" (wired to another card's output, or a list item), "output"
// (a declared output), "card" (title, connection, helper flow, error
// policy, …), "flow". Change: "added", "removed", "changed".
type FieldChange struct {
	Kind   string `json:"kind"`
	Key    string `json:"key"`
	Label  string `json:"label,omitempty"`
	Change string `json:"change"`
	Old    string `json:"old,omitempty"`
	New    string `json:"new,omitempty"`
}

// CardPos is where a card sits: its index in the top-level list, or in a
// branch of a container card.
type CardPos struct {
	Parent string `json:"parent,omitempty"` // container card id ("" = the flow's own list)
	Branch string `json:"branch,omitempty"`
	Index  int    `json:"index"`
}

func (p CardPos) String() string {
	if p.Index < 0 {
		return "the trigger"
	}
	if p.Parent == "" {
		return fmt.Sprintf("#%d", p.Index+1)
	}
	return fmt.Sprintf("#%d in %s/%s", p.Index+1, p.Parent, p.Branch)
}

func (p CardPos) container() string { return p.Parent + "\x00" + p.Branch }

type placed struct {
	card *Card
	pos  CardPos
}

// index lists a flow's cards (trigger first) in canvas order with their places.
func index(f *Flow) ([]string, map[string]placed) {
	order := []string{}
	at := map[string]placed{}
	if f == nil {
		return order, at
	}
	tid := f.Trigger.ID
	if tid == "" {
		tid = "trigger"
	}
	order = append(order, tid)
	at[tid] = placed{card: &f.Trigger, pos: CardPos{Index: -1}}
	var walk func(cards []Card, parent, branch string)
	walk = func(cards []Card, parent, branch string) {
		for i := range cards {
			c := &cards[i]
			if _, dup := at[c.ID]; dup {
				continue
			}
			order = append(order, c.ID)
			at[c.ID] = placed{card: c, pos: CardPos{Parent: parent, Branch: branch, Index: i}}
			for _, b := range c.Branches {
				walk(b.Cards, c.ID, b.Name)
			}
		}
	}
	walk(f.Cards, "", "")
	return order, at
}

// DiffFlows compares two versions of a flow card by card (cards are the
// same card when they have the same id).
func DiffFlows(a, b *Flow) *FlowDiff {
	d := &FlowDiff{Cards: []CardChange{}}
	d.Flow = diffFlowProps(a, b)
	aOrder, aAt := index(a)
	bOrder, bAt := index(b)

	moved := movedCards(aOrder, aAt, bOrder, bAt)
	changes := map[string]*CardChange{}
	for _, id := range bOrder {
		pb := bAt[id]
		cc := &CardChange{ID: id, Title: cardTitle(pb.card), Type: pb.card.Type}
		to := pb.pos
		if pa, ok := aAt[id]; ok {
			from := pa.pos
			cc.Fields = diffCard(pa.card, pb.card)
			if moved[id] {
				cc.Moved, cc.From, cc.To = true, &from, &to
			}
		} else {
			cc.Added, cc.To = true, &to
		}
		if cc.Added || cc.Moved || len(cc.Fields) > 0 {
			changes[id] = cc
		}
	}
	for _, id := range aOrder {
		if _, ok := bAt[id]; !ok {
			pa := aAt[id]
			from := pa.pos
			changes[id] = &CardChange{ID: id, Title: cardTitle(pa.card), Type: pa.card.Type, Removed: true, From: &from}
		}
	}
	for _, id := range mergedOrder(aOrder, aAt, bOrder, bAt) {
		cc, ok := changes[id]
		if !ok {
			continue
		}
		d.Cards = append(d.Cards, *cc)
		switch {
		case cc.Added:
			d.Added++
		case cc.Removed:
			d.Removed++
		default:
			if cc.Moved {
				d.Moved++
			}
			if len(cc.Fields) > 0 {
				d.Changed++
			}
		}
	}
	d.Same = len(d.Flow) == 0 && len(d.Cards) == 0
	return d
}

// movedCards marks the cards present in both versions whose container
// changed, or whose order among the cards common to both in the same
// container changed (those off a longest common subsequence): inserting or
// deleting a card around others does not move them.
func movedCards(aOrder []string, aAt map[string]placed, bOrder []string, bAt map[string]placed) map[string]bool {
	moved := map[string]bool{}
	seqA := map[string][]string{}
	seqB := map[string][]string{}
	for _, id := range aOrder {
		pa := aAt[id]
		pb, ok := bAt[id]
		if !ok || pa.pos.Index < 0 {
			continue
		}
		if pa.pos.container() != pb.pos.container() {
			moved[id] = true
			continue
		}
		seqA[pa.pos.container()] = append(seqA[pa.pos.container()], id)
	}
	for _, id := range bOrder {
		pb := bAt[id]
		if pa, ok := aAt[id]; ok && pb.pos.Index >= 0 && !moved[id] && pa.pos.container() == pb.pos.container() {
			seqB[pb.pos.container()] = append(seqB[pb.pos.container()], id)
		}
	}
	// of two orders as good, the card that stayed nearer its place stays
	disp := func(id string) int {
		d := aAt[id].pos.Index - bAt[id].pos.Index
		if d < 0 {
			return -d
		}
		return d
	}
	for k, sa := range seqA {
		keep := lcs(sa, seqB[k], disp)
		for _, id := range sa {
			if !keep[id] {
				moved[id] = true
			}
		}
	}
	return moved
}

// lcs is the set of ids on a longest common subsequence of a and b; on a
// tie it keeps the id with the smaller displacement.
func lcs(a, b []string, disp func(string) int) map[string]bool {
	n, m := len(a), len(b)
	t := make([][]int, n+1)
	for i := range t {
		t[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	keep := map[string]bool{}
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j]:
			keep[a[i]] = true
			i++
			j++
		case t[i+1][j] > t[i][j+1]:
			i++
		case t[i+1][j] == t[i][j+1] && disp(a[i]) >= disp(b[j]):
			i++
		default:
			j++
		}
	}
	return keep
}

// mergedOrder is B's canvas order with each removed card placed after the
// card that preceded it in A.
func mergedOrder(aOrder []string, aAt map[string]placed, bOrder []string, bAt map[string]placed) []string {
	after := map[string][]string{} // B card id (or "") -> removed cards that follow it
	prev := ""
	for _, id := range aOrder {
		if _, ok := bAt[id]; ok {
			prev = id
			continue
		}
		after[prev] = append(after[prev], id)
	}
	out := append([]string{}, after[""]...)
	for _, id := range bOrder {
		out = append(out, id)
		out = append(out, after[id]...)
	}
	return out
}

// cardTitle is the card's title as the canvas shows it (its own, else its
// type's).
func cardTitle(c *Card) string {
	if c.Title != "" {
		return c.Title
	}
	if sp, ok := Default().Card(c.Type); ok && sp.Title != "" {
		return sp.Title
	}
	return c.Type
}

func diffFlowProps(a, b *Flow) []FieldChange {
	var out []FieldChange
	if a == nil || b == nil {
		return out
	}
	prop := func(key, x, y string) {
		if x != y {
			out = append(out, change("flow", key, "", x, y))
		}
	}
	prop("id", a.ID, b.ID) // two different flows compared
	prop("name", a.Name, b.Name)
	prop("description", a.Description, b.Description)
	prop("folder", a.Folder, b.Folder)
	prop("settings", compactJSON(a.Settings), compactJSON(b.Settings))
	return out
}

func change(kind, key, label, old, new string) FieldChange {
	c := FieldChange{Kind: kind, Key: key, Label: label, Old: old, New: new, Change: "changed"}
	switch {
	case old == "" && new != "":
		c.Change = "added"
	case old != "" && new == "":
		c.Change = "removed"
	}
	return c
}

// diffCard compares the properties, inputs (values and bindings), branch
// conditions and declared outputs of one card in two versions.
func diffCard(a, b *Card) []FieldChange {
	var out []FieldChange
	prop := func(key, x, y string) {
		if x != y {
			out = append(out, change("card", key, "", x, y))
		}
	}
	prop("type", a.Type, b.Type)
	prop("title", a.Title, b.Title)
	prop("note", a.Note, b.Note)
	prop("connection", a.Connection, b.Connection)
	prop("flow", a.Flow, b.Flow)
	prop("onError", compactJSON(a.OnError), compactJSON(b.OnError))
	prop("retry", compactJSON(a.Retry), compactJSON(b.Retry))
	if a.Hidden != b.Hidden {
		prop("hidden", fmt.Sprint(a.Hidden), fmt.Sprint(b.Hidden))
	}
	out = append(out, diffInputs("", a.Inputs, b.Inputs)...)
	// branch conditions (If/ElseIf clauses) and branches added or removed
	ab := map[string][]Field{}
	for _, br := range a.Branches {
		ab[br.Name] = br.Inputs
	}
	seen := map[string]bool{}
	for _, br := range b.Branches {
		seen[br.Name] = true
		old, ok := ab[br.Name]
		if !ok {
			out = append(out, change("card", "branch "+br.Name, "", "", "added"))
		}
		out = append(out, diffInputs(br.Name+": ", old, br.Inputs)...)
	}
	for _, br := range a.Branches {
		if !seen[br.Name] {
			out = append(out, change("card", "branch "+br.Name, "", "present", ""))
		}
	}
	// declared outputs
	ao := map[string]Field{}
	for _, f := range a.Outputs {
		ao[fieldKey(f)] = f
	}
	bo := map[string]bool{}
	for _, f := range b.Outputs {
		k := fieldKey(f)
		bo[k] = true
		old, ok := ao[k]
		switch {
		case !ok:
			out = append(out, change("output", k, f.Label, "", outputText(f)))
		case outputText(old) != outputText(f):
			out = append(out, change("output", k, f.Label, outputText(old), outputText(f)))
		}
	}
	for _, f := range a.Outputs {
		if k := fieldKey(f); !bo[k] {
			out = append(out, change("output", k, f.Label, outputText(f), ""))
		}
	}
	return out
}

func fieldKey(f Field) string {
	if f.Group != "" {
		return f.Group + "." + f.Key
	}
	return f.Key
}

func outputText(f Field) string {
	s := f.Key
	if f.Type != nil {
		s += ": " + f.Type.String()
	}
	if f.Label != "" && f.Label != f.Key {
		s += fmt.Sprintf(" (%q)", f.Label)
	}
	return s
}

func diffInputs(prefix string, a, b []Field) []FieldChange {
	var out []FieldChange
	am := map[string]Field{}
	for _, f := range a {
		am[fieldKey(f)] = f
	}
	seen := map[string]bool{}
	one := func(key, label string, x, y *Field) {
		bx, by := bindingText(x), bindingText(y)
		vx, vy := valueText(x), valueText(y)
		switch {
		case bx != by:
			old, new := bx, by
			if old == "" {
				old = vx
			}
			if new == "" {
				new = vy
			}
			out = append(out, change("binding", prefix+key, label, old, new))
		case vx != vy:
			out = append(out, change("input", prefix+key, label, vx, vy))
		}
	}
	for i := range b {
		k := fieldKey(b[i])
		seen[k] = true
		if old, ok := am[k]; ok {
			one(k, labelOf(b[i]), &old, &b[i])
		} else {
			one(k, labelOf(b[i]), nil, &b[i])
		}
	}
	for i := range a {
		if k := fieldKey(a[i]); !seen[k] {
			one(k, labelOf(a[i]), &a[i], nil)
		}
	}
	return out
}

func labelOf(f Field) string {
	if f.Label != "" && f.Label != f.Key {
		return f.Label
	}
	return ""
}

// bindingText is an input's wiring ("card.output.path", several joined by
// " | ", "item.path"), "" for a static or empty input.
func bindingText(f *Field) string {
	if f == nil {
		return ""
	}
	var parts []string
	if f.From != nil {
		parts = append(parts, bindingString(*f.From))
	}
	for _, b := range f.Any {
		parts = append(parts, bindingString(b))
	}
	if f.Item != nil {
		s := "item"
		if f.Item.Index {
			s = "item index"
		} else if f.Item.Path != "" {
			s += "." + f.Item.Path
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " | ")
}

func bindingString(b Binding) string {
	s := "← " + b.String()
	if b.Convert != "" {
		s += " (" + b.Convert + ")"
	}
	return s
}

// valueText is an input's static value as compact JSON ("" when unset).
func valueText(f *Field) string {
	if f == nil || f.Value == nil {
		return ""
	}
	return compactJSON(f.Value)
}

func compactJSON(v any) string {
	if v == nil {
		return ""
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	s := strings.TrimSpace(buf.String())
	if s == "null" || s == "{}" {
		return ""
	}
	return s
}

// Text renders the diff for a terminal, one line per card and one per
// changed field; nameA and nameB head it like diff -u.
func (d *FlowDiff) Text(nameA, nameB string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", nameA, nameB)
	if d.Same {
		b.WriteString("no changes\n")
		return b.String()
	}
	for _, c := range d.Flow {
		fmt.Fprintf(&b, "~ flow %s\n", fieldLine(c))
	}
	for _, c := range d.Cards {
		head := fmt.Sprintf("%q (%s, %s)", c.Title, c.Type, c.ID)
		switch {
		case c.Added && c.To.Index < 0:
			fmt.Fprintf(&b, "+ card %s added as the trigger\n", head)
		case c.Added:
			fmt.Fprintf(&b, "+ card %s added at %s\n", head, c.To)
		case c.Removed:
			fmt.Fprintf(&b, "- card %s removed from %s\n", head, c.From)
		default:
			var what []string
			if c.Moved {
				what = append(what, fmt.Sprintf("moved %s → %s", c.From, c.To))
			}
			if len(c.Fields) > 0 {
				what = append(what, "changed")
			}
			fmt.Fprintf(&b, "~ card %s %s\n", head, strings.Join(what, ", "))
		}
		for _, f := range c.Fields {
			fmt.Fprintf(&b, "    %s\n", fieldLine(f))
		}
	}
	fmt.Fprintf(&b, "%s\n", d.Summary())
	return b.String()
}

// Summary is one line of counts: "1 added, 2 removed, 0 moved, 3 changed".
func (d *FlowDiff) Summary() string {
	s := fmt.Sprintf("%d card(s) added, %d removed, %d moved, %d changed", d.Added, d.Removed, d.Moved, d.Changed)
	if len(d.Flow) > 0 {
		s += fmt.Sprintf("; %d flow propert%s changed", len(d.Flow), map[bool]string{true: "y", false: "ies"}[len(d.Flow) == 1])
	}
	return s
}

func fieldLine(f FieldChange) string {
	name := f.Kind + " " + f.Key
	if f.Kind == "card" || f.Kind == "flow" {
		name = f.Key
	}
	if f.Label != "" {
		name += fmt.Sprintf(" (%s)", f.Label)
	}
	show := func(s string) string {
		if s == "" {
			return "(none)"
		}
		return s
	}
	switch f.Change {
	case "added":
		return fmt.Sprintf("%s: + %s", name, show(f.New))
	case "removed":
		return fmt.Sprintf("%s: - %s", name, show(f.Old))
	}
	return fmt.Sprintf("%s: %s → %s", name, show(f.Old), show(f.New))
}

// Merged is B with A's removed cards put back where they were (after the
// card that preceded them), so a canvas can draw every change at once.
// Nested cards of a removed container that still exist in B are left out.
func (d *FlowDiff) Merged(a, b *Flow) (*Flow, error) {
	m, err := copyFlowJSON(b)
	if err != nil {
		return nil, err
	}
	removed := map[string]bool{}
	for _, c := range d.Cards {
		if c.Removed {
			removed[c.ID] = true
		}
	}
	if len(removed) == 0 {
		return m, nil
	}
	// the removed cards that are tops (their container is not removed)
	_, aAt := index(a)
	// prune: a ghost keeps only removed cards in its branches
	var ghost func(c Card) Card
	ghost = func(c Card) Card {
		g := c
		g.Branches = nil
		for _, br := range c.Branches {
			nb := br
			nb.Cards = []Card{}
			for _, cc := range br.Cards {
				if removed[cc.ID] {
					nb.Cards = append(nb.Cards, ghost(cc))
				}
			}
			g.Branches = append(g.Branches, nb)
		}
		return g
	}
	// containers of the merged flow by key
	conts := map[string]*[]Card{"\x00": &m.Cards}
	var reg func(cards []Card)
	reg = func(cards []Card) {
		for i := range cards {
			for j := range cards[i].Branches {
				conts[cards[i].ID+"\x00"+cards[i].Branches[j].Name] = &cards[i].Branches[j].Cards
				reg(cards[i].Branches[j].Cards)
			}
		}
	}
	aOrder, _ := index(a)
	for _, id := range aOrder {
		if !removed[id] {
			continue
		}
		pa := aAt[id]
		if pa.pos.Parent != "" && removed[pa.pos.Parent] {
			continue // drawn inside its removed container
		}
		clear(conts)
		conts["\x00"] = &m.Cards
		reg(m.Cards)
		list, ok := conts[pa.pos.container()]
		if !ok {
			list = &m.Cards // its container is gone: show it at the top level
		}
		// after the nearest earlier sibling in A that is in this list
		at := 0
		siblings := containerCards(a, pa.pos)
		for k := pa.pos.Index - 1; k >= 0; k-- {
			if i := slices.IndexFunc(*list, func(c Card) bool { return c.ID == siblings[k].ID }); i >= 0 {
				at = i + 1
				break
			}
		}
		*list = slices.Insert(*list, at, ghost(*pa.card))
	}
	return m, nil
}

func containerCards(f *Flow, p CardPos) []Card {
	if p.Parent == "" {
		return f.Cards
	}
	_, at := index(f)
	if c, ok := at[p.Parent]; ok {
		for _, br := range c.card.Branches {
			if br.Name == p.Branch {
				return br.Cards
			}
		}
	}
	return nil
}

func copyFlowJSON(f *Flow) (*Flow, error) {
	data, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	var c Flow
	return &c, json.Unmarshal(data, &c)
}
