import { useEffect, useRef, useState } from 'react'
import { checkDuration } from '../model/duration'

/** TimeoutField is Settings' timeout: text that is not a positive duration
 * says why and stays out of the flow (it failed every save and check). */
export function TimeoutField({ value, onChange }: { value: string; onChange: (v: string | undefined) => void }) {
  const [text, setText] = useState(value)
  const last = useRef(value)
  useEffect(() => {
    // undo/redo or a reload changed the flow: show its value
    if (value !== last.current) {
      last.current = value
      setText(value)
    }
  }, [value])
  const err = checkDuration(text)
  return (
    <label className="form-row"><span>Timeout (e.g. 30s, 5m)</span>
      <input value={text} placeholder="default" aria-invalid={!!err || undefined}
        onChange={(e) => {
          const v = e.target.value
          setText(v)
          if (!checkDuration(v)) {
            last.current = v.trim()
            onChange(v.trim() || undefined)
          }
        }} />
      {err && <span className="val-err" role="alert" data-testid="timeout-error">Timeout: {err}</span>}
    </label>
  )
}
