package app

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

// TestFakesInProcess: with the sandbox, every registered app fake runs
// in-process with its ready connection, and the Run panel's sample for an
// app's event card comes from the connector.
func TestFakesInProcess(t *testing.T) {
	dir := t.TempDir()
	a, err := Open(t.Context(), Options{DataDir: dir, Out: &bytes.Buffer{}, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	r, ok := Fakes(a)["slack"]
	if !ok {
		t.Fatal("no Slack fake running")
	}
	c, err := a.Store.Connection(t.Context(), "sandbox-slack")
	if err != nil || c.Config["baseUrl"] != r.URL {
		t.Fatalf("ready connection %+v: %v", c, err)
	}
	if _, err := a.Store.Connection(t.Context(), "sandbox-slackadmin"); err != nil {
		t.Fatalf("the Slack fake's admin connection: %v", err)
	}
	req, _ := http.NewRequest("POST", r.URL+"/api/auth.test", nil)
	req.Header.Set("Authorization", "Bearer "+c.Secrets["apiToken"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var at map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&at)
	resp.Body.Close()
	if at["ok"] != true {
		t.Fatalf("the ready connection's token on the fake: %v", at)
	}
	fn := SampleInputs["slack.event.channelCreated"]
	if fn == nil || fn(nil)["Channel Name"] != "it-ops" {
		t.Fatal("no sample for Slack's New Channel Created")
	}
	addr := r.URL
	a.close()

	// the next start keeps the fake's address (flows and connections keep working)
	b, err := Open(t.Context(), Options{DataDir: dir, Out: &bytes.Buffer{}, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	if got := Fakes(b)["slack"].URL; got != addr {
		t.Errorf("address moved from %s to %s", addr, got)
	}
}
