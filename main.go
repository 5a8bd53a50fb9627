// Command flowbench is the Flowbench desktop app and its headless CLI:
// with no arguments it opens the window; subcommands run headless.
package main

import (
	"embed"
	"io/fs"
	"os"

	"github.com/flowbench/flowbench/app"
	_ "github.com/flowbench/flowbench/connectors/all"
	"github.com/flowbench/flowbench/connectors/okta/sandbox"
)

//go:embed all:frontend/dist
var dist embed.FS

func main() {
	assets, err := fs.Sub(dist, "frontend/dist")
	if err != nil {
		panic(err)
	}
	cli := &app.CLI{Assets: assets, Desktop: app.RunDesktop, Serve: app.Serve, Sandbox: sandbox.Main}
	os.Exit(cli.Main(os.Args[1:]))
}
