// Flow settings' timeout and card error handling's waits are Go duration
// text ("30s", "5m", "1h30m"), parsed by the app (engine.Duration).
// checkDuration says why a text is not one, before it goes into the flow
// (where it would fail every save and check); durationMs reads one.

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 }
const PART = /^((?:\d+(?:\.\d*)?|\.\d+))(ns|us|µs|μs|ms|s|m|h)/

/** durationMs reads Go duration text ("1m30s") as milliseconds; NaN when it is not one. */
export function durationMs(text: string): number {
  const t = text.trim().replace(/^\+/, '')
  if (t === '' || t === '0') return 0
  let ms = 0
  let rest = t
  while (rest) {
    const m = PART.exec(rest)
    if (!m) return NaN
    ms += Number(m[1]) * UNITS[m[2]]
    rest = rest.slice(m[0].length)
  }
  return ms
}

/** checkDuration: '' when text is empty or a positive Go duration, else what is wrong with it. */
export function checkDuration(text: string): string {
  const t = text.trim()
  if (t === '' || t === '0') return ''
  if (t.startsWith('-')) return `“${t}” is negative`
  if (/^\d+(\.\d+)?$/.test(t)) return `“${t}” needs a unit: ${t}s, ${t}m or ${t}h`
  if (isNaN(durationMs(t))) return `“${t}” is not a duration: use a number and a unit, e.g. 30s, 5m, 1h`
  return ''
}
