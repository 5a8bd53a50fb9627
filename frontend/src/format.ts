export function ago(t?: string | null): string {
  if (!t) return ''
  const d = new Date(t).getTime()
  if (!isFinite(d) || d <= 0) return ''
  const s = Math.round((Date.now() - d) / 1000)
  if (s < 5) return 'just now'
  if (s < 60) return `${s}s ago`
  if (s < 3600) return `${Math.floor(s / 60)} min ago`
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`
  return new Date(t).toLocaleDateString()
}

export function ms(v?: number): string {
  if (v === undefined || !isFinite(v)) return ''
  if (v < 1000) return `${Math.round(v)} ms`
  return `${(v / 1000).toFixed(1)} s`
}
