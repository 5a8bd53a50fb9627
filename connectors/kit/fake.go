package kit

import (
	"errors"
	"github.com/flowbench/flowbench/connectors/fakeapi"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// Fake is an app's local fake (connectors/<app>/fake): a real HTTP server
// speaking the vendor's API, seeded with a small organization.
type Fake interface {
	http.Handler
	// Connection is a ready connection to the fake listening at base
	// (id SandboxID(app), the fake's well-known token).
	Connection(base string) *engine.Connection
	// SetFaults replaces the fault injection rules.
	SetFaults([]Fault)
}

// MultiFake is a fake that serves several connection kinds at once (one
// Microsoft 365 tenant for office365admin, office365mail, microsoftteams):
// the app stores every connection it returns (ids sandbox-<kind>).
type MultiFake interface {
	Fake
	Connections(base string) []*engine.Connection
}

// FakeFactory builds a fresh fake (fresh seed).
type FakeFactory func() (Fake, error)

// SandboxID is the id of the ready connection to an app's fake.
func SandboxID(app string) string { return "sandbox-" + app }

var (
	fakeMu sync.RWMutex
	fakes  = map[string]FakeFactory{}
)

// RegisterFake adds an app's fake (Register does it for a Connector with Fake).
func RegisterFake(app string, f FakeFactory) {
	fakeMu.Lock()
	fakes[app] = f
	fakeMu.Unlock()
}

// Fakes lists the apps that have a fake, sorted.
func Fakes() []string {
	fakeMu.RLock()
	defer fakeMu.RUnlock()
	out := make([]string, 0, len(fakes))
	for k := range fakes {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// NewFake builds the fake of an app.
func NewFake(app string) (Fake, error) {
	fakeMu.RLock()
	f, ok := fakes[app]
	fakeMu.RUnlock()
	if !ok {
		return nil, errors.New("no fake for app " + app + " (have: " + strings.Join(Fakes(), ", ") + ")")
	}
	return f()
}

// RunningFake is a fake listening on a loopback address.
type RunningFake struct {
	App  string
	Fake Fake
	URL  string
	srv  *http.Server
}

// Close stops the server.
func (r *RunningFake) Close() error { return r.srv.Close() }

// Connection is the ready connection to it.
func (r *RunningFake) Connection() *engine.Connection {
	c := r.Fake.Connection(r.URL)
	if c.ID == "" {
		c.ID = SandboxID(r.App)
	}
	return c
}

// Connections are every ready connection to it (a MultiFake's, else one).
func (r *RunningFake) Connections() []*engine.Connection {
	if m, ok := r.Fake.(MultiFake); ok {
		out := m.Connections(r.URL)
		for _, c := range out {
			if c.ID == "" {
				c.ID = SandboxID(c.Kind)
			}
		}
		return out
	}
	return []*engine.Connection{r.Connection()}
}

// StartFake builds an app's fake and serves it on addr ("127.0.0.1:0": any port).
func StartFake(app, addr string) (*RunningFake, error) {
	f, err := NewFake(app)
	if err != nil {
		return nil, err
	}
	return Serve(app, f, addr)
}

// Serve serves a fake on addr.
func Serve(app string, f Fake, addr string) (*RunningFake, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: f, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return &RunningFake{App: app, Fake: f, URL: "http://" + ln.Addr().String(), srv: srv}, nil
}

// Fault is a fault injection rule of a fake, the Okta sandbox's rules
// (connectors/fakeapi: a fake wraps its handler with fakeapi.Faults).
type Fault = fakeapi.Fault
