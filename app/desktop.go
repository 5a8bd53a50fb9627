//go:build desktop

package app

import (
	"context"
	"io/fs"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
)

// RunDesktop opens the Flowbench window (Wails v2) on the built frontend and
// binds *App, so the page calls window.go.app.App.<Method>. It returns when
// the window closes.
func RunDesktop(a *App, assets fs.FS) error {
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
		},
		Bind:  []any{a},
		Linux: &linux.Options{ProgramName: "flowbench", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
	})
}
