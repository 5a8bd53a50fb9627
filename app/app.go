// Package app is the thin layer that the desktop window (Wails bindings),
// the HTTP server (`flowbench serve`) and the CLI call. Its exported
// methods take no context so that Wails can bind them; they use the app's.
package app

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
	"github.com/flowbench/flowbench/examples"
)

// Version of the app.
var Version = "0.1.0"

// Options open an App.
type Options struct {
	DataDir string
	// Sandbox starts the built-in Okta sandbox tenant in-process and keeps a
	// "sandbox" connection pointing at it.
	Sandbox bool
	// Out receives informational lines (rendered signals, sandbox URL).
	Out io.Writer
	// Key overrides the store encryption key (tests).
	Key []byte
	// Triggers starts the trigger runtime (event hooks, pollers, schedules,
	// API endpoints): the desktop window and `serve` do; one-shot CLI
	// commands do not.
	Triggers bool
}

// App is the application: store + engine + services.
type App struct {
	ctx   context.Context
	opt   Options
	Store *store.Store
	Exec  *engine.Executor
	Reg   *engine.Registry

	closers      []func()
	mu           sync.Mutex
	info         AppInfo
	sampleFixups []func(f *engine.Flow, in map[string]any)
	triggers     *triggerHost // the trigger runtime (triggers.go)
}

// Hooks let optional parts (the sandbox tenant, triggers, importers) plug
// into Open without app importing them all; they register from init.
type Hook struct {
	Name string
	// Start runs after the store and executor are ready; it may return a closer.
	Start func(ctx context.Context, a *App) (func(), error)
}

var hooks []Hook

// RegisterHook adds a start hook (called from init of optional packages).
func RegisterHook(h Hook) { hooks = append(hooks, h) }

// Importer turns a foreign export (e.g. Okta .flopack) into native flows.
type Importer func(name string, data []byte, reg *engine.Registry) (*engine.Folder, any, error)

var importers = map[string]Importer{}

// Route is an HTTP handler that an optional part mounts on `flowbench
// serve` (and on the desktop app's local listener), e.g. API Endpoint
// flows at /api/flows/, Okta event hooks, /healthz and /metrics.
type Route struct {
	Pattern string // http.ServeMux pattern
	Handler func(a *App) http.Handler
}

var routes []Route

// RegisterRoute adds a route (called from init of optional packages).
func RegisterRoute(r Route) { routes = append(routes, r) }

// RegisterImporter registers an importer for file extensions (".flopack").
func RegisterImporter(ext string, imp Importer) { importers[ext] = imp }

