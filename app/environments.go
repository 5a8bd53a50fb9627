package app

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// Environments: a connection binds each of dev (its own settings), staging
// and prod to a tenant: Config["environments"][env] overrides its settings
// and secrets "<env>:<key>" (in the encrypted store) its secrets. Flows never
// name an environment (exports and tests stay environment-free). Manual
// runs use the active environment (the app menu's switch); a switched-on
// flow runs in the environment chosen for it (flow state, pinned to the
// active one when it is switched on).

// EnvNames are the environments, in order.
var EnvNames = []string{"dev", "staging", "prod"}

// EnvConfigKey is the connection setting holding the per-environment bindings.
const EnvConfigKey = "environments"

const metaEnv = "environment"

func flowEnvMeta(id string) string { return "flowenv/" + id }

func init() {
	RegisterHook(Hook{Name: "environments", Start: func(_ context.Context, a *App) (func(), error) {
		a.Exec.Connections = envConnections{a: a}
		return nil, nil
	}})
}

// EnvState is the active environment and the choices.
type EnvState struct {
	Active string   `json:"active"`
	Names  []string `json:"names"`
}

// Environments returns the active environment and the environments.
func (a *App) Environments() (*EnvState, error) {
	return &EnvState{Active: a.activeEnv(), Names: EnvNames}, nil
}

// SetEnvironment switches the active environment (manual runs use it).
func (a *App) SetEnvironment(env string) error {
	if err := checkEnv(env); err != nil {
		return err
	}
	return a.Store.SetMeta(metaEnv, env)
}

func checkEnv(env string) error {
	if !slices.Contains(EnvNames, env) {
		return fmt.Errorf("unknown environment %q: choose %s", env, strings.Join(EnvNames, ", "))
	}
	return nil
}

func (a *App) activeEnv() string {
	if v, ok := a.Store.GetMeta(metaEnv); ok && slices.Contains(EnvNames, v) {
		return v
	}
	return "dev"
}

// FlowEnvironment is the environment a switched-on flow runs in.
func (a *App) FlowEnvironment(id string) (string, error) {
	if _, err := a.Store.Flow(a.ctx, id); err != nil {
		return "", err
	}
	return a.flowEnv(id), nil
}

func (a *App) flowEnv(id string) string {
	if id != "" {
		if v, ok := a.Store.GetMeta(flowEnvMeta(id)); ok && slices.Contains(EnvNames, v) {
			return v
		}
	}
	return a.activeEnv()
}

// SetFlowEnvironment chooses the environment a switched-on flow runs in
// (flow state: the flow file does not change).
func (a *App) SetFlowEnvironment(id, env string) error {
	if err := checkEnv(env); err != nil {
		return err
	}
	if _, err := a.Store.Flow(a.ctx, id); err != nil {
		return err
	}
	return a.Store.SetMeta(flowEnvMeta(id), env)
}

// pinFlowEnv keeps the active environment for a flow switched on without one.
func (a *App) pinFlowEnv(id string) {
	if _, ok := a.Store.GetMeta(flowEnvMeta(id)); !ok {
		_ = a.Store.SetMeta(flowEnvMeta(id), a.activeEnv())
	}
}

// runCtx is the context of a manual run: the active environment.
func (a *App) runCtx() context.Context { return engine.WithEnvironment(a.ctx, a.activeEnv()) }

// retryCtx is the context of a re-run or resume of ex: the environment ex
// ran in (a resumed prod run goes on in prod, whatever is active now); the
// active one when ex touched no connection.
func (a *App) retryCtx(ex *engine.Execution) context.Context {
	if ex != nil && slices.Contains(EnvNames, ex.Environment) {
		return engine.WithEnvironment(a.ctx, ex.Environment)
	}
	return a.runCtx()
}

