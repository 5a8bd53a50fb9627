package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/flowbench/flowbench/engine"
)

func init() { RegisterCommand((*CLI).connectionCmd) }

// withApp opens the data directory for one connection subcommand.
func (c *CLI) withApp(ctx context.Context, fn func(a *App) error) error {
	a, err := c.open(ctx, c.dataDir, false)
	if err != nil {
		return err
	}
	defer a.close()
	a.setContext(ctx)
	return fn(a)
}

func findConnection(a *App, name string) (*engine.Connection, error) {
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

// withConnection runs fn with the app and the connection named (or with id) name.
func (c *CLI) withConnection(ctx context.Context, name string, fn func(a *App, x *engine.Connection) error) error {
	return c.withApp(ctx, func(a *App) error {
		x, err := findConnection(a, name)
		if err != nil {
			return err
		}
		return fn(a, x)
	})
}

func (c *CLI) connectionCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "connection",
		Aliases: []string{"connections"},
		Short:   "Manage connections (secrets encrypted at rest)",
		Long: `Manage the connections cards use: Okta tenants, HTTP APIs. Secrets are
encrypted at rest and never printed or exported. With no subcommand, lists them.`,
		Example: `  flowbench connection list
  flowbench connection add okta prod domain=https://acme.okta.com apiToken=@token.txt
  flowbench connection test prod`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return c.connectionList(cmd.Context()) },
	}
	list := &cobra.Command{
		Use: "list", Aliases: []string{"ls"},
		Short:   "List connections",
		Example: "  flowbench connection list",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return c.connectionList(cmd.Context()) },
	}
	show := &cobra.Command{
		Use:     "show NAME",
		Short:   "Show one connection (without its secrets)",
		Example: "  flowbench connection show prod",
		Args:    exactArgs(1, "one connection name or id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withConnection(cmd.Context(), args[0], func(_ *App, x *engine.Connection) error { return c.printJSON(x.Public()) })
		},
	}
	add := &cobra.Command{
		Use:     "add KIND NAME [KEY=VALUE]...",
		Aliases: []string{"set"},
		Short:   "Add or replace a connection",
		Long: `Add a connection of KIND (okta, http, …) named NAME, or replace the one of that
name. Settings and secrets are KEY=VALUE pairs; VALUE @FILE reads a file. Which
keys are secrets is declared by the kind; they are stored encrypted. A key the
kind does not declare, or a missing required one of the chosen authMethod, is
refused. ENV:KEY (staging or prod) sets the connection's binding in that
environment.`,
		Example: `  flowbench connection add okta prod domain=https://acme.okta.com authMethod=token apiToken=@token.txt
  flowbench connection add okta acme domain=acme.oktapreview.com apiToken=@dev.txt prod:domain=acme.okta.com prod:apiToken=@prod.txt`,
		Args: minArgs(2, "KIND NAME [KEY=VALUE]..."),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withApp(cmd.Context(), func(a *App) error { return c.connectionAdd(a, args) })
		},
	}
	test := &cobra.Command{
		Use:     "test NAME",
		Short:   "Test a connection step by step (exit 1 if it fails)",
		Example: "  flowbench connection test prod",
		Args:    exactArgs(1, "one connection name or id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withConnection(cmd.Context(), args[0], c.connectionTest)
		},
	}
	bind := &cobra.Command{
		Use:   "bind PLACEHOLDER NAME",
		Short: "Point an import's placeholder connection at a real connection",
		Long: `Imported flows name the connections of the tenant they came from; import lists
each as a placeholder. bind points every card on PLACEHOLDER at connection NAME.`,
		Example: "  flowbench connection bind okta-1a2b3c prod",
		Args:    exactArgs(2, "PLACEHOLDER-ID NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withConnection(cmd.Context(), args[1], func(a *App, x *engine.Connection) error {
				n, err := a.BindConnection(args[0], x.ID)
				if err != nil {
					return err
				}
				fmt.Fprintf(c.Stdout, "bound %d card(s) to %s\n", n, x.Name)
				return nil
			})
		},
	}
	del := &cobra.Command{
		Use: "delete NAME", Aliases: []string{"rm"},
		Short:   "Delete a connection",
		Example: "  flowbench connection delete prod",
		Args:    exactArgs(1, "one connection name or id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withConnection(cmd.Context(), args[0], func(a *App, x *engine.Connection) error { return a.DeleteConnection(x.ID) })
		},
	}
	cmd.AddCommand(list, show, add, test, bind, del)
	return cmd
}

func (c *CLI) connectionList(ctx context.Context) error {
	return c.withApp(ctx, func(a *App) error {
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
	})
}

func (c *CLI) connectionAdd(a *App, args []string) error {
	kind, ok := a.Reg.ConnectionKind(args[0])
	if !ok {
		return usagef("connection add: unknown connection kind %q", args[0])
	}
	conn := &engine.Connection{Kind: kind.ID, Name: args[1], Config: map[string]any{}, Secrets: map[string]string{}}
	old, err := findConnection(a, args[1])
	if err == nil {
		conn.ID = old.ID
	} else {
		old = nil
	}
	for _, kv := range args[2:] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return usagef("connection add: %q is not KEY=VALUE", kv)
		}
		if strings.HasPrefix(v, "@") {
			b, err := os.ReadFile(v[1:])
			if err != nil {
				return err
			}
			v = string(b)
		}
		if err := placeSetting(kind, conn, k, v); err != nil { // connection_check.go
			return usagef("connection add: %v", err)
		}
	}
	if miss := missingSettings(kind, conn, old); len(miss) > 0 {
		return usagef("connection add: %s %q needs %s", kind.ID, args[1], strings.Join(miss, ", "))
	}
	saved, err := a.SaveConnection(conn)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "saved connection %s (%s)\n", saved.ID, saved.Kind)
	return nil
}

func (c *CLI) connectionTest(a *App, x *engine.Connection) error {
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
		return exitError{ExitFailed}
	}
	return nil
}
