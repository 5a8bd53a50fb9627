package pagerduty

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/connectors/kit/kittest"
	"github.com/flowbench/flowbench/connectors/pagerduty/fake"
	"github.com/flowbench/flowbench/engine"
)

func start(t *testing.T) (*kittest.Harness, *fake.Server) {
	v := kittest.SpecFile(t, "testdata/pagerduty-api.json", "/")
	f := fake.New(fake.Config{})
	h := kittest.Start(t, Connector, kittest.Options{Fake: f, Spec: v})
	h.Rec.Strict = true
	return h, f
}

func TestIncidentLifecycle(t *testing.T) {
	h, f := start(t)
	out := h.MustRun(NS+":createIncident", map[string]any{"Service Key": fake.DefaultServiceKey, "Event Type": "trigger",
		"Description": "Suspicious activity reported by alice.nguyen@example.com", "Client": "Okta", "Client URL": "https://sandbox.okta.com/admin"})
	key, _ := out["Incident Key"].(string)
	if key == "" {
		t.Fatalf("trigger: %v", out)
	}
	h.MustRun(NS+":createIncident", map[string]any{"Service Key": fake.DefaultServiceKey, "Event Type": "acknowledge", "Incident Key": key})
	incs := f.Incidents()
	if len(incs) != 1 || incs[0].Status != "acknowledged" || incs[0].Client != "Okta" {
		t.Fatalf("incidents: %+v", incs)
	}
	h.MustRun(NS+":createIncident", map[string]any{"Service Key": fake.DefaultServiceKey, "Event Type": "resolve", "Incident Key": key})
	if f.Incidents()[0].Status != "resolved" {
		t.Fatalf("resolve: %+v", f.Incidents())
	}
	out = h.MustRun(NS+":customApiAction", map[string]any{"requestType": "GET", "Relative URL": "/incidents"})
	list, _ := out["Body"].(map[string]any)["incidents"].([]any)
	if out["Status Code"] != float64(200) || len(list) != 1 {
		t.Fatalf("custom API: %v", out)
	}
}

func TestEventErrors(t *testing.T) {
	h, _ := start(t)
	_, _, err := h.Run(NS+":createIncident", map[string]any{"Service Key": "0000", "Event Type": "trigger", "Description": "x"})
	var he *engine.HTTPError
	if !errors.As(err, &he) || he.Status != 400 || !strings.Contains(he.Summary, "service_key") {
		t.Fatalf("unknown service key: %v", err)
	}
	_, _, err = h.Run(NS+":createIncident", map[string]any{"Service Key": fake.DefaultServiceKey, "Event Type": "resolve"})
	if err == nil || !strings.Contains(err.Error(), "Incident Key") {
		t.Fatalf("resolve without a key must name the field: %v", err)
	}
	_, _, err = h.Run(NS+":createIncident", map[string]any{"Service Key": fake.DefaultServiceKey, "Event Type": "trigger"})
	if err == nil || !strings.Contains(err.Error(), "Description") {
		t.Fatalf("trigger without a description must name the field: %v", err)
	}
}

func TestLadder(t *testing.T) {
	h, f := start(t)
	if rep := Connector.TestWith(context.Background(), h.Conn, kit.ClientOptions{}); !rep.OK {
		t.Fatalf("ladder: %+v", rep)
	}
	f.Revoke()
	rep := Connector.TestWith(context.Background(), h.Conn, kit.ClientOptions{})
	last := rep.Steps[len(rep.Steps)-1]
	if rep.OK || last.Status != 401 || !strings.Contains(last.Hint, "API Access Keys") {
		t.Fatalf("revoked key: %+v", rep)
	}
}

// hostRouter sends every request to the fake, whatever its host, and notes
// the host it was meant for with the Authorization it carried.
type hostRouter struct {
	to   string
	seen *[][2]string
}

func (h hostRouter) RoundTrip(req *http.Request) (*http.Response, error) {
	*h.seen = append(*h.seen, [2]string{req.URL.Host, req.Header.Get("Authorization")})
	r := req.Clone(req.Context())
	u, _ := url.Parse(h.to)
	r.URL.Scheme, r.URL.Host, r.Host = u.Scheme, u.Host, u.Host
	return http.DefaultTransport.RoundTrip(r)
}

// TestEventsGetNoRESTKey: with the real hosts, Create Incident posts to
// events.pagerduty.com without the REST API key (another origin).
func TestEventsGetNoRESTKey(t *testing.T) {
	h, f := start(t)
	var seen [][2]string
	h.Rec.Validator = nil
	h.Rec.Base = hostRouter{to: h.URL, seen: &seen}
	delete(h.Conn.Config, kit.CfgBaseURL)
	h.MustRun(NS+":createIncident", map[string]any{"Service Key": fake.DefaultServiceKey, "Description": "x"})
	h.MustRun(NS+":customApiAction", map[string]any{"Relative URL": "/services"})
	want := [][2]string{{"events.pagerduty.com", ""}, {"api.pagerduty.com", "Token token=" + fake.DefaultAPIKey}}
	if len(seen) != 2 || seen[0] != want[0] || seen[1] != want[1] || len(f.Incidents()) != 1 {
		t.Fatalf("requests (host, Authorization): %v, incidents %v", seen, f.Incidents())
	}
}
