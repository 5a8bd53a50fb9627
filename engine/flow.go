package engine

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Format versions of the native files.
const (
	FlowFormat   = "flowbench.flow/v1"
	FolderFormat = "flowbench.folder/v1"
)

// Flow is one automation: a trigger card followed by an ordered card list.
// Nested lists live in Card.Branches (If/Else lanes, If/ElseIf clauses,
// If Error try/catch bodies). A flow never holds a secret: cards name
// connections by id.
type Flow struct {
	Format      string `json:"format"`
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Folder      string `json:"folder,omitempty"`
	Enabled     bool   `json:"enabled,omitempty"`
	// Revision counts the stored flow's saves (set by the store; 0 in
	// files). A save carries the revision it edited, so a save over a change
	// made elsewhere is reported as a conflict instead of undoing it.
	Revision int64    `json:"revision,omitempty"`
	Settings Settings `json:"settings"`
	Trigger  Card     `json:"trigger"`
	Cards    []Card   `json:"cards"`
	// Origin records where an imported flow came from (Okta flow uuid, pack).
	Origin *Origin `json:"origin,omitempty"`
}

// Settings are per-flow run settings.
type Settings struct {
	// History saves every execution with card inputs/outputs (Okta's "save all data").
	History bool `json:"history"`
	// KeepLast keeps only the newest N executions of this flow (0 = no count limit).
	KeepLast int `json:"keepLast,omitempty"`
	// KeepDays drops executions older than N days (0 = no age limit).
	KeepDays int `json:"keepDays,omitempty"`
	// Timeout bounds one execution ("30s", "5m"); empty means the engine default.
	Timeout Duration `json:"timeout,omitempty"`
	// Concurrency bounds parallel items in For Each / Map / Reduce (default 1).
	Concurrency int `json:"concurrency,omitempty"`
}

// Duration is a time.Duration written as Go duration text.
type Duration time.Duration

func (d Duration) String() string { return time.Duration(d).String() }

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var n float64
		if err2 := json.Unmarshal(b, &n); err2 != nil {
			return err
		}
		if n < 0 {
			return fmt.Errorf("duration %v ms is negative", n)
		}
		*d = Duration(time.Duration(n) * time.Millisecond)
		return nil
	}
	if s == "" {
		*d = 0
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration: use a number and a unit, e.g. 30s, 5m, 1h", s)
	}
	if v < 0 {
		// a negative flow timeout turned every bound off, the default one too
		return fmt.Errorf("duration %q is negative", s)
	}
	*d = Duration(v)
	return nil
}

// Card is one step. Type is a registry id ("okta.readUser", "text.concat").
type Card struct {
	ID         string       `json:"id"`
	Type       string       `json:"type"`
	Title      string       `json:"title,omitempty"`
	Note       string       `json:"note,omitempty"`       // Comment card text, or a user note
	Connection string       `json:"connection,omitempty"` // connection id (never a secret)
	Flow       string       `json:"flow,omitempty"`       // helper flow id (Call Flow, For Each, Map, …)
	Inputs     []Field      `json:"inputs,omitempty"`
	Outputs    []Field      `json:"outputs,omitempty"` // declared outputs of extensible cards
	Branches   []Branch     `json:"branches,omitempty"`
	OnError    *ErrorPolicy `json:"onError,omitempty"`
	Retry      *RetryPolicy `json:"retry,omitempty"`  // outside calls of this card (HTTP retries)
	Hidden     bool         `json:"hidden,omitempty"` // not drawn (Okta's displayed:false)
	Origin     *Origin      `json:"origin,omitempty"`
}

// Field is an input (static value or binding) or a declared output.
type Field struct {
	Key   string `json:"key"`
	Group string `json:"group,omitempty"`
	Label string `json:"label,omitempty"`
	Type  *Type  `json:"type,omitempty"`
	// Value is a static literal.
	Value any `json:"value,omitempty"`
	// From binds the input to an earlier card's output.
	From *Binding `json:"from,omitempty"`
	// Any binds to the first of several sources whose card ran — used for
	// the outputs of If/Else, fed from each branch (Okta's join).
	Any []Binding `json:"any,omitempty"`
	// Item maps the current list item (or a key path of it) into a helper
	// flow input on For Each / Map / Filter / Reduce cards.
	Item *ItemMapping `json:"item,omitempty"`
	// Required marks user-defined inputs that must be set.
	Required bool `json:"required,omitempty"`
	// Hidden fields are plumbing not drawn on the canvas.
	Hidden bool `json:"hidden,omitempty"`
	// Secret, on a card output, keeps its value out of history: later cards
	// use it as usual, every record shows Redacted instead (redact.go).
	Secret bool `json:"secret,omitempty"`
}

// Binding addresses an output value: card id (or "trigger"), then a path
// whose first element is the output field key and the rest walk into nested
// objects and lists ("0", "-1" index lists).
type Binding struct {
	Card    string   `json:"card"`
	Path    []string `json:"path"`
	Convert string   `json:"convert,omitempty"` // Okta transform: toString, parse, wrapArray, …
}

func (b Binding) String() string { return b.Card + "." + strings.Join(b.Path, ".") }