// Open opens the data directory and starts the engine.
func Open(ctx context.Context, opt Options) (*App, error) {
	if opt.DataDir == "" {
		opt.DataDir = store.DefaultDir()
	}
	if opt.Out == nil {
		opt.Out = os.Stdout
	}
	st, err := store.Open(opt.DataDir, store.Options{Key: opt.Key})
	if err != nil {
		return nil, err
	}
	a := &App{ctx: ctx, opt: opt, Store: st, Reg: engine.Default()}
	a.Exec = engine.NewExecutor(st, st, st)
	a.Exec.Services["tables"] = st
	a.Exec.Services["flows"] = st
	a.Exec.Services["connections"] = st // refreshed OAuth tokens are written back
	a.Exec.Services["files"] = st       // the flow file system (File cards, engine/store/files.go)
	a.info = AppInfo{Version: Version, DataDir: opt.DataDir, Open: os.Getenv("FLOWBENCH_OPEN")}
	for _, h := range hooks {
		if h.Name == "sandbox" && !opt.Sandbox {
			continue
		}
		closer, err := h.Start(ctx, a)
		if err != nil {
			a.close()
			return nil, fmt.Errorf("%s: %w", h.Name, err)
		}
		if closer != nil {
			a.closers = append(a.closers, closer)
		}
	}
	if err := a.seed(); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// Exported methods of *App are the UI's API (the Wails window binds them
// all), so the app's own plumbing is unexported.

// setContext replaces the app context (Wails gives one at start-up).
func (a *App) setContext(ctx context.Context) { a.ctx = ctx }

// setInfo lets hooks publish facts (e.g. the sandbox URL).
func (a *App) setInfo(fn func(*AppInfo)) {
	a.mu.Lock()
	fn(&a.info)
	a.mu.Unlock()
}

// Shutdown stops everything and closes the store.
func Shutdown(a *App) error { return a.close() }

func (a *App) close() error {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
	a.Exec.Close()
	return a.Store.Close()
}

// Seeds are example flows placed in a folder on first run (registered by
// the examples package).
var Seeds []SeedFlow

// SeedFlow is one first-run example.
type SeedFlow struct {
	Folder string
	Data   []byte
}

func (a *App) seed() error {
	if _, done := a.Store.GetMeta("seeded"); done {
		return nil
	}
	if data, err := examples.FS.ReadFile(examples.SeedExample); err == nil {
		Seeds = append([]SeedFlow{{Folder: "Getting started", Data: data}}, Seeds...)
	}
	for _, s := range Seeds {
		f, err := engine.ParseFlow("seed", s.Data)
		if err != nil {
			return fmt.Errorf("seed flow: %w", err)
		}
		f.Folder = s.Folder
		if err := a.Store.PutFlow(f); err != nil {
			return err
		}
	}
	return a.Store.SetMeta("seeded", time.Now().UTC().Format(time.RFC3339))
}

// --- flows ---

// FlowSummary is a home-screen row.
type FlowSummary struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Folder      string     `json:"folder"`
	Description string     `json:"description,omitempty"`
	Enabled     bool       `json:"enabled"`
	Trigger     string     `json:"trigger"`
	Cards       int        `json:"cards"`
	LastRun     *RunStatus `json:"lastRun,omitempty"`
}

// RunStatus is the last run of a flow.
type RunStatus struct {
	ID         string    `json:"id"`
	Status     string    `json:"status"`
	Started    time.Time `json:"started"`
	DurationMS float64   `json:"durationMs"`
}

// ListFlows lists flows with their last run.
func (a *App) ListFlows() ([]FlowSummary, error) {
	out := []FlowSummary{}
	for _, f := range a.Store.Flows() {
		n := 0
		f.Walk(func(*engine.Card, *engine.Card) bool { n++; return true })
		s := FlowSummary{ID: f.ID, Name: f.Name, Folder: f.Folder, Description: f.Description, Enabled: f.Enabled,
			Trigger: f.Trigger.Type, Cards: n - 1}
		if last, err := a.Store.Executions(store.Query{Flow: f.ID, Limit: 1}); err == nil && len(last) == 1 {
			s.LastRun = &RunStatus{ID: last[0].ID, Status: last[0].Status, Started: last[0].Started, DurationMS: last[0].DurationMS}
		}
		out = append(out, s)
	}
	return out, nil
}

// GetFlow returns a copy of a stored flow.
func (a *App) GetFlow(id string) (*engine.Flow, error) {
	f, err := a.Store.Flow(a.ctx, id)
	if err != nil {
		return nil, err
	}
	c, err := cloneFlow(f)
	if err == nil {
		unsupportedApps(c) // importers.go
	}
	return c, err
}

func cloneFlow(f *engine.Flow) (*engine.Flow, error) {
	b, err := engine.MarshalFlow(f)
	if err != nil {
		return nil, err
	}
	var c engine.Flow
	return &c, json.Unmarshal(b, &c)
}

// CreateFlow makes an empty flow with a manual trigger.
func (a *App) CreateFlow(name, folder string) (*engine.Flow, error) {
	if strings.TrimSpace(name) == "" {
		name = "Untitled flow"
	}
	f := &engine.Flow{Format: engine.FlowFormat, ID: engine.NewID(), Name: name, Folder: folder,
		Settings: engine.Settings{History: true}, Trigger: engine.Card{ID: "trigger", Type: "flow.manual", Title: "Manual Run"},
		Cards: []engine.Card{}}
	return f, a.Store.PutFlow(f)
}

// SaveResult is what SaveFlow returns: the saved flow and its problems.
type SaveResult struct {
	Flow     *engine.Flow     `json:"flow"`
	Problems []engine.Problem `json:"problems"`
}

