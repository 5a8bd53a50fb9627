package trigger

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/flowbench/flowbench/engine"
)

// Vendor webhook subscriptions. An event provider whose vendor sends events
// only to URLs registered through its API (Microsoft Graph subscriptions,
// GitHub repository hooks, Jira webhooks) declares a Subscriber: when a
// flow with one of its event cards is switched on (delivery "hook") the
// runtime subscribes this flow's webhook URL, /webhooks/{provider}/{flowID};
// switching it off, deleting it or changing its card or connection removes
// the subscription (and makes the new one); subscriptions with an expiry
// are renewed before it. The subscription (vendor id, secret, expiry) is
// kept in Badger under trg/sub/{flowID}, so a restart neither subscribes
// twice nor loses track of one. The runtime knows no vendor: connectors
// implement the Subscriber (connectors/kit: Webhook.Subscribe).

// Subscriber creates, renews and removes a flow's subscription at the vendor.
type Subscriber struct {
	// Vendor names where the subscription lives ("Microsoft Graph").
	Vendor string
	// Subscribe creates the subscription of flow f for env.URL.
	Subscribe func(ctx context.Context, env SubscribeEnv, f *engine.Flow) (*Subscription, error)
	// Unsubscribe removes it (a subscription the vendor no longer has is
	// not an error).
	Unsubscribe func(ctx context.Context, env SubscribeEnv, sub *Subscription) error
	// Renew moves its expiry (nil: subscriptions do not expire); it returns
	// the renewed subscription.
	Renew func(ctx context.Context, env SubscribeEnv, f *engine.Flow, sub *Subscription) (*Subscription, error)
	// Exists asks the vendor whether a stored subscription is still there
	// (the first time a flow is synced after a start: an admin or the
	// vendor may have removed it meanwhile); nil: assumed.
	Exists func(ctx context.Context, env SubscribeEnv, sub *Subscription) (bool, error)
}

// SubscribeEnv is what a Subscriber gets.
type SubscribeEnv struct {
	Connections engine.ConnectionSource
	Services    map[string]any
	Now         time.Time
	// URL is the notification URL of the flow (its signed-webhook route).
	URL string
}

// Subscription is a vendor subscription made for a flow, as stored.
type Subscription struct {
	Vendor     string `json:"vendor"`
	ID         string `json:"id"` // the vendor's id
	Connection string `json:"connection"`
	CardType   string `json:"cardType"`
	URL        string `json:"url"`
	// Resource says what is watched ("users: created"), for the card.
	Resource string `json:"resource,omitempty"`
	// Secret signs or accompanies the vendor's deliveries (Graph's
	// clientState, a hook secret); never shown.
	Secret  string    `json:"secret,omitempty"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires,omitzero"`
	// RenewAt is when the runtime renews it (before Expires).
	RenewAt time.Time `json:"renewAt,omitzero"`
	// Key is what the subscription was made for (the card's options): a
	// change subscribes anew.
	Key  string         `json:"key,omitempty"`
	Data map[string]any `json:"data,omitempty"`
}

// SubscriptionState is what a trigger card shows about its subscription
// (no secret).
type SubscriptionState struct {
	Vendor   string     `json:"vendor"`
	ID       string     `json:"id,omitempty"`
	URL      string     `json:"url,omitempty"`
	Resource string     `json:"resource,omitempty"`
	Created  *time.Time `json:"created,omitempty"`
	Expires  *time.Time `json:"expires,omitempty"`
	Error    string     `json:"error,omitempty"`
}

type subSecretsCtx struct{}

// WithSubscriptionSecrets is ctx carrying the subscription secrets a
// delivery may be signed with (the signed-hook route sets it).
func WithSubscriptionSecrets(ctx context.Context, secrets []string) context.Context {
	return context.WithValue(ctx, subSecretsCtx{}, secrets)
}

