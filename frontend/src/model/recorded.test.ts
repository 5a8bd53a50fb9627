import { describe, expect, it } from 'vitest'
import { fullValueText, SHOWN_MAX } from './recorded'

describe('a recorded value shown whole', () => {
  it('is pretty JSON with its size', () => {
    expect(fullValueText([{ id: 1 }, { id: 2 }])).toEqual({ text: '[\n  {\n    "id": 1\n  },\n  {\n    "id": 2\n  }\n]', shown: 44, size: 'a list of 2 items, 44 characters' })
    expect(fullValueText({ a: 'x' }).size).toBe('an object with 1 key, 14 characters')
    expect(fullValueText('plain text, not quoted')).toEqual({ text: 'plain text, not quoted', shown: 22, size: 'text, 22 characters' })
  })
  it('shows at most SHOWN_MAX characters of a big list', () => {
    const big = Array.from({ length: 20000 }, (_, i) => ({ login: `user${i}@example.com` }))
    const r = fullValueText(big)
    expect(r.text.length).toBeGreaterThan(SHOWN_MAX)
    expect(r.shown).toBe(SHOWN_MAX)
    expect(r.size).toMatch(/^a list of 20,000 items, [\d,]+ characters$/)
  })
})
