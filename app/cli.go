package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/store"
)

// CLI runs the headless subcommands. Desktop is what no arguments do.
type CLI struct {
	Stdout, Stderr io.Writer
	Assets         fs.FS // built frontend, for serve and the window
	Desktop        func(a *App, assets fs.FS) error
	Serve          func(ctx context.Context, a *App, addr, token string, assets fs.FS, out io.Writer) error
	Sandbox        func(ctx context.Context, args []string, out io.Writer) error
}

// exitError carries an exit status without printing more.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

const usage = `Flowbench — build, run and version Okta-Workflows-style flows locally.

Usage:
  flowbench                         open the desktop window
  flowbench run FILE|FLOW-ID [--input JSON|@file] [--json]
  flowbench validate FILE...
  flowbench import FILE [--into FOLDER] [--report] [--json]
  flowbench export FLOW-ID|--all|--folder NAME [-o DIR]
  flowbench history list [--flow ID] [--status STATUS] [--text T] [--limit N] [--json]
  flowbench history show EXEC-ID [--json]
  flowbench cards [--json]
  flowbench card test CARD --input JSON
  flowbench connection list|show NAME|add KIND NAME key=value...|test NAME|bind PLACEHOLDER NAME|delete NAME
  flowbench serve [--addr 127.0.0.1:8080] [--token T]
  flowbench sandbox [--addr 127.0.0.1:8090] [--seed FILE]
  flowbench flows                   list stored flows

Global flags (any position): --data DIR (or FLOWBENCH_DATA; default ~/.config/flowbench)
`

// Main runs a command line and returns the exit status.
func (c *CLI) Main(args []string) int {
	if c.Stdout == nil {
		c.Stdout = os.Stdout
	}
	if c.Stderr == nil {
		c.Stderr = os.Stderr
	}
	args, dataDir := extractData(args)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := c.dispatch(ctx, args, dataDir)
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	default:
		fmt.Fprintln(c.Stderr, "flowbench:", err)
		return 1
	}
}

func extractData(args []string) ([]string, string) {
	dir := ""
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--data" || a == "-data":
			if i+1 < len(args) {
				dir = args[i+1]
				i++
			}
		case strings.HasPrefix(a, "--data="):
			dir = strings.TrimPrefix(a, "--data=")
		default:
			out = append(out, a)
		}
	}
	return out, dir
}

func (c *CLI) open(ctx context.Context, dir string, sandbox bool) (*App, error) {
	return Open(ctx, Options{DataDir: dir, Out: c.Stdout, Sandbox: sandbox})
}

// openLive opens the app for the window and `serve`: sandbox tenant and triggers on.
func (c *CLI) openLive(ctx context.Context, dir string, sandbox bool) (*App, error) {
	tuneGC()
	return Open(ctx, Options{DataDir: dir, Out: c.Stdout, Sandbox: sandbox, Triggers: true})
}

func (c *CLI) dispatch(ctx context.Context, args []string, dir string) error {
	if len(args) == 0 {
		if c.Desktop == nil {
			fmt.Fprint(c.Stdout, usage)
			return nil
		}
		a, err := c.openLive(ctx, dir, true)
		if err != nil {
			return err
		}
		defer a.close()
		return c.Desktop(a, c.Assets)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprint(c.Stdout, usage)
		return nil
	case "version", "--version":
		fmt.Fprintln(c.Stdout, "flowbench", Version)
		return nil
	case "run":
		return c.run(ctx, dir, rest)
	case "validate":
		return c.validate(ctx, dir, rest)
	case "import":
		return c.importCmd(ctx, dir, rest)
	case "export":
		return c.export(ctx, dir, rest)
	case "history":
		return c.history(ctx, dir, rest)
	case "cards":
		return c.cards(rest)
	case "card":
		return c.card(ctx, dir, rest)
	case "connection", "connections":
		return c.connection(ctx, dir, rest)
	case "flows":
		return c.flows(ctx, dir, rest)
	case "serve":
		return c.serve(ctx, dir, rest)
	case "sandbox":
		if c.Sandbox == nil {
			return errors.New("this build has no sandbox tenant")
		}
		return c.Sandbox(ctx, rest, c.Stdout)
	}
	fmt.Fprint(c.Stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// tuneGC trades memory for latency in the long-running modes: every
// execution allocates its records, and at the default GOGC=100 collection
// pauses set the p99 of API Endpoint flows (measured: 14 ms vs 8 ms at 400).
// A soft memory limit keeps the heap bounded. GOGC/GOMEMLIMIT win if set.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1 << 30)
	}
}

