package engine

import (
	"encoding/json"
	"strings"
	"testing"
)

func diffFlow(t *testing.T, js string) *Flow {
	t.Helper()
	var f Flow
	if err := json.Unmarshal([]byte(js), &f); err != nil {
		t.Fatal(err)
	}
	return &f
}

const diffBase = `{"id":"f","name":"Greet","settings":{"history":true},
 "trigger":{"id":"trigger","type":"flow.manual","outputs":[{"key":"name","type":"string"}]},
 "cards":[
  {"id":"a","type":"text.concat","title":"Hello","inputs":[{"key":"string 1","value":"Hello "},{"key":"string 2","from":{"card":"trigger","path":["name"]}}]},
  {"id":"b","type":"text.upper","inputs":[{"key":"string","from":{"card":"a","path":["output"]}}]},
  {"id":"c","type":"branching.ifElse","branches":[{"name":"true","cards":[{"id":"d","type":"text.length"}]},{"name":"false","cards":[]}]},
  {"id":"e","type":"text.lower"}
 ]}`

// edit applies fn to a fresh copy of the base flow.
func edit(t *testing.T, fn func(f *Flow)) *Flow {
	f := diffFlow(t, diffBase)
	fn(f)
	return f
}

func TestDiffFlows(t *testing.T) {
	cases := []struct {
		name            string
		b               func(f *Flow)
		want            []string // lines of Text that must appear (in order)
		same            bool
		add, rm, mv, ch int
	}{
		{name: "same", b: func(*Flow) {}, same: true, want: []string{"no changes"}},
		{name: "added in the middle moves nothing", b: func(f *Flow) {
			f.Cards = append(f.Cards[:1], append([]Card{{ID: "n", Type: "text.trim", Title: "Trim"}}, f.Cards[1:]...)...)
		}, add: 1, want: []string{`+ card "Trim" (text.trim, n) added at #2`, "1 card(s) added, 0 removed, 0 moved, 0 changed"}},
		{name: "removed", b: func(f *Flow) { f.Cards = append(f.Cards[:1], f.Cards[2:]...) },
			rm: 1, want: []string{`- card "text.upper" (text.upper, b) removed from #2`}},
		{name: "removed container takes its nested card", b: func(f *Flow) { f.Cards = append(f.Cards[:2], f.Cards[3:]...) },
			rm: 2, want: []string{`- card "branching.ifElse" (branching.ifElse, c) removed from #3`, `- card "text.length" (text.length, d) removed from #1 in c/true`}},
		{name: "swap moves one", b: func(f *Flow) { f.Cards[0], f.Cards[1] = f.Cards[1], f.Cards[0] },
			mv: 1, want: []string{`~ card "Hello" (text.concat, a) moved #1 → #2`}},
		{name: "of two orders the card that kept its place stays", b: func(f *Flow) { f.Cards = []Card{f.Cards[2], f.Cards[1], f.Cards[3]} },
			rm: 1, mv: 1, want: []string{`- card "Hello" (text.concat, a) removed from #1`, `~ card "branching.ifElse" (branching.ifElse, c) moved #3 → #1`}},
		{name: "into a branch", b: func(f *Flow) {
			e := f.Cards[3]
			f.Cards = f.Cards[:3]
			f.Cards[2].Branches[1].Cards = []Card{e}
		}, mv: 1, want: []string{`~ card "text.lower" (text.lower, e) moved #4 → #1 in c/false`}},
		{name: "value changed", b: func(f *Flow) { f.Cards[0].Inputs[0].Value = "Hi " },
			ch: 1, want: []string{`~ card "Hello" (text.concat, a) changed`, `    input string 1: "Hello " → "Hi "`}},
		{name: "binding changed", b: func(f *Flow) { f.Cards[1].Inputs[0].From = &Binding{Card: "trigger", Path: []string{"name"}} },
			ch: 1, want: []string{`    binding string: ← a.output → ← trigger.name`}},
		{name: "binding replaced by a value", b: func(f *Flow) { f.Cards[0].Inputs[1] = Field{Key: "string 2", Value: "Ann"} },
			ch: 1, want: []string{`    binding string 2: ← trigger.name → "Ann"`}},
		{name: "input removed and title changed", b: func(f *Flow) { f.Cards[0].Inputs = f.Cards[0].Inputs[1:]; f.Cards[0].Title = "Hi" },
			ch: 1, want: []string{`~ card "Hi" (text.concat, a) changed`, `    title: Hello → Hi`, `    input string 1: - "Hello "`}},
		{name: "moved and changed", b: func(f *Flow) {
			f.Cards[3].Inputs = []Field{{Key: "string", From: &Binding{Card: "a", Path: []string{"output"}}}}
			f.Cards = []Card{f.Cards[3], f.Cards[0], f.Cards[1], f.Cards[2]}
		}, mv: 1, ch: 1, want: []string{`~ card "text.lower" (text.lower, e) moved #4 → #1, changed`, `    binding string: + ← a.output`}},
		{name: "flow name and settings", b: func(f *Flow) { f.Name = "Greet all"; f.Settings.History = false },
			want: []string{`~ flow name: Greet → Greet all`, `~ flow settings: {"history":true} → {"history":false}`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := diffFlow(t, diffBase)
			b := edit(t, tc.b)
			d := DiffFlows(a, b)
			if d.Same != tc.same {
				t.Errorf("Same = %v, want %v", d.Same, tc.same)
			}
			if d.Added != tc.add || d.Removed != tc.rm || d.Moved != tc.mv || d.Changed != tc.ch {
				t.Errorf("counts +%d -%d ~%d *%d, want +%d -%d ~%d *%d", d.Added, d.Removed, d.Moved, d.Changed, tc.add, tc.rm, tc.mv, tc.ch)
			}
			text := d.Text("A", "B")
			rest := text
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("text lacks %q (in order):\n%s", w, text)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestDiffMerged(t *testing.T) {
	a := diffFlow(t, diffBase)
	b := edit(t, func(f *Flow) {
		f.Cards = []Card{f.Cards[0], f.Cards[3]} // b and c (with d) removed
		f.Cards = append(f.Cards, Card{ID: "n", Type: "text.trim"})
	})
	d := DiffFlows(a, b)
	m, err := d.Merged(a, b)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range m.Cards {
		ids = append(ids, c.ID)
	}
	if got := strings.Join(ids, ","); got != "a,b,c,e,n" {
		t.Fatalf("merged order %s, want a,b,c,e,n", got)
	}
	if got := m.Cards[2].Branches[0].Cards; len(got) != 1 || got[0].ID != "d" {
		t.Fatalf("removed container keeps its removed card: %+v", got)
	}
	var order []string
	for _, c := range d.Cards {
		order = append(order, c.ID)
	}
	if got := strings.Join(order, ","); got != "b,c,d,n" {
		t.Fatalf("changes in canvas order %s, want b,c,d,n", got)
	}
	// a card moved out of a removed container is not drawn twice
	b2 := edit(t, func(f *Flow) {
		dd := f.Cards[2].Branches[0].Cards[0]
		f.Cards = []Card{f.Cards[0], f.Cards[1], dd, f.Cards[3]}
	})
	d2 := DiffFlows(a, b2)
	m2, _ := d2.Merged(a, b2)
	var ids2 []string
	for _, c := range m2.Cards {
		ids2 = append(ids2, c.ID)
	}
	if got := strings.Join(ids2, ","); got != "a,b,c,d,e" {
		t.Fatalf("merged order %s, want a,b,c,d,e", got)
	}
	if n := len(m2.Cards[2].Branches[0].Cards); n != 0 {
		t.Fatalf("ghost container c keeps %d cards, want none (d moved out)", n)
	}
}