// SaveFlow validates and stores a flow. Flows with problems are saved too
// (as in Okta Workflows) and the problems are returned for the canvas; a
// flow that does not fit the file format is refused.
func (a *App) SaveFlow(f *engine.Flow) (*SaveResult, error) {
	if f == nil || f.ID == "" {
		return nil, errors.New("flow has no id")
	}
	if err := checkFlowName(f.Name); err != nil {
		return nil, err
	}
	f.Format = engine.FlowFormat
	data, err := engine.MarshalFlow(f)
	if err != nil {
		return nil, err
	}
	parsed, err := engine.ParseFlow(f.Name, data)
	if err != nil {
		return nil, err
	}
	// on/off belongs to SetFlowEnabled: a save (perhaps from a tab opened
	// before the flow was switched elsewhere) keeps the stored state
	if cur, err := a.Store.Flow(a.ctx, parsed.ID); err == nil {
		parsed.Enabled = cur.Enabled
	}
	// the save carries the revision it edited: a change made elsewhere since
	// (or a delete) is a conflict (409) the UI shows with both versions
	if err := a.Store.SaveFlowIf(parsed, f.Revision); err != nil {
		return nil, err
	}
	a.Exec.Invalidate(parsed.ID)
	probs, _ := a.ValidateFlow(parsed)
	return &SaveResult{Flow: parsed, Problems: probs}, nil
}

// ValidateFlow checks a flow against the registry, the stored flows and connections.
func (a *App) ValidateFlow(f *engine.Flow) ([]engine.Problem, error) {
	p := append(engine.Validate(f, a.validateEnv()), a.temporalPauseProblems(f)...) // pause.go
	if p == nil {
		p = []engine.Problem{}
	}
	a.placeholderProblems(f, p) // placeholders.go
	return p, nil
}

func (a *App) validateEnv() *engine.ValidateEnv {
	env := &engine.ValidateEnv{Registry: a.Reg, Flows: map[string]*engine.Flow{}, Connections: map[string]bool{}}
	for _, f := range a.Store.Flows() {
		env.Flows[f.ID] = f
	}
	if conns, err := a.Store.Connections(); err == nil {
		for _, c := range conns {
			env.Connections[c.ID] = true
		}
	}
	return env
}

// DuplicateFlow copies a flow under a new id.
func (a *App) DuplicateFlow(id string) (*engine.Flow, error) {
	f, err := a.GetFlow(id)
	if err != nil {
		return nil, err
	}
	f.ID, f.Name, f.Enabled = engine.NewID(), f.Name+" (copy)", false
	return f, a.Store.PutFlow(f)
}

// RenameFlow renames a flow.
func (a *App) RenameFlow(id, name string) error {
	if err := checkFlowName(name); err != nil {
		return err
	}
	f, err := a.GetFlow(id)
	if err != nil {
		return err
	}
	f.Name = name
	a.Exec.Invalidate(id)
	return a.Store.PutFlow(f)
}

// MoveFlow puts a flow in a folder.
func (a *App) MoveFlow(id, folder string) error {
	f, err := a.GetFlow(id)
	if err != nil {
		return err
	}
	f.Folder = folder
	a.Exec.Invalidate(id)
	return a.Store.PutFlow(f)
}

// DeleteFlow deletes a flow.
func (a *App) DeleteFlow(id string) error {
	a.Exec.Invalidate(id)
	if err := a.Store.DeleteFlow(id); err != nil {
		return err
	}
	a.Store.DropFlowHistory(id)      // "its history goes too", as the Flows list asks
	return a.Store.DropFlowTests(id) // its tests and environment (flowtests.go, environments.go)
}

// FlowToggled is called when a flow is switched on or off (triggers hook
// in); an error (e.g. an invalid schedule) keeps the flow off.
var FlowToggled func(a *App, f *engine.Flow) error

