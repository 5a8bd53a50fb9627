/** parseTestInput reads the Run panel's "Edit as JSON" text: a JSON object
 * whose keys are the trigger's outputs. A mistake is said in words that name
 * the test input, never a bare parser or server message. */
export function parseTestInput(text: string): { value: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { value: {} }
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch (e) {
    return { error: `Test input JSON: not valid JSON (${(e as Error).message})` }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    return { error: `Test input JSON: must be an object of the trigger's outputs, e.g. {"name": "Ada"}, not ${Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v}` }
  }
  return { value: v as Record<string, unknown> }
}
