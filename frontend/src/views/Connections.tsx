import { useCallback, useEffect, useState } from 'react'
import { api } from '../api/client'
import type { Connection, ConnectionKindDoc, TestReport } from '../api/types'
import { Confirm } from '../components/Dialog'
import { connectionDraft, missingRequired, secretsForSave, visibleFields, type FormField } from '../model/forms'
import { ago } from '../format'
import { SandboxHint, SandboxNotice } from '../components/SandboxHint'
import { EnvBindings } from '../components/Environments'
import { connectionsApi } from '../api/connections'
import { deleteMessage } from '../model/connusers'

export function Connections() {
  const [list, setList] = useState<Connection[] | null>(null)
  const [kinds, setKinds] = useState<ConnectionKindDoc[]>([])
  const [edit, setEdit] = useState<Connection | null>(null)
  const [editStored, setEditStored] = useState<string[]>([])
  const [reports, setReports] = useState<Record<string, TestReport | string>>({})
  const [del, setDel] = useState<{ conn: Connection; message: string } | null>(null)
  const askDelete = async (c: Connection) => {
    // the confirmation names the flows using it (ConnectionUsers)
    const users = await connectionsApi.users(c.id).catch(() => null)
    setDel({ conn: c, message: users ? deleteMessage(c.name, users) : `Delete “${c.name}”? Cards using it will need another connection.` })
  }
  const [err, setErr] = useState('')
  const reload = useCallback(() => api.listConnections().then(setList).catch((e) => setErr((e as Error).message)), [])
  // a saved connection's section (and its test result) is brought into view:
  // the list is sorted by name, so a new one can land below the fold
  const [shown, setShown] = useState('')
  const report = shown ? reports[shown] : undefined
  useEffect(() => {
    if (!shown) return
    document.querySelector(`section.conn[data-conn-id="${CSS.escape(shown)}"]`)?.scrollIntoView({ block: 'nearest' })
    if (report && report !== 'testing') setShown('')
  }, [shown, list, report])
  useEffect(() => {
    void reload()
    api.connectionKinds().then(setKinds).catch((e) => setErr((e as Error).message))
  }, [reload])

  const [authz, setAuthz] = useState<Record<string, string>>({})
  const authorize = async (id: string) => {
    try {
      const url = await api.authorizeConnection(id)
      setAuthz((a) => ({ ...a, [id]: url }))
    } catch (e) {
      setReports((r) => ({ ...r, [id]: (e as Error).message }))
    }
  }

  const test = async (id: string) => {
    setReports((r) => ({ ...r, [id]: 'testing' }))
    try {
      const rep = await api.testConnection(id)
      setReports((r) => ({ ...r, [id]: rep }))
    } catch (e) {
      setReports((r) => ({ ...r, [id]: (e as Error).message }))
    }
  }

  return (
    <div className="page connections">
      <div className="page-head">
        <h1>Connections</h1>
        <span className="grow" />
        {kinds.map((k) => (
          <button key={k.id} onClick={() => setEdit(connectionDraft(k, `${k.title} connection`))}>+ {k.title}</button>
        ))}
      </div>
      {err && <div className="problem" role="alert">{err}</div>}
      <SandboxNotice />
      {edit && (
        <ConnectionForm conn={edit} kind={kinds.find((k) => k.id === edit.kind)} onCancel={() => setEdit(null)} stored={editStored}
          onSaved={async (c) => { setEdit(null); await reload(); setShown(c.id); await test(c.id) }} />
      )}
      {list && !list.length && <p className="muted">No connections yet.</p>}
      <div className="conn-list">
        {list?.map((c) => {
          const rep = reports[c.id]
          return (
            <section key={c.id} className="conn" data-testid={`connection-${c.name}`} aria-label={`Connection ${c.name}`} data-conn-id={c.id}>
              <div className="conn-head">
                <span className="glyph sm" style={{ background: c.kind === 'okta' ? '#1662dd' : '#7b3fe4' }}>{c.kind === 'okta' ? 'O' : '⇄'}</span>
                <h2>{c.name}</h2>
                <span className="muted">{kinds.find((k) => k.id === c.kind)?.title ?? c.kind}</span>
                {typeof c.config?.domain === 'string' && <code>{c.config.domain}</code>}
                {typeof c.config?.baseUrl === 'string' && c.config.baseUrl !== '' && typeof c.config?.domain !== 'string' && <code>{c.config.baseUrl}</code>}
                <span className="grow" />
                <span className="muted small">updated {ago(c.updated)}</span>
                {usesAuthCode(c) && <button onClick={() => authorize(c.id)} data-testid="authorize-connection">Authorize</button>}
                <button onClick={() => test(c.id)} data-testid="test-connection">Test</button>
                <button onClick={() => { setEditStored(Object.keys(c.secrets ?? {})); setEdit({ ...c, secrets: {} }) }}>Edit</button>
                <button className="danger" onClick={() => void askDelete(c)}>Delete</button>
              </div>
              {authz[c.id] && (
                <p className="muted" data-testid="authorize-link">
                  Open <a href={authz[c.id]} target="_blank" rel="noreferrer">the sign-in page</a> and approve; then press Test.{' '}
                  <button className="small" onClick={() => navigator.clipboard?.writeText(authz[c.id]).catch(() => undefined)}>Copy address</button>
                </p>
              )}
              {rep === 'testing' && <p className="muted">Testing…</p>}
              {typeof rep === 'string' && rep !== 'testing' && <div className="problem" role="alert">{rep}</div>}
              {rep && typeof rep === 'object' && <Ladder report={rep} />}
            </section>
          )
        })}
      </div>
      {del && (
        <Confirm title="Delete connection" message={del.message}
          onNo={() => setDel(null)} onYes={async () => { setDel(null); await api.deleteConnection(del.conn.id).catch((e) => setErr((e as Error).message)); await reload() }} />
      )}
    </div>
  )
}

