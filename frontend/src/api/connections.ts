// Which flows use a connection: the Connections page names them before a delete.
import { call } from './client'

export interface ConnectionUser { id: string; name: string; enabled: boolean; cards: number }

export const connectionsApi = {
  users: (id: string) => call<ConnectionUser[] | null>('ConnectionUsers', id).then((r) => r ?? []),
}
