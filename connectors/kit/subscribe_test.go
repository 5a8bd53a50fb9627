package kit

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

func TestLoopback(t *testing.T) {
	cases := map[string]bool{
		"http://127.0.0.1:4312/webhooks/x/f": true, "http://localhost:80/": true, "http://[::1]:9/": true,
		"http://192.168.1.20/": true, "http://10.0.0.5/": true, "http://app.localhost/": true,
		"https://flows.example.com/webhooks/x/f": false, "https://graph.microsoft.com/v1.0": false, "https://8.8.8.8/": false,
	}
	for u, want := range cases {
		if got := Loopback(u); got != want {
			t.Errorf("Loopback(%s) = %v, want %v", u, got, want)
		}
	}
}

// TestAuthenticateWithSubscriptions: a delivery is checked with the
// connection's secret, then with each subscription secret standing for it;
// the connection is not changed.
func TestAuthenticateWithSubscriptions(t *testing.T) {
	wh := &Webhook{Subscribe: &Subscriptions{SecretKey: "hookSecret"},
		Authenticate: func(conn *engine.Connection, r *http.Request, _ []byte, _ time.Time) error {
			if conn.Secrets["hookSecret"] != "" && r.Header.Get("X-Secret") == conn.Secrets["hookSecret"] {
				return nil
			}
			return errors.New("signature does not match")
		}}
	conn := &engine.Connection{ID: "c", Secrets: map[string]string{"hookSecret": "conn-secret"}}
	cases := []struct {
		header string
		subs   []string
		ok     bool
	}{
		{"conn-secret", nil, true},
		{"sub-b", []string{"sub-a", "sub-b"}, true},
		{"sub-c", []string{"sub-a", "sub-b"}, false},
		{"", []string{"sub-a"}, false},
	}
	for _, c := range cases {
		r, _ := http.NewRequest("POST", "http://x/webhooks/app/f", nil)
		r.Header.Set("X-Secret", c.header)
		ctx := trigger.WithSubscriptionSecrets(context.Background(), c.subs)
		err := authenticateWithSubscriptions(ctx, wh, conn, r, nil, time.Now())
		if (err == nil) != c.ok {
			t.Errorf("%q with %v: %v", c.header, c.subs, err)
		}
	}
	if conn.Secrets["hookSecret"] != "conn-secret" {
		t.Fatalf("the connection was changed: %v", conn.Secrets)
	}
}
