package google_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/google"
	"github.com/flowbench/flowbench/connectors/google/fake"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

type conns map[string]*engine.Connection

func (m conns) Connection(_ context.Context, id string) (*engine.Connection, error) {
	c, ok := m[id]
	if !ok {
		return nil, fmt.Errorf("no connection %q", id)
	}
	return c, nil
}

func TestNewMessagePolling(t *testing.T) {
	f := fake.New(fake.Config{})
	srv := httptest.NewServer(f)
	defer srv.Close()
	conn := f.Connection(srv.URL)
	v := validator(t)
	env := trigger.PollEnv{Connections: conns{conn.ID: conn}, Now: time.Now(),
		Services: map[string]any{"http": &validating{t: t, v: v, base: http.DefaultTransport}}}
	flow := &engine.Flow{ID: "f1", Trigger: engine.Card{ID: "trigger", Type: google.NewMessageCard, Connection: conn.ID,
		Inputs: []engine.Field{{Key: "Mailbox", Value: "alice.nguyen@example.com"}}}}
	p := trigger.ProviderFor(google.NewMessageCard)
	if p == nil || trigger.Classify(flow) != trigger.KindEvent || p.DefaultDelivery != trigger.DeliveryPoll {
		t.Fatal("New Message Received is not a polled event card")
	}
	// the first poll stores where the mailbox is; mail from before the flow
	// was turned on is not news, mail since then is caught up
	env.Since = time.Now().Add(-time.Second)
	_, _ = f.Deliver("alice.nguyen@example.com", "carol.okafor@example.com", "Early", "came before the first poll")
	res, err := p.Poll(context.Background(), env, flow, "")
	if err != nil || len(res.Events) != 1 || res.Events[0].Input["Subject"] != "Early" || res.Cursor == "" {
		t.Fatalf("first poll: %v %+v", err, res)
	}
	cursor := res.Cursor
	// mail arrives while Flowbench is closed: two messages, one sent by alice herself (SENT, not INBOX)
	id1, _ := f.Deliver("alice.nguyen@example.com", "Partner <pm@partner.example.net>", "Contract signed", "See attached.")
	id2, _ := f.Deliver("alice.nguyen@example.com", "bob.martinez@example.com", "Lunch?", "At noon")
	res, err = p.Poll(context.Background(), env, flow, cursor)
	if err != nil || len(res.Events) != 2 {
		t.Fatalf("catch-up poll: %v %+v", err, res)
	}
	e := res.Events[0]
	if e.ID != "gmail:alice.nguyen@example.com:"+id1 || e.Input["Subject"] != "Contract signed" || e.Input["From"] != "Partner <pm@partner.example.net>" ||
		e.Input["Body"] != "See attached.\r\n" || e.Input["From Address"] != "pm@partner.example.net" || e.Input["Mailbox"] != "alice.nguyen@example.com" {
		t.Errorf("event: %+v", e)
	}
	if res.Events[1].Input["Message ID"] != id2 {
		t.Errorf("second: %+v", res.Events[1])
	}
	// nothing new: no events, same place
	res2, err := p.Poll(context.Background(), env, flow, res.Cursor)
	if err != nil || len(res2.Events) != 0 {
		t.Errorf("idle poll: %v %+v", err, res2)
	}
	// a message in another mailbox is not alice's
	_, _ = f.Deliver("bob.martinez@example.com", "x@example.net", "hi", "")
	res3, _ := p.Poll(context.Background(), env, flow, res2.Cursor)
	if len(res3.Events) != 0 {
		t.Errorf("other mailbox leaked: %+v", res3.Events)
	}
	// an event starts a flow: the runtime adds the trigger's context
	ex, err := engine.NewExecutor(engine.FlowMap{}, conns{conn.ID: conn}, nil).Run(context.Background(), flow,
		map[string]any{"Subject": e.Input["Subject"], "From Address": e.Input["From Address"], "context": map[string]any{"execution_id": "x"}}, engine.RunOptions{})
	if err != nil || ex.Status != engine.StatusSuccess {
		t.Errorf("flow run with the event: %v %+v", err, ex.Error)
	}
	// the outputs are the card's declared outputs
	spec, _ := engine.Default().Card(google.NewMessageCard)
	for k := range e.Input {
		if spec.OutputSpec(k) == nil {
			t.Errorf("event field %q is not an output of the card", k)
		}
	}
}
