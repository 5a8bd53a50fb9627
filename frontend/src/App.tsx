import { useCallback, useEffect, useRef } from 'react'
import { api } from './api/client'
import { go, useRoute } from './router'
import { Connections } from './views/Connections'
import { Designer } from './views/Designer'
import { History } from './views/History'
import { Home } from './views/Home'
import { Tables } from './views/Tables'
import { LeaveGuard } from './components/LeaveGuard'
import { EnvSwitch } from './components/Environments'

export function App() {
  const route = useRoute()
  const [page, arg] = route
  const opened = useRef(false)

  const homeRendered = useCallback(() => {
    void api.rendered('home')
    // FLOWBENCH_OPEN (desktop) opens a flow at start: an id, a name, or "seed"
    if (opened.current) return
    opened.current = true
    api.info().then(async (info) => {
      const want = info.open
      if (!want) return
      const flows = await api.listFlows()
      const f = flows.find((x) => x.id === want) ?? flows.find((x) => x.name.toLowerCase() === want.toLowerCase())
        ?? (want === 'seed' ? flows.find((x) => x.folder === 'Getting started') ?? flows[0] : undefined)
      go(`/flow/${f?.id ?? want}`)
    }).catch(() => undefined)
  }, [])
  const designerRendered = useCallback(() => void api.rendered('designer'), [])
  const historyRendered = useCallback(() => void api.rendered('execution'), [])

  useEffect(() => {
    document.title = page === 'flow' ? 'Flowbench — designer' : 'Flowbench'
  }, [page])

  const nav = (to: string, label: string, active: boolean) => (
    <a href={`#${to}`} className={active ? 'active' : ''} aria-current={active ? 'page' : undefined}>{label}</a>
  )
  return (
    <div className="app">
      <nav className="topnav" aria-label="Main">
        <span className="brand"><span className="logo" aria-hidden>fb</span> Flowbench</span>
        {nav('/', 'Flows', !page || page === 'flow')}
        {nav('/history', 'History', page === 'history' || page === 'execution')}
        {nav('/connections', 'Connections', page === 'connections')}
        {nav('/tables', 'Tables', page === 'tables')}
        <EnvSwitch />
      </nav>
      <main>
        {!page && <Home onRendered={homeRendered} />}
        {page === 'flow' && arg && <Designer key={arg} flowId={arg} onRendered={designerRendered} />}
        {page === 'execution' && arg && <Designer key={'x' + arg} executionId={arg} onRendered={historyRendered} />}
        {page === 'history' && <History key={arg ?? ''} flowId={arg} />}
        {page === 'connections' && <Connections />}
        {page === 'tables' && <Tables key={arg ?? ''} tableId={arg} />}
      </main>
      <LeaveGuard />
    </div>
  )
}
