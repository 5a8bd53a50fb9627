import { useSyncExternalStore } from 'react'

export function go(path: string) {
  if (location.hash !== '#' + path) location.hash = path
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

// registered when the module loads, so it runs before the listeners of
// useRoute: a refused change is put back before React reads the hash
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
  return h.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent)
}
