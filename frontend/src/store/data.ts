import { api } from '../api/client'
import type { Connection, SpecDoc } from '../api/types'
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
