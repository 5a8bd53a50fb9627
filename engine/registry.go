package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Card kinds.
const (
	KindTrigger  = "trigger"
	KindAction   = "action"
	KindFunction = "function"
	KindControl  = "control"
)

// Spec declares a card type once: identity, fields (from which the input
// and output JSON Schemas are derived and compiled at registration), and
// behaviour. Palette, validation, docs, runtime checks and the importer's
// mapping all read this declaration.
// HelperCall is how a card calls its helper flow (Spec.Helper).
type HelperCall int

const (
	HelperNone   HelperCall = iota
	HelperWaits             // the card waits for the helper (Call Flow, For Each, Map, …)
	HelperStarts            // the card starts the helper and goes on (Call Flow Async)
)

type Spec struct {
	ID          string   // native id, e.g. "text.concat"
	Okta        []string // Okta kernel/connector kinds it implements, e.g. "string:concat"
	Title       string
	Category    string // palette family: "Text", "List", "Okta", "Flow control", …
	App         string // "" for functions; "okta", "http", "tables"…
	Kind        string // KindTrigger, KindAction, KindFunction, KindControl
	Description string
	DocURL      string // Okta help page the behaviour follows

	Inputs  []FieldSpec
	Outputs []FieldSpec
	// ExtensibleInputs / ExtensibleOutputs: the user adds fields (Compose,
	// Construct, Return, Call Flow, trigger inputs…). Extra fields are
	// validated by the types declared on the card.
	ExtensibleInputs  bool
	ExtensibleOutputs bool
	// ExtensibleGroups, when set, are the only input groups in which the card
	// takes added inputs (a streaming card: "Streaming", handed to its helper
	// flow); an added input elsewhere is not used, and is reported.
	ExtensibleGroups []string
	// Helper says the card runs the helper flow named by Card.Flow: HelperWaits
	// (it waits for the helper, so a loop of such calls is a cycle) or
	// HelperStarts (it starts it and goes on). Validation checks the reference.
	Helper HelperCall
	// Connection is the connection kind the card needs ("okta", "http"), if any.
	Connection string
	// Branches names fixed branch lanes ("true","false"; "try","catch").
	Branches []string

	Run RunFunc
	// Control cards get the executor's scope to run nested card lists.
	Control ControlFunc

	in, out         *cardSchema // compiled on first use (schemacheck.go's fast check and the full validator)
	inKeys, outKeys map[string]*FieldSpec
}

// FieldSpec declares one field.
type FieldSpec struct {
	Key         string   `json:"key"`
	Label       string   `json:"label,omitempty"`
	Type        *Type    `json:"type"`
	Required    bool     `json:"required,omitempty"`
	Default     any      `json:"default,omitempty"`
	Choices     []Choice `json:"choices,omitempty"`
	Description string   `json:"description,omitempty"`
	Group       string   `json:"group,omitempty"`
	// ShownWhen, when set, asks for the field only while another input holds
	// one of the given values (shownwhen.go); Required applies only then.
	ShownWhen *ShownWhen `json:"shownWhen,omitempty"`
	// ChoicesFrom names a choice source (choicesource.go) whose choices come
	// from the card's connection (Okta's dynamic dropdowns: the org's apps);
	// the designer offers them beside Choices, any other value stays allowed.
	ChoicesFrom string `json:"choicesFrom,omitempty"`
}

// Choice is one option of a dropdown field.
type Choice struct {
	Value any    `json:"value"`
	Label string `json:"label"`
}

// Inputs is what a card's run function receives.
type Inputs struct {
	// Values are the card's resolved, converted and schema-checked inputs by key.
	// Treat them as read-only: they are recorded in history as they are.
	Values map[string]any
	Card   *Card
	Run    Runtime
}

// Outputs are a card's results by output key.
type Outputs = map[string]any

// RunFunc is the behaviour of an action or function card.
type RunFunc func(ctx context.Context, in Inputs) (Outputs, error)

