import { api } from '../api/client'
import type { Connection, SpecDoc, TableDef } from '../api/types'
import { indexSpecs, type SpecIndex } from '../model/specs'

let specsP: Promise<{ list: SpecDoc[]; index: SpecIndex }> | null = null
export function loadSpecs() {
  specsP ??= api.cards().then((list) => ({ list, index: indexSpecs(list) })).catch((e) => {
    specsP = null
    throw e
  })
  return specsP
}

export function loadConnections(): Promise<Connection[]> {
  return api.listConnections()
}

// Tables for the Tables cards' pickers: each designer session fetches them
// once when it opens (loadTables(true)); other readers share that answer
// until an import, which may bring tables, forgets it (forgetTables).
let tablesP: Promise<TableDef[] | null> | null = null
export function loadTables(fresh = false): Promise<TableDef[] | null> {
  if (fresh) tablesP = null
  tablesP ??= api.listTables().catch(() => {
    tablesP = null
    return null
  })
  return tablesP
}

/** forgetTables drops the cached tables (after an import). */
export function forgetTables(): void {
  tablesP = null
}
