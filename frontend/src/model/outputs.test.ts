import { describe, expect, it } from 'vitest'
import type { Flow } from '../api/types'
import { outputUse, splitOutputs, usedOutputs } from './outputs'

const flow: Flow = {
  format: 'flowbench.flow/v1', id: 'f', name: 'F', settings: { history: false },
  trigger: { id: 'trigger', type: 'okta.event.x' },
  cards: [
    { id: 'a', type: 'okta.readUser', inputs: [{ key: 'id', from: { card: 'trigger', path: ['Okta User', 'ID'] } }] },
    { id: 'if', type: 'flow.if', branches: [{ name: 'true', cards: [
      { id: 'b', type: 'x', inputs: [{ key: 'v', any: [{ card: 'a', path: ['profile'] }, { card: 'trigger', path: ['Group'] }] }] },
    ] }] },
  ],
}

const outs = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `o${i}` }))

describe('output collapse', () => {
  it('finds used outputs, through "trigger", any-bindings and lanes', () => {
    const m = outputUse(flow)
    expect([...m.get('trigger')!].sort()).toEqual(['Group', 'Okta User'])
    expect([...m.get('a')!]).toEqual(['profile'])
    expect(usedOutputs(flow, 'b').size).toBe(0)
    expect(usedOutputs(null, 'a').size).toBe(0)
  })

  it('keeps few outputs as they are', () => {
    const o = outs(8)
    expect(splitOutputs(o, new Set(), false)).toEqual({ shown: o, hidden: [] })
  })

  it('collapses the unused outputs of long cards', () => {
    const o = [...outs(10), { key: 'mine', custom: true }]
    const r = splitOutputs(o, new Set(['o3', 'o7']), false)
    expect(r.shown.map((x) => x.key)).toEqual(['o3', 'o7', 'mine'])
    expect(r.hidden).toHaveLength(8)
    expect(splitOutputs(o, new Set(['o3']), true)).toEqual({ shown: o, hidden: [] })
  })

  it('does not hide only one or two', () => {
    const o = outs(10)
    const used = new Set(o.slice(0, 8).map((x) => x.key))
    expect(splitOutputs(o, used, false).hidden).toHaveLength(0)
    used.delete('o0')
    expect(splitOutputs(o, used, false).hidden.map((x) => x.key)).toEqual(['o0', 'o8', 'o9'])
  })
})
