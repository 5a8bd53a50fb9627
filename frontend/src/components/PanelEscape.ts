import { useEffect, useRef } from 'react'

/**
 * usePanelEscape closes the designer's side panel (Run, Settings, Problems,
 * Versions) on Escape and gives the focus back to what had it when the panel
 * opened (the toolbar button). Escape is left to whoever else wants it: a
 * dialog or menu, a card's test pop-up, an input on the canvas or in the
 * toolbar (Find in flow clears itself); inside the panel it closes the panel.
 */
export function usePanelEscape(open: string, close: () => void) {
  const opener = useRef<HTMLElement | null>(null)
  const closeRef = useRef(close)
  closeRef.current = close
  useEffect(() => {
    if (!open) return
    const before = document.activeElement
    opener.current = before instanceof HTMLElement && before !== document.body ? before : null
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return
      const tgt = e.target instanceof HTMLElement ? e.target : null
      if (document.querySelector('dialog[open]') || tgt?.closest('dialog, [role="dialog"], [role="menu"], [role="listbox"]')) return
      const inPanel = !!tgt?.closest('.side-panel')
      const typing = !!tgt?.closest('input, textarea, select, [contenteditable]')
      if (!inPanel && typing) return
      e.preventDefault()
      const back = opener.current
      closeRef.current()
      if (back?.isConnected) back.focus()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [open])
}
