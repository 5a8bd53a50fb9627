package engine

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// nestedIfs builds a flow of n If/Else cards, each in the previous one's
// true lane, each comparing a binding to the trigger and to its parent.
func nestedIfs(n int) *Flow {
	var build func(i int) []Card
	build = func(i int) []Card {
		if i == n {
			return []Card{{ID: "leaf", Type: "flow.assign", Inputs: []Field{{Key: "x", Type: T("string"), From: &Binding{Card: "trigger", Path: []string{"context", "execution_id"}}}}}}
		}
		id := fmt.Sprintf("if%d", i)
		return []Card{{ID: id, Type: "flow.if", Inputs: []Field{{Key: "left-operand", From: &Binding{Card: "trigger", Path: []string{"context", "execution_id"}}},
			{Key: "operator", Value: "equals"}, {Key: "right-operand", Value: "x"}},
			Branches: []Branch{{Name: "true", Cards: build(i + 1)}, {Name: "false", Cards: []Card{}}}}}
	}
	return &Flow{Format: FlowFormat, ID: "deep", Name: "deep", Trigger: Card{ID: "trigger", Type: "flow.manual"}, Cards: build(0)}
}

// Issue 15 point 12: nesting is bounded with a clear error, quickly, and
// a flow at the bound parses and validates.
func TestDeepNestingRefused(t *testing.T) {
	for _, n := range []int{MaxCardNesting + 1, 100, 1000, 2000} {
		data, err := MarshalFlowCompact(nestedIfs(n)) // as a hostile file would be: small
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = ParseFile("deep.flow.json", data)
		if err == nil || !(strings.Contains(err.Error(), "levels deep") || strings.Contains(err.Error(), "nested more than")) {
			t.Fatalf("%d nested If/Else: %v", n, err)
		}
		t.Logf("%d nested If/Else (%d KB): refused in %s: %.160s", n, len(data)>>10, time.Since(start).Round(time.Millisecond), err)
	}
	data, _ := MarshalFlowCompact(nestedIfs(MaxCardNesting))
	f, err := ParseFile("deep.flow.json", data)
	if err != nil {
		t.Fatal(err)
	}
	Validate(f.Flows[0], nil)
}

// BenchmarkValidateNested measures validation of a valid flow against
// nesting depth
// (go test ./engine -run X -bench ValidateNested): the time per card stays
// flat as the depth grows.
func BenchmarkValidateNested(b *testing.B) {
	for _, n := range []int{64, 250, 1000} {
		f := nestedIfs(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				Validate(f, nil)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/card")
		})
	}
}
