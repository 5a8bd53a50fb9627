// Flow versions (issue 16 point 2): every save is a version; the Go side
// (engine/diff.go) computes the card-level diff, so the canvas and
// `flowbench diff` say the same.
import { call } from './client'
import type { Flow, SaveResult } from './types'

export interface FlowVersion {
  revision: number
  saved: string
  name: string
  cards: number
  restoredFrom?: number
}

export interface FieldChange {
  kind: 'input' | 'binding' | 'output' | 'card' | 'flow'
  key: string
  label?: string
  change: 'added' | 'removed' | 'changed'
  old?: string
  new?: string
}

export interface CardPos { parent?: string; branch?: string; index: number }

export interface CardChange {
  id: string
  title: string
  type: string
  added?: boolean
  removed?: boolean
  moved?: boolean
  from?: CardPos
  to?: CardPos
  fields?: FieldChange[]
}

export interface FlowDiff {
  same: boolean
  flow?: FieldChange[]
  cards: CardChange[]
  added: number
  removed: number
  moved: number
  changed: number
}

export interface VersionDiff {
  a: number
  b: number
  diff: FlowDiff
  merged: Flow
  text: string
}

export const versionsApi = {
  list: (flowId: string) => call<FlowVersion[]>('FlowVersions', flowId),
  get: (flowId: string, rev: number) => call<Flow>('GetFlowVersion', flowId, rev),
  /** diff of revision a (older) and b; 0 = the flow as stored now */
  diff: (flowId: string, a: number, b: number) => call<VersionDiff>('DiffFlowVersions', flowId, a, b),
  /** restore brings version rev back as a new save over base (the revision shown) */
  restore: (flowId: string, rev: number, base: number) => call<SaveResult>('RestoreFlowVersion', flowId, rev, base),
}

/** posText is a card's place as the CLI prints it ("#2", "#1 in c4/true"). */
export function posText(p?: CardPos, titleOf?: (id: string) => string | undefined): string {
  if (!p) return ''
  if (p.index < 0) return 'the trigger'
  if (!p.parent) return `#${p.index + 1}`
  // the container by the title the canvas shows (its id means nothing to a reader)
  const t = titleOf?.(p.parent)
  return t ? `#${p.index + 1} in "${t}" (${p.branch})` : `#${p.index + 1} in ${p.parent}/${p.branch}`
}
