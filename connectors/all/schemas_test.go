package all

import (
	"testing"

	"github.com/flowbench/flowbench/engine"
)

// TestEveryCardSchemaCompiles: card schemas are compiled on first use
// (engine/registry.go), so a declaration that does not compile would only
// fail when the card runs; here every registered card's inputs and outputs
// compile, with the fast check the executor uses.
func TestEveryCardSchemaCompiles(t *testing.T) {
	cards := engine.Default().Cards()
	if len(cards) < 300 {
		t.Fatalf("only %d cards registered", len(cards))
	}
	for _, s := range cards {
		if err := s.CompileSchemas(); err != nil {
			t.Error(err)
		}
		if s.InputSchema() == nil || s.OutputSchema() == nil {
			t.Errorf("card %s has no compiled schema", s.ID)
		}
	}
}