// SetFlowEnabled switches a flow on or off.
func (a *App) SetFlowEnabled(id string, on bool) error {
	f, err := a.GetFlow(id)
	if err != nil {
		return err
	}
	f.Enabled = on
	if err := a.Store.PutFlowState(f); err != nil {
		return err
	}
	if on {
		a.pinFlowEnv(id) // it runs in the environment active now (environments.go)
	}
	a.Exec.Invalidate(id)
	if FlowToggled != nil {
		if err := FlowToggled(a, f); err != nil && on {
			off, cerr := cloneFlow(f) // f is the store's shared copy now
			if cerr == nil {
				off.Enabled = false
				_ = a.Store.PutFlowState(off)
				a.Exec.Invalidate(id)
			}
			return err
		}
	}
	return nil
}

// --- runs ---

// RunFlow runs a stored flow by id with test input and returns the
// execution (also when it failed: the error is in the record).
func (a *App) RunFlow(id string, input map[string]any) (*engine.Execution, error) {
	f, err := a.Store.Flow(a.ctx, id)
	if err != nil {
		return nil, err
	}
	if ex, ok := a.runOnCluster(f, input); ok { // serve --temporal (temporal_serve.go)
		return ex, nil
	}
	ex, _ := a.Exec.Run(a.runCtx(), f, input, engine.RunOptions{Trigger: "manual"})
	return ex.Record(), nil // as History shows it: secrets redacted, Return values too
}

// RunDraft runs an unsaved flow (the canvas's current state).
func (a *App) RunDraft(f *engine.Flow, input map[string]any) (*engine.Execution, error) {
	if f == nil {
		return nil, errors.New("no flow")
	}
	c, err := cloneFlow(f)
	if err != nil {
		return nil, err
	}
	if ex, ok := a.runOnCluster(c, input); ok { // serve --temporal (temporal_serve.go)
		return ex, nil
	}
	ex, _ := a.Exec.Run(a.runCtx(), c, input, engine.RunOptions{Trigger: "manual"})
	a.Exec.Invalidate(c.ID)
	return ex.Record(), nil
}

// SampleInputs supplies realistic trigger payloads per trigger card type
// (Okta event cards register theirs), so nobody types an event by hand.
var SampleInputs = map[string]func(f *engine.Flow) map[string]any{}

// SampleInput returns a prefilled test input for a flow's trigger.
func (a *App) SampleInput(id string) (map[string]any, error) {
	f, err := a.Store.Flow(a.ctx, id)
	if err != nil {
		return nil, err
	}
	return a.sampleFor(f), nil
}

// sampleFor builds a sample payload: a registered sample for the trigger
// type, else values from the trigger's declared outputs; then the app's
// fixups (the sandbox puts a real user of its tenant in Okta event samples).
func (a *App) sampleFor(f *engine.Flow) map[string]any {
	in := SampleFor(f)
	for _, fix := range a.sampleFixups {
		fix(f, in)
	}
	return in
}

// SampleFor is the app-independent part of (*App).sampleFor.
func SampleFor(f *engine.Flow) map[string]any {
	if fn := SampleInputs[f.Trigger.Type]; fn != nil {
		return fn(f)
	}
	out := map[string]any{}
	for _, o := range f.Trigger.Outputs {
		if o.Key == "context" {
			continue
		}
		if o.Value != nil {
			out[o.Key] = o.Value
			continue
		}
		out[o.Key] = sampleValue(o.Key, o.Type)
	}
	return out
}

func sampleValue(key string, t *engine.Type) any {
	if t == nil {
		return "sample"
	}
	var v any
	switch t.Kind {
	case engine.KindNumber, engine.KindInteger:
		v = float64(1)
	case engine.KindBoolean:
		v = true
	case engine.KindDate:
		v = time.Now().UTC().Format(engine.DateLayout)
	case engine.KindObject:
		m := map[string]any{}
		for k, ft := range t.Fields {
			m[k] = sampleValue(k, ft)
		}
		v = m
	default:
		v = "sample " + key
	}
	if t.List {
		return []any{v}
	}
	return v
}

// --- history ---

// HistoryQuery filters ListExecutions.
type HistoryQuery struct {
	Flow   string `json:"flow"`
	Status string `json:"status"`
	Text   string `json:"text"`
	Parent string `json:"parent"`
	Before string `json:"before"` // paging: executions older than this id
	Limit  int    `json:"limit"`
}

