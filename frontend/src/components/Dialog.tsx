import { useEffect, useRef, useState, type ReactNode } from 'react'

/** Modal is a native <dialog>: focus trap, Escape to close. */
export function Modal({ title, children, onClose }: { title: string; children: ReactNode; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
  }, [])
  return (
    <dialog ref={ref} className="modal" aria-label={title} onClose={onClose} onCancel={onClose}>
      <h2>{title}</h2>
      {children}
    </dialog>
  )
}

export function Confirm({ title, message, action = 'Delete', onYes, onNo }: { title: string; message: string; action?: string; onYes: () => void; onNo: () => void }) {
  return (
    <Modal title={title} onClose={onNo}>
      <p>{message}</p>
      <div className="actions">
        <button onClick={onNo} autoFocus>Cancel</button>
        <button className="danger" onClick={onYes}>{action}</button>
      </div>
    </Modal>
  )
}

export function Prompt({ title, label, initial = '', extra, action = 'OK', onOk, onCancel }: {
  title: string; label: string; initial?: string; extra?: { label: string; initial: string }; action?: string
  onOk: (v: string, extra: string) => void; onCancel: () => void
}) {
  const [v, setV] = useState(initial)
  const [x, setX] = useState(extra?.initial ?? '')
  return (
    <Modal title={title} onClose={onCancel}>
      <form method="dialog" onSubmit={(e) => { e.preventDefault(); if (v.trim()) onOk(v.trim(), x.trim()) }}>
        <label className="form-row"><span>{label}</span><input autoFocus value={v} onChange={(e) => setV(e.target.value)} aria-label={label} /></label>
        {extra && <label className="form-row"><span>{extra.label}</span><input value={x} onChange={(e) => setX(e.target.value)} aria-label={extra.label} /></label>}
        <div className="actions">
          <button type="button" onClick={onCancel}>Cancel</button>
          <button type="submit" className="primary" disabled={!v.trim()}>{action}</button>
        </div>
      </form>
    </Modal>
  )
}

/** download saves text as a file: an <a download> in browsers; in the Wails
 * window (no downloads) it shows the JSON to copy instead. */
export function download(name: string, text: string, showText: (name: string, text: string) => void) {
  if (window.go?.app?.App) {
    showText(name, text)
    return
  }
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

export function TextModal({ name, text, onClose }: { name: string; text: string; onClose: () => void }) {
  return (
    <Modal title={name} onClose={onClose}>
      <p className="muted">Copy this {name.toLowerCase().endsWith('.csv') ? 'CSV' : 'JSON'} and save it as <code>{name}</code>.</p>
      <textarea className="json-edit" rows={16} readOnly value={text} aria-label="Exported JSON" onFocus={(e) => e.target.select()} />
      <div className="actions">
        <button onClick={() => navigator.clipboard?.writeText(text).catch(() => undefined)}>Copy</button>
        <button className="primary" onClick={onClose}>Close</button>
      </div>
    </Modal>
  )
}
