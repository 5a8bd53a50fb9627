// Which focused element keeps the editing keys for itself.

/** Input types that hold text: the browser has its own undo there. */
const TEXT_TYPES = new Set(['', 'text', 'search', 'email', 'url', 'tel', 'password', 'number'])

export interface FocusLike {
  tagName: string
  type?: string
  isContentEditable?: boolean
}

/**
 * ownsUndo: does the focused element undo by itself (Ctrl+Z in a text box
 * takes back the typing)? A select, a checkbox or a button has no undo of
 * its own, so Ctrl+Z there is the flow's undo — picking a connection and
 * pressing Ctrl+Z takes the pick back.
 */
export function ownsUndo(el: FocusLike | null): boolean {
  if (!el) return false
  if (el.isContentEditable) return true
  const tag = el.tagName.toLowerCase()
  if (tag === 'textarea') return true
  return tag === 'input' && TEXT_TYPES.has((el.type ?? '').toLowerCase())
}