func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse lets flags and positional arguments mix in any order.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, fmt.Errorf("%s: %w", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func (c *CLI) printJSON(v any) error {
	enc := json.NewEncoder(c.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func readArg(s string) ([]byte, error) {
	if strings.HasPrefix(s, "@") {
		return os.ReadFile(strings.TrimPrefix(s, "@"))
	}
	return []byte(s), nil
}

// --- run ---

func (c *CLI) run(ctx context.Context, dir string, args []string) error {
	fs := newFlags("run")
	input := fs.String("input", "", "trigger input as JSON or @file")
	asJSON := fs.Bool("json", false, "print the execution record as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("run: give one flow file or flow id")
	}
	in := map[string]any{}
	if *input != "" {
		b, err := readArg(*input)
		if err != nil {
			return fmt.Errorf("run --input: %w", err)
		}
		if err := json.Unmarshal(b, &in); err != nil {
			return fmt.Errorf("run --input: not a JSON object: %w", err)
		}
	}
	a, err := c.open(ctx, dir, false)
	if err != nil {
		return err
	}
	defer a.close()
	a.setContext(ctx)
	var f *engine.Flow
	target := pos[0]
	if data, rerr := os.ReadFile(target); rerr == nil {
		folder, err := engine.ParseFile(target, data)
		if err != nil {
			return err
		}
		if len(folder.Flows) == 0 {
			return fmt.Errorf("run: %s holds no flow", target)
		}
		// helper flows of a folder file are reachable by Call Flow
		extra := engine.FlowMap{}
		for _, fl := range folder.Flows {
			extra[fl.ID] = fl
		}
		a.Exec.Flows = overlay{extra, a.Store}
		f = folder.Flows[0]
		if probs := engine.Validate(f, a.validateEnvWith(extra)); len(probs) > 0 {
			for _, p := range probs {
				fmt.Fprintln(c.Stderr, "warning:", p)
			}
		}
	} else if f, err = a.Store.Flow(ctx, target); err != nil {
		return fmt.Errorf("run: %s is neither a readable file nor a stored flow id", target)
	}
	ex, runErr := a.Exec.Run(ctx, f, in, engine.RunOptions{Trigger: "manual"})
	a.Store.Flush()
	if *asJSON {
		if err := c.printJSON(ex); err != nil {
			return err
		}
	} else {
		c.printExecution(ex)
	}
	if runErr != nil {
		return exitError{1}
	}
	return nil
}

type overlay struct {
	m  engine.FlowMap
	st *store.Store
}

func (o overlay) Flow(ctx context.Context, id string) (*engine.Flow, error) {
	if f, ok := o.m[id]; ok {
		return f, nil
	}
	return o.st.Flow(ctx, id)
}

func (a *App) validateEnvWith(extra engine.FlowMap) *engine.ValidateEnv {
	env := a.validateEnv()
	for id, f := range extra {
		env.Flows[id] = f
	}
	return env
}

func (c *CLI) printExecution(ex *engine.Execution) {
	mark := map[string]string{engine.StatusSuccess: "✓", engine.StatusFailed: "✗", engine.StatusNotRun: "·",
		engine.StatusSkipped: "-", engine.StatusContinued: "!", engine.StatusTimeout: "✗", engine.StatusCanceled: "✗"}
	fmt.Fprintf(c.Stdout, "%s %s %q %s in %s (execution %s)\n", mark[ex.Status], "flow", ex.FlowName, ex.Status,
		ex.Duration().Round(time.Microsecond), ex.ID)
	tw := tabwriter.NewWriter(c.Stdout, 2, 2, 2, ' ', 0)
	for _, r := range ex.Cards {
		d := ""
		if !r.Ended.IsZero() {
			d = r.Ended.Sub(r.Started).Round(time.Microsecond).String()
		}
		indent := ""
		if r.Parent != "" {
			indent = "  "
		}
		fmt.Fprintf(tw, "  %s%s\t%s\t%s\t%s\t%s\n", indent, mark[r.Status], r.ID, r.Title, r.Status, d)
	}
	tw.Flush()
	if ex.Error != nil {
		fmt.Fprintf(c.Stdout, "error: %s\n", ex.Error.Error())
	}
	if len(ex.Outputs) > 0 {
		b, _ := json.Marshal(ex.Outputs)
		fmt.Fprintf(c.Stdout, "outputs: %s\n", b)
	}
}

// --- validate ---

func (c *CLI) validate(ctx context.Context, dir string, args []string) error {
	fs := newFlags("validate")
	asJSON := fs.Bool("json", false, "problems as JSON")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return errors.New("validate: give one or more files")
	}
	var env *engine.ValidateEnv
	a, err := c.open(ctx, dir, false)
	if err == nil {
		defer a.close()
		env = a.validateEnv()
	} else if errors.Is(err, store.ErrInUse) {
		env = &engine.ValidateEnv{Flows: map[string]*engine.Flow{}} // no connection check without the store
	} else {
		return err
	}
	var all []engine.Problem
	flows, bad := 0, 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		folder, err := engine.ParseFile(file, data)
		if err != nil {
			if *asJSON {
				all = append(all, engine.Problem{Flow: file, Kind: "format", Message: err.Error(), Severity: "error"})
			} else {
				fmt.Fprintln(c.Stdout, err)
			}
			bad++
			continue
		}
		for _, f := range folder.Flows {
			env.Flows[f.ID] = f
		}
		for _, f := range folder.Flows {
			flows++
			probs := engine.Validate(f, env)
			for _, p := range probs {
				p.Flow = fmt.Sprintf("%s (%s)", f.ID, file)
				all = append(all, p)
				if !*asJSON {
					fmt.Fprintf(c.Stdout, "%s: %s\n", file, p)
				}
			}
		}
	}
	if *asJSON {
		if all == nil {
			all = []engine.Problem{}
		}
		_ = c.printJSON(all)
	}
	if len(all) > 0 || bad > 0 {
		if !*asJSON {
			fmt.Fprintf(c.Stdout, "%d problem(s) in %d file(s)\n", len(all)+bad, len(files))
		}
		return exitError{1}
	}
	if !*asJSON {
		fmt.Fprintf(c.Stdout, "ok: %d flow(s) in %d file(s), no problems\n", flows, len(files))
	}
	return nil
}

// --- import / export ---

func (c *CLI) importCmd(ctx context.Context, dir string, args []string) error {
	fs := newFlags("import")
	into := fs.String("into", "", "folder to put the flows in")
	report := fs.Bool("report", false, "print the import report")
	asJSON := fs.Bool("json", false, "report as JSON")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return errors.New("import: give one file")
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		return err
	}
	a, err := c.open(ctx, dir, false)
	if err != nil {
		return err
	}
	defer a.close()
	rep, err := a.importFile(files[0], data, *into)
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(rep)
	}
	fmt.Fprintf(c.Stdout, "imported %d flow(s), %d table(s) from %s\n", len(rep.Flows), rep.Tables, files[0])
	for _, ref := range rep.Connections {
		fmt.Fprintf(c.Stdout, "connection to bind: %q (%s): flowbench connection bind %s CONNECTION\n", ref.Name, ref.Kind, ref.ID)
	}
	if *report && rep.Details != nil {
		if s, ok := rep.Details.(fmt.Stringer); ok {
			fmt.Fprintln(c.Stdout, s.String())
		} else {
			_ = c.printJSON(rep.Details)
		}
	}
	return nil
}