// ExecutionSummary is a history row.
type ExecutionSummary = store.Summary

// ListExecutions lists executions newest first.
func (a *App) ListExecutions(q HistoryQuery) ([]ExecutionSummary, error) {
	running := a.runningRows(q) // runs in progress first (cancel.go)
	if q.Status == statusRunning {
		return running, nil
	}
	a.Store.Flush()
	rows, err := a.Store.Executions(store.Query{Flow: q.Flow, Status: q.Status, Text: q.Text, Parent: q.Parent, Before: q.Before, Limit: q.Limit})
	if err != nil || len(running) == 0 {
		return rows, err
	}
	// a long run's journal record can be listed already (interrupted-style header): once
	seen := make(map[string]bool, len(running))
	for _, r := range running {
		seen[r.ID] = true
	}
	for _, r := range rows {
		if !seen[r.ID] {
			running = append(running, r)
		}
	}
	return running, nil
}

// GetExecution returns one execution with its card records.
func (a *App) GetExecution(id string) (*engine.Execution, error) {
	a.Store.Flush()
	ex, err := a.Store.Execution(id)
	if errors.Is(err, store.ErrNotFound) {
		// a run in progress whose journal has no record yet (a short one writes it at its end)
		for _, r := range a.Exec.Running() {
			if r.ID == id {
				return &engine.Execution{ID: r.ID, Flow: r.Flow, FlowName: r.FlowName, Status: statusRunning, Started: r.Started, Trigger: r.Trigger, Parent: r.Parent}, nil
			}
		}
	}
	return ex, err
}

// --- cards ---

// Cards lists every registered card with its schemas (the palette).
func (a *App) Cards() ([]engine.SpecDoc, error) {
	specs := a.Reg.Cards()
	out := make([]engine.SpecDoc, 0, len(specs))
	for _, s := range specs {
		out = append(out, s.Doc())
	}
	return out, nil
}

// TestCard runs one card on its own (by native id or Okta name).
func (a *App) TestCard(id string, input map[string]any) (map[string]any, error) {
	return engine.TestCard(a.ctx, a.Exec, id, input)
}

// --- tables ---

// ListTables lists table definitions (imported ones included) for pickers.
func (a *App) ListTables() ([]engine.TableDef, error) {
	defs, err := a.Store.ListTables(a.ctx)
	if defs == nil {
		defs = []engine.TableDef{}
	}
	return defs, err
}

// TableRows returns up to limit rows of a table in creation order, as
// Search Rows returns them.
func (a *App) TableRows(table string, limit int) ([]engine.Row, error) {
	limit = rowPageLimit(limit)
	rows, err := a.Store.SearchRows(a.ctx, table, nil, engine.SearchOptions{Limit: limit})
	if rows == nil {
		rows = []engine.Row{}
	}
	return rows, err
}

// --- connections ---

// ConnectionKindDoc describes a connection kind for forms.
type ConnectionKindDoc struct {
	ID      string             `json:"id"`
	Title   string             `json:"title"`
	Fields  []engine.FieldSpec `json:"fields"`
	Secrets []engine.FieldSpec `json:"secrets"`
}

// ConnectionKinds lists the kinds connectors registered.
func (a *App) ConnectionKinds() ([]ConnectionKindDoc, error) {
	out := []ConnectionKindDoc{}
	for _, k := range a.Reg.ConnectionKinds() {
		out = append(out, ConnectionKindDoc{ID: k.ID, Title: k.Title, Fields: k.Fields, Secrets: k.Secrets})
	}
	return out, nil
}

