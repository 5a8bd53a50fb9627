//go:build !desktop

package app

import (
	"errors"
	"io/fs"
)

// RunDesktop is the stand-in of builds without the desktop tags: the window
// needs Wails and WebKitGTK, built with `-tags desktop,production,webkit2_41`.
func RunDesktop(a *App, assets fs.FS) error {
	return errors.New("this flowbench binary was built without the desktop tags (desktop,production,webkit2_41): " +
		"use `flowbench serve` for the browser UI, or rebuild with `make desktop`")
}
