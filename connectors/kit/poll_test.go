package kit_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

// TestCursorPoll: the shared polling runtime starts where the flow was
// switched on, walks pages with the vendor's token, moves the watermark to
// the newest event when a walk ends, drops events already delivered at the
// watermark, and reads cursors the Okta poller stored before it moved.
func TestCursorPoll(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	type call struct {
		since time.Time
		page  string
	}
	var calls []call
	answers := []*kit.PollPage{
		{Events: []kit.Event{{ID: "e1", Time: at(1)}, {ID: "e2", Time: at(2)}}, Next: "p2", More: true},
		{Events: []kit.Event{{ID: "e3", Time: at(3)}}},
		{Events: []kit.Event{{ID: "e3", Time: at(3)}, {ID: "e4", Time: at(4)}}},
		{},
	}
	poll := kit.CursorPoll(func(_ context.Context, _ trigger.PollEnv, _ *engine.Flow, since time.Time, page string) (*kit.PollPage, error) {
		calls = append(calls, call{since, page})
		a := answers[0]
		answers = answers[1:]
		return a, nil
	}, 0)
	env := trigger.PollEnv{Since: t0, Now: at(10)}
	f := &engine.Flow{ID: "f"}
	ids := func(r trigger.PollResult) (out []string) {
		for _, e := range r.Events {
			out = append(out, e.ID)
		}
		return out
	}
	cur := ""
	var got [][]string
	for i := 0; i < 4; i++ {
		r, err := poll(context.Background(), env, f, cur)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ids(r))
		cur = r.Cursor
		if i == 0 && !r.More {
			t.Error("a page with a next token says More")
		}
	}
	want := []call{{t0, ""}, {t0, "p2"}, {at(3), ""}, {at(4), ""}}
	for i, c := range want {
		if !calls[i].since.Equal(c.since) || calls[i].page != c.page {
			t.Errorf("call %d: since %v page %q, want %v %q", i, calls[i].since, calls[i].page, c.since, c.page)
		}
	}
	if b, _ := json.Marshal(got); string(b) != `[["e1","e2"],["e3"],["e4"],null]` {
		t.Errorf("delivered %s", b)
	}
	var c kit.PollCursor
	_ = json.Unmarshal([]byte(cur), &c)
	if c.Since != at(4).Format(time.RFC3339Nano) || len(c.Seen) != 1 || c.Seen[0] != "e4" {
		t.Errorf("cursor after an empty page: %+v", c)
	}

	// a cursor the Okta System Log poller stored before the kit
	var seenSince time.Time
	var seenPage string
	old := kit.CursorPoll(func(_ context.Context, _ trigger.PollEnv, _ *engine.Flow, since time.Time, page string) (*kit.PollPage, error) {
		seenSince, seenPage = since, page
		return &kit.PollPage{Next: page, KeepPage: true}, nil
	}, 0)
	r, err := old(context.Background(), env, f, `{"since":"2026-11-30T08:00:00.000Z","after":"1700000000_abc"}`)
	if err != nil || !seenSince.Equal(time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)) || seenPage != "1700000000_abc" {
		t.Fatalf("old cursor read as %v %q (%v)", seenSince, seenPage, err)
	}
	_ = json.Unmarshal([]byte(r.Cursor), &c)
	if c.After != "1700000000_abc" {
		t.Errorf("the kept page token was lost: %+v", c)
	}
}
