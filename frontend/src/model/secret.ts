// Secret outputs: a card output marked secret keeps its value out of history
// (the engine records •••••• instead; engine/redact.go).
import type { Field } from '../api/types'

/** withSecret: the card's output fields with key marked secret (or not).
 * A declared output the card does not list yet is added as {key, secret};
 * an entry left with nothing but its key is dropped again. */
export function withSecret(outputs: Field[] | undefined, key: string, secret: boolean): Field[] {
  const outs = outputs ?? []
  if (!outs.some((o) => o.key === key)) return secret ? [...outs, { key, secret: true }] : outs
  return outs
    .map((o) => (o.key === key ? { ...o, secret: secret || undefined } : o))
    .filter((o) => Object.entries(o).some(([k, v]) => k !== 'key' && v !== undefined))
}

/** isSecret: whether the card marks output key secret. */
export function isSecret(outputs: Field[] | undefined, key: string): boolean {
  return !!outputs?.find((o) => o.key === key)?.secret
}
