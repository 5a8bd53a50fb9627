import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import {
  applyNodeChanges, Background, ControlButton, Controls, MiniMap, ReactFlow, useNodesInitialized, useReactFlow, ViewportPortal,
  type Edge, type Node, type NodeChange, type NodeTypes,
} from '@xyflow/react'
import type { Flow } from '../api/types'
import { bestLineWidth, COLLAPSED_H, insertIndex, layoutRow, wrapRow, type Collapsed, type Placed } from '../model/layout'
import { allCards, indexFlow } from '../model/tree'
import { designer, useDesigner } from '../store/designer'
import { branchDrop, endHover, hoverCard, targetUnder, useDrag } from '../store/drag'
import { useView, view } from '../store/view'
import { CardNode } from './CardView'

const nodeTypes: NodeTypes = { card: CardNode as unknown as NodeTypes[string] }

function structure(f: Flow | null): string {
  if (!f) return ''
  return layoutRow(f).map((p) => `${p.id}:${p.x}:${p.width}`).join('|') + '#' + allCards(f).filter((c) => c.branches?.length).map((c) => c.id).join(',')
}

export function buildNodes(placed: Placed[], triggerId: string): Node[] {
  return placed.map((p) => ({
    id: p.id,
    type: 'card',
    position: { x: p.x, y: p.y ?? 0 },
    data: { id: p.id },
    dragHandle: '.card-head',
    draggable: p.id !== triggerId,
    selectable: false,
    style: { width: p.width },
  }))
}

// the layout last drawn, for drops from the palette (Designer)
let drawn: { placed: Placed[]; trigger: string } = { placed: [], trigger: '' }

/** canvasInsertIndex: where a palette card dropped at flow (x, y) lands in the row as drawn. */
export function canvasInsertIndex(x: number, y: number): number | undefined {
  return drawn.placed.length ? insertIndex(drawn.placed, drawn.trigger, x, y) : undefined
}

/** Below this zoom card text is not readable: Fit wraps the row, then collapses cards. */
export const READABLE_ZOOM = 0.55

/** estimate is a card's height before it is measured. */
function estimate(f: Flow, id: string, collapsed: Collapsed): number {
  if (collapsed[id]) return COLLAPSED_H
  const c = indexFlow(f).get(id)?.card
  return 110 + 58 * (c?.inputs?.length ?? 1) + (c?.branches?.length ? 260 : 0)
}

