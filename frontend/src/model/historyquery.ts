// The History list's view — which flow, which status, which words — lives
// in the address (#/history[/FLOW]?status=failed&q=words), so Back from a
// run, reload and a copied link show the same list.

export interface HistoryView {
  flow: string // '' = every flow
  status: string // '' = every status
  text: string
}

/** parseHistoryHash reads a History address (location.hash, with or without '#'). */
export function parseHistoryHash(hash: string): HistoryView {
  const h = hash.replace(/^#\/?/, '')
  const qi = h.indexOf('?')
  const path = (qi < 0 ? h : h.slice(0, qi)).split('/').filter(Boolean).map(decodeURIComponent)
  const q = new URLSearchParams(qi < 0 ? '' : h.slice(qi + 1))
  return { flow: path[0] === 'history' ? path[1] ?? '' : '', status: q.get('status') ?? '', text: q.get('q') ?? '' }
}

/** historyPath is the route (for go(), without '#') of a History view. */
export function historyPath(v: HistoryView): string {
  const q = new URLSearchParams()
  if (v.status) q.set('status', v.status)
  if (v.text) q.set('q', v.text)
  const qs = q.toString()
  return `/history${v.flow ? '/' + encodeURIComponent(v.flow) : ''}${qs ? '?' + qs : ''}`
}

/** isViewOf tells whether an address is the History view of flow (undefined or '': every flow). */
export function isViewOf(hash: string, flow?: string): boolean {
  return /^#?\/?history(\/|\?|$)/.test(hash) && parseHistoryHash(hash).flow === (flow ?? '')
}
