import { createContext, useContext } from 'react'
import type { CardRecord, Connection, ConnectionRef, Flow, Problem, TableDef } from '../api/types'
import type { SpecIndex } from '../model/specs'
import { indexFlow, type Located } from '../model/tree'

export interface DesignerEnv {
  specs: SpecIndex
  connections: Connection[]
  /** the flow's import placeholders not bound yet, by id, with their file's names */
  placeholders?: ReadonlyMap<string, ConnectionRef>
  /** the tables for Tables cards' pickers; null: not known (ListTables failed) */
  tables?: TableDef[] | null
  /** open a child execution (history view) */
  openExecution?: (id: string) => void
  /** a connection made from a card's menu joins the list (NewConnection.tsx) */
  addConnection?: (c: Connection) => void
}

export const EnvCtx = createContext<DesignerEnv>({ specs: new Map(), connections: [] })
export const useEnv = () => useContext(EnvCtx)

// memoized per flow object so selectors return stable references
let lastFlow: Flow | null = null
let lastIndex = new Map<string, Located>()
export function flowIndex(f: Flow | null): Map<string, Located> {
  if (f !== lastFlow) {
    lastFlow = f
    lastIndex = f ? indexFlow(f) : new Map()
  }
  return lastIndex
}

let lastProblems: Problem[] | null = null
let lastByCard = new Map<string, Problem[]>()
export function problemsByCard(ps: Problem[]): Map<string, Problem[]> {
  if (ps !== lastProblems) {
    lastProblems = ps
    lastByCard = new Map()
    for (const p of ps) {
      const k = p.card || ''
      lastByCard.set(k, [...(lastByCard.get(k) ?? []), p])
    }
  }
  return lastByCard
}

const EMPTY: Problem[] = []
export const noProblems = EMPTY

let lastRun: CardRecord[] | null = null
let lastRecs = new Map<string, CardRecord>()
export function recordsByCard(recs: CardRecord[] | undefined): Map<string, CardRecord> {
  if (!recs) return new Map()
  if (recs !== lastRun) {
    lastRun = recs
    lastRecs = new Map()
    // the last record of a card wins (loops inside one execution are rare)
    for (const r of recs) lastRecs.set(r.id, r)
  }
  return lastRecs
}

export function short(v: unknown, n = 80): string {
  let s: string
  if (v === undefined) return '—'
  if (typeof v === 'string') s = JSON.stringify(v)
  else {
    try {
      s = JSON.stringify(v)
    } catch {
      s = String(v)
    }
  }
  return s.length > n ? s.slice(0, n - 1) + '…' : s
}

/** TriggerCtx lets the trigger card refresh the flow's trigger state (after Rotate). */
export const TriggerCtx = createContext<{ refresh: () => Promise<void> | void }>({ refresh: () => undefined })
