package engine

import (
	"context"
	"slices"
)

// Environments (dev, staging, prod): a connection may bind each to another
// tenant (Connection.Config "environments" and secrets "<env>:<key>"; the
// app resolves them). Flows never name one: the environment a run uses comes
// from its context (WithEnvironment: manual runs) or from the flow's state.

type envKey struct{}

// WithEnvironment makes the runs started with ctx (and their helper runs)
// use environment env.
func WithEnvironment(ctx context.Context, env string) context.Context {
	return context.WithValue(ctx, envKey{}, env)
}

// EnvironmentFrom is the environment WithEnvironment set ("" if none).
func EnvironmentFrom(ctx context.Context) string {
	s, _ := ctx.Value(envKey{}).(string)
	return s
}

type runKey struct{}

type runCtx struct {
	r    *run
	root string // the flow of the run that started it all
}

// withRun marks ctx as the context of a card of run r, so the connection
// source can find the flow the run (or the run that called it) belongs to.
func (r *run) withRun(ctx context.Context) context.Context {
	root := r.ex.Flow
	if prev, ok := ctx.Value(runKey{}).(*runCtx); ok {
		if prev.r == r {
			return ctx
		}
		root = prev.root
	}
	return context.WithValue(ctx, runKey{}, &runCtx{r: r, root: root})
}

// RootFlow is the id of the flow whose run started the one running with
// ctx: the flow itself, or the caller of a helper flow ("" outside a run).
func RootFlow(ctx context.Context) string {
	if rc, ok := ctx.Value(runKey{}).(*runCtx); ok {
		return rc.root
	}
	return ""
}

// NoteTenant records on the running execution the environment it ran in
// and a tenant (domain) it touched.
func NoteTenant(ctx context.Context, env, tenant string) {
	rc, ok := ctx.Value(runKey{}).(*runCtx)
	if !ok {
		return
	}
	r := rc.r
	r.mu.Lock()
	defer r.mu.Unlock()
	if env != "" {
		r.ex.Environment = env
	}
	if tenant != "" && !slices.Contains(r.ex.Tenants, tenant) {
		r.ex.Tenants = append(r.ex.Tenants, tenant)
	}
}
