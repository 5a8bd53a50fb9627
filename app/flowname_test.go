package app

import (
	"errors"
	"testing"
)

// A blank flow name is refused on save and rename (the designer showed
// "Saved" and the list held a nameless flow); the stored name stays.
func TestSaveAndRenameRefuseBlankName(t *testing.T) {
	a := testApp(t)
	f, err := a.CreateFlow("Named", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"", "   ", "\t\n"} {
		g := *f
		g.Name = name
		if _, err := a.SaveFlow(&g); !errors.Is(err, errNoFlowName) {
			t.Errorf("SaveFlow(name %q) = %v, want %v", name, err, errNoFlowName)
		}
		if err := a.RenameFlow(f.ID, name); !errors.Is(err, errNoFlowName) {
			t.Errorf("RenameFlow(%q) = %v, want %v", name, err, errNoFlowName)
		}
	}
	got, err := a.GetFlow(f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Named" {
		t.Errorf("stored name = %q, want %q", got.Name, "Named")
	}
	g := *got
	g.Name = "Renamed"
	if _, err := a.SaveFlow(&g); err != nil {
		t.Errorf("SaveFlow(Renamed): %v", err)
	}
}

func TestBlankFlowNameIsBadRequest(t *testing.T) {
	if got := statusOf(errNoFlowName); got != 400 {
		t.Errorf("statusOf(blank name) = %d, want 400", got)
	}
}