func (c *CLI) export(ctx context.Context, dir string, args []string) error {
	fs := newFlags("export")
	all := fs.Bool("all", false, "export every flow")
	folder := fs.String("folder", "", "export a folder bundle")
	out := fs.String("o", "", "directory to write files into (default: stdout)")
	ids, err := parse(fs, args)
	if err != nil {
		return err
	}
	a, err := c.open(ctx, dir, false)
	if err != nil {
		return err
	}
	defer a.close()
	if *folder != "" {
		text, err := a.ExportFolder(*folder)
		if err != nil {
			return err
		}
		return c.emit(*out, slug(*folder)+".folder.json", text)
	}
	if *all {
		ids = nil
		for _, f := range a.Store.Flows() {
			ids = append(ids, f.ID)
		}
	}
	if len(ids) == 0 {
		return errors.New("export: give a flow id, --all or --folder NAME")
	}
	if len(ids) > 1 && *out == "" {
		return errors.New("export: several flows need -o DIR")
	}
	for _, id := range ids {
		text, err := a.ExportFlow(id)
		if err != nil {
			return err
		}
		if err := c.emit(*out, id+".flow.json", text); err != nil {
			return err
		}
	}
	return nil
}

func (c *CLI) emit(dir, name, text string) error {
	if dir == "" {
		_, err := io.WriteString(c.Stdout, text)
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		return err
	}
	fmt.Fprintln(c.Stderr, "wrote", p)
	return nil
}

// --- history ---