// SubscriptionSecrets are the secrets of the subscriptions of the flows a
// signed delivery is for (in the context SignedHook.Authenticate gets): a
// delivery carrying one of them is from a subscription Flowbench made.
func SubscriptionSecrets(ctx context.Context) []string {
	s, _ := ctx.Value(subSecretsCtx{}).([]string)
	return s
}

// subs is the runtime's subscription bookkeeping.
type subs struct {
	mu      sync.Mutex // one reconciliation at a time
	errMu   sync.Mutex
	errs    map[string]string // flow → last subscribe error
	loop    sync.Once
	timeout time.Duration
	checked map[string]bool // flows whose stored subscription was checked at the vendor since the start
}

func subKey(flow string) []byte { return []byte("trg/sub/" + flow) }

// Subscription returns a flow's stored subscription (nil: none).
func (r *Runtime) Subscription(flowID string) *Subscription {
	v, ok := r.get(subKey(flowID))
	if !ok {
		return nil
	}
	var s Subscription
	if json.Unmarshal([]byte(v), &s) != nil {
		return nil
	}
	return &s
}

func (r *Runtime) putSubscription(flowID string, s *Subscription) error {
	b, _ := json.Marshal(s)
	return r.update(func(txn *badger.Txn) error { return txn.Set(subKey(flowID), b) })
}

func (r *Runtime) subErr(flowID, msg string) {
	r.subs.errMu.Lock()
	if r.subs.errs == nil {
		r.subs.errs = map[string]string{}
	}
	if msg == "" {
		delete(r.subs.errs, flowID)
	} else {
		r.subs.errs[flowID] = msg
	}
	r.subs.errMu.Unlock()
}

func (r *Runtime) subEnv(u string) SubscribeEnv {
	return SubscribeEnv{Connections: r.exec.Connections, Services: r.exec.Services, Now: r.clk.Now(), URL: u}
}

func (r *Runtime) subCtx() (context.Context, context.CancelFunc) {
	d := r.subs.timeout
	if d <= 0 {
		d = 30 * time.Second
	}
	base := r.ctx
	if base == nil {
		base = context.Background()
	}
	return context.WithTimeout(base, d)
}

// webhookURL is the notification URL of a flow ("" when the runtime does
// not know where it is reached).
func (r *Runtime) webhookURL(provider string, f *engine.Flow) string {
	base := ""
	if r.opt.WebhookBase != nil {
		base = r.opt.WebhookBase(provider, f.Trigger.Connection)
	}
	if base == "" && r.opt.BaseURL != nil {
		base = r.opt.BaseURL()
	}
	if base == "" {
		return ""
	}
	return strings.TrimSuffix(base, "/") + "/webhooks/" + provider + "/" + url.PathEscape(f.ID)
}

