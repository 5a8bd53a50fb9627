import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import {
  applyNodeChanges, Background, ControlButton, Controls, MiniMap, ReactFlow, useNodesInitialized, useReactFlow, ViewportPortal,
  type Edge, type Node, type NodeChange, type NodeTypes,
} from '@xyflow/react'
import type { Flow } from '../api/types'
import { insertIndex, layoutRow, type Placed } from '../model/layout'
import { designer, useDesigner } from '../store/designer'
import { useDrag } from '../store/drag'
import { CardNode } from './CardView'

const nodeTypes: NodeTypes = { card: CardNode as unknown as NodeTypes[string] }

function structure(f: Flow | null): string {
  if (!f) return ''
  return layoutRow(f).map((p) => `${p.id}:${p.x}:${p.width}`).join('|')
}

export function buildNodes(placed: Placed[], triggerId: string): Node[] {
  return placed.map((p) => ({
    id: p.id,
    type: 'card',
    position: { x: p.x, y: 0 },
    data: { id: p.id },
    dragHandle: '.card-head',
    draggable: p.id !== triggerId,
    selectable: false,
    style: { width: p.width },
  }))
}

export function Canvas({ onReady }: { onReady?: () => void }) {
  const key = useDesigner((s) => structure(s.flow))
  const triggerId = useDesigner((s) => s.flow?.trigger.id ?? '')
  const readOnly = useDesigner((s) => s.readOnly)
  const placed = useMemo(() => {
    const f = designer.getState().flow
    return f ? layoutRow(f) : []
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  const [nodes, setNodes] = useState<Node[]>(() => buildNodes(placed, triggerId))
  useEffect(() => setNodes(buildNodes(placed, triggerId)), [placed, triggerId])
  const edges = useMemo<Edge[]>(() => placed.slice(1).map((p, i) => ({
    id: `e-${placed[i].id}-${p.id}`, source: placed[i].id, target: p.id, type: 'straight', focusable: false, selectable: false,
  })), [placed])
  const onNodesChange = useCallback((ch: NodeChange[]) => setNodes((ns) => applyNodeChanges(ch, ns)), [])
  const [map, setMap] = useMiniMapPref(placed.length)
  const rf = useReactFlow()
  const initialized = useNodesInitialized()
  const readyOnce = useRef(false)
  useEffect(() => {
    if (initialized && !readyOnce.current) {
      readyOnce.current = true
      // as in Okta Workflows: the trigger at the left, at full size
      rf.setViewport({ x: 40, y: 36, zoom: 1 }).finally(() => requestAnimationFrame(() => onReady?.()))
    }
  }, [initialized, rf, onReady])

  const onDragStop = useCallback((_: unknown, node: Node) => {
    const f = designer.getState().flow
    if (!f) return
    const w = node.measured?.width ?? placed.find((p) => p.id === node.id)?.width ?? 300
    const others = placed.filter((p) => p.id !== node.id)
    const idx = insertIndex(others, f.trigger.id, node.position.x + w / 2)
    const cur = (f.cards ?? []).findIndex((c) => c.id === node.id)
    if (cur === idx) setNodes(buildNodes(placed, f.trigger.id))
    else designer.move(node.id, {}, idx)
  }, [placed])

  return (
    <div className="canvas" data-drop="canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onNodeDragStop={onDragStop}
        nodesDraggable={!readOnly}
        nodesConnectable={false}
        elementsSelectable={false}
        onPaneClick={() => designer.select(null)}
        minZoom={0.1}
        maxZoom={2}
        onlyRenderVisibleElements
        deleteKeyCode={null}
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
  const idx = insertIndex(placed, triggerId, p.x)
  const rest = placed.filter((q) => q.id !== triggerId)
  const x = idx < rest.length ? rest[idx].x - 36 : (placed.at(-1)?.x ?? 0) + (placed.at(-1)?.width ?? 0) + 36
  return (
    <ViewportPortal>
      <div className="insert-marker" style={{ transform: `translate(${x - 3}px, -30px)` }} />
    </ViewportPortal>
  )
}

/** EndSlot is the dashed "add a card" box after the last card. */
function EndSlot({ placed }: { placed: Placed[] }) {
  const dragging = useDrag((s) => s.active && s.payload?.kind === 'spec')
  const last = placed.at(-1)
  const x = last ? last.x + last.width + 72 : 0
  return (
    <ViewportPortal>
      <div className={`end-slot ${dragging ? 'show' : ''}`} style={{ transform: `translate(${x}px, 0px)` }} data-testid="end-slot">
        {placed.length <= 1 ? 'Drag a card here from the palette — or click one — to add it after the trigger' : 'Drop a card here'}
      </div>
    </ViewportPortal>
  )
}
