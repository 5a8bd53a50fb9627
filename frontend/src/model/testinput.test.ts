import { describe, expect, it } from 'vitest'
import { parseTestInput } from './testinput'

describe('Run panel test input as JSON', () => {
  it('reads an object', () => {
    expect(parseTestInput('{"login": "ada@example.com", "n": 2}')).toEqual({ value: { login: 'ada@example.com', n: 2 } })
    expect(parseTestInput('  ')).toEqual({ value: {} })
  })
  it('names the test input in its errors', () => {
    const bad = parseTestInput('{"login": ')
    expect('error' in bad && bad.error).toMatch(/^Test input JSON: not valid JSON \(/)
    expect(parseTestInput('[1, 2]')).toEqual({ error: `Test input JSON: must be an object of the trigger's outputs, e.g. {"name": "Ada"}, not a list` })
    expect(parseTestInput('null')).toEqual({ error: `Test input JSON: must be an object of the trigger's outputs, e.g. {"name": "Ada"}, not null` })
    expect(parseTestInput('"x"')).toEqual({ error: `Test input JSON: must be an object of the trigger's outputs, e.g. {"name": "Ada"}, not string` })
  })
})
