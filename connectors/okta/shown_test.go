package okta

import (
	"testing"

	"github.com/flowbench/flowbench/engine"
)

func TestStreamingInputsShownWhenStreaming(t *testing.T) {
	s, ok := engine.Default().Card("okta.getUsersGroups")
	if !ok {
		t.Fatal("no Get Users Groups")
	}
	st := s.InputSpec("State")
	if st == nil || st.ShownWhen == nil || st.ShownWhen.Key != "resultSet" {
		t.Fatalf("State = %+v", st)
	}
	first := &engine.Card{Inputs: []engine.Field{{Key: "resultSet", Value: First200Recs}}}
	stream := &engine.Card{Inputs: []engine.Field{{Key: "resultSet", Value: StreamRecs}}}
	if st.Shown(first, s) || !st.Shown(stream, s) {
		t.Fatalf("State shown with First 200 Records, or hidden while streaming")
	}
	if id := s.InputSpec("ID"); id.ShownWhen != nil {
		t.Fatalf("ID depends on the Result Set: %+v", id.ShownWhen)
	}
}

func TestCreateUserCredentialsByOption(t *testing.T) {
	s, _ := engine.Default().Card("okta.createUser")
	pw := s.InputSpec("Password")
	none := &engine.Card{}
	withPW := &engine.Card{Inputs: []engine.Field{{Key: "option", Value: "getInputswithPW"}}}
	if pw.Shown(none, s) || !pw.Shown(withPW, s) {
		t.Fatal("Password shown without credentials, or hidden with password")
	}
	if s.InputSpec("Recovery Answer").Shown(withPW, s) || s.InputSpec("Group IDs").Shown(withPW, s) {
		t.Fatal("another option's input shown")
	}
}

func TestSystemLogSearchByShowsItsInputs(t *testing.T) {
	var s *engine.Spec
	for _, c := range engine.Default().Cards() {
		if c.InputSpec("searchBy") != nil && c.InputSpec("Keyword") != nil {
			s = c
		}
	}
	if s == nil {
		t.Fatal("no System Log search card")
	}
	kw := &engine.Card{Inputs: []engine.Field{{Key: "searchBy", Value: "Keyword"}}}
	if !s.InputSpec("Keyword").Shown(kw, s) || s.InputSpec("Custom Filter").Shown(kw, s) {
		t.Fatal("Keyword search shows the filters, or hides the keyword")
	}
	if s.InputSpec("Keyword").Shown(&engine.Card{}, s) || !s.InputSpec("Custom Filter").Shown(&engine.Card{}, s) {
		t.Fatal("Expression (the default) shows the keyword, or hides the filter")
	}
}
