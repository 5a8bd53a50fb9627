// Flow settings' timeout is Go duration text ("30s", "5m", "1h30m"), parsed
// by the app (engine.Duration). checkDuration says why a text is not one,
// before it goes into the flow (where it would fail every save and check).

const UNIT = String.raw`(?:ns|us|µs|μs|ms|s|m|h)`
const DURATION = new RegExp(String.raw`^(?:(?:\d+(?:\.\d*)?|\.\d+)${UNIT})+$`)

/** checkDuration: '' when text is empty or a positive Go duration, else what is wrong with it. */
export function checkDuration(text: string): string {
  const t = text.trim()
  if (t === '' || t === '0') return ''
  if (t.startsWith('-')) return `“${t}” is negative`
  if (/^\d+(\.\d+)?$/.test(t)) return `“${t}” needs a unit: ${t}s, ${t}m or ${t}h`
  if (!DURATION.test(t.replace(/^\+/, ''))) return `“${t}” is not a duration: use a number and a unit, e.g. 30s, 5m, 1h`
  return ''
}
