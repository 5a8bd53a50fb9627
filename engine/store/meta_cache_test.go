package store

import "testing"

// GetMeta keeps what it read in memory: every write and delete of a meta
// key must show in the next read, also after the store is opened again.
func TestMetaCacheFollowsWrites(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	if _, ok := s.GetMeta("environment"); ok {
		t.Fatal("a fresh store has no environment")
	}
	if err := s.SetMeta("environment", "prod"); err != nil {
		t.Fatal(err)
	}
	if v, ok := s.GetMeta("environment"); !ok || v != "prod" {
		t.Fatalf("after SetMeta: %q %v", v, ok)
	}
	_ = s.SetMeta("environment", "staging")
	if v, _ := s.GetMeta("environment"); v != "staging" {
		t.Fatalf("a second SetMeta: %q", v)
	}
	_ = s.SetMeta("flowenv/f1", "prod")
	if v, _ := s.GetMeta("flowenv/f1"); v != "prod" {
		t.Fatalf("flow env: %q", v)
	}
	if err := s.DropFlowTests("f1"); err != nil {
		t.Fatal(err)
	}
	if v, ok := s.GetMeta("flowenv/f1"); ok {
		t.Fatalf("the flow's environment outlived DropFlowTests: %q", v)
	}
	s.Close()
	s = open(t, dir)
	defer s.Close()
	if v, _ := s.GetMeta("environment"); v != "staging" {
		t.Fatalf("after reopening: %q", v)
	}
}
