package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/telemetry"
)

// Commit is the source revision the binary was built from (set with
// -ldflags "-X github.com/flowbench/flowbench/app.Commit=…"; falls back to
// the module build info).
var Commit = ""

// CLI runs the headless subcommands. Desktop is what no arguments do.
type CLI struct {
	Stdout, Stderr io.Writer
	Assets         fs.FS // built frontend, for serve and the window
	Desktop        func(a *App, assets fs.FS) error
	Serve          func(ctx context.Context, a *App, addr, token string, assets fs.FS, out io.Writer) error
	Sandbox        func(ctx context.Context, args []string, out io.Writer) error

	dataDir   string
	logFormat string
	logLevel  string
	ctx       context.Context
	shutdown  func(context.Context) error // flushes traces
	flushLogs func() error                // writes out batched log lines (serve)
}

// Exit statuses, the same for every command (documented in `flowbench --help`).
const (
	ExitOK      = 0 // the command did what was asked
	ExitFailed  = 1 // it ran and failed: a failed flow run, validation problems, a failed connection test, an error
	ExitUsage   = 2 // the command line is wrong: unknown command or flag, missing or extra arguments
	ExitStopped = 130
)

// exitError carries an exit status without printing more.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// usageError is a wrong command line: printed with a pointer to --help, exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// commands lists the constructors of the top-level subcommands. Each
// cmd_*.go file adds its own in init(), so a new command is a new file.
var commands []func(c *CLI) *cobra.Command

// RegisterCommand adds a top-level subcommand to every CLI.
func RegisterCommand(f func(c *CLI) *cobra.Command) { commands = append(commands, f) }

const rootLong = `Flowbench — build, run and version Okta-Workflows-style flows locally.

With no command, flowbench opens the desktop window. The commands below run
headless against the same data directory.

Exit status:
  0    success
  1    the command ran and failed (a failed run, validation problems, a failed
       connection test, or any other error)
  2    usage error (unknown command or flag, wrong arguments)
  130  interrupted (Ctrl-C / SIGTERM)

Environment:
  FLOWBENCH_DATA               data directory (same as --data)
  FLOWBENCH_LOG_LEVEL          debug, info, warn or error (same as --log-level)
  FLOWBENCH_LOG_FORMAT         text or json (same as --log-format)
  FLOWBENCH_NO_KEYRING         set to keep the data key in the key file, not the OS keyring
  FLOWBENCH_PASSPHRASE(_FILE)  seal the key file with a passphrase (headless machines)
  OTEL_EXPORTER_OTLP_ENDPOINT  export traces over OTLP/HTTP to this endpoint`

// root builds the command tree.
func (c *CLI) root() *cobra.Command {
	root := &cobra.Command{
		Use:   "flowbench",
		Short: "Build, run and version Okta-Workflows-style flows locally",
		Long:  rootLong,
		Example: `  flowbench                                            # open the desktop window
  flowbench run examples/okta-is-member-of-group.flow.json
  flowbench serve --addr 127.0.0.1:8080
  flowbench completion bash > /etc/bash_completion.d/flowbench`,
		Version:           versionString(),
		Args:              cobra.NoArgs,
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: true},
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			// one-shot commands print their own results: their run logs
			// show from warn up unless a level is asked for
			if !cmd.Flags().Changed("log-format") && os.Getenv("FLOWBENCH_LOG_FORMAT") != "" {
				c.logFormat = os.Getenv("FLOWBENCH_LOG_FORMAT")
			}
			if !cmd.Flags().Changed("log-level") {
				if env := os.Getenv("FLOWBENCH_LOG_LEVEL"); env != "" {
					c.logLevel = env
				} else if (cmd.Name() == "test" || cmd.Name() == "run") && cmd.Parent() == cmd.Root() {
					// a flow test's or a run's failed run is its result, printed
					// by the command: a warn line per run only repeated it
					c.logLevel = "error"
				} else if cmd.Name() != "serve" && cmd.HasParent() {
					c.logLevel = "warn"
				}
			}
			if err := c.setupLogging(cmd.Name() == "serve" && cmd.HasParent()); err != nil {
				return err
			}
			telemetry.SetVersion(Version)
			shutdown, err := telemetry.SetupTracing(cmd.Context())
			if err != nil {
				return err
			}
			c.shutdown = shutdown
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if c.Desktop == nil {
				return cmd.Help()
			}
			a, err := c.openLive(c.ctx, c.dataDir, true)
			if err != nil {
				return err
			}
			defer a.close()
			a.Store.NoteHolder("the Flowbench window")
			return c.Desktop(a, c.Assets)
		},
	}
	root.SetVersionTemplate("{{.Name}} {{.Version}}\n")
	pf := root.PersistentFlags()
	pf.StringVar(&c.dataDir, "data", "", "data directory (default $FLOWBENCH_DATA or ~/.config/flowbench)")
	pf.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	pf.StringVar(&c.logLevel, "log-level", "info", "log level: debug, info, warn or error (one-shot commands: warn; run, test: error)")
	root.SetOut(c.Stdout)
	root.SetErr(c.Stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })
	for _, f := range commands {
		root.AddCommand(f(c))
	}
	root.AddCommand(c.completionCmd(root))
	return root
}

