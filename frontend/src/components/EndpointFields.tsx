// API Endpoint trigger: outputs added under Okta's body / query / headers
// groups, and the Okta connection whose org secures an OAuth 2.0 endpoint.
import { useState } from 'react'
import type { Card } from '../api/types'
import { designer } from '../store/designer'
import { cardConnectionOptions } from '../model/bind'
import { ENDPOINT_GROUPS, endpointOutput, type EndpointGroup } from '../model/endpoint'
import { useEnv } from './context'

const TYPES = ['string', 'number', 'boolean', 'date', 'object', 'any', 'string[]', 'number[]', 'object[]']

/** AddEndpointOutput adds a typed output read from the request's body, query or headers. */
export function AddEndpointOutput({ card, declared }: { card: Card; declared: string[] }) {
  const [group, setGroup] = useState<EndpointGroup>('body')
  const [name, setName] = useState('')
  const [type, setType] = useState('string')
  const [err, setErr] = useState('')
  const add = () => {
    const f = endpointOutput(card, group, name, type, declared)
    if (typeof f === 'string') {
      setErr(f)
      return
    }
    designer.setCard(card.id, { outputs: [...(card.outputs ?? []), f] })
    setName('')
    setErr('')
  }
  return (
    <div className="addfield-wrap nodrag" data-testid="endpoint-add-output">
      <div className="addfield addfield-top">
        <label className="muted small" htmlFor={`grp-${card.id}`}>Read from</label>
        <select id={`grp-${card.id}`} aria-label="New output group" value={group} onChange={(e) => setGroup(e.target.value as EndpointGroup)}>
          {ENDPOINT_GROUPS.map((g) => <option key={g.value} value={g.value}>{g.label}</option>)}
        </select>
        <select aria-label="New output type" value={type} onChange={(e) => setType(e.target.value)}>
          {TYPES.map((t) => <option key={t}>{t}</option>)}
        </select>
      </div>
      <div className="addfield">
        <input aria-label="New output name" placeholder={group === 'headers' ? '+ header name' : group === 'query' ? '+ query parameter' : '+ body field'}
          value={name} onChange={(e) => { setName(e.target.value); setErr('') }} onKeyDown={(e) => e.key === 'Enter' && add()} />
        <button onClick={add} disabled={!name.trim()}>Add</button>
      </div>
      {err && <div className="problem" role="alert">{err}</div>}
    </div>
  )
}

/** EndpointConnection: the Okta org whose authorization server issues the
 * access tokens of an OAuth 2.0 endpoint (shown only for that level). */
export function EndpointConnection({ card, readOnly }: { card: Card; readOnly: boolean }) {
  const { connections } = useEnv()
  const level = card.inputs?.find((f) => f.key === 'security_level')?.value
  if (level !== 'oauth2') return null
  const opts = cardConnectionOptions(card.connection, connections, 'okta')
  const unbound = !card.connection || !connections.some((c) => c.id === card.connection)
  return (
    <label className={`conn-row nodrag ${unbound ? 'unbound' : ''}`} data-testid="endpoint-connection">
      <span>Okta org</span>
      <select value={card.connection ?? ''} disabled={readOnly} aria-label="Okta connection for OAuth 2.0"
        onChange={(e) => designer.setCard(card.id, { connection: e.target.value || undefined })}>
        <option value="">— choose —</option>
        {opts.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </label>
  )
}
