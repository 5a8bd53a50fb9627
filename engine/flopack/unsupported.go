package flopack

import (
	"context"
	"fmt"
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// Unsupported is the card type of Okta cards that have no native
// implementation yet. The card keeps its title, fields and wiring, and its
// original JSON in Origin.Raw.
const Unsupported = "unsupported"

func init() { engine.Register(UnsupportedSpec()) }

// UnsupportedSpec is the spec of the "unsupported" card type; register it
// in registries other than engine.Default() that load imported flows.
func UnsupportedSpec() *engine.Spec {
	return &engine.Spec{
		ID: Unsupported, Title: "Unsupported card", Category: "Unsupported", Kind: engine.KindAction,
		ExtensibleInputs: true, ExtensibleOutputs: true,
		Description: "An imported Okta Workflows card that Flowbench does not implement yet. " +
			"It keeps the original card (title, fields, wiring and JSON) so nothing is lost; running it fails.",
		Run: func(_ context.Context, in engine.Inputs) (engine.Outputs, error) {
			return nil, fmt.Errorf("%s is not supported by Flowbench yet", UnsupportedName(in.Card))
		},
	}
}

// OktaKind is the Okta kind (module:method) of an imported card, from its
// Origin address; the card type otherwise.
func OktaKind(c *engine.Card) string {
	if c == nil {
		return "?"
	}
	if c.Origin != nil && c.Origin.Address != "" {
		m := &method{address: c.Origin.Address}
		if m.parseAddress() == nil {
			return m.kind
		}
		a := strings.Split(c.Origin.Address, ":")
		if len(a) >= 2 {
			return a[len(a)-2] + ":" + a[len(a)-1]
		}
		return c.Origin.Address
	}
	return c.Type
}

// UnsupportedName names an unsupported card as a person knows it: its app
// and Okta title ("Salesforce card \"Create Record\""), never its address.
func UnsupportedName(c *engine.Card) string {
	if c == nil {
		return "card"
	}
	app := ""
	if c.Origin != nil {
		app = c.Origin.App
		if app == "" && c.Origin.Address != "" {
			app = AppOfAddress(c.Origin.Address)
		}
	}
	title := c.Title
	if title == "" {
		title = c.ID
	}
	if app == "" {
		return fmt.Sprintf("card %q", title)
	}
	return fmt.Sprintf("%s card %q", app, title)
}
