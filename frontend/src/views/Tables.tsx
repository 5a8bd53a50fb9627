import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { api } from '../api/client'
import type { CSVPreview, TableDef, TableRow } from '../api/types'
import { Confirm, download, Modal, TextModal } from '../components/Dialog'
import { typeLabel } from '../model/types'
import {
  cellText, COLUMN_TYPES, columnDrafts, columnKind, csvErrorText, draftsToColumns, newColumnDraft, rowColumns, rowDraft, rowValues,
  SYSTEM_COLUMNS, type ColumnDraft,
} from '../model/tables'
import { go } from '../router'
import { forgetTables } from '../store/data'

/** PAGE is the number of rows a page of the table view shows. */
const PAGE = 100

type Dialog =
  | { kind: 'new' }
  | { kind: 'rename'; t: TableDef }
  | { kind: 'copy'; t: TableDef }
  | { kind: 'delete'; t: TableDef; users: string[] }
  | { kind: 'columns'; t: TableDef }
  | { kind: 'csv'; t: TableDef }
  | { kind: 'text'; name: string; text: string }

const sortTables = (ts: TableDef[]) => [...ts].sort((a, b) => a.name.localeCompare(b.name) || (a.folder ?? '').localeCompare(b.folder ?? ''))

/** Tables lists the tables (name, folder, columns) and manages them: new,
 * rename, copy, delete, columns; for the one opened (tableId) its rows
 * (add, edit, delete) and CSV import (with a preview) and export. */
