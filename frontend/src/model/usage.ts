import type { ExecutionSummary, HistoryUsage } from '../api/types'

/** bytes renders a size the way History shows disk use. */
export function bytes(n: number): string {
  if (!isFinite(n) || n <= 0) return '0 B'
  if (n < 1024) return `${n} B`
  if (n < 1 << 20) return `${(n / 1024).toFixed(0)} KB`
  if (n < 1 << 30) return `${(n / (1 << 20)).toFixed(1)} MB`
  return `${(n / (1 << 30)).toFixed(2)} GB`
}

/** keptText says how history is bounded: "30 days, at most 1.00 GB". */
export function keptText(u: HistoryUsage): string {
  return [
    u.retentionDays > 0 ? `${u.retentionDays} days` : '',
    u.maxBytes > 0 ? `at most ${bytes(u.maxBytes)}` : '',
  ].filter(Boolean).join(', ') || 'until deleted'
}

/** usedPercent is the share of the size bound in use (0 without a bound). */
export function usedPercent(u: HistoryUsage): number {
  return u.maxBytes > 0 ? Math.min(100, Math.round((u.bytes / u.maxBytes) * 100)) : 0
}

/** repeatNote explains the cards a resume ran again, or '' when none. */
export function repeatNote(row: ExecutionSummary): string {
  const r = row.repeats ?? []
  return r.length ? `These cards were running when the process ended and ran again on resume, so their effect may be doubled: ${r.join(', ')}` : ''
}
