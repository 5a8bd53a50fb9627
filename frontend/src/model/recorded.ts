/** Characters of a recorded value the whole-value view shows (a textarea
 * with megabytes of text makes the page slow); Copy takes all of it. */
export const SHOWN_MAX = 500_000

/** fullValueText is a recorded value as pretty JSON with a line on its size
 * (list length, keys, characters). */
export function fullValueText(v: unknown): { text: string; shown: number; size: string } {
  let text: string
  try {
    text = typeof v === 'string' ? v : JSON.stringify(v, null, 2) ?? String(v)
  } catch {
    text = String(v)
  }
  const what = Array.isArray(v)
    ? `a list of ${v.length.toLocaleString()} item${v.length === 1 ? '' : 's'}`
    : v && typeof v === 'object'
      ? `an object with ${Object.keys(v).length.toLocaleString()} key${Object.keys(v).length === 1 ? '' : 's'}`
      : typeof v === 'string' ? 'text' : typeof v
  return { text, shown: Math.min(text.length, SHOWN_MAX), size: `${what}, ${text.length.toLocaleString()} characters` }
}