func (c *CLI) history(ctx context.Context, dir string, args []string) error {
	if len(args) == 0 {
		return errors.New("history: list or show EXEC-ID")
	}
	fs := newFlags("history")
	flow := fs.String("flow", "", "only this flow")
	status := fs.String("status", "", "only this status (success, failed, …)")
	text := fs.String("text", "", "text in card data")
	limit := fs.Int("limit", 50, "rows")
	asJSON := fs.Bool("json", false, "JSON output")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	a, err := c.open(ctx, dir, false)
	if err != nil {
		return err
	}
	defer a.close()
	switch args[0] {
	case "list", "ls":
		rows, err := a.ListExecutions(HistoryQuery{Flow: *flow, Status: *status, Text: *text, Limit: *limit})
		if err != nil {
			return err
		}
		if *asJSON {
			return c.printJSON(rows)
		}
		tw := tabwriter.NewWriter(c.Stdout, 2, 2, 2, ' ', 0)
		fmt.Fprintln(tw, "EXECUTION\tFLOW\tSTATUS\tSTARTED\tDURATION\tFAILED CARD")
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.1fms\t%s\n", r.ID, r.FlowName, r.Status, r.Started.Local().Format("2006-01-02 15:04:05"), r.DurationMS, r.FailedCard)
		}
		return tw.Flush()
	case "show":
		if len(pos) != 1 {
			return errors.New("history show: give one execution id")
		}
		ex, err := a.GetExecution(pos[0])
		if err != nil {
			return err
		}
		if *asJSON {
			return c.printJSON(ex)
		}
		c.printExecution(ex)
		return nil
	}
	return fmt.Errorf("history: unknown subcommand %q", args[0])
}

// --- cards ---

func (c *CLI) cards(args []string) error {
	fs := newFlags("cards")
	asJSON := fs.Bool("json", false, "the registry with schemas as JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	specs := engine.Default().Cards()
	if *asJSON {
		docs := make([]engine.SpecDoc, 0, len(specs))
		for _, s := range specs {
			docs = append(docs, s.Doc())
		}
		return c.printJSON(docs)
	}
	sort.SliceStable(specs, func(i, j int) bool { return specs[i].Category < specs[j].Category })
	tw := tabwriter.NewWriter(c.Stdout, 2, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "CATEGORY\tID\tOKTA\tTITLE\tINPUTS → OUTPUTS")
	for _, s := range specs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s → %s\n", s.Category, s.ID, strings.Join(s.Okta, ","), s.Title, fieldList(s.Inputs, s.ExtensibleInputs), fieldList(s.Outputs, s.ExtensibleOutputs))
	}
	return tw.Flush()
}

func fieldList(fs []engine.FieldSpec, ext bool) string {
	parts := make([]string, 0, len(fs)+1)
	for _, f := range fs {
		p := f.Key + ":" + f.Type.String()
		if f.Required {
			p += "*"
		}
		parts = append(parts, p)
	}
	if ext {
		parts = append(parts, "…")
	}
	return strings.Join(parts, ", ")
}

func (c *CLI) card(ctx context.Context, dir string, args []string) error {
	if len(args) < 2 || args[0] != "test" {
		return errors.New("usage: flowbench card test CARD --input JSON")
	}
	fs := newFlags("card test")
	input := fs.String("input", "{}", "inputs as JSON or @file")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("card test: give one card id")
	}
	b, err := readArg(*input)
	if err != nil {
		return err
	}
	in := map[string]any{}
	if err := json.Unmarshal(b, &in); err != nil {
		return fmt.Errorf("card test --input: not a JSON object: %w", err)
	}
	ex := engine.NewExecutor(nil, nil, nil)
	var a *App
	if spec, ok := engine.Default().Card(pos[0]); ok && (spec.Connection != "" || spec.App == "tables") {
		if a, err = c.open(ctx, dir, false); err != nil {
			return err
		}
		defer a.close()
		ex = a.Exec
	}
	out, err := engine.TestCard(ctx, ex, pos[0], in)
	if err != nil {
		return err
	}
	return c.printJSON(out)
}

// --- connections ---

