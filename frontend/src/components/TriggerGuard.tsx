// Replacing a flow's trigger asks first: a trigger is never replaced by a
// stray click or Enter in the palette. The question names the inputs bound to
// outputs the new trigger lacks (they become problems on those fields).
import { useEffect, useState } from 'react'
import type { Flow, SpecDoc } from '../api/types'
import { cardTitle, lostTriggerBindings } from '../model/problems'
import { designer } from '../store/designer'
import { Modal } from './Dialog'

let pending: SpecDoc | null = null
const subs = new Set<() => void>()
function setPending(s: SpecDoc | null) {
  pending = s
  subs.forEach((f) => f())
}

/** pristine: the placeholder trigger of a new flow (Manual Run, no inputs
 * declared, nothing bound to it) — replacing it loses nothing. */
export function pristineTrigger(flow: Flow): boolean {
  const t = flow.trigger
  if (t.type !== 'flow.manual' && t.type !== '') return false
  if ((t.outputs ?? []).length || (t.inputs ?? []).some((f) => f.value !== undefined)) return false
  return lostTriggerBindings(flow, designer.specs, []).length === 0
}

/** requestTrigger replaces the trigger, asking first unless the flow has only the placeholder. */
export function requestTrigger(spec: SpecDoc) {
  const st = designer.getState()
  if (!st.flow || st.readOnly) return
  if (st.flow.trigger.type === spec.id) {
    designer.setNotice(`${spec.title} is already the trigger`)
    return
  }
  if (pristineTrigger(st.flow)) {
    designer.setTrigger(spec)
    return
  }
  setPending(spec)
}

export function TriggerGuard() {
  const [spec, setSpec] = useState<SpecDoc | null>(pending)
  useEffect(() => {
    const f = () => setSpec(pending)
    subs.add(f)
    return () => void subs.delete(f)
  }, [])
  const flow = designer.getState().flow
  if (!spec || !flow) return null
  const current = cardTitle(flow.trigger, designer.specs)
  const lost = lostTriggerBindings(flow, designer.specs, spec.outputs.map((o) => o.key))
  const close = () => setPending(null)
  return (
    <Modal title="Replace the trigger?" onClose={close}>
      <p>The flow starts with <strong>{current}</strong>. Replace it with <strong>{spec.title}</strong>? Its settings are lost.</p>
      {lost.length > 0 && (
        <>
          <p>These inputs use outputs {spec.title} does not have; they will show as problems:</p>
          <ul className="users" data-testid="trigger-lost">
            {lost.map((l, i) => <li key={i}><strong>{l.title}</strong> › {l.input} <span className="muted">(uses {l.output})</span></li>)}
          </ul>
        </>
      )}
      <div className="actions">
        <button onClick={close} autoFocus>Keep {current}</button>
        <button className="danger" onClick={() => { designer.setTrigger(spec); close() }}>Replace trigger</button>
      </div>
    </Modal>
  )
}
