import { describe, expect, it } from 'vitest'
import { DesignerStore } from './designer'
import { seedFlow, specList, specs } from '../test/fixtures'
import { indexFlow } from '../model/tree'

function store() {
  const s = new DesignerStore()
  s.specs = specs
  let t = 0
  s.now = () => (t += 1000) // every edit is its own undo step unless a test says otherwise
  s.load(seedFlow())
  return s
}
const spec = (id: string) => specList.find((x) => x.id === id)!

describe('designer store', () => {
  it('loads clean and becomes dirty on edit, clean again after markSaved', () => {
    const s = store()
    expect(s.dirty()).toBe(false)
    s.setValue('upd', 'isMemberOfGroup', true)
    expect(s.dirty()).toBe(true)
    s.markSaved(s.getState().flow!)
    expect(s.dirty()).toBe(false)
  })

  it('adds, moves and deletes cards', () => {
    const s = store()
    const id = s.addCard(spec('list.count'), {}, 1)
    expect(s.getState().flow!.cards.map((c) => c.id)).toEqual(['read', id, 'upd'])
    expect(s.getState().selected).toBe(id)
    s.move(id, {}, 2)
    expect(s.getState().flow!.cards.map((c) => c.id)).toEqual(['read', 'upd', id])
    s.deleteCard(id)
    expect(s.getState().flow!.cards.map((c) => c.id)).toEqual(['read', 'upd'])
    expect(s.getState().selected).toBe(null)
  })

  it('never deletes the trigger', () => {
    const s = store()
    s.deleteCard('trigger')
    expect(s.getState().flow!.trigger.id).toBe('trigger')
    expect(s.getState().past).toHaveLength(0)
  })

  it('adds cards into If/Else lanes and moves them out', () => {
    const s = store()
    const iff = s.addCard(spec('flow.if'), {}, 2)
    const inner = s.addCard(spec('list.count'), { parent: iff, branch: 'false' }, 0)
    const idx = indexFlow(s.getState().flow!)
    expect(idx.get(inner)!.slot).toEqual({ parent: iff, branch: 'false' })
    expect(idx.get(iff)!.card.branches!.map((b) => b.name)).toEqual(['true', 'false'])
    s.move(inner, {}, 0)
    expect(s.getState().flow!.cards[0].id).toBe(inner)
    // a container cannot move into its own lane
    s.move(iff, { parent: iff, branch: 'true' }, 0)
    expect(indexFlow(s.getState().flow!).get(iff)!.slot).toEqual({})
  })

  it('undoes and redoes every edit in order', () => {
    const s = store()
    const start = s.getState().flow
    s.setValue('upd', 'isMemberOfGroup', true)
    const afterValue = s.getState().flow
    s.deleteCard('read')
    expect(s.getState().flow!.cards).toHaveLength(1)
    s.undo()
    expect(s.getState().flow).toBe(afterValue)
    s.undo()
    expect(s.getState().flow).toBe(start)
    s.undo() // nothing left: no-op
    expect(s.getState().flow).toBe(start)
    s.redo()
    s.redo()
    expect(s.getState().flow!.cards).toHaveLength(1)
    // a new edit clears the redo stack
    s.undo()
    s.renameCard('upd', 'Set flag')
    expect(s.getState().future).toHaveLength(0)
  })

  it('coalesces typing into one field into one undo step', () => {
    const s = store()
    let t = 0
    s.now = () => (t += 100)
    for (const v of ['a', 'ab', 'abc']) s.setValue('read', 'id', v)
    expect(s.getState().past).toHaveLength(1)
    s.undo()
    expect(s.getState().flow!.cards[0].inputs ?? []).toEqual([])
  })

  it('copies and pastes a card with a fresh id after the selection', () => {
    const s = store()
    s.setValue('read', 'id', 'abc')
    s.copy('read')
    s.select('read')
    const id = s.paste()!
    const cards = s.getState().flow!.cards
    expect(cards.map((c) => c.id)).toEqual(['read', id, 'upd'])
    expect(id).not.toBe('read')
    expect(cards[1].inputs).toEqual([{ key: 'id', value: 'abc' }])
  })

  it('wires through the store and reports refused drops', () => {
    const s = store()
    expect(s.wire({ card: 'trigger', path: ['user', 'id'] }, { card: 'read', key: 'id' })).toBe(null)
    expect(s.getState().flow!.cards[0].inputs).toEqual([{ key: 'id', from: { card: 'trigger', path: ['user', 'id'] } }])
    expect(s.wire({ card: 'upd', path: ['id'] }, { card: 'read', key: 'id' })).toMatch(/to their right/)
    expect(s.getState().notice).toMatch(/to their right/)
  })

  it('refuses edits when read-only', () => {
    const s = store()
    s.load(seedFlow(), { readOnly: true })
    s.setValue('read', 'id', 'x')
    expect(s.dirty()).toBe(false)
  })
})