export function Tables({ tableId }: { tableId?: string }) {
  const [tables, setTables] = useState<TableDef[] | null>(null)
  const [err, setErr] = useState('')
  const [dialog, setDialog] = useState<Dialog | null>(null)
  const [rowsVersion, setRowsVersion] = useState(0)
  const reload = useCallback(async () => {
    forgetTables() // the designer's table pickers read them again
    try {
      setTables(sortTables(await api.listTables()))
    } catch (e) {
      setErr((e as Error).message)
    }
  }, [])
  useEffect(() => { void reload() }, [reload])
  const open = tableId ? tables?.find((t) => t.id === tableId) : undefined
  const act = async (fn: () => Promise<unknown>) => {
    setErr('')
    try {
      await fn()
    } catch (e) {
      setErr((e as Error).message)
    }
  }
  const askDelete = (t: TableDef) => act(async () => setDialog({ kind: 'delete', t, users: await api.tableUsers(t.id) }))
  const exportCSV = (t: TableDef) => act(async () => download(`${t.name}.csv`, await api.exportTableCSV(t.id), (name, text) => setDialog({ kind: 'text', name, text })))
  return (
    <div className="page tables">
      <div className="page-head">
        {tableId && <button onClick={() => go('/tables')} aria-label="Back to tables">←</button>}
        <h1>{open ? open.name : 'Tables'}</h1>
        {open?.folder && <span className="muted">{open.folder}</span>}
        <span className="spacer" />
        {!tableId && <button className="primary" onClick={() => setDialog({ kind: 'new' })}>New table</button>}
        {open && (
          <span className="table-actions">
            <button onClick={() => setDialog({ kind: 'columns', t: open })}>Edit columns</button>
            <button onClick={() => setDialog({ kind: 'csv', t: open })}>Import CSV</button>
            <button onClick={() => exportCSV(open)}>Export CSV</button>
            <button onClick={() => setDialog({ kind: 'rename', t: open })}>Rename</button>
            <button onClick={() => setDialog({ kind: 'copy', t: open })}>Copy</button>
            <button className="danger" onClick={() => askDelete(open)}>Delete</button>
          </span>
        )}
      </div>
      {err && <div className="problem" role="alert">{err}</div>}
      {tables && tableId && !open && <div className="problem" role="alert">unknown table: {tableId}</div>}
      {tables && !tableId && !tables.length && <p className="muted">No tables yet. Create one with “New table”, or import an Okta Workflows export that brings its tables.</p>}
      {tables && !tableId && tables.length > 0 && (
        <table className="flows executions tables-list" aria-label="Tables">
          <thead><tr><th>Name</th><th>Folder</th><th>Columns</th><th /></tr></thead>
          <tbody>
            {tables.map((t) => (
              <tr key={t.id} className="clickable" tabIndex={0} data-testid="table-row" aria-label={`Table ${t.name}`}
                onClick={() => go(`/tables/${encodeURIComponent(t.id)}`)} onKeyDown={(e) => e.target === e.currentTarget && e.key === 'Enter' && go(`/tables/${encodeURIComponent(t.id)}`)}>
                <td><strong>{t.name || t.id}</strong></td>
                <td className="muted">{t.folder ?? ''}</td>
                <td className="cols"><Columns t={t} /></td>
                <td className="row-actions narrow">
                  <button className="link" onClick={(e) => { e.stopPropagation(); setDialog({ kind: 'rename', t }) }} aria-label={`Rename ${t.name}`}>Rename</button>
                  <button className="link" onClick={(e) => { e.stopPropagation(); setDialog({ kind: 'copy', t }) }} aria-label={`Copy ${t.name}`}>Copy</button>
                  <button className="link danger" onClick={(e) => { e.stopPropagation(); void askDelete(t) }} aria-label={`Delete ${t.name}`}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && <TableView key={`${open.id}/${rowsVersion}`} t={open} onEditColumns={() => setDialog({ kind: 'columns', t: open })} />}
      {dialog?.kind === 'new' && (
        <NameDialog title="New table" label="Table name" folder action="Create"
          onCancel={() => setDialog(null)}
          onOk={async (name, folder) => {
            const t = await api.createTable({ id: '', name, folder: folder || undefined, columns: [] })
            setDialog(null)
            await reload()
            go(`/tables/${encodeURIComponent(t.id)}`)
          }} />
      )}
      {dialog?.kind === 'rename' && (
        <NameDialog title={`Rename table ${dialog.t.name}`} label="Table name" initial={dialog.t.name} action="Rename"
          onCancel={() => setDialog(null)}
          onOk={async (name) => {
            await api.saveTable({ ...dialog.t, name }, {})
            setDialog(null)
            await reload()
          }} />
      )}
      {dialog?.kind === 'copy' && (
        <NameDialog title={`Copy table ${dialog.t.name}`} label="Name of the copy" initial={`Copy of ${dialog.t.name}`} action="Copy"
          onCancel={() => setDialog(null)}
          onOk={async (name) => {
            const t = await api.copyTable(dialog.t.id, name)
            setDialog(null)
            await reload()
            go(`/tables/${encodeURIComponent(t.id)}`)
          }} />
      )}
      {dialog?.kind === 'delete' && (
        <Confirm title={`Delete table ${dialog.t.name}?`}
          message={`The table and all its rows are deleted.${dialog.users.length ? ` Flows that use it will fail at their Tables cards: ${dialog.users.join(', ')}.` : ''}`}
          onNo={() => setDialog(null)}
          onYes={() => act(async () => {
            await api.deleteTable(dialog.t.id)
            setDialog(null)
            await reload()
            if (tableId) go('/tables')
          })} />
      )}
      {dialog?.kind === 'columns' && (
        <ColumnsDialog t={dialog.t} onClose={() => setDialog(null)}
          onSaved={async () => { setDialog(null); await reload(); setRowsVersion((v) => v + 1) }} />
      )}
      {dialog?.kind === 'csv' && (
        <CSVDialog t={dialog.t} onClose={() => setDialog(null)}
          onImported={() => { setDialog(null); setRowsVersion((v) => v + 1) }} />
      )}
      {dialog?.kind === 'text' && <TextModal name={dialog.name} text={dialog.text} onClose={() => setDialog(null)} />}
    </div>
  )
}

/** NameDialog asks for a table name (and folder); a refused name shows its
 * error in the dialog, which stays open. */
function NameDialog({ title, label, initial = '', folder, action, onOk, onCancel }: {
  title: string; label: string; initial?: string; folder?: boolean; action: string
  onOk: (name: string, folder: string) => Promise<void>; onCancel: () => void
}) {
  const [name, setName] = useState(initial)
  const [dir, setDir] = useState('')
  const [err, setErr] = useState('')
  const [busy, setBusy] = useState(false)
  const submit = async () => {
    if (!name.trim()) return
    setBusy(true)
    setErr('')
    try {
      await onOk(name.trim(), dir.trim())
    } catch (e) {
      setErr((e as Error).message)
      setBusy(false)
    }
  }
  return (
    <Modal title={title} onClose={onCancel}>
      <form method="dialog" onSubmit={(e) => { e.preventDefault(); void submit() }}>
        <label className="form-row"><span>{label}</span><input autoFocus value={name} onChange={(e) => setName(e.target.value)} aria-label={label} /></label>
        {folder && <label className="form-row"><span>Folder (optional)</span><input value={dir} onChange={(e) => setDir(e.target.value)} aria-label="Folder (optional)" /></label>}
        {err && <div className="problem" role="alert">{err}</div>}
        <div className="actions">
          <button type="button" onClick={onCancel}>Cancel</button>
          <button type="submit" className="primary" disabled={!name.trim() || busy}>{action}</button>
        </div>
      </form>
    </Modal>
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

/** ColumnsDialog edits a table's columns: name, type, default; add, remove,
 * reorder. A renamed column keeps its values. */
function ColumnsDialog({ t, onClose, onSaved }: { t: TableDef; onClose: () => void; onSaved: () => void }) {
  const [drafts, setDrafts] = useState<ColumnDraft[]>(() => {
    const d = columnDrafts(t)
    return d.length ? d : [newColumnDraft()]
  })
  const [err, setErr] = useState('')
  const [busy, setBusy] = useState(false)
  const [focusKey, setFocusKey] = useState<number | null>(null)
  const patch = (key: number, p: Partial<ColumnDraft>) => setDrafts((ds) => ds.map((d) => (d.key === key ? { ...d, ...p } : d)))
  const removed = (t.columns ?? []).filter((c) => !drafts.some((d) => d.orig === c.name)).map((c) => c.name)
  const save = async () => {
    const r = draftsToColumns(drafts)
    if (r.error) {
      setErr(r.error)
      return
    }
    setBusy(true)
    try {
      await api.saveTable({ ...t, columns: r.columns }, r.renames)
      onSaved()
    } catch (e) {
      setErr((e as Error).message)
      setBusy(false)
    }
  }
  return (
    <Modal title={`Columns of ${t.name}`} onClose={onClose}>
      <form method="dialog" onSubmit={(e) => { e.preventDefault(); void save() }}>
        <table className="columns-edit" aria-label="Columns">
          <thead><tr><th>Name</th><th>Type</th><th>Default</th><th /></tr></thead>
          <tbody>
            {drafts.map((d, i) => (
              <tr key={d.key} data-testid="column-draft">
                <td><input value={d.name} autoFocus={d.key === focusKey} aria-label={`Column ${i + 1} name`}
                  onChange={(e) => patch(d.key, { name: e.target.value })} placeholder="Column name" /></td>
                <td>
                  <select value={d.kind} aria-label={`Column ${i + 1} type`} onChange={(e) => patch(d.key, { kind: e.target.value })}>
                    {COLUMN_TYPES.map((ct) => <option key={ct.kind} value={ct.kind}>{ct.label}</option>)}
                  </select>
                </td>
                <td><input value={d.default} aria-label={`Column ${i + 1} default`} placeholder="(none)"
                  onChange={(e) => patch(d.key, { default: e.target.value })} /></td>
                <td>
                  <button type="button" className="link" aria-label={`Move column ${i + 1} up`} disabled={i === 0}
                    onClick={() => setDrafts((ds) => { const n = [...ds]; [n[i - 1], n[i]] = [n[i], n[i - 1]]; return n })}>↑</button>
                  <button type="button" className="link danger" aria-label={`Remove column ${i + 1}`}
                    onClick={() => setDrafts((ds) => ds.filter((x) => x.key !== d.key))}>Remove</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={() => { const d = newColumnDraft(); setFocusKey(d.key); setDrafts((ds) => [...ds, d]) }}>Add column</button>
        {removed.length > 0 && <p className="problem small">Saving deletes the values of {removed.map((n) => `“${n}”`).join(', ')} in every row.</p>}
        {err && <div className="problem" role="alert">{err}</div>}
        <div className="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : 'Save columns'}</button>
        </div>
      </form>
    </Modal>
  )
}

/** CSVDialog imports a CSV file or pasted text: a preview (the rows as they
 * would be stored, an error per bad line), then one all-or-nothing import. */
function CSVDialog({ t, onClose, onImported }: { t: TableDef; onClose: () => void; onImported: (n: number) => void }) {
  const [text, setText] = useState('')
  const [name, setName] = useState('')
  const [preview, setPreview] = useState<CSVPreview | null>(null)
  const [err, setErr] = useState('')
  const [busy, setBusy] = useState(false)
  const fileRef = useRef<HTMLInputElement>(null)
  const check = async (content: string) => {
    setErr('')
    setPreview(null)
    try {
      setPreview(await api.previewTableCSV(t.id, content))
    } catch (e) {
      setErr((e as Error).message)
    }
  }
  const commit = async () => {
    setBusy(true)
    setErr('')
    try {
      onImported(await api.importTableCSV(t.id, text))
    } catch (e) {
      setErr((e as Error).message)
      setBusy(false)
    }
  }
  const cols = (t.columns ?? []).map((c) => c.name)
  return (
    <Modal title={`Import CSV into ${t.name}`} onClose={onClose}>
      <p className="muted small">The first line names the columns ({cols.length ? cols.join(', ') : 'the table has no columns yet'}). “Row ID”, “Created” and “Updated” are ignored. Rows are added; nothing is written when a line is bad.</p>
      <div className="csv-source">
        <button type="button" onClick={() => fileRef.current?.click()}>Choose file…</button>
        <input ref={fileRef} type="file" hidden accept=".csv,text/csv,text/plain" aria-label="CSV file"
          onChange={async (e) => {
            const f = e.target.files?.[0]
            e.target.value = ''
            if (!f) return
            const content = await f.text()
            setName(f.name)
            setText(content)
            await check(content)
          }} />
        {name && <span className="muted">{name}</span>}
      </div>
      <textarea className="json-edit" rows={6} value={text} aria-label="CSV text" placeholder={`${cols.join(',')}\n…`}
        onChange={(e) => { setText(e.target.value); setName(''); setPreview(null) }} />
      {!preview && <div className="actions"><button type="button" disabled={!text.trim()} onClick={() => void check(text)}>Preview</button></div>}
      {err && <div className="problem" role="alert">{err}</div>}
      {preview && <CSVPreviewView p={preview} />}
      <div className="actions">
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" className="primary" disabled={!preview || preview.errors.length > 0 || preview.total === 0 || busy} onClick={() => void commit()}>
          {busy ? 'Importing…' : `Import ${preview ? preview.total : ''} row${preview?.total === 1 ? '' : 's'}`}
        </button>
      </div>
    </Modal>
  )
}

function CSVPreviewView({ p }: { p: CSVPreview }) {
  return (
    <div className="csv-preview" data-testid="csv-preview">
      <p>
        <strong>{p.total}</strong> row{p.total === 1 ? '' : 's'} to import
        {p.errors.length > 0 && <>, <strong className="bad">{p.errors.length}</strong> bad line{p.errors.length === 1 ? '' : 's'} — fix them and preview again; nothing is imported while a line is bad</>}.
        {p.ignored && p.ignored.length > 0 && <span className="muted"> Ignored: {p.ignored.join(', ')}.</span>}
      </p>
      {p.errors.length > 0 && (
        <ul className="csv-errors" aria-label="Bad lines">
          {p.errors.map((e, i) => <li key={i} className="problem" data-testid="csv-error">{csvErrorText(e)}</li>)}
        </ul>
      )}
      {p.rows.length > 0 && (
        <div className="table-rows">
          <table className="rows" aria-label="Preview rows">
            <thead><tr><th className="sys">Line</th>{p.columns.map((c) => <th key={c}>{c}</th>)}</tr></thead>
            <tbody>
              {p.rows.map((r, i) => (
                <tr key={i}><td className="sys">{p.lines[i]}</td>{p.columns.map((c) => <td key={c}>{cellText(r[c])}</td>)}</tr>
              ))}
            </tbody>
          </table>
          {p.total > p.rows.length && <p className="muted small">The first {p.rows.length} of {p.total} rows.</p>}
        </div>
      )}
    </div>
  )
}

function TableView({ t, onEditColumns }: { t: TableDef; onEditColumns: () => void }) {
  const [rows, setRows] = useState<TableRow[] | null>(null)
  const [count, setCount] = useState<number | null>(null)
  const [err, setErr] = useState('')
  const [editing, setEditing] = useState<string | null>(null) // row id, or NEW_ROW
  const [page, setPage] = useState(0)
  const [confirmDel, setConfirmDel] = useState<TableRow | null>(null)
  const [q, setQ] = useState('') // the search box: rows holding it in any column
  const [total, setTotal] = useState<number | null>(null)
  const load = useCallback(async () => {
    try {
      const [found, n] = await Promise.all([
        q.trim() ? api.searchTableRows(t.id, q, page * PAGE, PAGE) : api.tableRowPage(t.id, page * PAGE, PAGE).then((r) => ({ rows: r, count: -1 })),
        api.tableRowCount(t.id)])
      setRows(found.rows)
      setCount(found.count >= 0 ? found.count : n)
      setTotal(n)
      setErr('')
    } catch (e) {
      setErr((e as Error).message)
    }
  }, [t.id, page, q])
  useEffect(() => { void load() }, [load])
  const cols = useMemo(() => rowColumns(t, rows ?? []), [t, rows])
  const userCols = t.columns ?? []
  const sys = (c: string) => (SYSTEM_COLUMNS as readonly string[]).includes(c)
  // a new row is the last one: show the page it is on
  const saved = async (isNew: boolean) => {
    setEditing(null)
    if (isNew) {
      const last = Math.max(0, Math.ceil((await api.tableRowCount(t.id)) / PAGE) - 1)
      if (q.trim()) setQ('') // the new row may hold no searched text: show it among all rows
      if (last !== page || q.trim()) {
        setPage(last)
        return
      }
    }
    await load()
  }
  return (
    <>
      <p className="muted" data-testid="table-columns">Columns: <Columns t={t} /></p>
      {err && <div className="problem" role="alert">{err}</div>}
      {!rows && !err && <p className="muted">Loading…</p>}
      {rows && !userCols.length && (
        <p className="muted">This table has no columns yet. <button onClick={onEditColumns}>Add columns</button></p>
      )}
      {rows && (
        <div className="table-rows">
          <div className="rows-head">
            <input type="search" className="row-search" placeholder="Search rows" aria-label="Search rows" value={q} disabled={editing !== null}
              onChange={(e) => { setQ(e.target.value); setPage(0) }} onKeyDown={(e) => { if (e.key === 'Escape' && q) { e.preventDefault(); setQ(''); setPage(0) } }} />
            <span className="muted" data-testid="row-count">
              {q.trim() && total !== null
                ? `${count ?? rows.length} of ${total} row${total === 1 ? '' : 's'} match`
                : `${count ?? rows.length} row${(count ?? rows.length) === 1 ? '' : 's'}`}
            </span>
            <button className="primary" disabled={!userCols.length || editing !== null} onClick={() => setEditing(NEW_ROW)}>Add row</button>
          </div>
          <table className="rows" aria-label={`Rows of ${t.name}`} data-testid="table-rows">
            {/* the actions cell of each row has no header: the header names the columns only */}
            <thead><tr>{cols.map((c) => <th key={c} className={sys(c) ? 'sys' : ''}>{c}</th>)}</tr></thead>
            <tbody>
              {rows.map((r, i) => {
                const id = String(r['Row ID'] ?? i)
                return editing === id
                  ? <RowEditor key={id} t={t} cols={cols} row={r} onCancel={() => setEditing(null)} onSaved={() => saved(false)} />
                  : (
                    <tr key={id} data-testid="data-row">
                      {cols.map((c) => { const v = cellText(r[c]); return <td key={c} className={sys(c) ? 'sys' : ''} title={v}>{v}</td> })}
                      <td className="row-actions">
                        <button className="link" disabled={editing !== null} onClick={() => setEditing(id)} aria-label={`Edit row ${i + 1}`}>Edit</button>
                        <button className="link danger" disabled={editing !== null} onClick={() => setConfirmDel(r)} aria-label={`Delete row ${i + 1}`}>Delete</button>
                      </td>
                    </tr>
                  )
              })}
              {editing === NEW_ROW && <RowEditor t={t} cols={cols} onCancel={() => setEditing(null)} onSaved={() => saved(true)} />}
              {!rows.length && editing !== NEW_ROW && <tr><td colSpan={cols.length + 1} className="muted">{q.trim() ? `No row holds “${q.trim()}”.` : 'No rows.'}</td></tr>}
            </tbody>
          </table>
          {(count ?? 0) > PAGE && (
            <div className="pager" role="navigation" aria-label="Pages of rows">
              <button disabled={page === 0 || editing !== null} onClick={() => setPage(page - 1)}>← Previous</button>
              <span className="muted" data-testid="page-range">Rows {page * PAGE + 1}–{page * PAGE + rows.length} of {count}</span>
              <button disabled={(page + 1) * PAGE >= (count ?? 0) || editing !== null} onClick={() => setPage(page + 1)}>Next →</button>
            </div>
          )}
        </div>
      )}
      {confirmDel && (
        <Confirm title="Delete row?" message={`Row ${String(confirmDel['Row ID'])} is deleted.`} onNo={() => setConfirmDel(null)}
          onYes={async () => {
            const r = confirmDel
            setConfirmDel(null)
            try {
              await api.deleteTableRow(t.id, String(r['Row ID']))
            } catch (e) {
              setErr((e as Error).message)
            }
            await load()
          }} />
      )}
    </>
  )
}

const NEW_ROW = '\u0000new'

/** RowEditor is a row as inputs: Enter saves, Escape cancels. */
function RowEditor({ t, cols, row, onCancel, onSaved }: { t: TableDef; cols: string[]; row?: TableRow; onCancel: () => void; onSaved: () => void }) {
  const [draft, setDraft] = useState(() => rowDraft(t, row))
  const [err, setErr] = useState('')
  const [busy, setBusy] = useState(false)
  const byName = new Map((t.columns ?? []).map((c) => [c.name, c]))
  // the store names the column a value does not fit: mark that cell
  const badCol = /^column "([^"]+)"/.exec(err)?.[1]
  const save = async () => {
    setBusy(true)
    setErr('')
    try {
      const values = rowValues(t, draft, !row)
      if (row) await api.updateTableRow(t.id, String(row['Row ID']), values)
      else await api.addTableRow(t.id, values)
      onSaved()
    } catch (e) {
      setErr((e as Error).message)
      setBusy(false)
    }
  }
  const keys = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && !(e.target instanceof HTMLSelectElement)) { e.preventDefault(); void save() }
    if (e.key === 'Escape') { e.preventDefault(); onCancel() }
  }
  let first = true
  return (
    <>
      <tr className="row-edit" data-testid="row-editor" onKeyDown={keys}>
        {cols.map((c) => {
          const col = byName.get(c)
          if (!col) return <td key={c} className="sys">{row ? cellText(row[c]) : ''}</td>
          const kind = columnKind(col)
          const auto = first
          first = false
          const label = `${c} (${COLUMN_TYPES.find((x) => x.kind === kind)?.label ?? kind})`
          return (
            <td key={c}>
              {kind === 'boolean' ? (
                <select value={draft[c]} aria-label={label} autoFocus={auto} aria-invalid={badCol === c || undefined} onChange={(e) => setDraft({ ...draft, [c]: e.target.value })}>
                  <option value="">{row ? '(empty)' : col.default !== undefined && col.default !== null ? `default (${String(col.default)})` : '(empty)'}</option>
                  <option value="true">true</option>
                  <option value="false">false</option>
                </select>
              ) : (
                <input value={draft[c]} aria-label={label} autoFocus={auto} aria-invalid={badCol === c || undefined} inputMode={kind === 'number' ? 'decimal' : undefined}
                  placeholder={kind === 'date' ? '2024-01-31' : !row && col.default !== undefined && col.default !== null ? `default: ${cellText(col.default)}` : ''}
                  onChange={(e) => setDraft({ ...draft, [c]: e.target.value })} />
              )}
            </td>
          )
        })}
        <td className="row-actions">
          <button className="primary" disabled={busy} onClick={() => void save()}>{row ? 'Save' : 'Add'}</button>
          <button onClick={onCancel}>Cancel</button>
        </td>
      </tr>
      {err && <tr><td colSpan={cols.length + 1}><div className="problem" role="alert">{err}</div></td></tr>}
    </>
  )
}
