package flopack

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/flowbench/flowbench/engine"
)

// TestRunImported runs every flow of the kernel-only templates (no
// connector, so no network) on the executor with an empty input: the
// imported flows must compile into plans, and a run may only fail inside a
// card (a missing input value), never on the flow's shape.
func TestRunImported(t *testing.T) {
	for _, name := range []string{"check_ip_addresses_against_a_cidr_range", "datetime_format_converter"} {
		res, err := Import(name, template1(t, name).data, registry(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		flows := engine.FlowMap{}
		for _, f := range res.Flows {
			flows[f.ID] = f
		}
		ex := engine.NewExecutor(flows, nil, nil)
		ran := 0
		for _, f := range res.Flows {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			x, err := ex.Run(ctx, f, map[string]any{}, engine.RunOptions{})
			cancel()
			ran += len(x.Cards)
			t.Logf("%s: flow %q: %s, %d cards, err=%v", name, f.Name, x.Status, len(x.Cards), err)
			if err == nil {
				continue
			}
			var ce *engine.CardError
			if !errors.As(err, &ce) || ce.Card == "" || strings.Contains(ce.Message, "unknown card type") || strings.Contains(ce.Message, "duplicate card id") {
				t.Errorf("%s: flow %s: %v", name, f.Name, err)
			}
		}
		if ran == 0 {
			t.Errorf("%s: no card ran", name)
		}
	}
}
