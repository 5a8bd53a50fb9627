// "New connection…" in a card's connection menu: the connection form for the
// card's connection kind opens in a dialog; once saved, the new connection is
// the card's connection (and every card's menu lists it).
import { useEffect, useState } from 'react'
import { createPortal } from 'react-dom'
import { api } from '../api/client'
import type { Connection, ConnectionKindDoc } from '../api/types'
import { connectionDraft } from '../model/forms'
import { designer } from '../store/designer'
import { ConnectionForm } from '../views/Connections'
import { useEnv } from './context'
import { Modal } from './Dialog'

/** NEW_CONNECTION is the menu value of "New connection…" (no id looks like it). */
export const NEW_CONNECTION = '\u0000new-connection'

export function NewConnectionDialog({ cardId, kindId, onClose }: { cardId: string; kindId: string; onClose: () => void }) {
  const { addConnection } = useEnv()
  const [kind, setKind] = useState<ConnectionKindDoc | null | undefined>(undefined)
  const [err, setErr] = useState('')
  useEffect(() => {
    let live = true
    api.connectionKinds()
      .then((ks) => { if (live) setKind(ks.find((k) => k.id === kindId) ?? null) })
      .catch((e) => { if (live) setErr((e as Error).message) })
    return () => { live = false }
  }, [kindId])
  const saved = (c: Connection) => {
    addConnection?.(c)
    designer.setCard(cardId, { connection: c.id })
    onClose()
  }
  // portalled out of the canvas node: its clicks and keys are not the card's
  return createPortal(
    <Modal title="New connection" onClose={onClose}>
      {err ? <div className="problem" role="alert">Cannot load connection kinds: {err}</div>
        : kind === undefined ? <p className="muted">Loading…</p>
        : kind === null ? <div className="problem" role="alert">Unknown connection kind {kindId}</div>
        : <ConnectionForm conn={connectionDraft(kind, `${kind.title} connection`)} kind={kind} saveLabel="Save" onCancel={onClose} onSaved={saved} />}
      {(err || kind === null) && <div className="actions"><button onClick={onClose}>Close</button></div>}
    </Modal>,
    document.body,
  )
}
