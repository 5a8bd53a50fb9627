package flopack

import (
	"strings"

	"github.com/flowbench/flowbench/engine"
)

// keepRecords: an older export of a list card has no result set option (the
// card returned its records); the card's default streams them to a helper
// flow, which the export does not name, so the first non-streaming choice is
// set instead.
func (im *importer) keepRecords(fl *flowCtx, m *method, s *engine.Spec, c *engine.Card) {
	for _, ch := range s.InputSpec("resultSet").Choices {
		if v, ok := ch.Value.(string); ok && !strings.Contains(strings.ToLower(v), "stream") {
			c.Inputs = append(c.Inputs, engine.Field{Key: "resultSet", Value: v})
			im.warn(fl.label, m.label(), "resultSet", "the export has no result set option; %q is used (the card returns its records)", v)
			return
		}
	}
}