// ControlFunc is the behaviour of a control card; it may run nested lists
// through the Scope.
type ControlFunc func(ctx context.Context, in Inputs, s Scope) (Outputs, error)

// Runtime is what the executor offers to every card during a run.
type Runtime interface {
	// ExecutionID of the running execution.
	ExecutionID() string
	// CallFlow runs a helper flow synchronously and returns its Return outputs.
	CallFlow(ctx context.Context, flowID string, args map[string]any) (map[string]any, error)
	// StartFlow runs a helper flow in the background (Call Flow Async) and returns its execution id.
	StartFlow(ctx context.Context, flowID string, args map[string]any) (string, error)
	// Connection returns the card's connection with its secrets (never record them).
	Connection(ctx context.Context, id string) (*Connection, error)
	// Service returns an engine-wide service by name ("tables", "http", …), or nil.
	Service(name string) any
	// Attempt records one try of an outside call in the card's history record.
	Attempt(a Attempt)
	// Settings of the running flow.
	Settings() Settings
}

// Scope lets control cards run nested card lists of the current flow.
type Scope interface {
	// RunBranch runs the named branch of the current card. vars are extra
	// values the branch's cards can bind to under the current card's id
	// (e.g. the error in an If Error catch). It returns the values given to
	// a Return card inside the branch, if one ran, and whether the branch
	// ended the whole flow (Return in a top-level If/Else lane).
	RunBranch(ctx context.Context, name string, vars map[string]any) (BranchResult, error)
	// Resolve evaluates an input field (e.g. a branch's clause condition).
	Resolve(f *Field) (any, error)
	// Branch returns the branch by name, or nil.
	Branch(name string) *Branch
}

// BranchResult reports how a nested list ended.
type BranchResult struct {
	Returned  bool           // a Return card ran
	Values    map[string]any // the Return card's inputs
	Stopped   bool           // Continue If halted
	StoppedBy string         // the Continue If card that halted
}

// Registry holds card specs and connection kinds by id.
type Registry struct {
	mu      sync.RWMutex
	cards   map[string]*Spec
	okta    map[string]*Spec
	conns   map[string]*ConnectionKind
	comp    *jsonschema.Compiler
	compMu  sync.Mutex
	schemas map[string]*jsonschema.Schema // compiled ad hoc schemas by text
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{cards: map[string]*Spec{}, okta: map[string]*Spec{}, conns: map[string]*ConnectionKind{},
		schemas: map[string]*jsonschema.Schema{}}
}

var defaultRegistry = NewRegistry()

// Default is the process registry that connectors register into from init.
func Default() *Registry { return defaultRegistry }

// Register adds a card to the default registry; it panics on a bad spec,
// since specs are code.
func Register(s *Spec) { defaultRegistry.MustAdd(s) }

// MustAdd adds a spec and panics when it is invalid.
func (r *Registry) MustAdd(s *Spec) {
	if err := r.Add(s); err != nil {
		panic(err)
	}
}