// setupLogging makes the process's logger. `serve` logs a line per
// execution: its lines are batched (telemetry.LogBuffer, written out every
// 100 ms and at once from warn up) and flushed when the command ends.
func (c *CLI) setupLogging(buffered bool) error {
	w := c.Stderr
	if buffered {
		lb := telemetry.NewLogBuffer(w, 100*time.Millisecond)
		w = lb
		c.flushLogs = lb.Close
	}
	h, err := telemetry.NewLogHandler(w, c.logFormat, c.logLevel)
	if err != nil {
		return usageError{err.Error()}
	}
	telemetry.SetLogger(h)
	return nil
}

// versionString is "VERSION (commit COMMIT)".
func versionString() string {
	commit := Commit
	if commit == "" {
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 12 {
					commit = s.Value[:12]
				}
			}
		}
	}
	if commit == "" {
		commit = "unknown"
	}
	return fmt.Sprintf("%s (commit %s)", Version, commit)
}

// Main runs a command line and returns the exit status.
func (c *CLI) Main(args []string) int {
	if c.Stdout == nil {
		c.Stdout = os.Stdout
	}
	if c.Stderr == nil {
		c.Stderr = os.Stderr
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c.ctx = ctx
	root := c.root()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if c.shutdown != nil {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = c.shutdown(sctx)
		cancel()
	}
	if c.flushLogs != nil {
		_ = c.flushLogs()
	}
	var ee exitError
	var ue usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue) || isCobraUsage(err):
		fmt.Fprintln(c.Stderr, "flowbench:", err)
		if cmd, _, ferr := root.Find(args); ferr == nil && cmd != root {
			fmt.Fprintf(c.Stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		} else {
			fmt.Fprintln(c.Stderr, "Run 'flowbench --help' for usage.")
		}
		return ExitUsage
	case ctx.Err() != nil:
		fmt.Fprintln(c.Stderr, "flowbench: interrupted")
		return ExitStopped
	default:
		fmt.Fprintln(c.Stderr, "flowbench:", err)
		return ExitFailed
	}
}

// isCobraUsage recognises cobra's own argument errors (unknown command,
// arity), which it returns as plain errors.
func isCobraUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown command", "accepts ", "requires at least", "requires at most", "unknown flag", "unknown shorthand", "invalid argument"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// args helpers: positional argument counts as usage errors (exit 2).
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s: give %s", strings.TrimPrefix(cmd.CommandPath(), "flowbench "), what)
		}
		return nil
	}
}

func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usagef("%s: give %s", strings.TrimPrefix(cmd.CommandPath(), "flowbench "), what)
		}
		return nil
	}
}

func (c *CLI) open(ctx context.Context, dir string, sandbox bool) (*App, error) {
	return Open(ctx, Options{DataDir: dir, Out: c.Stdout, Sandbox: sandbox})
}

// openLive opens the app for the window and `serve`: sandbox tenant and triggers on.
func (c *CLI) openLive(ctx context.Context, dir string, sandbox bool) (*App, error) {
	tuneGC()
	return Open(ctx, Options{DataDir: dir, Out: c.Stdout, Sandbox: sandbox, Triggers: true})
}

// tuneGC trades memory for latency in the long-running modes: every
// execution allocates its records, and at the default GOGC=100 collection
// pauses set the p99 of API Endpoint flows (measured: 14 ms vs 8 ms at 400).
// A soft memory limit keeps the heap bounded: with 120 MiB `serve` stays
// under 200 MB RSS at full load with history on; the rest is ~60-75 MB of
// mapped files (binary, libraries, Badger files between trims; the store
// bounds Badger's share, engine/store/bounds.go, trim_linux.go). At 150 MiB
// the peak was 216-253 MB (scripts/bench-endpoint.sh samples RSS).
// GOGC/GOMEMLIMIT win if set.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(120 << 20)
	}
}

func (c *CLI) printJSON(v any) error {
	enc := json.NewEncoder(c.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// printRun prints a run's execution: its JSON record with --json, else the
// text view followed by note (when not empty).
func (c *CLI) printRun(ex *engine.Execution, asJSON bool, note string) error {
	if asJSON {
		return c.printJSON(ex)
	}
	c.printExecution(ex)
	if note != "" {
		fmt.Fprintln(c.Stdout, note)
	}
	return nil
}

func readArg(s string) ([]byte, error) {
	if strings.HasPrefix(s, "@") {
		return os.ReadFile(strings.TrimPrefix(s, "@"))
	}
	return []byte(s), nil
}

func (c *CLI) completionCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print a shell completion script",
		Long: `Print the completion script for a shell to stdout.

  bash:  source <(flowbench completion bash)
         or install: flowbench completion bash > /etc/bash_completion.d/flowbench
  zsh:   flowbench completion zsh > "${fpath[1]}/_flowbench"
  fish:  flowbench completion fish > ~/.config/fish/completions/flowbench.fish`,
		Example:   "  flowbench completion bash > /etc/bash_completion.d/flowbench",
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		Args:      exactArgs(1, "one shell: bash, zsh, fish or powershell"),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := c.Stdout
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(out, true)
			case "zsh":
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(out)
			}
			return usagef("completion: unknown shell %q (bash, zsh, fish or powershell)", args[0])
		},
	}
}
