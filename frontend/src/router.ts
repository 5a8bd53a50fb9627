import { useSyncExternalStore } from 'react'

export function go(path: string) {
  if (location.hash !== '#' + path) location.hash = path
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
