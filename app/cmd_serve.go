package app

import (
	"fmt"
	"net"

	"github.com/spf13/cobra"
)

func init() {
	RegisterCommand((*CLI).serveCmd)
	RegisterCommand((*CLI).sandboxCmd)
	RegisterCommand((*CLI).versionCmd)
}

// loopback tells whether a listen address only accepts local connections.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "" || host == "localhost" { // Serve binds ":8080" to 127.0.0.1
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (c *CLI) serveCmd() *cobra.Command {
	var addr, token string
	var noSandbox, public bool
	var tc temporalServe
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the UI in a browser and run triggers",
		Long: `Serve the same UI as the window over HTTP, token-protected, and run the
flows' triggers (event hooks, System Log polling, schedules, API endpoints).
Prometheus metrics are at /metrics, health at /healthz.

The server listens on the loopback interface by default. Listening on any
other address exposes the flows and connections to the network: it needs
--allow-remote, and flowbench warns when it is given.`,
		Example: `  flowbench serve
  flowbench serve --addr 127.0.0.1:9000 --log-format json
  flowbench serve --addr 0.0.0.0:8080 --allow-remote --token "$FLOWBENCH_TOKEN"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if !loopback(addr) {
				if !public {
					return usagef("serve: %s is not a loopback address: anyone who can reach it can reach the UI; add --allow-remote if that is what you want", addr)
				}
				fmt.Fprintf(c.Stderr, "warning: serving on %s, not only on this machine; keep the token secret and put TLS in front\n", addr)
			}
			if token != "" {
				// checked before the data directory is opened: a weak token is a wrong command line
				if err := CheckServeToken(token); err != nil {
					return usagef("serve --token: %v", err)
				}
			}
			if c.Serve == nil {
				return fmt.Errorf("this build has no HTTP server")
			}
			if tc.HostPort != "" {
				// triggers start their runs on the cluster (temporal_serve.go)
				a, closeT, err := c.openTemporalServe(ctx, !noSandbox, tc)
				if err != nil {
					return err
				}
				defer a.close()
				defer closeT()
				return c.Serve(ctx, a, addr, token, c.Assets, c.Stdout)
			}
			a, err := c.openLive(ctx, c.dataDir, !noSandbox)
			if err != nil {
				return err
			}
			defer a.close()
			a.setContext(ctx)
			return c.Serve(ctx, a, addr, token, c.Assets, c.Stdout)
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "listen address (port 0 picks a free port)")
	f.StringVar(&token, "token", "", "API token (random when empty)")
	f.BoolVar(&noSandbox, "no-sandbox", false, "do not start the built-in sandbox Okta tenant")
	f.BoolVar(&public, "allow-remote", false, "allow a listen address other than loopback")
	tc.flags(f)
	return cmd
}

func (c *CLI) sandboxCmd() *cobra.Command {
	var addr, seed, token, appName string
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run the local sandbox Okta tenant on its own",
		Long: `Run the sandbox Okta tenant (users, groups, apps, System Log) as a standalone
HTTP server, for flows and tools that talk to Okta's API. With --app, run
that app's local fake instead (Slack, …: the vendor's API with a seeded
organization) and print a ready connection to it.`,
		Example: `  flowbench sandbox
  flowbench sandbox --addr 127.0.0.1:9090 --seed tenant.json
  flowbench sandbox --app slack --addr 127.0.0.1:9091`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if appName != "" && appName != "okta" {
				if !cmd.Flags().Changed("addr") {
					addr = "127.0.0.1:0"
				}
				return runFake(cmd.Context(), appName, addr, c.Stdout)
			}
			if c.Sandbox == nil {
				return fmt.Errorf("this build has no sandbox tenant")
			}
			args := []string{"--addr=" + addr, "--seed=" + seed, "--token=" + token}
			return c.Sandbox(cmd.Context(), args, c.Stdout)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8090", "listen address")
	cmd.Flags().StringVar(&seed, "seed", "", "JSON seed file (default: the built-in seed)")
	cmd.Flags().StringVar(&token, "token", "", "SSWS API token of the admin (default: the built-in token)")
	cmd.Flags().StringVar(&appName, "app", "", "run this app's fake instead of the Okta tenant (slack, google, …; an unknown name lists them)")
	return cmd
}

func (c *CLI) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version and commit",
		Example: "  flowbench version\n  flowbench --version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(c.Stdout, "flowbench", versionString())
			return nil
		},
	}
}