// reconcileSubscription brings a flow's vendor subscription in line with
// its listener a (nil: off): subscribe, keep, replace or remove.
func (r *Runtime) reconcileSubscription(f *engine.Flow, a *active) {
	r.subs.mu.Lock()
	defer r.subs.mu.Unlock()
	old := r.Subscription(f.ID)
	var sb *Subscriber
	if a != nil && a.kind == KindEvent && a.delivery == DeliveryHook && a.provider != nil {
		sb = a.provider.Subscriber
	}
	if sb == nil {
		r.subErr(f.ID, "")
		if old != nil {
			r.removeSubscription(f.ID, old)
		}
		return
	}
	u := r.webhookURL(a.provider.Name, f)
	key := subscriptionKey(f)
	live := old != nil && (old.Expires.IsZero() || r.clk.Now().Before(old.Expires)) // an expired one is gone at the vendor
	same := live && old.URL == u && old.Connection == f.Trigger.Connection && old.CardType == f.Trigger.Type && old.Key == key
	if same && sb.Exists != nil && !r.subs.checked[f.ID] {
		ctx, cancel := r.subCtx()
		ok, err := sb.Exists(ctx, r.subEnv(u), old)
		cancel()
		if err == nil {
			if r.subs.checked == nil {
				r.subs.checked = map[string]bool{}
			}
			r.subs.checked[f.ID] = true
			if !ok {
				r.opt.Logf("triggers: flow %q: the %s subscription %s is gone: subscribing again", f.Name, sb.Vendor, old.ID)
				_ = r.update(func(txn *badger.Txn) error { return txn.Delete(subKey(f.ID)) })
				old, same = nil, false
			}
		}
	}
	if same {
		r.subErr(f.ID, "")
		r.startRenewals()
		return // still the one this flow needs (a restart, an edit elsewhere)
	}
	if old != nil {
		r.removeSubscription(f.ID, old)
	}
	if u == "" {
		r.subErr(f.ID, "not subscribed at "+sb.Vendor+": Flowbench does not know an address "+sb.Vendor+" can reach; set FLOWBENCH_PUBLIC_URL to its public https address")
		return
	}
	if f.Trigger.Connection == "" {
		r.subErr(f.ID, "not subscribed at "+sb.Vendor+": choose a connection on the event card")
		return
	}
	ctx, cancel := r.subCtx()
	defer cancel()
	s, err := sb.Subscribe(ctx, r.subEnv(u), f)
	if err != nil {
		r.subErr(f.ID, "not subscribed at "+sb.Vendor+": "+err.Error())
		r.opt.Logf("triggers: flow %q: subscribing at %s: %v", f.Name, sb.Vendor, err)
		return
	}
	s.Vendor, s.Connection, s.CardType, s.URL, s.Key = sb.Vendor, f.Trigger.Connection, f.Trigger.Type, u, key
	if s.Created.IsZero() {
		s.Created = r.clk.Now().UTC()
	}
	if err := r.putSubscription(f.ID, s); err != nil {
		r.subErr(f.ID, "subscribed at "+sb.Vendor+" but could not store it: "+err.Error())
		return
	}
	if r.subs.checked == nil {
		r.subs.checked = map[string]bool{}
	}
	r.subs.checked[f.ID] = true
	r.subErr(f.ID, "")
	r.startRenewals()
}

