import { describe, expect, it } from 'vitest'
import type { Flow } from '../api/types'
import { outputUsers } from './outputusers'

const flow: Flow = {
  format: 'flowbench.flow/v1', id: 'f', name: 'F', settings: { history: true },
  trigger: { id: 'trigger', type: 'flow.manual', outputs: [{ key: 'a', type: 'string' }, { key: 'b', type: 'object' }] },
  cards: [
    { id: 'up', type: 'text.upper', title: 'Upper', inputs: [{ key: 'string', from: { card: 'trigger', path: ['a'] } }] },
    { id: 'if', type: 'flow.if', title: 'Check', inputs: [{ key: 'a', from: { card: 'trigger', path: ['b', 'x'] } }],
      branches: [{ name: 'true', cards: [{ id: 'in', type: 'text.concat', title: 'Join', inputs: [
        { key: 'string1', any: [{ card: 'up', path: ['output'] }, { card: 'trigger', path: ['a'] }] },
        { key: 'string2', from: { card: 'trigger', path: ['a'] } }] }] }] },
  ],
}

describe('outputUsers', () => {
  it('names each card and input bound to the output, nested ones too', () => {
    expect(outputUsers(flow, 'trigger', 'a')).toEqual([
      { card: 'up', title: 'Upper', inputs: ['string'] },
      { card: 'in', title: 'Join', inputs: ['string1', 'string2'] },
    ])
  })
  it('a binding into a field of the output counts; other outputs do not', () => {
    expect(outputUsers(flow, 'trigger', 'b').map((u) => u.card)).toEqual(['if'])
    expect(outputUsers(flow, 'trigger', 'c')).toEqual([])
    expect(outputUsers(flow, 'up', 'output').map((u) => u.card)).toEqual(['in'])
  })
})
