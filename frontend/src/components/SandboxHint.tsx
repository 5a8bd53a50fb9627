import { useEffect, useState } from 'react'
import { api } from '../api/client'
import type { AppInfo } from '../api/types'
import { copyText } from './TriggerStatus'

let cached: Promise<AppInfo> | null = null
/** sandboxInfo asks the app once for the built-in sandbox tenant's URL and token. */
export function sandboxInfo(): Promise<AppInfo> {
  cached ??= api.info().catch((e) => { cached = null; throw e })
  return cached
}

/** SandboxHint shows the built-in sandbox tenant's Org URL and API token
 * (stable across restarts) with copy buttons, and fills them in on request. */
export function SandboxHint({ onUse }: { onUse?: (url: string, token: string) => void }) {
  const [info, setInfo] = useState<AppInfo | null>(null)
  const [copied, setCopied] = useState('')
  useEffect(() => {
    let live = true
    sandboxInfo().then((i) => { if (live) setInfo(i) }).catch(() => undefined)
    return () => { live = false }
  }, [])
  if (!info?.sandboxUrl) return null
  const url = info.sandboxUrl
  const token = info.sandboxToken ?? ''
  const copy = async (what: string, text: string) => setCopied((await copyText(text)) ? what : '')
  return (
    <div className="sandbox-hint" data-testid="sandbox-hint" aria-label="Built-in sandbox tenant">
      <div><strong>Built-in sandbox tenant</strong> <span className="muted small">— a local Okta org for trying flows; its address stays the same across restarts.</span></div>
      <div className="row"><span>Org URL</span><code data-testid="sandbox-url">{url}</code>
        <button type="button" onClick={() => void copy('url', url)} aria-label="Copy sandbox URL">{copied === 'url' ? 'Copied' : 'Copy'}</button></div>
      {token && (
        <div className="row"><span>API token</span><code data-testid="sandbox-token">{token}</code>
          <button type="button" onClick={() => void copy('token', token)} aria-label="Copy sandbox token">{copied === 'token' ? 'Copied' : 'Copy'}</button></div>
      )}
      {onUse && <button type="button" onClick={() => onUse(url, token)}>Use the sandbox</button>}
    </div>
  )
}

/** SandboxNotice says when the sandbox had to move to another port. */
export function SandboxNotice() {
  const [text, setText] = useState('')
  useEffect(() => {
    sandboxInfo().then((i) => setText(i.sandboxNotice ?? '')).catch(() => undefined)
  }, [])
  return text ? <div className="sandbox-notice" role="status" data-testid="sandbox-notice">{text}</div> : null
}
