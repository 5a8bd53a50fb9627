import { describe, expect, it } from 'vitest'
import type { Flow, SpecDoc } from '../api/types'
import { errorPlace } from './errorplace'

const add: SpecDoc = { id: 'number.add', title: 'Add', category: 'Number', kind: 'function',
  inputs: [{ key: 'a', label: 'number 1', type: 'number', required: true }, { key: 'b', label: 'number 2', type: 'number' }],
  outputs: [{ key: 'output', type: 'number' }] } as SpecDoc
const specs = new Map([[add.id, add]])
const flow: Flow = {
  format: 'flowbench.flow/v1', id: 'f1', name: 'F', settings: { history: true },
  trigger: { id: 'trigger', type: 'flow.manual' },
  cards: [{ id: 'sum', type: 'number.add', title: 'Total' }, { id: 'plain', type: 'number.add' }],
}

describe('errorPlace', () => {
  it('names the card by its title and the input by its label, not its key', () => {
    expect(errorPlace({ message: 'x', card: 'sum', input: 'a', flow: 'f1' }, flow, specs, true)).toBe('Total › number 1')
    expect(errorPlace({ message: 'x', card: 'sum', input: 'b' }, flow, specs, false)).toBe('number 2')
  })
  it('a card without a title goes by its card type; an error without an input names the card only', () => {
    expect(errorPlace({ message: 'x', card: 'plain', input: 'a' }, flow, specs, true)).toBe('Add › number 1')
    expect(errorPlace({ message: 'x', card: 'sum' }, flow, specs, true)).toBe('Total')
  })
  it('an error from another flow (a helper) keeps the names it carries', () => {
    expect(errorPlace({ message: 'x', card: 'sum', title: 'Helper card', type: 'number.add', input: 'a', flow: 'other' }, flow, specs, true)).toBe('Helper card › number 1')
    expect(errorPlace({ message: 'x', card: 'zz', title: 'Gone', input: 'k' }, flow, specs, true)).toBe('Gone › k')
    expect(errorPlace({ message: 'x' }, flow, specs, true)).toBe('')
  })
})
