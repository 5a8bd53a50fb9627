import { useEffect, useMemo, useState } from 'react'
import { api } from '../api/client'
import type { TableDef, TableRow } from '../api/types'
import { typeLabel } from '../model/types'
import { cellText, rowColumns, SYSTEM_COLUMNS } from '../model/tables'
import { go } from '../router'

const ROWS = 100

/** Tables lists the tables (name, folder, columns) and, for the one opened
 * (tableId), its first rows. Read-only. */
export function Tables({ tableId }: { tableId?: string }) {
  const [tables, setTables] = useState<TableDef[] | null>(null)
  const [err, setErr] = useState('')
  useEffect(() => {
    api.listTables().then((ts) => setTables([...ts].sort((a, b) => a.name.localeCompare(b.name) || (a.folder ?? '').localeCompare(b.folder ?? ''))))
      .catch((e) => setErr((e as Error).message))
  }, [])
  const open = tableId ? tables?.find((t) => t.id === tableId) : undefined
  return (
    <div className="page tables">
      <div className="page-head">
        {tableId && <button onClick={() => go('/tables')} aria-label="Back to tables">←</button>}
        <h1>{open ? open.name : 'Tables'}</h1>
        {open?.folder && <span className="muted">{open.folder}</span>}
      </div>
      {err && <div className="problem" role="alert">{err}</div>}
      {tables && tableId && !open && <div className="problem" role="alert">unknown table: {tableId}</div>}
      {tables && !tableId && !tables.length && <p className="muted">No tables yet. Importing an Okta Workflows export brings its tables.</p>}
      {tables && !tableId && tables.length > 0 && (
        <table className="flows executions tables-list" aria-label="Tables">
          <thead><tr><th>Name</th><th>Folder</th><th>Columns</th></tr></thead>
          <tbody>
            {tables.map((t) => (
              <tr key={t.id} className="clickable" tabIndex={0} data-testid="table-row"
                onClick={() => go(`/tables/${encodeURIComponent(t.id)}`)} onKeyDown={(e) => e.key === 'Enter' && go(`/tables/${encodeURIComponent(t.id)}`)}>
                <td><strong>{t.name || t.id}</strong></td>
                <td className="muted">{t.folder ?? ''}</td>
                <td className="cols"><Columns t={t} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && <TableView t={open} />}
    </div>
  )
}

function Columns({ t }: { t: TableDef }) {
  const cols = t.columns ?? []
  if (!cols.length) return <span className="muted">no columns</span>
  return (
    <>
      {cols.map((c) => (
        <span key={c.name} className="col-chip" data-testid="table-column"
          title={c.default !== undefined && c.default !== null ? `default: ${JSON.stringify(c.default)}` : undefined}>
          {c.name}<span className="ftype">{typeLabel(c.type)}</span>
        </span>
      ))}
    </>
  )
}

function TableView({ t }: { t: TableDef }) {
  const [rows, setRows] = useState<TableRow[] | null>(null)
  const [err, setErr] = useState('')
  useEffect(() => {
    setRows(null)
    api.tableRows(t.id, ROWS).then(setRows).catch((e) => setErr((e as Error).message))
  }, [t.id])
  const cols = useMemo(() => rowColumns(t, rows ?? []), [t, rows])
  const sys = (c: string) => (SYSTEM_COLUMNS as readonly string[]).includes(c)
  return (
    <>
      <p className="muted" data-testid="table-columns">Columns: <Columns t={t} /></p>
      {err && <div className="problem" role="alert">{err}</div>}
      {!rows && !err && <p className="muted">Loading…</p>}
      {rows && (
        <div className="table-rows">
          <table className="rows" aria-label={`Rows of ${t.name}`} data-testid="table-rows">
            <thead><tr>{cols.map((c) => <th key={c} className={sys(c) ? 'sys' : ''}>{c}</th>)}</tr></thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={String(r['Row ID'] ?? i)}>
                  {cols.map((c) => { const v = cellText(r[c]); return <td key={c} className={sys(c) ? 'sys' : ''} title={v}>{v}</td> })}
                </tr>
              ))}
              {!rows.length && <tr><td colSpan={cols.length} className="muted">No rows.</td></tr>}
            </tbody>
          </table>
          {rows.length >= ROWS && <p className="muted small">The first {ROWS} rows.</p>}
        </div>
      )}
    </>
  )
}
