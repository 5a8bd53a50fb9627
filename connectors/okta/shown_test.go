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
