package flopack

import (
	"fmt"
	"sort"
	"strings"
)

// Counts are the numbers of one flow, one template or the whole set.
//
// Every Okta card (method, inline bodies included) lands in exactly one of
// Mapped, Unsupported, Folded and Structural, so
// Mapped + Unsupported + Folded + Structural == Cards.
type Counts struct {
	Flows int `json:"flows"`
	// Cards is the number of Okta cards (methods), inline bodies included.
	Cards int `json:"cards"`
	// Mapped cards became a registered native card (trigger included).
	Mapped int `json:"mapped"`
	// Unsupported cards became card type "unsupported" (kept with their raw JSON).
	Unsupported int `json:"unsupported"`
	// Folded are hidden object:expand cards turned into binding paths.
	Folded int `json:"folded"`
	// Structural are cards absorbed by the native model: If/Else joins and
	// hidden branch heads, inner callables of inline bodies, event wrappers.
	Structural int `json:"structural"`
	// KeptExpand are object:expand cards that could not be folded (also
	// counted in Mapped or Unsupported).
	KeptExpand int `json:"keptExpand,omitempty"`
	// Pins are Okta wires; PinsResolved became bindings (or were absorbed by
	// a structure that carries them: wormholes, folded expands, joins).
	Pins           int `json:"pins"`
	PinsResolved   int `json:"pinsResolved"`
	PinsUnresolved int `json:"pinsUnresolved"`
	// UndeclaredFields are fields kept on a native card whose spec does not declare them.
	UndeclaredFields int `json:"undeclaredFields,omitempty"`
	Tables           int `json:"tables"`
	Connections      int `json:"connections"`
	Warnings         int `json:"warnings"`
}

func (c *Counts) add(o Counts) {
	c.Flows += o.Flows
	c.Cards += o.Cards
	c.Mapped += o.Mapped
	c.Unsupported += o.Unsupported
	c.Folded += o.Folded
	c.Structural += o.Structural
	c.KeptExpand += o.KeptExpand
	c.Pins += o.Pins
	c.PinsResolved += o.PinsResolved
	c.PinsUnresolved += o.PinsUnresolved
	c.UndeclaredFields += o.UndeclaredFields
	c.Tables += o.Tables
	c.Connections += o.Connections
	c.Warnings += o.Warnings
}

// Accounted reports whether every card is in exactly one bucket.
func (c Counts) Accounted() bool {
	return c.Mapped+c.Unsupported+c.Folded+c.Structural == c.Cards
}

// MappedPercent is the share of cards that needed a card implementation
// (all but folded and structural) and have one.
func (c Counts) MappedPercent() float64 {
	n := c.Mapped + c.Unsupported
	if n == 0 {
		return 100
	}
	return 100 * float64(c.Mapped) / float64(n)
}

// Warning is a problem that did not stop the import.
type Warning struct {
	Template string `json:"template,omitempty"`
	Flow     string `json:"flow,omitempty"`
	Card     string `json:"card,omitempty"`
	Field    string `json:"field,omitempty"`
	Message  string `json:"message"`
}

func (w Warning) String() string {
	var parts []string
	if w.Template != "" {
		parts = append(parts, "template "+w.Template)
	}
	if w.Flow != "" {
		parts = append(parts, "flow "+w.Flow)
	}
	if w.Card != "" {
		parts = append(parts, "card "+w.Card)
	}
	if w.Field != "" {
		parts = append(parts, fmt.Sprintf("field %q", w.Field))
	}
	parts = append(parts, w.Message)
	return strings.Join(parts, ": ")
}

// FlowReport is one imported flow.
type FlowReport struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Trigger string `json:"trigger"` // native trigger type
	Counts
	UnsupportedKinds map[string]int `json:"unsupportedKinds,omitempty"`
}

// Report describes one import (one template file).
type Report struct {
	Template string `json:"template"`
	Format   string `json:"format"` // envelope type: flopack, flow, folder
	Version  string `json:"version,omitempty"`
	Counts
	// Mapped and Unsupported count cards by Okta kind (module:method).
	MappedKinds      map[string]int `json:"mappedKinds,omitempty"`
	UnsupportedKinds map[string]int `json:"unsupportedKinds,omitempty"`
	Flows            []FlowReport   `json:"flowReports"`
	// Apps are the open points by app: unsupported cards, values that are
	// not among a field's choices, tables and connections to look at.
	Apps     []AppAttention `json:"apps,omitempty"`
	Warnings []Warning      `json:"warningList,omitempty"`
}

// Summary totals several reports (a corpus, a batch import).
type Summary struct {
	Templates int `json:"templates"`
	Counts
	MappedKinds      map[string]int `json:"mappedKinds,omitempty"`
	UnsupportedKinds map[string]int `json:"unsupportedKinds,omitempty"`
	Reports          []*Report      `json:"reports,omitempty"`
}

// Summarize adds up reports.
func Summarize(reports ...*Report) *Summary {
	s := &Summary{MappedKinds: map[string]int{}, UnsupportedKinds: map[string]int{}}
	for _, r := range reports {
		if r == nil {
			continue
		}
		s.Templates++
		s.Counts.add(r.Counts)
		for k, n := range r.MappedKinds {
			s.MappedKinds[k] += n
		}
		for k, n := range r.UnsupportedKinds {
			s.UnsupportedKinds[k] += n
		}
		s.Reports = append(s.Reports, r)
	}
	return s
}

// KindCount is a kind and how often it occurs.
type KindCount struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

// Top returns the n most frequent kinds of m (ties by name).
func Top(m map[string]int, n int) []KindCount {
	out := make([]KindCount, 0, len(m))
	for k, c := range m {
		out = append(out, KindCount{k, c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Kind < out[j].Kind
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// String renders the totals as a few lines of text.
func (s *Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "templates %d, flows %d, cards %d (mapped %d, unsupported %d, folded expand %d, structural %d, kept expand %d)\n",
		s.Templates, s.Flows, s.Cards, s.Mapped, s.Unsupported, s.Folded, s.Structural, s.KeptExpand)
	fmt.Fprintf(&b, "mapped %.1f%% of the cards that need an implementation; pins %d, resolved %d, unresolved %d\n",
		s.MappedPercent(), s.Pins, s.PinsResolved, s.PinsUnresolved)
	fmt.Fprintf(&b, "tables %d, connections to bind %d, warnings %d, undeclared fields kept %d\n",
		s.Tables, s.Connections, s.Warnings, s.UndeclaredFields)
	top := Top(s.UnsupportedKinds, 10)
	if len(top) > 0 {
		b.WriteString("most frequent unsupported kinds:")
		for _, k := range top {
			fmt.Fprintf(&b, " %s %d,", k.Kind, k.Count)
		}
		b.WriteString("\n")
	}
	return b.String()
}
