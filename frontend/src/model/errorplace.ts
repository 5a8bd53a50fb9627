// Where a run's error happened, in the words the canvas uses: the card's
// title and the input's label ("Add › number 1"), not the input's key ("a").
import type { CardError, Flow } from '../api/types'
import { cardTitle } from './problems'
import { inputFields, type SpecIndex } from './specs'
import { indexFlow } from './tree'

/** errorPlace names the card (withCard) and the input of err; '' when it names neither. */
export function errorPlace(err: CardError, flow: Flow | null, specs: SpecIndex, withCard: boolean): string {
  const here = flow && (!err.flow || err.flow === flow.id)
  const card = here && err.card ? indexFlow(flow).get(err.card === 'trigger' ? flow.trigger.id : err.card)?.card : undefined
  const title = card ? cardTitle(card, specs) : err.title || (err.type ? specs.get(err.type)?.title : undefined) || ''
  const spec = specs.get(card?.type ?? err.type ?? '')
  const label = !err.input ? '' : (card ? inputFields(card, spec).find((f) => f.key === err.input)?.label : spec?.inputs?.find((f) => f.key === err.input)?.label) || err.input
  return withCard ? [title, label].filter(Boolean).join(' › ') : label
}
