// The delete confirmation of a connection names the flows that use it.
import type { ConnectionUser } from '../api/connections'

/** deleteMessage: what deleting connection name does to the flows using it. */
export function deleteMessage(name: string, users: readonly ConnectionUser[]): string {
  if (!users.length) return `Delete “${name}”? No flow uses it.`
  const on = users.filter((u) => u.enabled)
  const list = users.map((u) => `${u.name}${u.enabled ? ' (on)' : ''}`).join(', ')
  const flows = users.length === 1 ? '1 flow uses it' : `${users.length} flows use it`
  const stop = on.length ? ` ${on.length === 1 ? 'The flow that is on stops' : `The ${on.length} flows that are on stop`} at its cards until you choose another connection.` : ''
  return `Delete “${name}”? ${flows}: ${list}. Their cards will need another connection.${stop}`
}
