// Profile attributes of the card's Okta org (its user schema), offered as
// fields to add on the Okta cards Okta builds from that schema, as Okta's
// dynamic fields are.
import { useContext, useEffect, useState } from 'react'
import { api } from '../api/client'
import type { Card, Choice, ProfileSchema } from '../api/types'
import { designer } from '../store/designer'
import { missingAttributes, profileChoices, profileField, profileSlotOf, type ProfileSlot } from '../model/endpoint'
import { formatLocal } from '../model/trigger'
import { EnvCtx } from './context'

// one request per connection for every card on the canvas; a refresh on
// one card updates the others showing the same connection
const cache = new Map<string, Promise<ProfileSchema>>()
const listeners = new Set<(s: ProfileSchema) => void>()

function load(conn: string, refresh: boolean): Promise<ProfileSchema> {
  let p = refresh ? undefined : cache.get(conn)
  if (!p) {
    p = api.userProfileSchema(conn, refresh)
    cache.set(conn, p)
    p.catch(() => cache.delete(conn))
    if (refresh) p.then((s) => listeners.forEach((l) => l(s)), () => undefined)
  }
  return p
}

/** useProfileChoices: the enum / oneOf values of a profile attribute input
 * (from the card's org schema, read once per connection), for its dropdown. */
export function useProfileChoices(card: Card, f: { key: string; group?: string }, enabled: boolean): Choice[] | undefined {
  const slot = enabled ? profileSlotOf(card.type, 'inputs') : null
  // only a connection that exists (an imported placeholder or a deleted
  // connection has no schema to read: asking would only log a 404)
  const { connections } = useContext(EnvCtx)
  const wanted = !!slot && (f.group ?? '') === slot.group && !!card.connection && connections.some((c) => c.id === card.connection)
  const conn = wanted ? card.connection! : ''
  const [schema, setSchema] = useState<ProfileSchema | null>(null)
  useEffect(() => {
    if (!conn) return
    let live = true
    load(conn, false).then((s) => { if (live) setSchema(s) }, () => undefined)
    const l = (s: ProfileSchema) => { if (s.connection === conn) setSchema(s) }
    listeners.add(l)
    return () => { live = false; listeners.delete(l) }
  }, [conn])
  return wanted && schema?.connection === conn ? profileChoices(card, f, schema.attributes) : undefined
}

export function profileSlot(card: Card, side: 'inputs' | 'outputs'): ProfileSlot | null {
  return profileSlotOf(card.type, side)
}

/** ProfileFields lists the org's profile attributes the card lacks; Add puts one on the card. */
export function ProfileFields({ card, side, declared }: { card: Card; side: 'inputs' | 'outputs'; declared: string[] }) {
  const slot = profileSlot(card, side)
  const [open, setOpen] = useState(false)
  const [schema, setSchema] = useState<ProfileSchema | null>(null)
  const [err, setErr] = useState('')
  const [busy, setBusy] = useState(false)
  const [filter, setFilter] = useState('')
  const conn = card.connection ?? ''
  const fetch = (refresh: boolean) => {
    if (!conn) return
    setBusy(true)
    setErr('')
    load(conn, refresh).then((s) => setSchema(s), (e: Error) => { setSchema(null); setErr(e.message) }).finally(() => setBusy(false))
  }
  useEffect(() => {
    setSchema(null)
    if (open && conn) fetch(false)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, conn])
  useEffect(() => {
    const l = (s: ProfileSchema) => { if (s.connection === conn) setSchema(s) }
    listeners.add(l)
    return () => { listeners.delete(l) }
  }, [conn])
  if (!slot) return null
  const missing = schema ? missingAttributes(card, slot, schema.attributes, declared, filter) : []
  const add = (keys: string[]) => {
    const picked = (schema?.attributes ?? []).filter((x) => keys.includes(x.key))
    if (!picked.length) return
    designer.setCard(card.id, { [slot.side]: [...(card[slot.side] ?? []), ...picked.map((a) => profileField(slot, a))] })
  }
  return (
    <div className="profile-fields nodrag" data-testid="profile-fields">
      <button className="link small" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? '▾' : '▸'} Profile attributes to {slot.verb}
      </button>
      {open && (
        <div className="profile-panel">
          {!conn ? <div className="muted small">Choose a connection to list its org's profile attributes.</div> : (
            <>
              <div className="profile-head">
                <input aria-label="Filter profile attributes" placeholder="filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
                <button className="small" aria-label="Refresh profile attributes" disabled={busy} onClick={() => fetch(true)}>{busy ? '…' : '↻ Refresh'}</button>
                {missing.length > 1 && <button className="small" aria-label="Add every listed profile attribute" onClick={() => add(missing.map((a) => a.key))}>Add all ({missing.length})</button>}
              </div>
              {err && <div className="problem" role="alert">Could not read the user schema: {err}</div>}
              {schema && (
                <div className="muted small" data-testid="profile-source" title={formatLocal(schema.fetched)}>
                  {schema.attributes.length} attributes of {schema.org.replace(/^https?:\/\//, '')}
                </div>
              )}
              <ul className="profile-list" aria-label="Profile attributes">
                {missing.map((a) => (
                  <li key={a.key} data-testid={`profile-attr-${a.key}`}>
                    <span className="pa-main" title={a.description || a.title}>
                      <span className="pa-title">{a.title}{a.required && <span className="req" title="required">*</span>}</span>
                      <span className="pa-key"><code>{a.key}</code> · {a.type}</span>
                    </span>
                    {a.custom && <span className="pa-custom">custom</span>}
                    <button className="small" aria-label={`Add profile attribute ${a.key}`} onClick={() => add([a.key])}>Add</button>
                  </li>
                ))}
                {schema && !missing.length && <li className="muted small">{filter ? 'No attribute matches.' : 'Every attribute is on the card.'}</li>}
              </ul>
            </>
          )}
        </div>
      )}
    </div>
  )
}
