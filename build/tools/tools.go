//go:build tools

// Package tools pins the build tools of Flowbench (the Wails CLI for
// `wails dev` / `wails build`, nfpm for the .deb and .rpm) in this module's
// go.sum, apart from the app's own go.mod. `make tools` builds them into
// build/bin/tools/.
package tools

import (
	_ "github.com/goreleaser/nfpm/v2/cmd/nfpm"
	_ "github.com/wailsapp/wails/v2/cmd/wails"
)
