import { describe, expect, it } from 'vitest'
import { attemptLabel, attemptNumber, changeText } from './attempts'

describe('attempts', () => {
  it('labels how an attempt came about', () => {
    expect(attemptLabel('resume')).toBe('resumed from')
    expect(attemptLabel('rerun')).toBe('re-run of')
    expect(attemptLabel(undefined)).toBe('')
  })
  it('says what changed in an earlier card', () => {
    expect(changeText({ id: 'c', title: 'C', type: 't', added: true })).toBe('added since the run: it runs')
    expect(changeText({ id: 'c', title: 'C', type: 't', removed: true })).toBe('removed since the run')
    expect(changeText({ id: 'c', title: 'C', type: 't', fields: [{ kind: 'input', key: 'string 2', change: 'added' }] }))
      .toBe('string 2 changed since the run: its recorded outputs are reused')
    expect(changeText({ id: 'c', title: 'C', type: 't', moved: true })).toBe('moved, changed')
  })
  it('numbers attempts in order', () => {
    expect(attemptNumber(['a', 'b'], 'b')).toBe(2)
    expect(attemptNumber(['a'], 'x')).toBe(0)
  })
})
