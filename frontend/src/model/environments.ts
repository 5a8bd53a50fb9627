import type { Connection } from '../api/types'

export const ENV_NAMES = ['dev', 'staging', 'prod']
export const ENV_KEY = 'environments'

/** envBinding is a connection's settings overrides for env (undefined: none; dev is the connection's own). */
export function envBinding(c: Connection, env: string): Record<string, unknown> | undefined {
  const envs = c.config?.[ENV_KEY] as Record<string, Record<string, unknown>> | undefined
  return envs?.[env]
}

/** withEnvBinding sets (or, with undefined, removes) env's overrides on a connection. */
export function withEnvBinding(c: Connection, env: string, over: Record<string, unknown> | undefined): Connection {
  const envs = { ...((c.config?.[ENV_KEY] as Record<string, Record<string, unknown>> | undefined) ?? {}) }
  if (over) envs[env] = over
  else delete envs[env]
  const config = { ...(c.config ?? {}) }
  if (Object.keys(envs).length) config[ENV_KEY] = envs
  else delete config[ENV_KEY]
  return { ...c, config }
}

/** envSecretKey names env's copy of a secret in the encrypted store. */
export function envSecretKey(env: string, key: string): string {
  return `${env}:${key}`
}

/** tenantText says what a run touches: "acme.okta.com (Okta: Acme), …"; a
 * connection that does not exist (an import's placeholder not bound yet, a
 * deleted one) is named as such: the run stops at its cards. */
export function tenantText(ts: { name: string; tenant?: string; bound: boolean; environment: string; missing?: boolean }[]): string {
  if (!ts.length) return 'no connections: nothing outside is touched'
  return ts.map((t) => t.missing ? `${t.name}: no such connection (bind it, or choose one on its cards)`
    : `${t.tenant || '(no domain)'} (${t.name}${t.bound || t.environment === 'dev' ? '' : `: no ${t.environment} binding, its dev settings`})`).join(', ')
}
