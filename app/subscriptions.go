package app

import (
	"context"
	"os"
	"strings"

	"github.com/flowbench/flowbench/connectors/kit"
)

// Vendor webhook subscriptions (engine/trigger/subscribe.go, made by the
// connectors through kit.Webhook.Subscribe) need the URL the vendor calls:
// for a connection to a local fake, the fakes' loopback event relay; for a
// real vendor, FLOWBENCH_PUBLIC_URL (a public https address that forwards
// to Flowbench: a tunnel, a reverse proxy), else the address serve is
// reached at (the kit refuses a loopback URL for a cloud vendor and the
// card says so).

// EnvPublicURL names the public base URL vendors send webhooks to.
const EnvPublicURL = "FLOWBENCH_PUBLIC_URL"

// webhookBase is the trigger runtime's Options.WebhookBase.
func webhookBase(a *App) func(provider, connection string) string {
	return func(provider, connection string) string {
		if fs, ok := a.Exec.Services["fakes"].(*fakeServer); ok && fs.relay != "" && connection != "" {
			if c, err := a.Store.Connection(context.Background(), connection); err == nil {
				if b, _ := c.Config[kit.CfgBaseURL].(string); b != "" {
					for _, r := range fs.running {
						if strings.HasPrefix(b, r.URL) {
							return fs.relay
						}
					}
				}
			}
		}
		return strings.TrimSuffix(strings.TrimSpace(os.Getenv(EnvPublicURL)), "/")
	}
}

// subscribes says whether an app's events come by subscriptions Flowbench
// makes itself (its fake then sends only to those).
func subscribes(app string) bool {
	c, ok := kit.Lookup(app)
	return ok && c.Webhook != nil && c.Webhook.Subscribe != nil
}
