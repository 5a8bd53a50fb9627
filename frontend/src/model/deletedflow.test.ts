import { describe, expect, it } from 'vitest'
import type { CardRecord, Execution } from '../api/types'
import { flowFromRecord } from './deletedflow'

const rec = (id: string, type: string, more: Partial<CardRecord> = {}): CardRecord => ({ id, type, status: 'success', started: '', ended: '', ...more })

describe('the flow of a run whose flow was deleted', () => {
  it('is rebuilt from the run’s card records', () => {
    const ex: Execution = {
      id: 'x', flow: 'gone', flowName: 'Fetch URL', status: 'failed', started: '', ended: '',
      cards: [
        rec('trigger', 'flow.manual', { title: 'Manual Run', outputs: { url: 'not a url', context: {} } }),
        rec('if', 'flow.ifElse', { title: 'If', inputs: { value: true } }),
        rec('g', 'http.get', { title: 'Get', parent: 'if', branch: 'true', inputs: { URL: 'not a url' }, status: 'failed' }),
        rec('g', 'http.get', { title: 'Get', parent: 'if', branch: 'true' }),
        rec('after', 'text.concat', { status: 'not run' }),
      ],
    }
    const f = flowFromRecord(ex)
    expect(f.id).toBe('gone')
    expect(f.name).toBe('Fetch URL (deleted)')
    expect(f.trigger).toEqual({ id: 'trigger', type: 'flow.manual', title: 'Manual Run', inputs: [], outputs: [{ key: 'url' }, { key: 'context' }] })
    expect(f.cards.map((c) => c.id)).toEqual(['if', 'after'])
    expect(f.cards[0].branches).toEqual([{ name: 'true', cards: [{ id: 'g', type: 'http.get', title: 'Get', inputs: [{ key: 'URL', value: 'not a url' }], outputs: [] }] }])
  })
  it('has a trigger even when the run recorded none', () => {
    const f = flowFromRecord({ id: 'x', flow: 'gone', status: 'failed', started: '', ended: '', cards: [] })
    expect(f.trigger).toEqual({ id: 'trigger', type: 'flow.manual' })
    expect(f.name).toBe('gone (deleted)')
  })
})
