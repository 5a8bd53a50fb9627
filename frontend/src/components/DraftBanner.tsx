import { useEffect, useState } from 'react'
import { designer, flowJSON, useDesigner } from '../store/designer'
import { clearDraft, fingerprint, loadDraft, type Draft } from '../store/drafts'
import { ago } from '../format'

/** DraftBanner offers the unsaved changes kept for this flow (after a
 * reload, a crash or a closed window) when the flow opens. */
export function DraftBanner() {
  const seq = useDesigner((s) => s.loadSeq)
  const id = useDesigner((s) => (s.readOnly ? '' : s.flow?.id ?? ''))
  const [draft, setDraft] = useState<Draft | null>(null)
  const [stale, setStale] = useState(false)

  useEffect(() => {
    setDraft(null)
    if (!id) return
    const d = loadDraft(id)
    const { saved } = designer.getState()
    if (!d) return
    if (flowJSON(d.flow) === saved) {
      clearDraft(id) // nothing unsaved in it
      return
    }
    setStale(d.base !== fingerprint(saved))
    setDraft(d)
  }, [seq, id])

  if (!draft) return null
  const restore = () => {
    // the edits come back; on/off stays as it is now (switching is not an edit, and is stored at once)
    designer.edit((cur) => ({ ...draft.flow, enabled: cur.enabled }))
    designer.setNotice('Unsaved changes restored — save to keep them')
    setDraft(null)
  }
  const discard = () => {
    clearDraft(draft.flow.id)
    setDraft(null)
  }
  return (
    <div className="draft-banner" role="alert" data-testid="draft-banner">
      <strong>Unsaved changes from {ago(new Date(draft.at).toISOString())}</strong>
      <span>were kept on this computer{stale ? ' — the flow has been saved since, so restoring replaces that version when you save' : ''}.</span>
      <span className="grow" />
      <button className="primary" onClick={restore}>Restore changes</button>
      <button onClick={discard}>Discard them</button>
    </div>
  )
}
