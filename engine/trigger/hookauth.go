package trigger

// hookSecret returns a connection hook's secret without creating it, and
// false when no switched-on flow of that provider listens on the
// connection. A request that fails authentication writes nothing: the old
// lookup created a secret for any connection id named in the URL, so
// unauthenticated requests filled the store.
func (r *Runtime) hookSecret(p *EventProvider, conn string) (string, bool) {
	listening := false
	r.mu.RLock()
	for _, a := range r.active {
		if a.kind == KindEvent && a.provider == p && a.delivery == DeliveryHook && a.flow.Trigger.Connection == conn {
			listening = true
			break
		}
	}
	r.mu.RUnlock()
	if !listening {
		return "", false
	}
	v, ok := r.get(secretKey(connSecretID(conn), "hook"))
	if !ok || v == "" {
		// not created yet: no one has been shown it, so nothing can match
		return "\x00unset", true
	}
	return v, true
}