export function Canvas({ onReady }: { onReady?: () => void }) {
  const key = useDesigner((s) => structure(s.flow))
  const triggerId = useDesigner((s) => s.flow?.trigger.id ?? '')
  const readOnly = useDesigner((s) => s.readOnly)
  const collapsed = useView((s) => s.collapsed)
  const wrap = useView((s) => s.wrap)
  const fitSeq = useView((s) => s.fitSeq)
  const focus = useView((s) => s.focus)
  const [heights, setHeights] = useState<Record<string, number>>({})
  const [lineWidth, setLineWidth] = useState(0)
  const heightOf = useCallback((id: string) => heights[id] ?? estimate(designer.getState().flow!, id, collapsed), [heights, collapsed])
  const placed = useMemo(() => {
    const f = designer.getState().flow
    if (!f) return []
    const row = layoutRow(f, collapsed)
    return wrap && lineWidth > 0 ? wrapRow(row, heightOf, lineWidth) : row
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, collapsed, wrap, lineWidth, wrap ? heightOf : null])
  drawn = { placed, trigger: triggerId }
  const [nodes, setNodes] = useState<Node[]>(() => buildNodes(placed, triggerId))
  useEffect(() => setNodes(buildNodes(placed, triggerId)), [placed, triggerId])
  const edges = useMemo<Edge[]>(() => placed.slice(1).map((p, i) => ({
    id: `e-${placed[i].id}-${p.id}`, source: placed[i].id, target: p.id, type: (p.y ?? 0) !== (placed[i].y ?? 0) ? 'smoothstep' : 'straight', focusable: false, selectable: false,
  })), [placed])
  const onNodesChange = useCallback((ch: NodeChange[]) => {
    setNodes((ns) => applyNodeChanges(ch, ns))
    // remember measured heights (rounded, so a pixel of jitter does not re-wrap the row)
    const hs: Record<string, number> = {}
    for (const c of ch) if (c.type === 'dimensions' && c.dimensions) hs[c.id] = Math.ceil(c.dimensions.height / 8) * 8
    if (Object.keys(hs).length) setHeights((cur) => (Object.entries(hs).every(([k, v]) => cur[k] === v) ? cur : { ...cur, ...hs }))
  }, [])
  const [map, setMap] = useMiniMapPref(placed.length)
  const rf = useReactFlow()
  const initialized = useNodesInitialized()
  const readyOnce = useRef(false)
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (initialized && !readyOnce.current) {
      readyOnce.current = true
      // as in Okta Workflows: the trigger at the left, at full size
      rf.setViewport({ x: 40, y: 36, zoom: 1 }).finally(() => requestAnimationFrame(() => onReady?.()))
    }
  }, [initialized, rf, onReady])

  // Fit: the whole flow, readable. One row when it fits at a readable zoom;
  // else the row wraps into lines; else the cards collapse to their header.
  const pendingFit = useRef(false)
  // requests made before this canvas was mounted (another view of the flow) are not for it
  const seen = useRef({ fit: view.get().fitSeq, focus: view.get().focus?.seq ?? 0 })
  useEffect(() => {
    if (!fitSeq || fitSeq === seen.current.fit) return
    seen.current.fit = fitSeq
    const f = designer.getState().flow
    const el = box.current
    if (!f || !el) return
    const W = el.clientWidth - 40
    const H = el.clientHeight - 40
    const fitIn = (col: Collapsed) => {
      const h = (id: string) => (col[id] ? COLLAPSED_H : heights[id] ?? estimate(f, id, col))
      return bestLineWidth(layoutRow(f, col), h, W, H)
    }
    let col: Collapsed = view.get().collapsed
    let best = fitIn(col)
    if (best.zoom < READABLE_ZOOM) {
      const all: Collapsed = {}
      for (const c of allCards(f)) all[c.id] = true
      const collapsedFit = fitIn(all)
      if (collapsedFit.zoom > best.zoom) {
        view.setCollapsed(allCards(f).map((c) => c.id), true)
        designer.setNotice('Cards collapsed to their header to fit the flow — Expand all brings them back')
        col = all
        best = collapsedFit
      }
    }
    const one = layoutRow(f, col)
    const oneWidth = one.length ? one[one.length - 1].x + one[one.length - 1].width : 0
    const oneHeight = Math.max(0, ...one.map((p) => (col[p.id] ? COLLAPSED_H : heights[p.id] ?? estimate(f, p.id, col))))
    // one row, as in Okta, whenever it is readable that way
    const oneZoom = Math.min(1, W / Math.max(1, oneWidth), H / Math.max(1, oneHeight))
    const wrapIt = oneZoom < READABLE_ZOOM && best.lineWidth < oneWidth
    setLineWidth(best.lineWidth)
    view.setWrap(wrapIt)
    pendingFit.current = true
    // the layout changes first; the effect below fits once the nodes moved
    setNodes((ns) => [...ns])
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fitSeq])
  useEffect(() => {
    if (!pendingFit.current) return
    // fit once the nodes stopped moving (layout, then measured heights re-wrap the lines)
    const t = setTimeout(() => {
      pendingFit.current = false
      void rf.fitView({ padding: 0.04, maxZoom: 1, minZoom: 0.1, duration: 0 }).then(() => {
        // tests and scripts wait for this instead of guessing how long Fit takes
        if (box.current) box.current.dataset.fitted = String(seen.current.fit)
      })
    }, 60)
    return () => clearTimeout(t)
  }, [nodes, rf])

  // jump to a card (Problems panel, search): expand what hides it, centre it, focus the field
  useEffect(() => {
    if (!focus || focus.seq === seen.current.focus) return
    seen.current.focus = focus.seq
    const f = designer.getState().flow
    if (!f) return
    const loc = indexFlow(f).get(focus.card)
    if (!loc) return
    const top = loc.ancestors[0] ?? focus.card
    const hiding = [...loc.ancestors, ...(focus.field ? [focus.card] : [])].filter((id) => view.get().collapsed[id])
    if (hiding.length) view.setCollapsed(hiding, false)
    let tries = 0
    let timer = 0
    if (focus.reveal) {
      // pan the least that shows the card whole (its head at least), keeping the zoom
      const show = () => {
        const el = document.querySelector<HTMLElement>(`.card[data-card="${CSS.escape(focus.card)}"]`)
        const n = rf.getInternalNode(top)
        const box0 = box.current?.getBoundingClientRect()
        if (!box0) return
        const vp = rf.getViewport()
        let r: { left: number; right: number; top: number; bottom: number }
        if (el) r = el.getBoundingClientRect()
        else if (n) {
          const x = box0.left + vp.x + n.internals.positionAbsolute.x * vp.zoom
          const y = box0.top + vp.y + n.internals.positionAbsolute.y * vp.zoom
          r = { left: x, right: x + (n.measured.width ?? 300) * vp.zoom, top: y, bottom: y + 60 * vp.zoom }
        } else return
        const pad = 24
        let dx = 0
        let dy = 0
        if (r.right > box0.right - pad) dx = box0.right - pad - r.right
        if (r.left + dx < box0.left + pad) dx = box0.left + pad - r.left
        if (r.top < box0.top + pad) dy = box0.top + pad - r.top
        else if (r.top + 80 > box0.bottom) dy = box0.bottom - 80 - r.top
        const done = () => { if (box.current) box.current.dataset.shown = String(focus.seq) }
        if (dx || dy) void rf.setViewport({ x: vp.x + dx, y: vp.y + dy, zoom: vp.zoom }).then(done)
        else done()
      }
      timer = window.setTimeout(show, 30)
      return () => clearTimeout(timer)
    }
    designer.select(focus.card)
    const go = () => {
      const n = rf.getInternalNode(top)
      if (!n) return
      const el = document.querySelector<HTMLElement>(`.card[data-card="${CSS.escape(focus.card)}"]`)
      const zoom = Math.max(rf.getZoom(), 0.8)
      if (el && tries > 0) {
        const r = el.getBoundingClientRect()
        const target = focus.field ? el.querySelector<HTMLElement>(`[data-key="${CSS.escape(focus.field)}"]`) : null
        const tr = target?.getBoundingClientRect() ?? r
        // a card wider than the canvas (an If/ElseIf with long lanes) shows its head, not its middle
        const half = (box.current?.getBoundingClientRect().width ?? 800) / 2 - 40
        const c = rf.screenToFlowPosition({ x: tr.left + Math.min(tr.width / 2, half), y: tr.top + Math.min(tr.height, 200) / 2 })
        void rf.setCenter(c.x, c.y, { zoom, duration: 0 }).then(() => {
          if (box.current) box.current.dataset.shown = String(focus.seq)
          el.classList.remove('flash')
          void el.offsetWidth
          el.classList.add('flash')
          if (!focus.take) return
          const input = target?.querySelector<HTMLElement>('input, select, textarea')
          ;(input ?? el).focus({ preventScroll: true })
        })
        return
      }
      const w = n.measured.width ?? 300
      void rf.setCenter(n.internals.positionAbsolute.x + w / 2, n.internals.positionAbsolute.y + 150, { zoom, duration: 0 })
      if (tries++ < 6) timer = window.setTimeout(go, 60)
    }
    timer = window.setTimeout(go, 30)
    return () => clearTimeout(timer)
  }, [focus, rf])

  // keyboard: zoom with Ctrl/⌘ + = − 0, or + − 0 on the canvas; Shift+1 fits; arrows pan; Home/End go to the trigger/last card
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const tgt = e.target as HTMLElement
      if (tgt.closest('input, textarea, select, [contenteditable], dialog')) return
      const mod = e.ctrlKey || e.metaKey
      if (e.altKey) return
      if (e.key === '+' || e.key === '=') {
        e.preventDefault()
        void rf.zoomIn({ duration: 0 })
      } else if (e.key === '-' || e.key === '_') {
        e.preventDefault()
        void rf.zoomOut({ duration: 0 })
      } else if (e.key === '0' && (mod || !e.shiftKey)) {
        e.preventDefault()
        void rf.zoomTo(1, { duration: 0 })
      } else if (e.key === '!' && e.shiftKey && !mod) {
        e.preventDefault()
        view.fit()
      } else if (e.key.startsWith('Arrow') && !mod && !tgt.closest('.palette, [role="menu"], .side-panel')) {
        // long rows: arrows pan the canvas (Shift: a screenful)
        e.preventDefault()
        const step = e.shiftKey ? (box.current?.clientWidth ?? 800) * 0.8 : 120
        const vp = rf.getViewport()
        const d = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[e.key] ?? [0, 0]
        void rf.setViewport({ x: vp.x + d[0], y: vp.y + d[1], zoom: vp.zoom })
      } else if ((e.key === 'Home' || e.key === 'End') && !mod && !tgt.closest('.palette, [role="menu"], .side-panel')) {
        // the start or the end of the flow
        const f = designer.getState().flow
        const id = e.key === 'Home' ? f?.trigger.id : drawn.placed.at(-1)?.id
        if (id) {
          e.preventDefault()
          view.reveal(id)
        }
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [rf])

  // a top-level card dragged over a branch of another card shows where it would land there
  const overBranch = useCallback((ev: MouseEvent | TouchEvent | React.MouseEvent, node: Node) => {
    const pt = 'clientX' in ev ? ev : ev.changedTouches[0]
    const skip = document.querySelector(`.react-flow__node[data-id="${CSS.escape(node.id)}"]`)
    return { x: pt?.clientX ?? 0, y: pt?.clientY ?? 0, target: pt ? targetUnder(pt.clientX, pt.clientY, skip) : null }
  }, [])
  const onDrag = useCallback((ev: MouseEvent | TouchEvent | React.MouseEvent, node: Node) => {
    const f = designer.getState().flow
    const { x, y, target } = overBranch(ev, node)
    const title = (f && indexFlow(f).get(node.id)?.card.title) || 'card'
    hoverCard(node.id, title, x, y, target)
  }, [overBranch])

  const onDragStop = useCallback((ev: MouseEvent | TouchEvent | React.MouseEvent, node: Node) => {
    endHover()
    const f = designer.getState().flow
    if (!f) return
    const { x, target } = overBranch(ev, node)
    const into = f ? branchDrop(f, target?.el ?? null, x) : null
    if (into) {
      // dropped into a branch: the card leaves the row (moveCard refuses its own branches)
      const loc = indexFlow(f).get(into.slot.parent ?? '')
      if (into.slot.parent === node.id || loc?.ancestors.includes(node.id)) designer.setNotice('A card cannot go into its own branches')
      else designer.move(node.id, into.slot, into.index)
      setNodes(buildNodes(placed, f.trigger.id))
      return
    }
    const w = node.measured?.width ?? placed.find((p) => p.id === node.id)?.width ?? 300
    const others = placed.filter((p) => p.id !== node.id)
    const idx = insertIndex(others, f.trigger.id, node.position.x + w / 2, wrap ? node.position.y + 20 : undefined)
    const cur = (f.cards ?? []).findIndex((c) => c.id === node.id)
    if (cur === idx) setNodes(buildNodes(placed, f.trigger.id))
    else designer.move(node.id, {}, idx)
  }, [placed, wrap])

  return (
    <div className="canvas" data-drop="canvas" ref={box} data-wrap={wrap ? 'on' : undefined}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onNodeDrag={onDrag}
        onNodeDragStop={onDragStop}
        nodesDraggable={!readOnly}
        nodesConnectable={false}
        elementsSelectable={false}
        onPaneClick={() => designer.select(null)}
        minZoom={0.1}
        maxZoom={2}
        onlyRenderVisibleElements
        deleteKeyCode={null}
        zoomActivationKeyCode={null}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={24} />
        <Controls showInteractive={false}>
          <ControlButton onClick={() => setMap(!map)} title={map ? 'Hide the minimap' : 'Show the minimap'} aria-label={map ? 'Hide minimap' : 'Show minimap'} aria-pressed={map}>
            <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true"><path d="M1 3l4.5-2 5 2L15 1v12l-4.5 2-5-2L1 15z M5.5 1v12 M10.5 3v12" fill="none" stroke="currentColor" strokeWidth="1.4" /></svg>
          </ControlButton>
        </Controls>
        {map && <MiniMap pannable zoomable nodeStrokeWidth={3} style={{ width: 150, height: 96 }} ariaLabel="Minimap" />}
        <InsertMarker placed={placed} triggerId={triggerId} />
        {!readOnly && <EndSlot placed={placed} />}
      </ReactFlow>
    </div>
  )
}

