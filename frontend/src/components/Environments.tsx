import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react'
import { envApi, type RunTarget } from '../api/environments'
import type { Connection, ConnectionKindDoc, ExecutionSummary } from '../api/types'
import { ENV_NAMES, envBinding, envSecretKey, tenantText, withEnvBinding } from '../model/environments'
import { visibleFields } from '../model/forms'
import { Modal } from './Dialog'
import './attempts.css'

// the active environment, shared by the switch, the Run panel and the designer
let active = ''
const listeners = new Set<() => void>()
const setActive = (env: string) => { active = env; listeners.forEach((l) => l()) }
let loaded: Promise<void> | null = null
function load() {
  loaded ??= envApi.state().then((s) => setActive(s.active)).catch(() => { loaded = null })
  return loaded
}
/** reread takes the active environment from the app again: it is the app's
 * (one for every window), and another window may have switched it. */
function reread() {
  loaded = null
  return load()
}
let watching = false
function watchOtherWindows() {
  if (watching || typeof window === 'undefined') return
  watching = true
  window.addEventListener('focus', () => void reread())
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') void reread() })
}
export function useActiveEnv(): string {
  useEffect(() => { watchOtherWindows(); void load() }, [])
  return useSyncExternalStore((l) => { listeners.add(l); return () => listeners.delete(l) }, () => active)
}

/** EnvSwitch (top bar): the active environment; manual runs use it. */
export function EnvSwitch() {
  const env = useActiveEnv()
  const [err, setErr] = useState('')
  if (!env) return null
  return (
    <label className={`env-switch env-${env}`} title="Manual runs use this environment's connection bindings">
      <span>Environment</span>
      <select aria-label="Environment" value={env} data-testid="env-switch"
        onChange={(e) => { const v = e.target.value; envApi.set(v).then(() => setActive(v)).catch((x) => setErr((x as Error).message)) }}>
        {ENV_NAMES.map((n) => <option key={n} value={n}>{n}</option>)}
      </select>
      {err && <span className="problem small" role="alert">{err}</span>}
    </label>
  )
}

/** RunTargetsNote (Run panel): which environment and tenants the run will touch. */
export function RunTargetsNote({ flowId }: { flowId: string }) {
  const env = useActiveEnv()
  const [ts, setTs] = useState<RunTarget[] | null>(null)
  useEffect(() => { if (env) envApi.targets(flowId, env).then(setTs).catch(() => setTs(null)) }, [flowId, env])
  if (!env || !ts) return null
  return (
    <p className={`run-targets env-${env}`} data-testid="run-targets">
      Runs in <strong>{env}</strong>: {tenantText(ts)}
    </p>
  )
}

/** useProdConfirm: a manual run against prod asks first, naming the tenants. */
export function useProdConfirm(flowId: string): [(run: () => void) => void, ReactNode] {
  const env = useActiveEnv()
  const [pending, setPending] = useState<{ run: () => void; ts: RunTarget[]; env: string; from: string; switched: boolean } | null>(null)
  const ask = (run: () => void) => {
    // the run uses the app's active environment: read it again first, as
    // another window may have switched it since this one showed it
    const shown = env
    envApi.state().then((s) => s.active, () => shown).then((now) => {
      if (now !== shown) setActive(now)
      if (now === shown && now !== 'prod') return run()
      const asking = (ts: RunTarget[]) => setPending({ run, ts, env: now, from: shown, switched: now !== shown })
      envApi.targets(flowId, now).then(asking).catch(() => asking([]))
    })
  }
  const dialog = pending && (pending.switched ? (
    <Modal title={`The environment is now ${pending.env}`} onClose={() => setPending(null)}>
      <p data-testid="env-switched">Another window switched the environment from <strong>{pending.from}</strong> to <strong>{pending.env}</strong>. This run would use its bindings and touch: <strong data-testid="prod-tenants">{tenantText(pending.ts)}</strong>.</p>
      <div className="actions">
        <button onClick={() => setPending(null)} autoFocus>Cancel</button>
        <button className={pending.env === 'prod' ? 'danger' : 'primary'} data-testid="confirm-prod-run" onClick={() => { const r = pending.run; setPending(null); r() }}>Run in {pending.env}</button>
      </div>
    </Modal>
  ) : (
    <Modal title="Run against prod?" onClose={() => setPending(null)}>
      <p>This run uses the <strong>prod</strong> bindings of its connections and changes real data in: <strong data-testid="prod-tenants">{tenantText(pending.ts)}</strong>.</p>
      <div className="actions">
        <button onClick={() => setPending(null)} autoFocus>Cancel</button>
        <button className="danger" data-testid="confirm-prod-run" onClick={() => { const r = pending.run; setPending(null); r() }}>Run in prod</button>
      </div>
    </Modal>
  ))
  return [ask, dialog]
}