/** usesAuthCode: the connection signs in with OAuth 2.0 authorization code (kit kinds' authMethod, the API Connector's authType). */
function usesAuthCode(c: Connection): boolean {
  return c.config?.authMethod === 'oauth2AuthCode' || c.config?.authType === 'oauth2AuthCode'
}

export function Ladder({ report }: { report: TestReport }) {
  const firstBad = report.steps.findIndex((s) => !s.ok)
  return (
    <div className={`ladder ${report.ok ? 'ok' : 'bad'}`} data-testid="test-report">
      <div className="ladder-sum"><strong>{report.ok ? '✓ Connection works' : '✕ Connection test failed'}</strong></div>
      <ol>
        {report.steps.map((s, i) => (
          <li key={i} className={s.ok ? 'ok' : i === firstBad ? 'bad first' : 'bad'} data-testid="test-step">
            <span className="mark" aria-hidden>{s.ok ? '✓' : '✕'}</span>
            <span className="step-name">{s.name}</span>
            <span className="step-msg">{s.message}</span>
            {(s.status || s.code) && <span className="errmeta">{s.status ? `HTTP ${s.status}` : ''} {s.code ?? ''}</span>}
            {!s.ok && s.hint && <div className="hint">→ {s.hint}</div>}
          </li>
        ))}
      </ol>
      {report.info && Object.keys(report.info).length > 0 && (
        <dl className="info">{Object.entries(report.info).map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd></div>)}</dl>
      )}
    </div>
  )
}