// ListConnections lists connections with secrets masked.
func (a *App) ListConnections() ([]*engine.Connection, error) {
	cs, err := a.Store.Connections()
	if err != nil {
		return nil, err
	}
	out := make([]*engine.Connection, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.Public())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// SaveConnection creates or updates a connection. Secret values left
// empty (or masked) keep the stored ones, so forms never need to show them.
func (a *App) SaveConnection(c *engine.Connection) (*engine.Connection, error) {
	if c == nil || strings.TrimSpace(c.Name) == "" {
		return nil, badInput{errors.New("a connection needs a name")}
	}
	if _, ok := a.Reg.ConnectionKind(c.Kind); !ok {
		return nil, badInput{fmt.Errorf("unknown connection kind %q", c.Kind)}
	}
	now := time.Now().UTC()
	if c.ID == "" {
		c.ID = slug(c.Name)
		if _, err := a.Store.Connection(a.ctx, c.ID); err == nil {
			c.ID += "-" + engine.NewID()[20:]
		}
		c.Created = now
	}
	if old, err := a.Store.Connection(a.ctx, c.ID); err == nil {
		c.Created = old.Created
		for k, v := range old.Secrets {
			if nv, ok := c.Secrets[k]; !ok || nv == "" || nv == "********" {
				if c.Secrets == nil {
					c.Secrets = map[string]string{}
				}
				c.Secrets[k] = v
			}
		}
	}
	for k, v := range c.Secrets {
		if v == "" || v == "********" {
			delete(c.Secrets, k)
		}
	}
	c.Updated = now
	if err := a.Store.PutConnection(c); err != nil {
		return nil, err
	}
	return c.Public(), nil
}

func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	out := b.String()
	if len(out) > maxSlug { // a file name (folder export) or an id: short enough for any file system
		out = out[:maxSlug]
	}
	out = strings.Trim(out, "-")
	if out == "" {
		out = "connection"
	}
	return out
}

// maxSlug bounds a slug (ASCII): a folder named at length exported to a
// file name past the file system's 255 bytes failed "file name too long".
const maxSlug = 64

// BindConnection points every card that uses connection id `from` (e.g. an
// imported Okta connection placeholder) at connection `to`, in one store
// transaction, and returns how many cards changed.
func (a *App) BindConnection(from, to string) (int, error) {
	if from == "" || to == "" {
		return 0, errors.New("bind: give the placeholder and the connection")
	}
	target, err := a.Store.Connection(a.ctx, to)
	if err != nil {
		return 0, err
	}
	if err := checkBindKind(from, target); err != nil { // placeholders.go
		return 0, err
	}
	n := 0
	var changed []*engine.Flow
	for _, stored := range a.Store.Flows() {
		f, err := cloneFlow(stored)
		if err != nil {
			return 0, err
		}
		hits := 0
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			if a.bindsCard(c, from, target.Kind) { // a card of another app keeps its placeholder
				c.Connection = to
				hits++
			}
			return true
		})
		if hits > 0 {
			n += hits
			changed = append(changed, f)
		}
	}
	if len(changed) == 0 {
		return 0, nil
	}
	if err := a.Store.Import(&engine.Folder{Flows: changed}); err != nil {
		return 0, err
	}
	for _, f := range changed {
		a.Exec.Invalidate(f.ID)
	}
	return n, nil
}

// DeleteConnection deletes a connection.
func (a *App) DeleteConnection(id string) error { return a.Store.DeleteConnection(id) }

// TestConnection walks the connection kind's test ladder.
func (a *App) TestConnection(id string) (*engine.TestReport, error) {
	c, err := a.Store.Connection(a.ctx, id)
	if err != nil {
		return nil, err
	}
	k, ok := a.Reg.ConnectionKind(c.Kind)
	if !ok || k.Test == nil {
		return nil, fmt.Errorf("connection kind %q has no test", c.Kind)
	}
	ctx, cancel := context.WithTimeout(a.ctx, 30*time.Second)
	defer cancel()
	return k.Test(ctx, c), nil
}

// KeyPair is a generated key for OAuth private_key_jwt.
type KeyPair struct {
	PrivatePEM string         `json:"privatePem"`
	PublicJWK  map[string]any `json:"publicJwk"`
}

// GenerateKeyPair makes an EC P-256 key: the private PEM goes into the
// connection's secrets; the public JWK is pasted into Okta.
func (a *App) GenerateKeyPair() (*KeyPair, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, err
	}
	pemText := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	pad := func(b []byte) string {
		out := make([]byte, 32)
		copy(out[32-len(b):], b)
		return base64.RawURLEncoding.EncodeToString(out)
	}
	kid := engine.NewID()[16:]
	jwk := map[string]any{"kty": "EC", "crv": "P-256", "x": pad(k.PublicKey.X.Bytes()), "y": pad(k.PublicKey.Y.Bytes()),
		"kid": kid, "use": "sig", "alg": "ES256"}
	return &KeyPair{PrivatePEM: pemText, PublicJWK: jwk}, nil
}

