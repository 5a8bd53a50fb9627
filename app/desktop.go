//go:build desktop

package app

import (
	"context"
	"io/fs"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// RunDesktop opens the Flowbench window (Wails v2) on the built frontend and
// binds *App, so the page calls window.go.app.App.<Method>. It returns when
// the window closes.
func RunDesktop(a *App, assets fs.FS) error {
	g := &closeGuard{}
	return wails.Run(&options.App{
		Title:            "Flowbench",
		Width:            1280,
		Height:           800,
		MinWidth:         900,
		MinHeight:        600,
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 255}, // opaque, or Xvfb shows black
		AssetServer:      &assetserver.Options{Assets: assets},
		OnStartup: func(ctx context.Context) {
			// bound methods run with the window's context (dialogs, events)
			a.setContext(ctx)
			g.listen(ctx)
		},
		OnBeforeClose: g.beforeClose,
		Bind:          []any{a},
		Linux:         &linux.Options{ProgramName: "flowbench", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
	})
}

// closeGuard: closing the window with unsaved changes in the designer asks
// Save / Discard / Cancel in the page (frontend/src/store/guard.ts). The page
// reports "flowbench:unsaved" whenever that changes; a close while unsaved
// is held and "flowbench:close-requested" sent to the page, which answers
// "flowbench:quit" after Save or Discard. A page that does not acknowledge
// the request ("flowbench:close-asked") within closeAckWait cannot keep the
// window open: the next close goes through (its draft is kept anyway).
// SIGTERM/SIGINT (logout, shutdown, Ctrl+C) quit without asking: the page
// keeps its draft and offers it on the next start.
type closeGuard struct {
	mu      sync.Mutex
	unsaved bool
	asked   time.Time // last request not acknowledged yet
}

const closeAckWait = 3 * time.Second

func (g *closeGuard) listen(ctx context.Context) {
	runtime.EventsOn(ctx, "flowbench:unsaved", func(data ...any) {
		on := len(data) > 0 && data[0] == true
		g.mu.Lock()
		g.unsaved = on
		g.mu.Unlock()
	})
	runtime.EventsOn(ctx, "flowbench:close-asked", func(...any) {
		g.mu.Lock()
		g.asked = time.Time{}
		g.mu.Unlock()
	})
	quit := func() {
		g.mu.Lock()
		g.unsaved = false
		g.mu.Unlock()
		runtime.Quit(ctx)
	}
	runtime.EventsOn(ctx, "flowbench:quit", func(...any) { quit() })
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		defer signal.Stop(sig)
		select {
		case <-sig:
			quit()
		case <-ctx.Done():
		}
	}()
}

// beforeClose returns true to keep the window open.
func (g *closeGuard) beforeClose(ctx context.Context) bool {
	g.mu.Lock()
	hold := g.unsaved && (g.asked.IsZero() || time.Since(g.asked) < closeAckWait)
	if hold && g.asked.IsZero() {
		g.asked = time.Now()
	}
	g.mu.Unlock()
	if hold {
		runtime.EventsEmit(ctx, "flowbench:close-requested")
	}
	return hold
}
