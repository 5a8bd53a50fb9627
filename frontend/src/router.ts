import { useSyncExternalStore } from 'react'

export function go(to: string) {
  if (location.hash === '#' + to) return
  if (guard && !guard(to, path(current))) return // asked first (e.g. unsaved changes)
  location.hash = to
}

/** A leave guard sees every route change (links, go(), browser Back and
 * Forward) before the app does; returning false keeps the current route. */
export type LeaveGuard = (to: string, from: string) => boolean

let guard: LeaveGuard | null = null
let current = typeof location === 'undefined' ? '' : location.hash

/** setLeaveGuard installs the guard (one at a time); it returns the uninstaller. */
export function setLeaveGuard(g: LeaveGuard): () => void {
  guard = g
  return () => {
    if (guard === g) guard = null
  }
}

const path = (hash: string) => hash.replace(/^#/, '') || '/'

// links are asked before they navigate, so a refused click leaves no
// history entry behind
if (typeof document !== 'undefined') {
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || !guard) return
    const a = (e.target as Element | null)?.closest?.('a[href^="#"]')
    if (!a || a.getAttribute('target')) return
    const to = path(a.getAttribute('href')!)
    if (to !== path(location.hash) && !guard(to, path(current))) e.preventDefault()
  }, true)
}

// Back/Forward and typed addresses: registered when the module loads, so it
// runs before the listeners of useRoute; a refused change is put back before
// React reads the hash
if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    const to = location.hash
    if (to === current) return
    if (guard && !guard(path(to), path(current))) {
      // the address goes back without a new history entry (Back included)
      history.replaceState(history.state, '', current || location.pathname + location.search)
      return
    }
    current = to
  })
}

export function useRoute(): string[] {
  const h = useSyncExternalStore(
    (fn) => {
      window.addEventListener('hashchange', fn)
      return () => window.removeEventListener('hashchange', fn)
    },
    () => location.hash,
  )
  // a view's own state may follow '?' (History: #/history?status=failed)
  return h.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean).map(decodeURIComponent)
}
