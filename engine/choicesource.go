package engine

import (
	"context"
	"fmt"
	"sort"
	"sync"
)

// A choice source lists the choices of a dropdown whose options come from a
// connection, as Okta's dynamic dropdowns do ("Application": the org's
// active applications, label → id). A card input names it in
// FieldSpec.ChoicesFrom; the app layer (App.FieldChoices) runs it with the
// card's connection and the designer shows the result. The value stays
// free: an id outside the list (an imported flow's, an app added later) is
// kept and marked, never refused at run time.

// ChoiceSourceFunc lists the choices for one connection.
type ChoiceSourceFunc func(ctx context.Context, conn *Connection) ([]Choice, error)

// ChoiceSource is a registered source.
type ChoiceSource struct {
	Name string // "okta.apps"
	// Connection is the connection kind it reads ("okta").
	Connection string
	// Noun names one choice in messages ("application").
	Noun string
	List ChoiceSourceFunc
}

var (
	choiceMu      sync.RWMutex
	choiceSources = map[string]*ChoiceSource{}
)

// RegisterChoiceSource adds a source; it panics on a duplicate or empty name
// (a programming error, found at init).
func RegisterChoiceSource(s *ChoiceSource) {
	if s == nil || s.Name == "" || s.List == nil || s.Connection == "" {
		panic("engine: choice source needs a name, a connection kind and a List function")
	}
	choiceMu.Lock()
	defer choiceMu.Unlock()
	if _, dup := choiceSources[s.Name]; dup {
		panic(fmt.Sprintf("engine: choice source %q registered twice", s.Name))
	}
	choiceSources[s.Name] = s
}

// ChoiceSourceNamed returns a registered source.
func ChoiceSourceNamed(name string) (*ChoiceSource, bool) {
	choiceMu.RLock()
	defer choiceMu.RUnlock()
	s, ok := choiceSources[name]
	return s, ok
}

// ChoiceSourceNames lists the registered sources, sorted.
func ChoiceSourceNames() []string {
	choiceMu.RLock()
	defer choiceMu.RUnlock()
	out := make([]string, 0, len(choiceSources))
	for n := range choiceSources {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// ClosedChoices says whether the field's value must be one of its Choices
// (the input schema's enum, the validator's and the importer's checks). A
// field whose choices also come from a connection (ChoicesFrom) is open: its
// static Choices are the entries offered before the connection's ("-- All
// App Instances --"), and any other value (an id) is taken.
func (fs *FieldSpec) ClosedChoices() bool { return len(fs.Choices) > 0 && fs.ChoicesFrom == "" }
