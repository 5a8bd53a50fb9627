import { useEffect, useRef, useState } from 'react'
import { editorFor, formatInput, parseInput } from '../model/forms'
import type { NType } from '../model/types'
import type { Choice } from '../api/types'

interface Props {
  type: NType
  value: unknown
  choices?: Choice[]
  disabled?: boolean
  label: string
  id?: string
  onChange: (v: unknown) => void
  placeholder?: string
  /** told the edit-time error of the text ('' when it is fine again); the
   * value keeps its last good state, so the error must block runs */
  onError?: (msg: string) => void
}

/** ValueEditor is the static-value editor of one input, chosen by its type. */
export function ValueEditor({ type, value, choices, disabled, label, id, onChange, placeholder, onError }: Props) {
  const kind = editorFor(type, { choices: !!choices?.length })
  const [text, setText] = useState(formatInput(kind, value))
  const [err, setErrState] = useState('')
  const report = useRef(onError)
  report.current = onError
  const setErr = (m: string) => {
    setErrState(m)
    report.current?.(m ? `${m}: “${textRef.current}” is not used` : '')
  }
  const textRef = useRef(text)
  textRef.current = text
  // an editor that goes away (card deleted or collapsed) takes its error with it
  useEffect(() => () => report.current?.(''), [])
  useEffect(() => {
    // keep what the person is typing ("1." while typing 1.5) when it means the same value
    setText((cur) => {
      const r = parseInput(kind, cur)
      return r.ok && JSON.stringify(r.value) === JSON.stringify(value) ? cur : formatInput(kind, value)
    })
  }, [value, kind])

  const commit = (t: string) => {
    textRef.current = t
    const r = parseInput(kind, t)
    if (!r.ok) {
      setErr(r.error)
      return
    }
    setErr('')
    if (JSON.stringify(r.value) !== JSON.stringify(value)) onChange(r.value)
  }
  const common = { id, 'aria-label': label, disabled, className: 'nodrag nopan nowheel val', 'aria-invalid': !!err || undefined }
  // an unset dropdown shows what applies: the field's default (passed as placeholder)
  const defaultChoice = placeholder === undefined ? undefined : choices?.find((c) => String(c.value) === placeholder)
  const unset = defaultChoice ? `— default: ${defaultChoice.label || String(defaultChoice.value)}` : placeholder === 'true' || placeholder === 'false' ? `— default: ${placeholder}` : '—'

  switch (kind) {
    case 'boolean':
      return (
        <select {...common} value={value === true ? 'true' : value === false ? 'false' : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value === 'true')}>
          <option value="">{unset}</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      )
    case 'choice':
      return (
        <select {...common} value={value === undefined ? '' : JSON.stringify(value)} onChange={(e) => onChange(e.target.value === '' ? undefined : JSON.parse(e.target.value))}>
          <option value="">{unset}</option>
          {choices!.map((c) => (
            <option key={JSON.stringify(c.value)} value={JSON.stringify(c.value)}>{c.label || String(c.value)}</option>
          ))}
        </select>
      )
    case 'number':
      return (
        <>
          <input {...common} type="text" inputMode="decimal" value={text} placeholder={placeholder ?? '0'}
            onChange={(e) => { setText(e.target.value); commit(e.target.value) }} />
          {err && <span className="val-err" role="alert">{err}</span>}
        </>
      )
    case 'date':
      return (
        <>
          <input {...common} type="datetime-local" value={text}
            onChange={(e) => { setText(e.target.value); commit(e.target.value) }}
            onBlur={(e) => { if (e.target.validity.badInput) setErr('not a date') }} />
          {err && <span className="val-err" role="alert">{err}</span>}
        </>
      )
    case 'list':
    case 'object':
    case 'json':
    case 'longtext':
      return (
        <>
          <textarea {...common} rows={kind === 'longtext' ? 3 : 2} value={text} spellCheck={false}
            placeholder={placeholder ?? (kind === 'list' ? '["a", "b"]' : kind === 'object' ? '{"key": "value"}' : '')}
            onChange={(e) => { setText(e.target.value); if (kind === 'longtext') commit(e.target.value) }}
            onBlur={(e) => commit(e.target.value)} />
          {err && <span className="val-err" role="alert">{err}</span>}
        </>
      )
    default:
      return (
        <input {...common} type="text" value={text} placeholder={placeholder}
          onChange={(e) => { setText(e.target.value); commit(e.target.value) }} />
      )
  }
}