func (c *CLI) connection(ctx context.Context, dir string, args []string) error {
	if len(args) == 0 {
		args = []string{"list"}
	}
	a, err := c.open(ctx, dir, false)
	if err != nil {
		return err
	}
	defer a.close()
	a.setContext(ctx)
	find := func(name string) (*engine.Connection, error) {
		cs, err := a.Store.Connections()
		if err != nil {
			return nil, err
		}
		for _, x := range cs {
			if x.ID == name || x.Name == name {
				return x, nil
			}
		}
		return nil, fmt.Errorf("no connection named %q", name)
	}
	switch args[0] {
	case "list", "ls":
		cs, err := a.ListConnections()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(c.Stdout, 2, 2, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tKIND\tCONFIG")
		for _, x := range cs {
			cfg, _ := json.Marshal(x.Config)
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", x.ID, x.Name, x.Kind, cfg)
		}
		return tw.Flush()
	case "show":
		if len(args) != 2 {
			return errors.New("connection show NAME")
		}
		x, err := find(args[1])
		if err != nil {
			return err
		}
		return c.printJSON(x.Public())
	case "add", "set":
		// connection add KIND NAME key=value ... (secret keys as declared by the kind)
		if len(args) < 3 {
			return errors.New("connection add KIND NAME key=value...")
		}
		kind, ok := a.Reg.ConnectionKind(args[1])
		if !ok {
			return fmt.Errorf("unknown connection kind %q", args[1])
		}
		conn := &engine.Connection{Kind: kind.ID, Name: args[2], Config: map[string]any{}, Secrets: map[string]string{}}
		if old, err := find(args[2]); err == nil {
			conn.ID = old.ID
		}
		secret := map[string]bool{}
		for _, s := range kind.Secrets {
			secret[s.Key] = true
		}
		for _, kv := range args[3:] {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return fmt.Errorf("connection add: %q is not key=value", kv)
			}
			if strings.HasPrefix(v, "@") {
				b, err := os.ReadFile(v[1:])
				if err != nil {
					return err
				}
				v = string(b)
			}
			if secret[k] {
				conn.Secrets[k] = v
			} else {
				conn.Config[k] = v
			}
		}
		saved, err := a.SaveConnection(conn)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.Stdout, "saved connection %s (%s)\n", saved.ID, saved.Kind)
		return nil
	case "test":
		if len(args) != 2 {
			return errors.New("connection test NAME")
		}
		x, err := find(args[1])
		if err != nil {
			return err
		}
		rep, err := a.TestConnection(x.ID)
		if err != nil {
			return err
		}
		for _, s := range rep.Steps {
			m := "✓"
			if !s.OK {
				m = "✗"
			}
			fmt.Fprintf(c.Stdout, "%s %s: %s\n", m, s.Name, s.Message)
			if s.Hint != "" && !s.OK {
				fmt.Fprintf(c.Stdout, "  → %s\n", s.Hint)
			}
		}
		if len(rep.Info) > 0 {
			b, _ := json.Marshal(rep.Info)
			fmt.Fprintf(c.Stdout, "info: %s\n", b)
		}
		if !rep.OK {
			return exitError{1}
		}
		return nil
	case "bind":
		// connection bind PLACEHOLDER NAME: point imported cards at a real connection
		if len(args) != 3 {
			return errors.New("connection bind PLACEHOLDER-ID NAME")
		}
		x, err := find(args[2])
		if err != nil {
			return err
		}
		n, err := a.BindConnection(args[1], x.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.Stdout, "bound %d card(s) to %s\n", n, x.Name)
		return nil
	case "delete", "rm":
		if len(args) != 2 {
			return errors.New("connection delete NAME")
		}
		x, err := find(args[1])
		if err != nil {
			return err
		}
		return a.DeleteConnection(x.ID)
	}
	return fmt.Errorf("connection: unknown subcommand %q", args[0])
}

func (c *CLI) flows(ctx context.Context, dir string, _ []string) error {
	a, err := c.open(ctx, dir, false)
	if err != nil {
		return err
	}
	defer a.close()
	rows, _ := a.ListFlows()
	tw := tabwriter.NewWriter(c.Stdout, 2, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tFOLDER\tNAME\tON\tTRIGGER\tCARDS\tLAST RUN")
	for _, r := range rows {
		last := ""
		if r.LastRun != nil {
			last = r.LastRun.Status + " " + r.LastRun.Started.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%s\t%d\t%s\n", r.ID, r.Folder, r.Name, r.Enabled, r.Trigger, r.Cards, last)
	}
	return tw.Flush()
}

func (c *CLI) serve(ctx context.Context, dir string, args []string) error {
	fs := newFlags("serve")
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	token := fs.String("token", "", "API token (random when empty)")
	noSandbox := fs.Bool("no-sandbox", false, "do not start the built-in sandbox tenant")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if c.Serve == nil {
		return errors.New("this build has no HTTP server")
	}
	a, err := c.openLive(ctx, dir, !*noSandbox)
	if err != nil {
		return err
	}
	defer a.close()
	a.setContext(ctx)
	return c.Serve(ctx, a, *addr, *token, c.Assets, c.Stdout)
}