// RunTarget is a connection a run will use and the tenant it touches.
type RunTarget struct {
	Connection  string `json:"connection"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Environment string `json:"environment"`
	Tenant      string `json:"tenant,omitempty"`
	Bound       bool   `json:"bound"` // the connection has a binding of its own for this environment
	// Missing: no connection of this id exists (an import's placeholder not
	// bound yet, a deleted connection): the run stops at the cards using it.
	Missing bool `json:"missing,omitempty"`
}

// RunTargets lists the connections a run of the flow (and its helper
// flows) uses in environment env ("" = the active one), with the tenant
// each touches: the Run panel shows them before a run.
func (a *App) RunTargets(flowID, env string) ([]RunTarget, error) {
	f, err := a.Store.Flow(a.ctx, flowID)
	if err != nil {
		return nil, err
	}
	if env == "" {
		env = a.activeEnv()
	} else if err := checkEnv(env); err != nil {
		return nil, err
	}
	out := []RunTarget{}
	for id := range a.testConnections(f) {
		c, err := a.Store.Connection(a.ctx, id)
		if err != nil {
			continue
		}
		b, bound := bindEnv(c, env)
		out = append(out, RunTarget{Connection: id, Name: c.Name, Kind: c.Kind, Environment: env, Tenant: tenantOf(b), Bound: bound})
	}
	for id, kind := range a.missingConnections(f) { // placeholders.go
		ref := a.exportConnectionRef(id, kind) // named as its import named it
		out = append(out, RunTarget{Connection: id, Name: ref.Name, Kind: ref.Kind, Environment: env, Missing: true})
	}
	slices.SortFunc(out, func(x, y RunTarget) int { return strings.Compare(x.Name, y.Name) })
	return out, nil
}

// envConnections resolves a connection in the environment of the run:
// the context's (manual runs), else the flow's that started it.
type envConnections struct{ a *App }

func (s envConnections) Connection(ctx context.Context, id string) (*engine.Connection, error) {
	c, err := s.a.Store.Connection(ctx, id)
	if err != nil {
		return nil, err
	}
	env := engine.EnvironmentFrom(ctx)
	if env == "" {
		env = s.a.flowEnv(engine.RootFlow(ctx))
	}
	b, _ := bindEnv(c, env)
	engine.NoteTenant(ctx, env, tenantOf(b))
	return b, nil
}

// bindEnv returns connection c as bound in env: its settings with the
// environment's overrides, its secrets with the environment's; bound says
// whether c has a binding of its own for env (dev is always its own).
func bindEnv(c *engine.Connection, env string) (*engine.Connection, bool) {
	if !hasBindings(c) {
		// nothing to strip or override (most connections, on every outside
		// call): c as it is — callers pass the copy the store handed them
		return c, env == "" || env == "dev"
	}
	out := *c
	out.Config = map[string]any{}
	out.Secrets = map[string]string{}
	for k, v := range c.Config {
		if k != EnvConfigKey {
			out.Config[k] = v
		}
	}
	for k, v := range c.Secrets {
		if !strings.Contains(k, ":") {
			out.Secrets[k] = v
		}
	}
	if env == "" || env == "dev" {
		return &out, true
	}
	envs, _ := c.Config[EnvConfigKey].(map[string]any)
	over, ok := envs[env].(map[string]any)
	if !ok {
		return &out, false
	}
	maps.Copy(out.Config, over)
	own := len(over) > 0 // "Bind prod" ticked with nothing filled in binds nothing: the dev settings, said so
	for k, v := range c.Secrets {
		if e, key, ok := strings.Cut(k, ":"); ok && e == env {
			out.Secrets[key] = v
			own = own || v != ""
		}
	}
	return &out, own
}

// hasBindings says whether c carries staging/prod settings or secrets.
func hasBindings(c *engine.Connection) bool {
	if _, ok := c.Config[EnvConfigKey]; ok {
		return true
	}
	for k := range c.Secrets {
		if strings.Contains(k, ":") {
			return true
		}
	}
	return false
}

// tenantOf names the tenant a connection reaches: its domain or base URL.
func tenantOf(c *engine.Connection) string {
	for _, k := range []string{"domain", "baseUrl", "instanceUrl", "url", "host", "subdomain", "tenant", "site"} {
		if v, ok := c.Config[k].(string); ok && v != "" {
			return strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(v, "https://"), "http://"), "/")
		}
	}
	return ""
}