describe('switching on/off', () => {
  it('follows the stored flow without becoming dirty, and keeps unsaved edits dirty', () => {
    const s = store()
    s.setEnabled(true)
    expect(s.getState().flow!.enabled).toBe(true)
    expect(s.dirty()).toBe(false)
    s.setValue('upd', 'isMemberOfGroup', true)
    s.setEnabled(false)
    expect(s.dirty()).toBe(true)
    expect(s.getState().flow!.enabled).toBeFalsy()
    s.undo()
    // the undo stack follows too: undo never switches the flow back on
    expect(s.getState().flow!.enabled).toBeFalsy()
    expect(s.dirty()).toBe(false)
  })

  it('keeps a trigger state of another flow out', () => {
    const s = store()
    s.setTriggerState({ flow: 'other', kind: 'event', cardType: 'x', enabled: true, listening: true, queued: 0, running: 0 })
    expect(s.getState().trigger).toBeNull()
    s.setTriggerState({ flow: 'f1', kind: 'event', cardType: 'x', enabled: true, listening: true, queued: 0, running: 0 })
    expect(s.getState().trigger?.listening).toBe(true)
  })

  it('choosing a connection on a card on an import placeholder sets it on every card of that kind on it, as one edit', () => {
    const s = store()
    const f = s.getState().flow!
    const ph = 'ded2bbdc-placeholder'
    s.load({ ...f, cards: [...f.cards.map((c) => ({ ...c, connection: ph })), { id: 'cnt', type: 'list.count', connection: ph }] })
    const known = (id: string) => id === 'sandbox' || id === 'prod'
    expect(s.setConnection('read', 'prod', known)).toBe(2) // read and upd (Okta cards); the list card keeps its value
    const conns = () => s.getState().flow!.cards.map((c) => c.connection)
    expect(conns()).toEqual(['prod', 'prod', ph])
    s.undo()
    expect(conns()).toEqual([ph, ph, ph])
    s.redo()
    // a card already on a real connection changes alone
    expect(s.setConnection('upd', 'sandbox', known)).toBe(1)
    expect(conns()).toEqual(['prod', 'sandbox', ph])
  })

  it('an undo across a save keeps the saved revision (a save after it is no conflict)', () => {
    const s = store()
    s.load({ ...s.getState().flow!, revision: 1 })
    s.setValue('upd', 'isMemberOfGroup', true)
    s.markSaved({ ...s.getState().flow!, revision: 2 })
    s.undo()
    expect(s.getState().flow!.revision).toBe(2)
    expect(s.dirty()).toBe(true) // the value is back to unset: that is the edit to save
    s.redo()
    expect(s.getState().flow!.revision).toBe(2)
    expect(s.dirty()).toBe(false)
  })
  it('a restored version is one undoable step: Ctrl+Z brings back the flow as it was, at the new revision', () => {
    const s = store()
    s.load({ ...s.getState().flow!, revision: 4 })
    const before = s.getState().flow!
    const old = { ...before, revision: 5, cards: before.cards.filter((c) => c.id !== 'upd') }
    s.select('upd')
    s.restored(old, [])
    expect(s.getState().flow!.cards.map((c) => c.id)).toEqual(['read'])
    expect(s.dirty()).toBe(false)
    expect(s.getState().selected).toBe(null)
    s.undo()
    expect(s.getState().flow!.cards.map((c) => c.id)).toEqual(['read', 'upd'])
    expect(s.getState().flow!.revision).toBe(5) // a save of it is no conflict
    expect(s.dirty()).toBe(true)
    s.redo()
    expect(s.getState().flow!.cards.map((c) => c.id)).toEqual(['read'])
    expect(s.dirty()).toBe(false)
  })
})
