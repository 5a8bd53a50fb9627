import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import '@xyflow/react/dist/style.css'
import './styles.css'
import { api, captureToken } from './api/client'
import { App } from './App'
import { setDraftScope } from './store/drafts'

captureToken()
// unsaved drafts are kept per data folder: learn which one before any view reads them
// (never waiting more than 3 s for the answer)
const folder = Promise.race([api.info().then((i) => i.dataDir ?? ''), new Promise<string>((_, no) => setTimeout(() => no(new Error('no answer')), 3000))])
void folder.then(setDraftScope).catch(() => undefined).finally(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
})
