package store

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/flowbench/flowbench/engine"
)

func TestFlowVersions(t *testing.T) {
	cases := []struct {
		name  string
		limit int
		saves int
		want  []int64 // revisions kept, newest first
	}{
		{"every save is a version", 0, 3, []int64{3, 2, 1}},
		{"bounded to the last N", 3, 5, []int64{5, 4, 3}},
		{"unbounded", -1, 4, []int64{4, 3, 2, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := Open(dir, Options{Key: make([]byte, 32), FlowVersions: tc.limit})
			if err != nil {
				t.Fatal(err)
			}
			for i := 1; i <= tc.saves; i++ {
				f := testFlow("f1")
				f.Name = "v" + string(rune('0'+i))
				if err := s.SaveFlowIf(f, int64(i-1)); err != nil {
					t.Fatalf("save %d: %v", i, err)
				}
			}
			// switching on is not a version
			cur, _ := s.Flow(t.Context(), "f1")
			on := *cur
			on.Enabled = true
			if err := s.PutFlowState(&on); err != nil {
				t.Fatal(err)
			}
			vs, err := s.FlowVersions("f1")
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, v := range vs {
				got = append(got, v.Revision)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("versions %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("versions %v, want %v", got, tc.want)
				}
			}
			old, err := s.FlowAt("f1", tc.want[len(tc.want)-1])
			if err != nil {
				t.Fatal(err)
			}
			if want := "v" + string(rune('0'+tc.want[len(tc.want)-1])); old.Name != want {
				t.Fatalf("oldest kept version is %q, want %q", old.Name, want)
			}
			if tc.limit > 0 {
				if _, err := s.FlowAt("f1", 1); !errors.Is(err, ErrNotFound) {
					t.Fatalf("dropped version: err %v, want not found", err)
				}
			}
			// a version that is not there: "only the last N are kept" only when N bounds them (unbounded, it said "the last 0")
			_, err = s.FlowAt("f1", 99)
			if bounded := strings.Contains(fmt.Sprint(err), "only the last"); !errors.Is(err, ErrNotFound) || bounded != (tc.limit >= 0) {
				t.Fatalf("version 99 with limit %d: %v", tc.limit, err)
			}
			// restore: a new version with the old content, the state kept
			r, err := s.RestoreFlowVersion("f1", tc.want[len(tc.want)-1], int64(tc.saves))
			if err != nil {
				t.Fatal(err)
			}
			if r.Revision != int64(tc.saves+1) || r.Name != old.Name || !r.Enabled {
				t.Fatalf("restored rev %d name %q enabled %v", r.Revision, r.Name, r.Enabled)
			}
			vs, _ = s.FlowVersions("f1")
			if vs[0].Revision != r.Revision || vs[0].RestoredFrom != old.Revision {
				t.Fatalf("newest version %+v, want rev %d restored from %d", vs[0], r.Revision, old.Revision)
			}
			// a stale restore is a conflict
			if _, err := s.RestoreFlowVersion("f1", r.Revision, int64(tc.saves)); !IsConflict(err) {
				t.Fatalf("stale restore: %v, want conflict", err)
			}
			// versions survive a reopen and go with the flow
			s.Close()
			s, err = Open(dir, Options{Key: make([]byte, 32), FlowVersions: tc.limit})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if vs2, _ := s.FlowVersions("f1"); len(vs2) != len(vs) {
				t.Fatalf("after reopen %d versions, want %d", len(vs2), len(vs))
			}
			if err := s.DeleteFlow("f1"); err != nil {
				t.Fatal(err)
			}
			if vs3, _ := s.FlowVersions("f1"); len(vs3) != 0 {
				t.Fatalf("deleted flow keeps %d versions", len(vs3))
			}
		})
	}
}

var _ = engine.FlowFormat
