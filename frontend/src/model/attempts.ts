import type { CardChange } from '../api/versions'

/** attemptLabel names how an execution came about: "resume of …" / "re-run of …". */
export function attemptLabel(kind: string | undefined): string {
  return kind === 'resume' ? 'resumed from' : kind === 'rerun' ? 're-run of' : ''
}

/** changeText says in a few words what happened to an earlier card since the run. */
export function changeText(c: CardChange): string {
  if (c.added) return 'added since the run: it runs'
  if (c.removed) return 'removed since the run'
  const fields = (c.fields ?? []).map((f) => f.label || f.key)
  const what = fields.length ? `${fields.join(', ')} changed` : 'changed'
  return c.moved ? `moved, ${what}` : `${what} since the run: its recorded outputs are reused`
}

/** attemptNumber is an attempt's place in the chain (1-based), 0 when not in it. */
export function attemptNumber(ids: string[], id: string): number {
  return ids.indexOf(id) + 1
}
