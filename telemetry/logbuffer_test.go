package telemetry_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flowbench/flowbench/telemetry"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestLogBuffer(t *testing.T) {
	var out lockedBuffer
	lb := telemetry.NewLogBuffer(&out, time.Hour) // no timed flush during the test
	h, err := telemetry.NewLogHandler(lb, "json", "info")
	if err != nil {
		t.Fatal(err)
	}
	l := slog.New(h)
	ctx := telemetry.WithRun(context.Background(), "ex1", "flow1")

	l.InfoContext(ctx, "execution finished")
	if out.String() != "" {
		t.Fatalf("info line written at once: %q", out.String())
	}
	l.WarnContext(ctx, "execution failed")
	got := out.String()
	if !strings.Contains(got, `"msg":"execution finished"`) || !strings.Contains(got, `"msg":"execution failed"`) {
		t.Fatalf("a warning writes out what waits, in order: %q", got)
	}
	if strings.Index(got, "finished") > strings.Index(got, "failed") {
		t.Fatalf("out of order: %q", got)
	}
	l.InfoContext(ctx, "after")
	if err := lb.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"msg":"after"`) || !strings.Contains(out.String(), `"execution_id":"ex1"`) {
		t.Fatalf("Close writes out the rest: %q", out.String())
	}
	l.InfoContext(ctx, "closed")
	if !strings.Contains(out.String(), `"msg":"closed"`) {
		t.Fatalf("after Close lines go straight through: %q", out.String())
	}
}

func TestLogBufferInterval(t *testing.T) {
	var out lockedBuffer
	lb := telemetry.NewLogBuffer(&out, 10*time.Millisecond)
	defer lb.Close()
	_, _ = lb.Write([]byte("line\n"))
	for out.String() == "" {
		time.Sleep(5 * time.Millisecond) // written by the interval flush; the test times out otherwise
	}
	// a burst bigger than the buffer is written as it comes
	big := bytes.Repeat([]byte("x"), 40<<10)
	if _, err := lb.Write(big); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), string(big)) {
		t.Fatal("a record larger than the buffer was held back")
	}
}