export function ConnectionForm({ conn, kind, onCancel, onSaved, saveLabel = 'Save and test', stored: storedKeys }: { conn: Connection; kind?: ConnectionKindDoc; onCancel: () => void; onSaved: (c: Connection) => void; saveLabel?: string; stored?: string[] }) {
  const [c, setC] = useState<Connection>(conn)
  const [err, setErr] = useState('')
  const [jwk, setJwk] = useState('')
  const stored = conn.secrets ?? {}
  if (!kind) return <div className="problem">Unknown connection kind {conn.kind}</div>
  const { fields, secrets } = visibleFields(kind, c.config ?? {})
  // an edit clears the last save's message (it may name a field no longer shown)
  const setCfg = (k: string, v: unknown) => { setErr(''); setC({ ...c, config: { ...c.config, [k]: v } }) }
  const setSec = (k: string, v: string) => { setErr(''); setC({ ...c, secrets: { ...c.secrets, [k]: v } }) }
  const isNew = !conn.id
  // the secrets the edited connection has stored (listed masked); not given: assume every one
  const storedSet = new Set(storedKeys ?? kind?.secrets.map((s) => s.key) ?? [])
  const hadSecret = (k: string) => !isNew && storedSet.has(k)

  const gen = async (f: FormField) => {
    try {
      const kp = await api.generateKeyPair()
      const pem = (kp.privatePem ?? kp.privatePEM) as string
      const pub = kp.publicJwk ?? kp.publicJWK
      setSec(f.key, pem)
      setJwk(JSON.stringify(pub, null, 2))
    } catch (e) {
      setErr((e as Error).message)
    }
  }

  const save = async (e: React.FormEvent) => {
    e.preventDefault()
    const miss = missingRequired(kind, c, isNew ? {} : Object.fromEntries([...storedSet].map((k) => [k, 'stored'])))
    if (miss.length) return setErr(`Required: ${miss.join(', ')}`)
    try {
      const saved = await api.saveConnection({ ...c, secrets: secretsForSave(c.secrets) })
      onSaved(saved)
    } catch (e2) {
      setErr((e2 as Error).message)
    }
  }
  void stored
  return (
    <form className="conn-form" onSubmit={save} aria-label={`${isNew ? 'New' : 'Edit'} ${kind.title} connection`}>
      <h2>{isNew ? 'New' : 'Edit'} {kind.title} connection</h2>
      <label className="form-row"><span>Name</span><input required value={c.name} onChange={(e) => setC({ ...c, name: e.target.value })} aria-label="Name" /></label>
      {kind.id === 'okta' && (
        <SandboxHint onUse={(url, token) => setC({ ...c, config: { ...c.config, domain: url, authMethod: 'token' }, secrets: { ...c.secrets, apiToken: token } })} />
      )}
      {fields.map((f) => (
        <label key={f.key} className="form-row">
          <span>{f.label}{f.required && <span className="req">*</span>}</span>
          <FormControl f={f} value={c.config?.[f.key]} onChange={(v) => setCfg(f.key, v)} />
          {f.description && <small className="muted">{f.description}</small>}
        </label>
      ))}
      {secrets.map((f) => (
        <div key={f.key} className="form-row">
          <label htmlFor={`sec-${f.key}`}>{f.label}{f.required && isNew && <span className="req">*</span>}</label>
          {/pem|private/i.test(f.key) ? (
            <textarea id={`sec-${f.key}`} rows={3} autoComplete="off" spellCheck={false} value={c.secrets?.[f.key] ?? ''}
              placeholder={hadSecret(f.key) ? 'stored — leave empty to keep' : ''} onChange={(e) => setSec(f.key, e.target.value)} />
          ) : (
            <input id={`sec-${f.key}`} type="password" autoComplete="new-password" value={c.secrets?.[f.key] ?? ''}
              placeholder={hadSecret(f.key) && !isNew ? 'stored — leave empty to keep' : ''} onChange={(e) => setSec(f.key, e.target.value)} />
          )}
          {f.description && <small className="muted">{f.description}</small>}
          {/private/i.test(f.key) && <button type="button" onClick={() => gen(f)}>Generate key pair</button>}
        </div>
      ))}
      <EnvBindings kind={kind} conn={c} onChange={setC} isNew={isNew} />
      {jwk && (
        <div className="form-row">
          <span>Public key (JWK) — add it to your Okta API Services app</span>
          <textarea readOnly rows={6} value={jwk} aria-label="Public JWK" onFocus={(e) => e.target.select()} />
          <button type="button" onClick={() => navigator.clipboard?.writeText(jwk).catch(() => undefined)}>Copy public key</button>
        </div>
      )}
      {err && <div className="problem" role="alert">{err}</div>}
      <div className="actions">
        <button type="button" onClick={onCancel}>Cancel</button>
        <button type="submit" className="primary" data-testid="save-connection">{saveLabel}</button>
      </div>
    </form>
  )
}

function FormControl({ f, value, onChange }: { f: FormField; value: unknown; onChange: (v: unknown) => void }) {
  switch (f.editor) {
    case 'choice':
      return (
        <select value={value === undefined ? '' : JSON.stringify(value)} aria-label={f.label} onChange={(e) => onChange(e.target.value ? JSON.parse(e.target.value) : undefined)}>
          {!f.required && <option value="">—</option>}
          {f.choices!.map((c) => <option key={JSON.stringify(c.value)} value={JSON.stringify(c.value)}>{c.label || String(c.value)}</option>)}
        </select>
      )
    case 'boolean':
      return <input type="checkbox" checked={!!value} aria-label={f.label} onChange={(e) => onChange(e.target.checked)} />
    case 'number':
      return <input type="number" value={value === undefined ? '' : String(value)} aria-label={f.label} onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))} />
    case 'list':
      return (
        <input value={Array.isArray(value) ? value.join(' ') : String(value ?? '')} aria-label={f.label} placeholder="space-separated"
          onChange={(e) => onChange(e.target.value.split(/[\s,]+/).filter(Boolean))} />
      )
    case 'object':
    case 'json':
      return <textarea rows={3} value={value === undefined ? '' : JSON.stringify(value)} aria-label={f.label} onChange={(e) => { try { onChange(JSON.parse(e.target.value)) } catch { /* keep typing */ } }} />
    default:
      return <input value={String(value ?? '')} aria-label={f.label} onChange={(e) => onChange(e.target.value)} required={f.required} />
  }
}