// --- import / export ---

// ImportReport says what an import stored.
type ImportReport struct {
	File   string   `json:"file"`
	Flows  []string `json:"flows"`
	Tables int      `json:"tables"`
	// Connections are the placeholders the flows use (Okta exports carry no
	// credentials): bind each to a real connection with BindConnection.
	Connections []engine.ConnectionRef `json:"connections,omitempty"`
	Details     any                    `json:"details,omitempty"` // importer-specific report (e.g. .flopack mapping)
	// SwitchedOff: flows imported switched on whose trigger could not start
	// (id → why); they are stored off (importsync.go).
	SwitchedOff map[string]string `json:"switchedOff,omitempty"`
}

// ImportText imports a native flow/folder file or a foreign export by its
// name's extension. One transaction: a failed import changes nothing.
func (a *App) ImportText(name, content string) (*ImportReport, error) {
	return a.importFile(name, []byte(content), "")
}

// importFile parses and stores a file's flows atomically.
func (a *App) importFile(name string, data []byte, into string) (*ImportReport, error) {
	var folder *engine.Folder
	var details any
	ext := strings.ToLower(filepath.Ext(name))
	if imp, ok := importers[ext]; ok && ext != ".json" {
		var err error
		if folder, details, err = imp(name, data, a.Reg); err != nil {
			return nil, badInput{err} // connection_check.go: the file's fault (400)
		}
	} else {
		var err error
		if folder, err = engine.ParseFile(name, data); err != nil {
			if imp, ok := importers[".flopack"]; ok && strings.Contains(err.Error(), "Okta Workflows export") {
				if folder, details, err = imp(name, data, a.Reg); err != nil {
					return nil, badInput{err}
				}
			} else {
				return nil, badInput{err}
			}
		}
	}
	if into != "" {
		for _, f := range folder.Flows {
			f.Folder = into
		}
	}
	seen := map[string]bool{}
	for _, f := range folder.Flows {
		if seen[f.ID] {
			return nil, fmt.Errorf("%s: flow id %q appears twice", name, f.ID)
		}
		seen[f.ID] = true
		if f.Format == "" {
			f.Format = engine.FlowFormat
		}
	}
	a.keepBindings(folder)
	if err := a.Store.Import(folder); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	refs := a.importPlaceholders(folder) // placeholders.go
	a.rememberPlaceholders(refs)
	rep := &ImportReport{File: name, Tables: len(folder.Tables), Connections: refs, Details: details}
	for _, f := range folder.Flows {
		a.Exec.Invalidate(f.ID)
		rep.Flows = append(rep.Flows, f.ID)
	}
	rep.SwitchedOff = a.syncImported(folder.Flows)
	return rep, nil
}

// keepBindings: importing a file again (an updated template, a teammate's
// export) must not undo the connections the user bound — where an incoming
// card names a connection that does not exist (a placeholder) or none, and the stored
// card of the same flow and id uses a real one, the real one stays.
func (a *App) keepBindings(folder *engine.Folder) {
	exists := func(id string) bool {
		_, err := a.Store.Connection(a.ctx, id)
		return err == nil
	}
	for _, f := range folder.Flows {
		old, err := a.Store.Flow(a.ctx, f.ID)
		if err != nil {
			continue
		}
		bound := map[string]string{}
		old.Walk(func(c *engine.Card, _ *engine.Card) bool {
			if c.Connection != "" {
				bound[c.ID] = c.Connection
			}
			return true
		})
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			// (a card with no connection is one too: templates exported without one)
			if prev, ok := bound[c.ID]; ok && c.Connection != prev && (c.Connection == "" || !exists(c.Connection)) && exists(prev) {
				c.Connection = prev
			}
			return true
		})
	}
}

