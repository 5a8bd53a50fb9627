package app

import (
	"fmt"
	"strings"

	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/flopack"
)

// Okta Workflows exports (.flopack templates, .flow and .folder exports)
// import through engine/flopack.
func init() {
	for _, ext := range []string{".flopack", ".flow", ".folder"} {
		RegisterImporter(ext, importOkta)
	}
}

func importOkta(name string, data []byte, reg *engine.Registry) (*engine.Folder, any, error) {
	res, err := flopack.Import(name, data, reg, flopack.Options{})
	if err != nil {
		return nil, nil, err
	}
	folder := &engine.Folder{Format: engine.FolderFormat, Name: res.Name, Flows: res.Flows, Tables: res.Tables,
		Rows: res.Rows, Connections: res.Connections}
	return folder, oktaReport{res.Report}, nil
}

// oktaReport prints an import report for people; JSON keeps the full report.
type oktaReport struct{ *flopack.Report }

func (r oktaReport) MarshalJSON() ([]byte, error) { return engine.MarshalFlowJSON(r.Report) }

func (r oktaReport) String() string {
	var b strings.Builder
	c := r.Counts
	fmt.Fprintf(&b, "%s (%s %s): %d flows, %d cards — %d mapped, %d unsupported, %d folded expand, %d structural (%.1f%% of cards mapped)\n",
		r.Template, r.Format, r.Version, c.Flows, c.Cards, c.Mapped, c.Unsupported, c.Folded, c.Structural, c.MappedPercent())
	fmt.Fprintf(&b, "pins: %d resolved of %d; tables: %d; connections to bind: %d; warnings: %d\n", c.PinsResolved, c.Pins, c.Tables, c.Connections, c.Warnings)
	for _, fr := range r.Flows {
		fmt.Fprintf(&b, "  flow %q (%s): %d cards, %d unsupported\n", fr.Name, fr.Trigger, fr.Cards, fr.Unsupported)
	}
	if t := r.AttentionText(); t != "" {
		b.WriteString(t + "\n")
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "  warning: %v\n", w)
	}
	return strings.TrimRight(b.String(), "\n")
}

// unsupportedApps names the app of unsupported cards imported before the
// importer recorded it (Origin.App), from their Okta address, so the canvas
// shows "Slack", never the address.
func unsupportedApps(f *engine.Flow) {
	f.Walk(func(c *engine.Card, _ *engine.Card) bool {
		if c.Type == flopack.Unsupported && c.Origin != nil && c.Origin.App == "" && c.Origin.Address != "" {
			c.Origin.App = flopack.AppOfAddress(c.Origin.Address)
		}
		return true
	})
}