/** FlowEnvSelect (designer toolbar): the environment the flow runs in when switched on. */
export function FlowEnvSelect({ flowId }: { flowId: string }) {
  const [env, setEnv] = useState('')
  const [ts, setTs] = useState<RunTarget[]>([])
  useEffect(() => { envApi.flowEnv(flowId).then(setEnv).catch(() => setEnv('')) }, [flowId])
  useEffect(() => { if (env) envApi.targets(flowId, env).then(setTs).catch(() => setTs([])) }, [flowId, env])
  if (!env) return null
  // a connection without a binding of its own here runs on its dev settings: say so where the environment is chosen
  const unbound = env === 'dev' ? [] : ts.filter((t) => !t.bound && !t.missing)
  return (
    <label className={`flow-env env-${env}`} title="When switched on, the flow's triggers run it in this environment (flow state: not saved in the flow file)">
      <select aria-label="Flow environment" value={env} onChange={(e) => { const v = e.target.value; envApi.setFlowEnv(flowId, v).then(() => setEnv(v)).catch(() => undefined) }}>
        {ENV_NAMES.map((n) => <option key={n} value={n}>runs in {n}</option>)}
      </select>
      {unbound.length > 0 && (
        <span className="problem small" style={{ whiteSpace: 'nowrap' }} data-testid="flow-env-unbound"
          title={`${unbound.map((t) => t.name).join(', ')} ha${unbound.length === 1 ? 's' : 've'} no ${env} binding: in ${env} this flow reaches ${tenantText(ts)}. Bind ${env} in Connections.`}>
          ⚠ no {env} binding
        </span>
      )}
    </label>
  )
}

/** FlowEnvBadge (flow list): the environment a switched-on flow's triggers run it in (switching a flow on keeps the active one). */
export function FlowEnvBadge({ flowId, enabled }: { flowId: string; enabled: boolean }) {
  const [env, setEnv] = useState('')
  useEffect(() => {
    if (!enabled) return setEnv('')
    let live = true
    envApi.flowEnv(flowId).then((v) => { if (live) setEnv(v) }).catch(() => undefined)
    return () => { live = false }
  }, [flowId, enabled])
  if (!enabled || !env) return null
  return <span className={`badge env-badge env-${env}`} style={{ marginLeft: 6 }} data-testid="flow-env-badge" title="Its triggers run it in this environment (choose it in the designer's toolbar)">runs in {env}</span>
}

/** EnvBadge: where a run was bound (history rows and the execution view). */
export function EnvBadge({ row }: { row: ExecutionSummary | { environment?: string; tenant?: string; tenants?: string[] } }) {
  const r = row as { environment?: string; tenant?: string; tenants?: string[] }
  if (!r.environment) return null
  const tenant = r.tenant ?? r.tenants?.[0]
  return <span className={`badge env-badge env-${r.environment}`} data-testid="env-badge" title="Environment and tenant of this run">{r.environment}{tenant ? ` · ${tenant}` : ''}</span>
}

/** EnvBindings (connection form): staging and prod settings and secrets beside the connection's own (dev). */
export function EnvBindings({ kind, conn, onChange, isNew }: { kind: ConnectionKindDoc; conn: Connection; onChange: (c: Connection) => void; isNew: boolean }) {
  return (
    <fieldset className="env-bindings" data-testid="env-bindings">
      <legend>Environments</legend>
      <p className="muted small">The settings above are <strong>dev</strong>. Bind staging or prod to another tenant: manual runs use the environment switched on in the top bar, switched-on flows their own.</p>
      {ENV_NAMES.filter((n) => n !== 'dev').map((env) => {
        const over = envBinding(conn, env)
        const { fields, secrets } = visibleFields(kind, { ...(conn.config ?? {}), ...(over ?? {}) })
        const textFields = fields.filter((f) => !f.editor || f.editor === 'text')
        return (
          <div key={env} className={`env-binding env-${env}`}>
            <label className="check">
              <input type="checkbox" checked={!!over} aria-label={`Bind ${env}`}
                onChange={(e) => onChange(withEnvBinding(conn, env, e.target.checked ? {} : undefined))} /> {env}
            </label>
            {over && textFields.map((f) => (
              <label key={f.key} className="form-row">
                <span>{env} {f.label}</span>
                <input aria-label={`${env} ${f.label}`} value={String(over[f.key] ?? '')} placeholder={String(conn.config?.[f.key] ?? '')}
                  onChange={(e) => onChange(withEnvBinding(conn, env, { ...over, [f.key]: e.target.value || undefined }))} />
              </label>
            ))}
            {over && secrets.map((f) => (
              <label key={f.key} className="form-row">
                <span>{env} {f.label}</span>
                <input type="password" autoComplete="new-password" aria-label={`${env} ${f.label}`} value={conn.secrets?.[envSecretKey(env, f.key)] ?? ''}
                  placeholder={isNew ? '' : 'stored — leave empty to keep'}
                  onChange={(e) => onChange({ ...conn, secrets: { ...conn.secrets, [envSecretKey(env, f.key)]: e.target.value } })} />
              </label>
            ))}
          </div>
        )
      })}
    </fieldset>
  )
}