// ItemMapping says which part of the current item feeds a helper input.
type ItemMapping struct {
	Path string `json:"path"` // "" = the whole item, else a dot path into it
	// Index feeds the item's position (0-based) instead of the item; the
	// helper also finds it in its trigger's context.index.
	Index bool `json:"index,omitempty"`
}

// Branch is a nested card list: If/Else lanes ("true"/"false"), If/ElseIf
// clauses (with their condition inputs), If Error ("try"/"catch").
type Branch struct {
	Name   string  `json:"name"`
	Inputs []Field `json:"inputs,omitempty"` // clause condition (If/ElseIf)
	Cards  []Card  `json:"cards"`
}

// ErrorPolicy is a card's own error handling (Okta's policy.error).
type ErrorPolicy struct {
	// Action: "fail" (default: the run fails), "continue" (outputs empty, go on),
	// "flow" (run helper Flow with the error, then go on).
	Action string `json:"action"`
	Flow   string `json:"flow,omitempty"`
	// Retries before the action applies; Delay between tries (DelayMax for a random range).
	Retries  int      `json:"retries,omitempty"`
	Delay    Duration `json:"delay,omitempty"`
	DelayMax Duration `json:"delayMax,omitempty"`
	// RetryOn: "" or "any" retries every error, "ratelimits" only 429s.
	RetryOn string `json:"retryOn,omitempty"`
}

// RetryPolicy overrides how a card's outside calls are retried (the HTTP
// client's defaults: 4 tries with exponential backoff for idempotent calls on
// connection errors, timeouts and 500/502/503/504; 429s wait for the reset).
// It is distinct from ErrorPolicy, which re-runs the whole card.
type RetryPolicy struct {
	Attempts int      `json:"attempts,omitempty"` // total tries for retryable failures (1 = no retry)
	MinWait  Duration `json:"minWait,omitempty"`  // backoff bounds
	MaxWait  Duration `json:"maxWait,omitempty"`
	Statuses []int    `json:"statuses,omitempty"` // statuses retried for idempotent calls
	// RateLimitAttempts bounds tries on 429 (0 = the client's default).
	RateLimitAttempts int `json:"rateLimitAttempts,omitempty"`
	// Timeout bounds one outside call of the card, every attempt and wait
	// included (0 = the client's default of 2 minutes): a hanging upstream is
	// cut here rather than after every attempt's own timeout.
	Timeout Duration `json:"timeout,omitempty"`
}

// Origin keeps provenance of imported things; Raw holds the original JSON of
// cards that have no native equivalent, so nothing is lost.
type Origin struct {
	Source  string `json:"source,omitempty"` // "okta"
	ID      string `json:"id,omitempty"`
	Address string `json:"address,omitempty"`
	// App is the display name of the app of an unsupported imported card
	// ("Salesforce"), shown on the canvas with the card's title.
	App string          `json:"app,omitempty"`
	Raw json.RawMessage `json:"raw,omitempty"`
}

// Folder is a bundle of flows (main + helpers) and table definitions, the
// unit of folder export/import.
type Folder struct {
	Format      string           `json:"format"`
	Name        string           `json:"name"`
	Description string           `json:"description,omitempty"`
	Flows       []*Flow          `json:"flows"`
	Tables      []TableDef       `json:"tables,omitempty"`
	Connections []ConnectionRef  `json:"connections,omitempty"`
	Rows        map[string][]Row `json:"rows,omitempty"` // table id -> rows
}

// TableDef is a table's schema.
type TableDef struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Folder  string   `json:"folder,omitempty"`
	Columns []Column `json:"columns"`
}

// Column of a table.
type Column struct {
	Name    string `json:"name"`
	Type    *Type  `json:"type"`
	Default any    `json:"default,omitempty"`
}

// Row is one table row (system columns "Row ID", "Created", "Updated" included).
type Row map[string]any

// ConnectionRef is a placeholder for a connection a flow needs: kind and
// name only, to be bound to a real connection by the user.
type ConnectionRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// Walk calls fn for every card of the flow, depth first in execution order,
// with the card list that holds it. Returning false stops the walk.
func (f *Flow) Walk(fn func(c *Card, parent *Card) bool) {
	if !fn(&f.Trigger, nil) {
		return
	}
	walkCards(f.Cards, nil, fn)
}

func walkCards(cards []Card, parent *Card, fn func(c *Card, parent *Card) bool) bool {
	for i := range cards {
		c := &cards[i]
		if !fn(c, parent) {
			return false
		}
		for j := range c.Branches {
			if !walkCards(c.Branches[j].Cards, c, fn) {
				return false
			}
		}
	}
	return true
}

// Input returns the input field with key (first match).
func (c *Card) Input(key string) *Field {
	for i := range c.Inputs {
		if c.Inputs[i].Key == key {
			return &c.Inputs[i]
		}
	}
	return nil
}

// Label is what humans call the card in messages: title (id).
func (c *Card) Label() string {
	if c.Title != "" {
		return fmt.Sprintf("%q (%s)", c.Title, c.ID)
	}
	return c.ID
}

// TriggerID is how bindings address the trigger card.
const TriggerID = "trigger"
