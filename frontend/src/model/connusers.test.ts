import { describe, expect, it } from 'vitest'
import { deleteMessage } from './connusers'

describe('deleteMessage', () => {
  it('names the flows using the connection, and those switched on', () => {
    expect(deleteMessage('Prod', [])).toBe('Delete “Prod”? No flow uses it.')
    expect(deleteMessage('Prod', [{ id: 'a', name: 'Onboard', enabled: false, cards: 2 }]))
      .toBe('Delete “Prod”? 1 flow uses it: Onboard. Their cards will need another connection.')
    expect(deleteMessage('Prod', [{ id: 'a', name: 'Onboard', enabled: true, cards: 2 }, { id: 'b', name: 'Offboard', enabled: false, cards: 1 }]))
      .toBe('Delete “Prod”? 2 flows use it: Onboard (on), Offboard. Their cards will need another connection. The flow that is on stops at its cards until you choose another connection.')
  })
})
