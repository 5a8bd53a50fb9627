import { describe, expect, it } from 'vitest'
import { envBinding, envSecretKey, tenantText, withEnvBinding } from './environments'

describe('environments', () => {
  const c = { id: 'c', name: 'Acme', kind: 'okta', config: { domain: 'acme-dev.okta.com' } }
  it('sets and removes a binding without touching the connection own settings', () => {
    const p = withEnvBinding(c, 'prod', { domain: 'acme.okta.com' })
    expect(envBinding(p, 'prod')).toEqual({ domain: 'acme.okta.com' })
    expect(p.config?.domain).toBe('acme-dev.okta.com')
    expect(envBinding(withEnvBinding(p, 'prod', undefined), 'prod')).toBeUndefined()
    expect(withEnvBinding(p, 'prod', undefined).config).toEqual({ domain: 'acme-dev.okta.com' })
  })
  it('names secrets and tenants', () => {
    expect(envSecretKey('prod', 'apiToken')).toBe('prod:apiToken')
    expect(tenantText([])).toBe('no connections: nothing outside is touched')
    // an import's placeholder not bound yet is no tenant: the run stops at its cards
    expect(tenantText([{ name: 'Okta scope', bound: false, environment: 'dev', missing: true }, { name: 'Acme', tenant: 'acme.okta.com', bound: true, environment: 'dev' }]))
      .toBe('Okta scope: no such connection (bind it, or choose one on its cards), acme.okta.com (Acme)')
    expect(tenantText([{ name: 'Acme', tenant: 'acme.okta.com', bound: true, environment: 'prod' }])).toBe('acme.okta.com (Acme)')
    expect(tenantText([{ name: 'Acme', tenant: 'dev.okta.com', bound: false, environment: 'staging' }])).toBe('dev.okta.com (Acme: no staging binding, its dev settings)')
  })
})
