package telemetry

import (
	"io"
	"sync"
	"time"
)

// LogBuffer batches the log writes of a busy server: `serve` logs a line
// per execution, and at thousands of executions a second a write system
// call per line is a measurable share of each run. Lines are written out
// every interval, when 32 KB are waiting, at once for records of level
// warn and up (the handler flushes them), and on Close. A process killed
// outright loses at most one interval of info lines.
type LogBuffer struct {
	mu   sync.Mutex
	w    io.Writer
	buf  []byte
	stop chan struct{}
	done chan struct{}
	once sync.Once
	open bool // false after Close: writes go straight through
}

const logBufferMax = 32 << 10

// NewLogBuffer writes to w every interval (and starts a goroutine for it:
// Close stops it).
func NewLogBuffer(w io.Writer, every time.Duration) *LogBuffer {
	b := &LogBuffer{w: w, buf: make([]byte, 0, logBufferMax), stop: make(chan struct{}), done: make(chan struct{}), open: true}
	go func() {
		defer close(b.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				_ = b.Flush()
			case <-b.stop:
				return
			}
		}
	}()
	return b
}

// Write keeps p (one log record) for the next flush.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.open {
		return b.w.Write(p)
	}
	if len(b.buf)+len(p) > logBufferMax {
		if err := b.flushLocked(); err != nil {
			return 0, err
		}
		if len(p) > logBufferMax {
			return b.w.Write(p)
		}
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// Flush writes out what is waiting.
func (b *LogBuffer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.flushLocked()
}

func (b *LogBuffer) flushLocked() error {
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	b.buf = b.buf[:0]
	return err
}

// Close stops the flushing goroutine and writes out what is waiting; later
// writes go straight through.
func (b *LogBuffer) Close() error {
	b.once.Do(func() {
		close(b.stop)
		<-b.done
	})
	b.mu.Lock()
	defer b.mu.Unlock()
	b.open = false
	return b.flushLocked()
}
