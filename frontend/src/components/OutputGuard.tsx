// Removing a declared output that other cards use asks first and names them,
// as deleting a card does (CardExtras' DeleteGuard).
import { useEffect, useState } from 'react'
import { outputUsers } from '../model/outputusers'
import { cardTitle } from '../model/problems'
import { indexFlow } from '../model/tree'
import { designer, useDesigner } from '../store/designer'
import { Modal } from './Dialog'

interface Pending { card: string; key: string; label: string }
let pending: Pending | null = null
const subs = new Set<() => void>()
function setPending(p: Pending | null) {
  pending = p
  subs.forEach((f) => f())
}

function removeOutput(cardId: string, key: string) {
  const c = designer.getState().flow && indexFlow(designer.getState().flow!).get(cardId)?.card
  if (c) designer.setCard(cardId, { outputs: (c.outputs ?? []).filter((o) => o.key !== key) })
}

/** requestRemoveOutput removes a card's declared output, asking first when inputs are bound to it. */
export function requestRemoveOutput(cardId: string, key: string, label = key) {
  const f = designer.getState().flow
  if (!f || designer.getState().readOnly) return
  if (outputUsers(f, cardId, key, designer.specs).length === 0) return removeOutput(cardId, key)
  setPending({ card: cardId, key, label })
}

/** OutputGuard is the question requestRemoveOutput asks (mounted once by the designer). */
export function OutputGuard() {
  const [p, setP] = useState<Pending | null>(pending)
  useEffect(() => {
    const f = () => setP(pending)
    subs.add(f)
    return () => void subs.delete(f)
  }, [])
  const flow = useDesigner((s) => s.flow)
  if (!p || !flow) return null
  const users = outputUsers(flow, p.card, p.key, designer.specs)
  const src = indexFlow(flow).get(p.card)?.card
  const title = src ? cardTitle(src, designer.specs) : p.card
  const close = () => setPending(null)
  return (
    <Modal title={`Remove output ${p.label}?`} onClose={close}>
      <p>These cards use <strong>{title} › {p.label}</strong>; their inputs will lose the value:</p>
      <ul className="users" data-testid="output-users">
        {users.map((u) => <li key={u.card}><strong>{u.title}</strong> — {u.inputs.join(', ')}</li>)}
      </ul>
      <div className="actions">
        <button onClick={close} autoFocus>Cancel</button>
        <button className="danger" onClick={() => { removeOutput(p.card, p.key); close() }}>Remove anyway</button>
      </div>
    </Modal>
  )
}
