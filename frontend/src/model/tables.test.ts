import { describe, expect, it } from 'vitest'
import type { TableDef } from '../api/types'
import { cellText, columnDrafts, columnText, csvErrorText, draftsToColumns, exprText, exprTokens, isTablesCard, newColumnDraft, rowColumns, rowDraft, rowValues, tableOptions, WIRED_TEXT } from './tables'

const domains: TableDef = {
  id: 't1', name: 'Domain Name Lookup', folder: 'Temp_2/Convert',
  columns: [{ name: 'Domain', type: 'string' }, { name: 'Lite User', type: 'boolean', default: false }],
}
const users: TableDef = { id: 't2', name: 'Users', columns: [{ name: 'Tags', type: { kind: 'string', list: true } }] }
const usersToo: TableDef = { id: 't3', name: 'Users', folder: 'Archive', columns: null }

describe('exprText', () => {
  const cases: { name: string; in: unknown; want: string | null }[] = [
    { name: 'none', in: undefined, want: '' },
    { name: 'null', in: null, want: '' },
    { name: 'empty object', in: {}, want: '' },
    { name: 'empty list', in: { expr: [] }, want: '' },
    { name: 'one literal', in: { expr: [{ lhs: 'Domain', op: '=', join: 'AND', rhs: 'x' }] }, want: 'Domain = "x"' },
    {
      name: 'literal AND wired (Okta export shape)',
      in: { expr: [{ lhs: 'Domain', op: '=', join: 'AND', rhs: 'x' }, { lhs: 'Status', op: '!=', join: 'AND', rhd: { outputId: 'GeIXuyX-Ds', methodId: 'm1' } }] },
      want: `Domain = "x" AND Status != ${WIRED_TEXT}`,
    },
    { name: 'only wired', in: { expr: [{ lhs: 'Domain', op: '=', join: 'AND', rhd: { outputId: 'o', methodId: 'm' } }] }, want: `Domain = ${WIRED_TEXT}` },
    {
      name: 'a clause joins to the next; missing op is =, missing join AND',
      in: { expr: [{ lhs: 'A', rhs: 1, join: 'or' }, { lhs: 'B', op: '>=', rhs: true }, { lhs: 'C', op: '<', rhs: null }] },
      want: 'A = 1 OR B >= true AND C < (empty)',
    },
    { name: 'bare list of clauses', in: [{ lhs: 'A', op: '!=', rhs: 'q"uote' }], want: 'A != "q\\"uote"' },
    { name: 'object value as JSON', in: { expr: [{ lhs: 'A', rhs: { k: 1 } }] }, want: 'A = {"k":1}' },
    { name: 'not an expression: text', in: 'Domain = x', want: null },
    { name: 'not an expression: other keys', in: { where: [] }, want: null },
    { name: 'not an expression: expr not a list', in: { expr: 'x' }, want: null },
    { name: 'not an expression: clause not an object', in: { expr: ['x'] }, want: null },
    { name: 'not an expression: clause without column', in: { expr: [{ op: '=', rhs: 1 }] }, want: null },
  ]
  for (const c of cases) it(c.name, () => expect(exprText(c.in)).toBe(c.want))

  it('marks wired values with the input they read', () => {
    const t = exprTokens({ expr: [{ lhs: 'Domain', op: '=', rhd: { outputId: 'GeIXuyX-Ds', methodId: 'm' } }] })
    expect(t).toEqual([
      { kind: 'column', text: 'Domain' },
      { kind: 'op', text: '=' },
      { kind: 'wired', text: WIRED_TEXT, input: 'GeIXuyX-Ds' },
    ])
  })
})

