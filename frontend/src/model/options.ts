// Card forms that depend on a chosen option show only that option's fields,
// as Okta's do: a Scheduled Flow set to "Weekly" asks for the time and the
// days, not for a cron expression.
import type { Card } from '../api/types'
import type { ViewField } from './specs'

interface OptionForm {
  /** the input whose value picks the fields */
  selector: string
  /** its value when unset */
  fallback: string
  /** option → the inputs it uses; inputs named by no option always show */
  uses: Record<string, string[]>
}

export const OPTION_FORMS: Record<string, OptionForm> = {
  'schedule.flow': {
    selector: 'frequency',
    fallback: 'daily',
    uses: {
      minutes: ['every'],
      hours: ['every', 'at'],
      daily: ['at'],
      weekly: ['at', 'weekdays'],
      monthly: ['at', 'dayOfMonth'],
      cron: ['cron'],
      '': ['schedule'], // Okta's cron object, used when no frequency is set
    },
  },
}

/** shownInputs drops the inputs the chosen option does not use (the engine
 * ignores them too); every input shows when the selector itself is wired. */
export function shownInputs(card: Card, ins: ViewField[]): ViewField[] {
  const form = OPTION_FORMS[card.type]
  if (!form) return ins.filter((f) => shownBySpec(card, ins, f))
  const sel = card.inputs?.find((f) => f.key === form.selector)
  if (sel?.from || sel?.any?.length) return ins
  const raw = sel?.value
  const cur = raw === undefined || raw === null ? form.fallback : String(raw).toLowerCase()
  const named = new Set(Object.values(form.uses).flat())
  const mine = new Set(form.uses[cur] ?? form.uses[cur.replace(/s$/, '') + 's'] ?? [])
  return ins.filter((f) => !named.has(f.key) || mine.has(f.key))
}

/** sameChoice compares choice values as the engine does: as text, ignoring
 * case (an export's "serialnumber" picks "serialNumber"). */
function sameChoice(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null || b === undefined || b === null) return (a ?? null) === (b ?? null)
  return String(a).toLowerCase() === String(b).toLowerCase()
}

/** shownBySpec applies a field's declared shownWhen (engine FieldSpec
 * ShownWhen, any card can declare it): the field shows while its selector
 * holds one of the values (the selector's default when unset), and always
 * while the selector is wired (its value is known at run time only). */
export function shownBySpec(card: Card, ins: ViewField[], f: ViewField): boolean {
  const w = f.spec?.shownWhen
  if (!w) return true
  const sel = card.inputs?.find((x) => x.key === w.key)
  if (sel?.from || sel?.any?.length || sel?.item) return true
  const cur = sel && sel.value !== undefined && sel.value !== null ? sel.value : ins.find((x) => x.key === w.key)?.spec?.default
  return w.values.some((v) => sameChoice(v, cur))
}
