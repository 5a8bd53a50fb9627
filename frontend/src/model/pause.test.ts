import { describe, expect, it } from 'vitest'
import { isPauseCard, resumeSkeleton, resumeURL } from './pause'
import type { Card } from '../api/types'

describe('resumeURL', () => {
  it('replaces invoke by resume/{executionId} in the invoke URL', () => {
    expect(resumeURL('f1', 'http://127.0.0.1:8080/api/flows/f1/invoke', 'http://x')).toBe('http://127.0.0.1:8080/api/flows/f1/resume/{executionId}')
  })
  it('names the execution when given', () => {
    expect(resumeURL('f1', 'http://h/api/flo/f1/invoke/', 'http://x', 'abc')).toBe('http://h/api/flo/f1/resume/abc')
  })
  it('falls back to the origin while the flow is off', () => {
    expect(resumeURL('my flow', undefined, 'http://127.0.0.1:9/')).toBe('http://127.0.0.1:9/api/flows/my%20flow/resume/{executionId}')
  })
})

describe('isPauseCard', () => {
  it('knows both pause cards', () => {
    expect(isPauseCard('flow.pause') && isPauseCard('flow.pauseRaw') && !isPauseCard('flow.return')).toBe(true)
  })
})

describe('resumeSkeleton', () => {
  it('names each output with an empty value of its type', () => {
    const card = { id: 'p', type: 'flow.pause', outputs: [{ key: 'ok', type: 'boolean' }, { key: 'n', type: 'number' }, { key: 'by', type: 'string' }, { key: 'ids', type: { kind: 'string', list: true } }] } as unknown as Card
    expect(resumeSkeleton(card)).toEqual({ ok: false, n: 0, by: '', ids: [] })
  })
  it('is empty for Pause Raw', () => {
    expect(resumeSkeleton({ id: 'p', type: 'flow.pauseRaw' } as unknown as Card)).toEqual({})
  })
})