describe('tableOptions', () => {
  it('lists tables by name, sorted', () => {
    expect(tableOptions('t1', [users, domains])).toEqual([
      { value: 't1', label: 'Domain Name Lookup' },
      { value: 't2', label: 'Users' },
    ])
  })
  it('no current value: tables only', () => {
    expect(tableOptions(undefined, [domains]).map((o) => o.label)).toEqual(['Domain Name Lookup'])
    expect(tableOptions('', [])).toEqual([])
  })
  it('an id that matches no table is shown as unknown', () => {
    expect(tableOptions('gone', [domains])).toEqual([
      { value: 't1', label: 'Domain Name Lookup' },
      { value: 'gone', label: 'unknown table: gone', unknown: true },
    ])
    expect(tableOptions('gone', [])).toEqual([{ value: 'gone', label: 'unknown table: gone', unknown: true }])
  })
  it('a name two tables share gets the folder (or the id)', () => {
    expect(tableOptions('t2', [users, usersToo, domains]).map((o) => o.label)).toEqual([
      'Domain Name Lookup', 'Users — Archive', 'Users — t2',
    ])
  })
  it('a nameless table shows its id', () => {
    expect(tableOptions('x', [{ id: 'x', name: '', columns: [] }])).toEqual([{ value: 'x', label: 'x' }])
  })
})

describe('table view helpers', () => {
  it('isTablesCard', () => {
    expect(isTablesCard('tables.searchRows')).toBe(true)
    expect(isTablesCard('text.concat')).toBe(false)
    expect(isTablesCard(undefined)).toBe(false)
  })
  it('columnText shows type and default', () => {
    expect(domains.columns!.map(columnText)).toEqual(['Domain: string', 'Lite User: boolean = false'])
    expect(columnText(users.columns![0])).toBe('Tags: string[]')
  })
  it('rowColumns: the table columns in order, then the system columns, then extras', () => {
    expect(rowColumns(domains, [])).toEqual(['Domain', 'Lite User', 'Row ID', 'Created', 'Updated'])
    expect(rowColumns(usersToo, [{ 'Row ID': 'r', Extra: 1 }])).toEqual(['Row ID', 'Created', 'Updated', 'Extra'])
  })
  it('cellText', () => {
    expect([cellText(undefined), cellText(null), cellText('a'), cellText(false), cellText(2), cellText(['x'])]).toEqual(['', '', 'a', 'false', '2', '["x"]'])
  })
})

describe('column editor', () => {
  const t: TableDef = { id: 't', name: 'People', columns: [{ name: 'Name', type: 'string' }, { name: 'Age', type: 'number', default: 0 }] }
  it('turns drafts into columns and renames', () => {
    const d = columnDrafts(t)
    expect(d.map((x) => [x.name, x.kind, x.default, x.orig])).toEqual([['Name', 'string', '', 'Name'], ['Age', 'number', '0', 'Age']])
    d[0].name = ' Full name '
    const added = { ...newColumnDraft('date'), name: 'Joined' }
    const r = draftsToColumns([d[0], d[1], added])
    expect(r.error).toBeUndefined()
    expect(r.columns).toEqual([{ name: 'Full name', type: 'string' }, { name: 'Age', type: 'number', default: '0' }, { name: 'Joined', type: 'date' }])
    expect(r.renames).toEqual({ Name: 'Full name' })
  })
  it('names the bad column', () => {
    expect(draftsToColumns([{ ...newColumnDraft(), name: '' }]).error).toBe('Column 1 has no name')
    expect(draftsToColumns([{ ...newColumnDraft(), name: 'Row ID' }]).error).toMatch(/system column/)
    expect(draftsToColumns([{ ...newColumnDraft(), name: 'A' }, { ...newColumnDraft(), name: 'A ' }]).error).toBe('Column "A" is named twice')
  })
})

describe('row editor', () => {
  const t: TableDef = { id: 't', name: 'People', columns: [{ name: 'Name', type: 'string' }, { name: 'Age', type: 'number', default: 5 }] }
  it('leaves empty cells out of a new row so defaults apply', () => {
    expect(rowValues(t, { Name: 'Ann', Age: '' }, true)).toEqual({ Name: 'Ann' })
  })
  it('clears empty cells of an edited row', () => {
    expect(rowValues(t, { Name: '', Age: '' }, false)).toEqual({ Name: '', Age: null })
    expect(rowDraft(t, { Name: 'Ann', Age: 42, 'Row ID': 'x' })).toEqual({ Name: 'Ann', Age: '42' })
  })
  it('words a bad CSV line', () => {
    expect(csvErrorText({ line: 3, column: 'Age', message: '"old" is not a number' })).toBe('Line 3, column "Age": "old" is not a number')
    expect(csvErrorText({ line: 5, message: 'extraneous " in field' })).toBe('Line 5: extraneous " in field')
  })
})