// Add validates and compiles a spec's schemas and adds it.
func (r *Registry) Add(s *Spec) error {
	if s.ID == "" || s.Title == "" || s.Kind == "" {
		return fmt.Errorf("card spec %q: id, title and kind are required", s.ID)
	}
	if s.Run == nil && s.Control == nil && s.Kind != KindTrigger {
		return fmt.Errorf("card spec %q: no Run or Control function", s.ID)
	}
	if err := checkShownWhen(s); err != nil {
		return err
	}
	for _, f := range s.Inputs {
		if f.Type == nil {
			return fmt.Errorf("card %s input schema: field %q has no type", s.ID, f.Key)
		}
	}
	for _, f := range s.Outputs {
		if f.Type == nil {
			return fmt.Errorf("card %s output schema: field %q has no type", s.ID, f.Key)
		}
	}
	s.in = &cardSchema{r: r, name: s.ID + "#in", what: "card " + s.ID + " input", fields: s.Inputs, extensible: s.ExtensibleInputs}
	s.out = &cardSchema{r: r, name: s.ID + "#out", what: "card " + s.ID + " output", fields: s.Outputs, extensible: s.ExtensibleOutputs}
	s.inKeys = map[string]*FieldSpec{}
	for i := range s.Inputs {
		s.inKeys[s.Inputs[i].Key] = &s.Inputs[i]
	}
	s.outKeys = map[string]*FieldSpec{}
	for i := range s.Outputs {
		s.outKeys[s.Outputs[i].Key] = &s.Outputs[i]
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.cards[s.ID]; dup {
		return fmt.Errorf("card %q registered twice", s.ID)
	}
	r.cards[s.ID] = s
	for _, o := range s.Okta {
		if prev, dup := r.okta[o]; dup {
			return fmt.Errorf("okta kind %q claimed by %s and %s", o, prev.ID, s.ID)
		}
		r.okta[o] = s
	}
	return nil
}

// SchemaOf is the JSON Schema document derived from a field list.
func SchemaOf(fields []FieldSpec, extensible bool) map[string]any {
	props := map[string]any{}
	var req []any
	for _, f := range fields {
		s := f.Type.Schema()
		if f.ClosedChoices() {
			enum := make([]any, 0, len(f.Choices)+1)
			for _, c := range f.Choices {
				enum = append(enum, c.Value)
			}
			if !f.Required || f.ShownWhen != nil {
				enum = append(enum, nil)
			}
			s["enum"] = enum
		}
		if f.Required && f.ShownWhen == nil { // a field shown by a choice is checked by the validator and the card
			req = append(req, f.Key)
		} else {
			s = nullable(s)
		}
		if f.Description != "" {
			s["description"] = f.Description
		}
		props[f.Key] = s
	}
	doc := map[string]any{"type": "object", "properties": props}
	if len(req) > 0 {
		doc["required"] = req
	}
	if !extensible {
		doc["additionalProperties"] = false
	}
	return doc
}

func (r *Registry) compileFields(name string, fields []FieldSpec, extensible bool) (*jsonschema.Schema, *fastNode, error) {
	for _, f := range fields {
		if f.Type == nil {
			return nil, nil, fmt.Errorf("field %q has no type", f.Key)
		}
	}
	doc := SchemaOf(fields, extensible)
	full, err := r.CompileSchema(name, doc)
	if err != nil {
		return nil, nil, err
	}
	// round-trip through JSON so the fast check sees exactly what the full
	// validator compiled (numbers as float64, lists as []any)
	b, _ := json.Marshal(doc)
	var plain map[string]any
	_ = json.Unmarshal(b, &plain)
	return full, compileFast(plain), nil
}

// CompileSchema compiles a JSON Schema document (cached by its text).
func (r *Registry) CompileSchema(name string, doc map[string]any) (*jsonschema.Schema, error) {
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	key := string(b)
	r.compMu.Lock()
	defer r.compMu.Unlock()
	if s, ok := r.schemas[key]; ok {
		return s, nil
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	url := "mem://" + strings.NewReplacer("#", "/", " ", "_").Replace(name) + ".json"
	if err := c.AddResource(url, strings.NewReader(key)); err != nil {
		return nil, err
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, err
	}
	r.schemas[key] = s
	return s, nil
}

// Card returns the spec for a native id or an Okta kind ("string:concat").
func (r *Registry) Card(id string) (*Spec, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if s, ok := r.cards[id]; ok {
		return s, true
	}
	s, ok := r.okta[id]
	return s, ok
}

// ByOkta returns the spec implementing an Okta kind (module:method).
func (r *Registry) ByOkta(kind string) (*Spec, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, ok := r.okta[kind]
	return s, ok
}

// Cards lists every spec sorted by id.
func (r *Registry) Cards() []*Spec {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*Spec, 0, len(r.cards))
	for _, s := range r.cards {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// InputSchema and OutputSchema are the compiled schemas (nil when the
// declaration does not compile: CompileSchemas says why).
func (s *Spec) InputSchema() *jsonschema.Schema  { _, full, _ := s.in.get(); return full }
func (s *Spec) OutputSchema() *jsonschema.Schema { _, full, _ := s.out.get(); return full }

// CompileSchemas compiles the spec's input and output schemas now (they are
// otherwise compiled on first use), returning the first error.
func (s *Spec) CompileSchemas() error {
	if _, _, err := s.in.get(); err != nil {
		return err
	}
	_, _, err := s.out.get()
	return err
}

// cardSchema is one side of a card's contract, compiled on first use:
// compiling every registered card's two schemas when the process starts
// took ~300 ms and ~40 MB of allocations in every CLI command, the window
// and serve, most of them for cards a process never runs. The connectors'
// tests compile every card (connectors/all), so a bad declaration still
// fails before it ships.
type cardSchema struct {
	r          *Registry
	name       string // schema name (compile cache and errors)
	what       string // "card <id> input" in error messages
	fields     []FieldSpec
	extensible bool

	once sync.Once
	fast *fastNode
	full *jsonschema.Schema
	err  error
}

func (c *cardSchema) get() (*fastNode, *jsonschema.Schema, error) {
	if c == nil {
		return nil, nil, nil
	}
	c.once.Do(func() {
		c.full, c.fast, c.err = c.r.compileFields(c.name, c.fields, c.extensible)
		if c.err != nil {
			c.err = fmt.Errorf("%s schema: %w", c.what, c.err)
		}
	})
	return c.fast, c.full, c.err
}

// InputSpec returns the declared input field by key.
func (s *Spec) InputSpec(key string) *FieldSpec { return s.inKeys[key] }

// OutputSpec returns the declared output field by key.
func (s *Spec) OutputSpec(key string) *FieldSpec { return s.outKeys[key] }

// SpecDoc is the JSON form of a spec for `flowbench cards --json` and the palette.
type SpecDoc struct {
	ID                string         `json:"id"`
	Okta              []string       `json:"okta,omitempty"`
	Title             string         `json:"title"`
	Category          string         `json:"category"`
	App               string         `json:"app,omitempty"`
	Kind              string         `json:"kind"`
	Description       string         `json:"description,omitempty"`
	DocURL            string         `json:"docUrl,omitempty"`
	Inputs            []FieldSpec    `json:"inputs"`
	Outputs           []FieldSpec    `json:"outputs"`
	ExtensibleInputs  bool           `json:"extensibleInputs,omitempty"`
	ExtensibleOutputs bool           `json:"extensibleOutputs,omitempty"`
	Connection        string         `json:"connection,omitempty"`
	Branches          []string       `json:"branches,omitempty"`
	InputSchema       map[string]any `json:"inputSchema"`
	OutputSchema      map[string]any `json:"outputSchema"`
}

// Doc renders the declaration.
func (s *Spec) Doc() SpecDoc {
	in, out := s.Inputs, s.Outputs
	if in == nil {
		in = []FieldSpec{}
	}
	if out == nil {
		out = []FieldSpec{}
	}
	return SpecDoc{ID: s.ID, Okta: s.Okta, Title: s.Title, Category: s.Category, App: s.App, Kind: s.Kind,
		Description: s.Description, DocURL: s.DocURL, Inputs: in, Outputs: out,
		ExtensibleInputs: s.ExtensibleInputs, ExtensibleOutputs: s.ExtensibleOutputs,
		Connection: s.Connection, Branches: s.Branches,
		InputSchema: SchemaOf(s.Inputs, s.ExtensibleInputs), OutputSchema: SchemaOf(s.Outputs, s.ExtensibleOutputs)}
}

// TakesAddedInput reports whether the card uses an input it does not
// declare, added in group.
func (s *Spec) TakesAddedInput(group string) bool {
	if !s.ExtensibleInputs {
		return false
	}
	if len(s.ExtensibleGroups) == 0 {
		return true
	}
	for _, g := range s.ExtensibleGroups {
		if g == group {
			return true
		}
	}
	return false
}
