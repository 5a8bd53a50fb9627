import { useEffect } from 'react'
import { allCards } from '../model/tree'
import { designer, useDesigner } from '../store/designer'
import { useView, view } from '../store/view'
import { FlowSearch } from './FlowSearch'

/** DesignerTools are the toolbar's view controls: find in flow, collapse or
 * expand every card, Fit. It also keeps the view state in step with the flow. */
export function DesignerTools() {
  const flow = useDesigner((s) => s.flow)
  const id = flow?.id ?? ''
  useEffect(() => {
    if (id) view.open(id)
  }, [id])
  // remember every card's title, so a binding to a deleted card can still name it
  useEffect(() => {
    if (flow) view.remember(allCards(flow).map((c) => [c.id, c.title || designer.specs.get(c.type)?.title || c.type]))
  }, [flow])
  const anyCollapsed = useView((s) => Object.keys(s.collapsed).length > 0)
  const wrap = useView((s) => s.wrap)
  const ids = () => (flow ? allCards(flow).map((c) => c.id) : [])
  return (
    <>
      <FlowSearch />
      <button className="nowrap" onClick={() => view.setCollapsed(ids(), !anyCollapsed)} data-testid="collapse-all"
        title={anyCollapsed ? 'Show every card in full' : 'Collapse every card to its header'}>{anyCollapsed ? 'Expand all' : 'Collapse all'}</button>
      {wrap && <button className="nowrap" onClick={() => view.setWrap(false)} title="Back to one row, as in Okta Workflows">One row</button>}
      <button onClick={() => view.fit()} title="Fit the whole flow on screen (Shift+1); long flows wrap into lines" data-testid="fit">Fit</button>
    </>
  )
}
