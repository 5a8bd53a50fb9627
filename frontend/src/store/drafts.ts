// Drafts: the unsaved state of each flow is kept in localStorage (per flow
// id, with a fingerprint of the saved version it was based on) until it is
// saved or discarded, so a crash, a reload or a closed window loses no edit.
// The designer offers to restore a kept draft when the flow opens.
// Drafts are kept per data folder (setDraftScope): the window's storage is
// shared by every data folder it opens, and two folders can hold flows with
// the same id (the seed flow, one template imported into both), so a draft
// of one is never offered for, or restored over, the other.
import type { Flow } from '../api/types'

export interface Draft {
  flow: Flow
  /** fingerprint of the saved flow the draft started from */
  base: string
  /** when it was last written (ms since epoch) */
  at: number
}

const PREFIX = 'flowbench.draft.'
let prefix = PREFIX

/** setDraftScope keeps the drafts of this data folder apart from other folders' (called at start with the folder). */
export function setDraftScope(scope: string) {
  prefix = scope ? `${PREFIX}${fingerprint(scope).replace(':', '-')}.` : PREFIX
}

/** fingerprint is a short FNV-1a hash of a saved flow's JSON. */
export function fingerprint(text: string): string {
  let h1 = 0x811c9dc5
  let h2 = 0x01000193
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ c, 0x5bd1e995)
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0') + ':' + text.length
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null // storage disabled
  }
}

export function saveDraft(flow: Flow, savedJSON: string, now = Date.now()): boolean {
  const s = storage()
  if (!s || !flow.id) return false
  try {
    s.setItem(prefix + flow.id, JSON.stringify({ flow, base: fingerprint(savedJSON), at: now } satisfies Draft))
    return true
  } catch {
    return false // quota: the beforeunload prompt still guards the edit
  }
}

export function loadDraft(id: string): Draft | null {
  const s = storage()
  const raw = s?.getItem(prefix + id)
  if (!raw) return null
  try {
    const d = JSON.parse(raw) as Draft
    if (!d || typeof d !== 'object' || !d.flow || d.flow.id !== id || typeof d.base !== 'string') return null
    return d
  } catch {
    return null
  }
}

/** hasDraft says whether unsaved changes of a flow are kept (cheap: no parsing). */
export function hasDraft(id: string): boolean {
  return storage()?.getItem(prefix + id) != null
}

export function clearDraft(id: string) {
  storage()?.removeItem(prefix + id)
}

/** draftIds lists the flows with a kept draft. */
export function draftIds(): string[] {
  const s = storage()
  if (!s) return []
  const out: string[] = []
  for (let i = 0; i < s.length; i++) {
    const k = s.key(i)
    const id = k?.startsWith(prefix) ? k.slice(prefix.length) : ''
    if (id && !id.includes('.')) out.push(id) // not another folder's (scoped) draft
  }
  return out
}