// ExportFlow returns a flow's native file (deterministic, no secrets).
func (a *App) ExportFlow(id string) (string, error) {
	// the id names the exported file: one stored by an older version that
	// could point outside the export directory is refused
	if err := engine.CheckID("flow", id); err != nil {
		return "", fmt.Errorf("export: %w; rename the flow (duplicate it) before exporting", err)
	}
	f, err := a.Store.Flow(a.ctx, id)
	if err != nil {
		return "", err
	}
	c := *f
	c.Revision = 0 // the store's counter, not part of the file
	b, err := engine.MarshalFlow(&c)
	return string(b), err
}

// ExportFolder returns a folder bundle: its flows plus the helper flows they call.
func (a *App) ExportFolder(folder string) (string, error) {
	b := &engine.Folder{Format: engine.FolderFormat, Name: folder}
	want := map[string]bool{}
	for _, f := range a.Store.Flows() {
		if f.Folder == folder {
			want[f.ID] = true
		}
	}
	// follow helper references so the bundle is complete
	for changed := true; changed; {
		changed = false
		for id := range want {
			f, err := a.Store.Flow(a.ctx, id)
			if err != nil {
				continue
			}
			f.Walk(func(c *engine.Card, _ *engine.Card) bool {
				for _, ref := range []string{c.Flow, errFlow(c)} {
					if ref != "" && !want[ref] {
						if _, err := a.Store.Flow(a.ctx, ref); err == nil {
							want[ref], changed = true, true
						}
					}
				}
				return true
			})
		}
	}
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	conns, tables := map[string]string{}, map[string]bool{} // connection id -> kind its cards need
	for _, id := range ids {
		stored, _ := a.Store.Flow(a.ctx, id)
		f := new(*stored)
		f.Revision = 0 // the store's counter, not part of the file
		b.Flows = append(b.Flows, f)
		f.Walk(func(c *engine.Card, _ *engine.Card) bool {
			if c.Connection != "" && conns[c.Connection] == "" {
				conns[c.Connection] = a.cardConnectionKind(c)
			}
			// Tables cards name their table in the "stash" input (Okta's key)
			if in := c.Input("stash"); in != nil {
				if t, ok := in.Value.(string); ok && t != "" {
					tables[t] = true
				}
			}
			return true
		})
	}
	for _, id := range slices.Sorted(maps.Keys(tables)) {
		if def, err := a.Store.GetTable(a.ctx, id); err == nil {
			b.Tables = append(b.Tables, def)
			a.exportRows(b, id) // tables_api.go
		}
	}
	for _, id := range slices.Sorted(maps.Keys(conns)) {
		b.Connections = append(b.Connections, a.exportConnectionRef(id, conns[id])) // placeholders.go
	}
	if len(b.Flows) == 0 {
		return "", fmt.Errorf("folder %q has no flows", folder)
	}
	data, err := engine.MarshalFolder(b)
	return string(data), err
}

func errFlow(c *engine.Card) string {
	if c.OnError != nil {
		return c.OnError.Flow
	}
	return ""
}

// --- misc ---

// AppInfo describes the running app.
type AppInfo struct {
	Version    string `json:"version"`
	DataDir    string `json:"dataDir"`
	SandboxURL string `json:"sandboxUrl,omitempty"`
	Open       string `json:"open,omitempty"` // flow id to open at start (FLOWBENCH_OPEN)
	// SandboxToken is the sandbox tenant's admin API token (a local,
	// well-known value) and SandboxNotice says when its address changed.
	SandboxToken  string `json:"sandboxToken,omitempty"`
	SandboxNotice string `json:"sandboxNotice,omitempty"`
}

// Info returns facts about the running app.
func (a *App) Info() (*AppInfo, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	i := a.info
	return &i, nil
}

// Rendered is called by the frontend when a screen has rendered; tests of
// the real window wait for this line instead of sleeping.
// Only the screens' own names are written: what a caller sends never
// reaches the output (log lines cannot be forged).
func (a *App) Rendered(what string) error {
	switch what {
	case "home", "designer", "execution", "history", "tables", "connections", "settings":
	default:
		return fmt.Errorf("rendered: unknown screen %.40q", what)
	}
	fmt.Fprintf(a.opt.Out, "flowbench: rendered %s\n", what)
	return nil
}
