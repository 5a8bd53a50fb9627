import { useState } from 'react'
import { createPortal } from 'react-dom'
import { short } from './context'
import { Modal } from './Dialog'
import { copyText } from './TriggerStatus'
import { fullValueText, SHOWN_MAX } from '../model/recorded'

/** RecordedValue: a value History recorded for a card's input or output,
 * shortened on the card; a shortened one opens whole (pretty JSON, Copy) on
 * click or Enter — a card returning a big list is readable in History. */
export function RecordedValue({ value, testId, name }: { value: unknown; testId?: string; name?: string }) {
  const [open, setOpen] = useState(false)
  const text = short(value)
  const cut = text.endsWith('…')
  return (
    <>
      <div className={`recorded${cut ? ' recorded-cut nodrag' : ''}`} data-testid={testId}
        {...(cut ? {
          role: 'button', tabIndex: 0, title: 'Show the whole value', style: { cursor: 'pointer' },
          onClick: () => setOpen(true),
          onKeyDown: (e: React.KeyboardEvent) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); setOpen(true) } },
        } : {})}>
        {text}
      </div>
      {open && createPortal(<WholeValue value={value} name={name} onClose={() => setOpen(false)} />, document.body)}
    </>
  )
}

function WholeValue({ value, name, onClose }: { value: unknown; name?: string; onClose: () => void }) {
  const [note, setNote] = useState('')
  const { text, shown, size } = fullValueText(value)
  return (
    <Modal title={name ? `Recorded value — ${name}` : 'Recorded value'} onClose={onClose}>
      <p className="muted small" data-testid="whole-value-size">{size}{shown < text.length ? ` — the first ${SHOWN_MAX.toLocaleString()} characters are shown; Copy takes it all` : ''}</p>
      <textarea className="json-edit" rows={18} readOnly value={text.slice(0, shown)} aria-label="Whole value" spellCheck={false} />
      <div className="actions">
        {note && <span className="muted small" role="status">{note}</span>}
        <button onClick={async () => setNote((await copyText(text)) ? 'Copied' : 'Could not copy: select the text and copy it by hand')}>Copy</button>
        <button className="primary" onClick={onClose} autoFocus>Close</button>
      </div>
    </Modal>
  )
}