const MAP_KEY = 'flowbench.minimap'

/** useMiniMapPref: the minimap is off unless the user turned it on, or the
 * flow is long (more than 6 cards) and the user never turned it off. */
function useMiniMapPref(cards: number): [boolean, (on: boolean) => void] {
  const [pref, setPref] = useState<string | null>(() => {
    try {
      return localStorage.getItem(MAP_KEY)
    } catch {
      return null
    }
  })
  const on = pref === null ? cards > 6 : pref === 'on'
  const set = useCallback((v: boolean) => {
    const p = v ? 'on' : 'off'
    setPref(p)
    try {
      localStorage.setItem(MAP_KEY, p)
    } catch {
      // private mode: keep it for this session
    }
  }, [])
  return [on, set]
}

/** InsertMarker shows where a palette card being dragged over the row will land. */
function InsertMarker({ placed, triggerId }: { placed: Placed[]; triggerId: string }) {
  const drag = useDrag((s) => (s.active && s.payload?.kind === 'spec' && s.over?.kind === 'canvas' && s.payload.spec.kind !== 'trigger' ? s : null))
  const rf = useReactFlow()
  if (!drag) return null
  const p = rf.screenToFlowPosition({ x: drag.x, y: drag.y })
  const idx = insertIndex(placed, triggerId, p.x, p.y)
  const rest = placed.filter((q) => q.id !== triggerId)
  const x = idx < rest.length ? rest[idx].x - 36 : (placed.at(-1)?.x ?? 0) + (placed.at(-1)?.width ?? 0) + 36
  const y = (idx < rest.length ? rest[idx].y : placed.at(-1)?.y) ?? 0
  return (
    <ViewportPortal>
      <div className="insert-marker" style={{ transform: `translate(${x - 3}px, ${y - 30}px)` }} />
    </ViewportPortal>
  )
}

/** EndSlot is the dashed "add a card" box after the last card. */
function EndSlot({ placed }: { placed: Placed[] }) {
  const dragging = useDrag((s) => s.active && s.payload?.kind === 'spec')
  const last = placed.at(-1)
  const x = last ? last.x + last.width + 72 : 0
  const y = last?.y ?? 0
  return (
    <ViewportPortal>
      <div className={`end-slot ${dragging ? 'show' : ''}`} style={{ transform: `translate(${x}px, ${y}px)` }} data-testid="end-slot">
        {placed.length <= 1 ? 'Drag a card here from the palette — or click one — to add it after the trigger' : 'Drop a card here'}
      </div>
    </ViewportPortal>
  )
}