// subscriptionKey is what a subscription depends on besides card type and
// connection: the card's static inputs.
func subscriptionKey(f *engine.Flow) string {
	m := map[string]any{}
	for _, in := range f.Trigger.Inputs {
		if in.Value != nil {
			m[in.Key] = in.Value
		}
	}
	if len(m) == 0 {
		return ""
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// removeSubscription deletes the vendor's subscription and the stored one.
// A vendor that cannot be reached leaves it stored with the error shown, so
// the next switch retries.
func (r *Runtime) removeSubscription(flowID string, s *Subscription) {
	var sb *Subscriber
	if p := ProviderFor(s.CardType); p != nil {
		sb = p.Subscriber
	}
	if sb != nil && sb.Unsubscribe != nil {
		ctx, cancel := r.subCtx()
		err := sb.Unsubscribe(ctx, r.subEnv(s.URL), s)
		cancel()
		if err != nil {
			r.subErr(flowID, "could not remove the subscription at "+s.Vendor+": "+err.Error())
			r.opt.Logf("triggers: flow %s: removing the %s subscription %s: %v", flowID, s.Vendor, s.ID, err)
		}
	}
	_ = r.update(func(txn *badger.Txn) error { return txn.Delete(subKey(flowID)) })
}

// startRenewals starts the renewal loop once a subscription exists.
func (r *Runtime) startRenewals() {
	if r.ctx == nil {
		return
	}
	r.subs.loop.Do(func() {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			for {
				select {
				case <-r.ctx.Done():
					return
				case <-r.clk.After(time.Minute):
					r.RenewSubscriptions()
				}
			}
		}()
	})
}

// RenewSubscriptions renews every switched-on flow's subscription whose
// renewal time has come (the loop calls it each minute; tests call it).
func (r *Runtime) RenewSubscriptions() {
	r.mu.RLock()
	var flows []*active
	for _, a := range r.active {
		if a.kind == KindEvent && a.delivery == DeliveryHook && a.provider != nil && a.provider.Subscriber != nil {
			flows = append(flows, a)
		}
	}
	r.mu.RUnlock()
	now := r.clk.Now()
	for _, a := range flows {
		r.subs.mu.Lock()
		s := r.Subscription(a.flow.ID)
		sb := a.provider.Subscriber
		if s == nil || s.RenewAt.IsZero() || now.Before(s.RenewAt) {
			r.subs.mu.Unlock()
			continue
		}
		ctx, cancel := r.subCtx()
		var ns *Subscription
		var err error
		if sb.Renew != nil {
			ns, err = sb.Renew(ctx, r.subEnv(s.URL), a.flow, s)
		} else {
			err = errors.New("it cannot be renewed")
		}
		cancel()
		if err != nil {
			r.subErr(a.flow.ID, "could not renew the subscription at "+sb.Vendor+": "+err.Error())
			r.opt.Logf("triggers: flow %q: renewing the %s subscription: %v", a.flow.Name, sb.Vendor, err)
			r.subs.mu.Unlock()
			if !s.Expires.IsZero() && !now.Before(s.Expires) {
				r.reconcileSubscription(a.flow, a) // expired meanwhile: subscribe anew
			}
			continue
		}
		ns.Vendor, ns.Connection, ns.CardType, ns.URL, ns.Key = s.Vendor, s.Connection, s.CardType, s.URL, s.Key
		if ns.Created.IsZero() {
			ns.Created = s.Created
		}
		if err := r.putSubscription(a.flow.ID, ns); err == nil {
			r.subErr(a.flow.ID, "")
		}
		r.subs.mu.Unlock()
	}
}

// SubscriptionStatus is a flow's subscription as its card shows it (nil:
// its trigger subscribes nowhere).
func (r *Runtime) SubscriptionStatus(f *engine.Flow) *SubscriptionState {
	p := ProviderFor(f.Trigger.Type)
	s := r.Subscription(f.ID)
	r.subs.errMu.Lock()
	msg := r.subs.errs[f.ID]
	r.subs.errMu.Unlock()
	if s == nil && msg == "" {
		return nil
	}
	out := &SubscriptionState{Error: msg}
	if p != nil && p.Subscriber != nil {
		out.Vendor = p.Subscriber.Vendor
	}
	if s != nil {
		out.Vendor, out.ID, out.URL, out.Resource = s.Vendor, s.ID, s.URL, s.Resource
		c := s.Created
		out.Created = &c
		if !s.Expires.IsZero() {
			e := s.Expires
			out.Expires = &e
		}
	}
	return out
}

// subscriptionSecrets are the stored subscription secrets of flows.
func (r *Runtime) subscriptionSecrets(flows []*active) []string {
	var out []string
	for _, a := range flows {
		if s := r.Subscription(a.flow.ID); s != nil && s.Secret != "" {
			out = append(out, s.Secret)
		}
	}
	return out
}

// Listening says whether the runtime has started (its listeners may be
// setting up) and not stopped.
func (r *Runtime) Listening() bool { return r.started.Load() && !r.stopped.Load() }

// removeOrphanSubscriptions removes the subscriptions of flows that no
// longer exist (deleted while the runtime was not running).
func (r *Runtime) removeOrphanSubscriptions(flows []*engine.Flow) {
	have := make(map[string]bool, len(flows))
	for _, f := range flows {
		have[f.ID] = true
	}
	orphans := map[string]*Subscription{}
	_ = r.st.DB().View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, Prefix: []byte("trg/sub/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			id := strings.TrimPrefix(string(it.Item().Key()), "trg/sub/")
			if have[id] {
				continue
			}
			_ = it.Item().Value(func(v []byte) error {
				var s Subscription
				if json.Unmarshal(v, &s) == nil {
					orphans[id] = &s
				}
				return nil
			})
		}
		return nil
	})
	r.subs.mu.Lock()
	defer r.subs.mu.Unlock()
	for id, s := range orphans {
		r.removeSubscription(id, s)
	}
}
