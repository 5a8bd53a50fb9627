import type { SubscriptionState } from '../api/types'
import { formatLocal } from '../model/trigger'

/** subscriptionText is what the trigger card says about the vendor webhook
 * subscription Flowbench made for the flow (never its secret). */
export function subscriptionText(sub: SubscriptionState): { text: string; bad: boolean } {
  if (sub.error) return { text: sub.error.charAt(0).toUpperCase() + sub.error.slice(1), bad: true }
  const until = sub.expires ? ` until ${formatLocal(sub.expires)}` : ''
  return { text: `Subscribed at ${sub.vendor}${until}`, bad: false }
}

/** SubscriptionLine shows a flow's vendor webhook subscription on its trigger card. */
export function SubscriptionLine({ sub }: { sub: SubscriptionState }) {
  const { text, bad } = subscriptionText(sub)
  return (
    <div className={`tdetail ${bad ? 'err' : ''}`} data-testid="trigger-subscription" data-subscribed={bad ? 'no' : 'yes'} role={bad ? 'alert' : undefined}>
      {text}
      {!bad && <div className="muted small">{[sub.resource, sub.expires && 'renewed before it expires', 'removed when the flow is switched off'].filter(Boolean).join(' · ')}</div>}
      {!bad && sub.id && <div className="muted small" title={sub.url}>Subscription {sub.id}</div>}
    </div>
  )
}
