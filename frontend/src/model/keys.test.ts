import { describe, expect, it } from 'vitest'
import { ownsUndo } from './keys'

describe('ownsUndo', () => {
  it('text boxes keep Ctrl+Z for their typing', () => {
    for (const type of ['text', 'search', 'number', '', 'EMAIL']) expect(ownsUndo({ tagName: 'INPUT', type })).toBe(true)
    expect(ownsUndo({ tagName: 'TEXTAREA' })).toBe(true)
    expect(ownsUndo({ tagName: 'DIV', isContentEditable: true })).toBe(true)
  })
  it('selects, checkboxes, buttons and the page leave it to the flow', () => {
    expect(ownsUndo({ tagName: 'SELECT', type: 'select-one' })).toBe(false)
    for (const type of ['checkbox', 'radio', 'range', 'button', 'color']) expect(ownsUndo({ tagName: 'INPUT', type })).toBe(false)
    expect(ownsUndo({ tagName: 'BUTTON', type: 'submit' })).toBe(false)
    expect(ownsUndo({ tagName: 'BODY' })).toBe(false)
    expect(ownsUndo(null)).toBe(false)
  })
})
