import { describe, expect, it } from 'vitest'
import { isSecret, withSecret } from './secret'

describe('withSecret', () => {
  it('adds a declared output the card does not list', () => {
    const out = withSecret(undefined, 'output', true)
    expect(out).toEqual([{ key: 'output', secret: true }])
    expect(isSecret(out, 'output')).toBe(true)
  })
  it('keeps a user-added output and its type when the mark is removed', () => {
    const out = withSecret([{ key: 'token', type: 'string', secret: true }], 'token', false)
    expect(out).toEqual([{ key: 'token', type: 'string', secret: undefined }])
    expect(isSecret(out, 'token')).toBe(false)
  })
  it('drops an entry that only carried the mark', () => {
    expect(withSecret([{ key: 'output', secret: true }, { key: 'x', label: 'X' }], 'output', false)).toEqual([{ key: 'x', label: 'X' }])
  })
  it('leaves other outputs alone', () => {
    const outs = [{ key: 'a', label: 'A' }]
    expect(withSecret(outs, 'b', false)).toBe(outs)
    expect(withSecret(outs, 'a', true)).toEqual([{ key: 'a', label: 'A', secret: true }])
  })
})
